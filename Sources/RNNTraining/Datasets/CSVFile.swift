import Foundation

/// Reading a CSV dataset file: its header, column lookup, row checks and the one-line errors they raise.
struct CSVFile {
    let path: String
    /// Column names from the header line, trimmed.
    var columns: [String] = []

    /// Parses `path` (mapped, streamed): checks the header and every row's width, skips blank lines and
    /// calls `row(fields, line)` for each data row. Throws for an empty file or a file with only a header.
    static func read(
        _ path: String, header: (_ file: CSVFile) throws -> Void, row: (_ fields: [String], _ line: Int) throws -> Void
    ) throws {
        let data = try FileBytes.read(path)
        var file = CSVFile(path: path)
        var sawHeader = false
        var rowCount = 0
        try data.withUnsafeBytes { bytes in
            try CSVParser.forEachRecord(in: bytes, path: path) { fields, line in
                if !sawHeader {
                    if fields == [""] { return }  // blank lines before the header
                    file.columns = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                    sawHeader = true
                    try header(file)
                    return
                }
                if fields.count != file.columns.count {
                    if fields == [""] { return }  // a blank line
                    throw DatasetError(
                        "\(path):\(line): \(fields.count) fields, expected \(file.columns.count) as in the header (\(file.columns.joined(separator: ","))); quote fields that contain commas")
                }
                rowCount += 1
                try row(fields, line)
            }
        }
        guard sawHeader else {
            throw DatasetError("\(path): empty file; expected a header line (for example text,label) and data rows")
        }
        guard rowCount > 0 else {
            throw DatasetError("\(path):1: header only; expected data rows after the header (\(file.columns.joined(separator: ",")))")
        }
    }

    /// The index of column `name` (exact match, else case-insensitive), or an error naming the columns there are.
    func columnIndex(_ name: String, purpose: String) throws -> Int {
        if let index = columns.firstIndex(of: name) { return index }
        if let index = columns.firstIndex(where: { $0.lowercased() == name.lowercased() }) { return index }
        throw DatasetError(
            "\(path):1: no column '\(name)' (\(purpose)); the header has: \(columns.joined(separator: ", "))")
    }

    func hasColumn(_ name: String) -> Bool {
        columns.contains { $0.lowercased() == name.lowercased() }
    }

    /// Empty, NA, N/A, NaN, null (any case, surrounding spaces ignored) mean "missing".
    static func isMissing(_ cell: String) -> Bool {
        guard let first = cell.utf8.first else { return true }
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "-") { return false }
        return switch trimmed(cell).lowercased() {
        case "", "na", "n/a", "nan", "null": true
        default: false
        }
    }

    /// `cell` without surrounding spaces and tabs (cheap when there are none).
    static func trimmed(_ cell: String) -> String {
        let utf8 = cell.utf8
        guard let first = utf8.first, let last = utf8.last else { return cell }
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        return blank(first) || blank(last) ? cell.trimmingCharacters(in: .whitespaces) : cell
    }
}
