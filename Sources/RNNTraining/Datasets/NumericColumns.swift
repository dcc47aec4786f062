import Foundation

/// The numeric columns of a CSV series, read in one streaming pass.
///
/// A column's kind is fixed by its first non-missing cell: a number makes it numeric (and every later
/// non-missing cell must be a number), anything else makes it a text column that is ignored (a date, a
/// name). Missing cells (empty, NA, NaN, null) are stored as NaN. Memory: one Float per numeric cell.
struct NumericColumns {
    struct Column {
        var name: String
        var isNumeric = false
        var isText = false
        var values: [Float] = []
        var missingCount = 0
        var firstMissingLine: Int?
        /// For a text column: the first value and its line, for error messages.
        var firstText: (value: String, line: Int)?
    }

    var columns: [Column] = []
    var rowCount = 0
    /// lines: (rows) the line each row starts on, for messages about a value.
    var lines: [Int] = []
    /// The line the last row starts on.
    var lastLine = 0

    static func read(_ path: String) throws -> NumericColumns {
        var table = NumericColumns()
        try CSVFile.read(path) { file in
            table.columns = file.columns.map { Column(name: $0) }
        } row: { fields, line in
            table.rowCount += 1
            table.lastLine = line
            table.lines.append(line)
            for (index, cell) in fields.enumerated() {
                try table.append(cell, column: index, line: line, path: path)
            }
        }
        return table
    }

    private mutating func append(_ cell: String, column index: Int, line: Int, path: String) throws {
        if columns[index].isText { return }
        if CSVFile.isMissing(cell) {
            columns[index].values.append(.nan)
            columns[index].missingCount += 1
            if columns[index].firstMissingLine == nil { columns[index].firstMissingLine = line }
            return
        }
        let trimmed = CSVFile.trimmed(cell)
        if let value = Double(trimmed), value.isFinite {
            columns[index].isNumeric = true
            columns[index].values.append(Float(value))
        } else if columns[index].isNumeric {
            throw DatasetError(
                "\(path):\(line): column '\(columns[index].name)': '\(trimmed)' is not a number; expected a number, or empty/NA/NaN for a missing value")
        } else {
            columns[index].isText = true
            columns[index].firstText = (trimmed, line)
            columns[index].values = []
        }
    }
}
