import DisplayFormat
import Foundation

/// A cheap look at a CSV dataset before it is loaded: the header and the rows in its first
/// `byteLimit` bytes, each column's kind, the missing cells seen, and what the reader will decide with
/// the given options (classification or forecasting, the target, the columns ignored, the gaps filled).
/// Reads at most `byteLimit` bytes, so it can run on the UI thread as a person types.
public struct CSVPreview: Sendable, Equatable {
    public enum ColumnKind: String, Sendable, Equatable {
        /// Its first non-missing cell in the sample is a number.
        case numeric
        /// Its first non-missing cell is not a number (a date, a name, text).
        case text
        /// Every cell in the sample is missing.
        case empty
    }

    public struct Column: Sendable, Equatable {
        public var name: String
        public var kind: ColumnKind
        /// Missing cells (empty, NA, NaN, null) in the sample.
        public var missing: Int
        /// Up to a few distinct values seen (for label columns).
        public var distinctValues: [String]
        /// Whether more distinct values were seen than kept.
        public var hasMoreValues: Bool
    }

    public static let defaultByteLimit = 64 * 1024

    public var path: String
    public var columns: [Column]
    /// Data rows in the sample.
    public var sampledRows: Int
    /// Whether the file goes on past the sample.
    public var isTruncated: Bool

    /// Reads the header and the rows that fit in the first `byteLimit` bytes of `path`. Throws a
    /// one-line `DatasetError` for a missing, unreadable, empty or non-UTF-8 file.
    public static func read(_ path: String, byteLimit: Int = defaultByteLimit) throws -> CSVPreview {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DatasetError("\(path): cannot be read; expected a readable .csv file")
        }
        defer { try? handle.close() }
        var data = (try? handle.read(upToCount: byteLimit + 1)) ?? Data()
        let isTruncated = data.count > byteLimit
        if isTruncated {
            // Keep whole lines only, so no record or UTF-8 character is cut.
            data = data.prefix(byteLimit)
            if let lastNewline = data.lastIndex(of: 0x0A) { data = data.prefix(through: lastNewline) }
        }
        var preview = CSVPreview(path: path, columns: [], sampledRows: 0, isTruncated: isTruncated)
        var sawHeader = false
        try data.withUnsafeBytes { bytes in
            try CSVParser.forEachRecord(in: bytes, path: path) { fields, _ in
                if !sawHeader {
                    if fields == [""] { return }
                    preview.columns = fields.map {
                        Column(name: $0.trimmingCharacters(in: .whitespaces), kind: .empty, missing: 0, distinctValues: [],
                               hasMoreValues: false)
                    }
                    sawHeader = true
                    return
                }
                guard fields.count == preview.columns.count else { return }  // the reader reports bad rows
                preview.sampledRows += 1
                for (index, cell) in fields.enumerated() { preview.columns[index].observe(cell) }
            }
        }
        guard sawHeader else {
            throw DatasetError("\(path): empty file; expected a header line (for example text,label) and data rows")
        }
        return preview
    }

    public var numericColumns: [String] { columns.filter { $0.kind == .numeric }.map(\.name) }

    /// Whether the file will be read as classification (text and label columns) with `options`.
    public func isClassification(_ options: DatasetOptions) -> Bool {
        DatasetCatalog.isClassification(columns: columns.map(\.name), options: options)
    }

    /// The forecast target the reader will use with `options`.
    public func target(_ options: DatasetOptions) -> String? {
        if let requested = options.targetColumn { return columns.first { $0.name.lowercased() == requested.lowercased() }?.name }
        return SeriesForecastDataset.defaultTarget(numericColumns: numericColumns)
    }

    /// What the reader will decide, one short line each: the task, the target or text and label
    /// columns, the columns ignored, the missing values and what happens to them.
    public func decisions(_ options: DatasetOptions) -> [String] {
        let sample = isTruncated ? "in the first \(Format.count(sampledRows)) rows" : "in \(Format.count(sampledRows)) rows"
        func missingText(_ list: [Column]) -> String? {
            let gaps = list.filter { $0.missing > 0 }
            guard !gaps.isEmpty else { return nil }
            let total = gaps.reduce(0) { $0 + $1.missing }
            return "\(total) missing \(sample) (" + gaps.map { "\($0.name) \($0.missing)" }.joined(separator: ", ") + ")"
        }
        if isClassification(options) {
            let textName = options.textColumn ?? "text"
            let labelName = options.labelColumn ?? "label"
            var lines = ["classification: text '\(textName)', label '\(labelName)', \(options.tokenization.rawValue) tokens"]
            guard let text = column(textName), let label = column(labelName) else {
                let absent = [textName, labelName].filter { column($0) == nil }.map { "'\($0)'" }.joined(separator: " and ")
                return lines + ["no column \(absent): pick the text and label columns"]
            }
            let classes = label.distinctValues.joined(separator: ", ") + (label.hasMoreValues ? ", …" : "")
            lines.append("labels seen: \(classes)")
            let ignored = columns.filter { $0.name != text.name && $0.name != label.name }.map(\.name)
            if !ignored.isEmpty { lines.append("ignored: " + ignored.joined(separator: ", ")) }
            if label.missing > 0 {
                let action = options.missingValues == .error ? "an error" : "rows dropped"
                lines.append("\(label.missing) missing labels \(sample) → \(action)")
            }
            return lines
        }
        guard let target = target(options) else {
            if let requested = options.targetColumn { return ["no column '\(requested)' to forecast"] }
            return ["no numeric column \(sample): nothing to forecast"]
        }
        var lines = ["forecast '\(target)' one step ahead" + (options.targetColumn == nil ? " (last numeric column)" : "")]
        if column(target)?.kind != .numeric { lines.append("'\(target)' is not numeric \(sample)") }
        let features = columns.filter { $0.kind == .numeric }
        lines.append("inputs: " + features.map(\.name).joined(separator: ", "))
        let ignored = columns.filter { $0.kind != .numeric }.map { "\($0.name) (\($0.kind == .text ? "not numeric" : "empty"))" }
        if !ignored.isEmpty { lines.append("ignored: " + ignored.joined(separator: ", ")) }
        if let missing = missingText(features) {
            let action: String = switch options.missingValues {
            case .interpolate: "interpolated"
            case .ffill: "forward-filled"
            case .drop: "rows dropped"
            case .error: "an error"
            }
            lines.append(missing + " → " + action)
        }
        return lines
    }

    public func column(_ name: String) -> Column? {
        columns.first { $0.name == name } ?? columns.first { $0.name.lowercased() == name.lowercased() }
    }
}

extension CSVPreview.Column {
    static let keptValues = 6

    mutating func observe(_ cell: String) {
        if CSVFile.isMissing(cell) {
            missing += 1
            return
        }
        let trimmed = CSVFile.trimmed(cell)
        if kind == .empty { kind = Double(trimmed).map { $0.isFinite } == true ? .numeric : .text }
        if !distinctValues.contains(trimmed) {
            if distinctValues.count < Self.keptValues { distinctValues.append(String(trimmed.prefix(20))) } else { hasMoreValues = true }
        }
    }
}
