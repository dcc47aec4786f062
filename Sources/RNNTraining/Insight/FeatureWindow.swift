import Foundation
import RNNEngine

/// Numeric model input in the data's own units, turned into what the model takes (normalised with the
/// checkpoint's training statistics when it has them).
public enum FeatureWindow {
    /// The rows of `path` as (T, D) values in original units, the columns picked by name from
    /// `normalization.columns` (every numeric column in file order when there are no statistics,
    /// `featureCount` of them). A missing or non-numeric cell is an error naming its line and column.
    /// `lastRows` keeps only the file's last rows (the model's window).
    public static func read(csv path: String, normalization: FeatureNormalization?, featureCount: Int, lastRows: Int? = nil) throws -> [[Double]] {
        let table = try NumericColumns.read(path)
        let numeric = table.columns.filter(\.isNumeric)
        let picked: [NumericColumns.Column]
        if let normalization {
            picked = try normalization.columns.map { name in
                guard let column = table.columns.first(where: { $0.name == name }), column.isNumeric else {
                    throw TrainingError("\(path): no numeric column \"\(name)\"; the checkpoint was trained on columns \(normalization.columns.joined(separator: ", "))")
                }
                return column
            }
        } else {
            guard numeric.count == featureCount else {
                throw TrainingError("\(path): \(numeric.count) numeric columns; the model takes \(featureCount) features per timestep")
            }
            picked = numeric
        }
        let first = max(0, table.rowCount - (lastRows ?? table.rowCount))
        return try (first..<table.rowCount).map { row in
            try picked.map { column in
                let value = column.values[row]
                guard value.isFinite else {
                    throw TrainingError("\(path): row \(row + 1) of column \"\(column.name)\" is missing; fill it in (the model needs every value of its window)")
                }
                return Double(value)
            }
        }
    }

    /// (T, D) values into the model's (T·D) inputs: normalised with `normalization` unless
    /// `alreadyNormalized` or there are no statistics.
    public static func modelInput(_ rows: [[Double]], normalization: FeatureNormalization?, alreadyNormalized: Bool) -> [Float] {
        rows.flatMap { row in
            row.enumerated().map { column, value in
                guard let normalization, !alreadyNormalized, column < normalization.means.count else { return Float(value) }
                return Float(normalization.normalize(value, column: column))
            }
        }
    }

    /// A regression target in original units into the model's units (the target column's statistics).
    public static func normalizedTarget(_ value: Double, context: PredictionContext) -> Double {
        guard let column = context.targetColumn, let normalization = context.normalization else { return value }
        return normalization.normalize(value, column: column)
    }
}
