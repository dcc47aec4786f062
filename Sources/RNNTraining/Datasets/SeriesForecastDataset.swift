import DisplayFormat
import Foundation
import RNNEngine

/// Forecasting one column of a numeric CSV series K = `horizon` steps ahead (`.regressLast`, outputSize K).
///
/// Features are all numeric columns (non-numeric columns such as a date are ignored), in file order;
/// the target is `targetColumn` (default: the last numeric column). Gaps are handled by the
/// `missingValues` policy, then outliers by the `outliers` policy (`OutlierFilter`). The last
/// `validationFraction` of the rows is the validation split; every feature is normalised with the
/// training rows' mean and standard deviation (stored in `info.normalization` for inference). A sample is a
/// window of T rows predicting the target's next K values, normalised too (MSE over the K). Training
/// windows and their K targets lie inside the training rows; a validation window predicts K validation
/// rows from the T rows before the first. Baseline: persistence (the last observed target, repeated K
/// times) MSE on the validation rows, in normalised units. Memory: one Float per used cell.
public struct SeriesForecastDataset: Dataset {
    public let info: DatasetInfo
    /// values: (rows, D) normalised features, row-major.
    let values: [Float]
    let featureCount: Int
    let targetIndex: Int
    let rowCount: Int
    let trainRowCount: Int
    /// K: target values per sample.
    let horizon: Int
    let seed: UInt64

    /// The column forecast when none is asked for: the last numeric one.
    static func defaultTarget(numericColumns: [String]) -> String? { numericColumns.last }

    public init(path: String, name: String? = nil, sequenceLength: Int = 64, options: DatasetOptions) throws {
        let table = try NumericColumns.read(path)
        var notes: [String] = []

        // Which columns.
        var used = table.columns.filter(\.isNumeric)
        for column in table.columns where !column.isNumeric {
            notes.append(column.isText ? "ignored non-numeric column '\(column.name)'" : "ignored empty column '\(column.name)'")
        }
        if let requested = options.targetColumn {
            let file = CSVFile(path: path, columns: table.columns.map(\.name))
            let index = try file.columnIndex(requested, purpose: "the forecast target; set --target")
            let column = table.columns[index]
            guard column.isNumeric else {
                let detail = column.firstText.map { "'\($0.value)' on line \($0.line)" } ?? "no values"
                throw DatasetError(
                    "\(path):\(column.firstText?.line ?? 1): --target column '\(column.name)' is not numeric (\(detail)); expected a column of numbers")
            }
        }
        guard !used.isEmpty else {
            throw DatasetError(
                "\(path): no numeric column (columns: \(table.columns.map(\.name).joined(separator: ", "))); expected at least one column of numbers to forecast")
        }
        let targetName = options.targetColumn.flatMap { requested in
            used.first { $0.name == requested }?.name ?? used.first { $0.name.lowercased() == requested.lowercased() }?.name
        } ?? Self.defaultTarget(numericColumns: used.map(\.name))!
        let targetIndex = used.firstIndex { $0.name == targetName }!

        // Missing values.
        var rowsDropped = 0
        let missingTotal = used.reduce(0) { $0 + $1.missingCount }
        if missingTotal > 0 {
            let perColumn = used.filter { $0.missingCount > 0 }.map { "\($0.name) \($0.missingCount)" }.joined(separator: ", ")
            switch options.missingValues {
            case .error:
                let first = used.compactMap { column in column.firstMissingLine.map { (column.name, $0) } }.min { $0.1 < $1.1 }!
                throw DatasetError(
                    "\(path):\(first.1): column '\(first.0)' has a missing value; expected a number, or --missing interpolate|ffill|drop")
            case .interpolate:
                for index in used.indices { MissingValueFilling.interpolate(&used[index].values) }
                notes.append("interpolated \(missingTotal) missing values (\(perColumn))")
            case .ffill:
                for index in used.indices { MissingValueFilling.forwardFill(&used[index].values) }
                notes.append("forward-filled \(missingTotal) missing values (\(perColumn))")
            case .drop:
                let keep = (0..<table.rowCount).filter { row in used.allSatisfy { !$0.values[row].isNaN } }
                rowsDropped = table.rowCount - keep.count
                for index in used.indices { used[index].values = keep.map { used[index].values[$0] } }
                notes.append("dropped \(rowsDropped) rows with missing values (\(perColumn))")
            }
        }

        // Outliers, on the gap-free values.
        let lines = rowsDropped > 0
            ? (0..<table.rowCount).filter { row in table.columns.allSatisfy { !$0.isNumeric || !$0.values[row].isNaN } }.map { table.lines[$0] }
            : table.lines
        try Self.handleOutliers(in: &used, lines: lines, path: path, options: options, notes: &notes)

        // Split and window checks.
        let rowCount = used[0].values.count
        let fraction = min(max(options.validationFraction, 0), 0.9)
        let validationRows = Int(Double(rowCount) * fraction)
        let trainRows = rowCount - validationRows
        let window = max(sequenceLength, 1)
        let horizon = options.horizon
        guard horizon >= 1 else {
            throw DatasetError("--horizon \(horizon): expected a number of steps of at least 1")
        }
        guard horizon == 1 || horizon <= validationRows else {
            throw DatasetError(
                "\(path):\(table.lastLine): --horizon \(horizon) is longer than the validation range (\(validationRows) of \(rowCount) rows at --val-fraction \(fraction)); expected a horizon of at most \(validationRows), or a larger --val-fraction")
        }
        guard trainRows >= window + horizon else {
            let after = rowsDropped > 0 ? " after dropping \(rowsDropped)" : ""
            let ahead = horizon > 1 ? " and --horizon \(horizon)" : ""
            throw DatasetError(
                "\(path):\(table.lastLine): the series has \(rowCount) rows\(after) (\(trainRows) for training); a window of --seq-len \(window)\(ahead) needs at least \(window + horizon) training rows (\(Int((Double(window + horizon) / (1 - fraction)).rounded(.up))) rows in all)")
        }

        // Normalisation with training statistics.
        var means: [Double] = []
        var deviations: [Double] = []
        for column in used {
            let train = column.values[..<trainRows]
            let mean = train.reduce(0.0) { $0 + Double($1) } / Double(trainRows)
            let variance = train.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(trainRows)
            means.append(mean)
            let deviation = variance.squareRoot()
            deviations.append(deviation > 1e-12 ? deviation : 1)
            if !(deviation > 1e-12) { notes.append("column '\(column.name)' is constant in training; scaled by 1") }
        }
        let featureCount = used.count
        var values = [Float](repeating: 0, count: rowCount * featureCount)
        for (feature, column) in used.enumerated() {
            for row in 0..<rowCount {
                values[row * featureCount + feature] = Float((Double(column.values[row]) - means[feature]) / deviations[feature])
            }
        }

        // Persistence baseline on the validation rows (the training rows if there are none): the value
        // before the first predicted row, repeated over the horizon.
        let firstRows = validationRows > 0 ? trainRows..<(rowCount - horizon + 1) : 1..<(trainRows - horizon + 1)
        var squaredError = 0.0
        for row in firstRows {
            let last = values[(row - 1) * featureCount + targetIndex]
            for ahead in 0..<horizon {
                let change = Double(values[(row + ahead) * featureCount + targetIndex] - last)
                squaredError += change * change
            }
        }
        let persistence = squaredError / Double(max(firstRows.count * horizon, 1))

        let ahead = horizon > 1 ? "; horizon \(horizon) steps" : ""
        notes.insert(
            "\(rowCount) rows: \(trainRows) train, \(validationRows) validation; features \(used.map(\.name).joined(separator: ", ")); target \(targetName)\(ahead)",
            at: 0)
        self.values = values
        self.featureCount = featureCount
        self.targetIndex = targetIndex
        self.rowCount = rowCount
        self.trainRowCount = trainRows
        self.horizon = horizon
        self.seed = options.seed
        info = DatasetInfo(
            name: name ?? path, task: .regression, input: .features(featureCount: featureCount), head: .regressLast,
            outputSize: horizon,
            normalization: FeatureNormalization(
                columns: used.map(\.name), means: means, standardDeviations: deviations, targetColumn: targetName),
            baselineLoss: persistence,
            baselineDescription: horizon > 1
                ? "persistence: repeat the last observed \(targetName) for the next \(horizon) steps"
                : "persistence: predict the last observed \(targetName)",
            statefulBatches: false, trainCount: trainRows - window - horizon + 1,
            validationCount: max(validationRows - horizon + 1, 0), notes: notes)
    }

    /// Applies `options.outliers` to every used column, adding a note per policy (like missing values).
    /// Throws for `error` at the first outlier, and for a column that is mostly outliers.
    private static func handleOutliers(
        in used: inout [NumericColumns.Column], lines: [Int], path: String, options: DatasetOptions, notes: inout [String]
    ) throws {
        guard options.outliers != .keep else { return }
        let threshold = options.outlierZ
        guard threshold > 0, threshold.isFinite else {
            throw DatasetError("--outlier-z \(threshold): expected a positive number of robust standard deviations (default 6)")
        }
        var counts: [(name: String, count: Int)] = []
        for index in used.indices {
            let column = used[index]
            let outliers = OutlierFilter.find(column.values, threshold: threshold)
            guard let first = outliers.first else { continue }
            let value = DisplayLabels.number(Double(column.values[first.row]))
            if options.outliers == .error {
                throw DatasetError(
                    "\(path):\(lines[first.row]): column '\(column.name)': \(value) is an outlier (robust z \(Format.decimal(min(first.z, 1e9), digits: 1)) > --outlier-z \(DisplayLabels.number(threshold)) around the rolling median \(DisplayLabels.number(first.median))); expected a typical value, or --outliers clip|interpolate|keep")
            }
            guard outliers.count * 2 <= column.values.count else {
                throw DatasetError(
                    "\(path):\(lines[first.row]): column '\(column.name)': \(outliers.count) of \(column.values.count) values are outliers at --outlier-z \(DisplayLabels.number(threshold)); a series that is mostly outliers has no typical level to repair toward: raise --outlier-z or use --outliers keep")
            }
            switch options.outliers {
            case .clip: OutlierFilter.clip(&used[index].values, outliers, threshold: threshold)
            case .interpolate: OutlierFilter.interpolate(&used[index].values, outliers)
            case .keep, .error: break
            }
            counts.append((column.name, outliers.count))
        }
        let total = counts.reduce(0) { $0 + $1.count }
        let perColumn = counts.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        let verb = options.outliers == .clip ? "clipped" : "interpolated"
        notes.append(total > 0
            ? "\(verb) \(total) outliers beyond robust z \(DisplayLabels.number(threshold)) (\(perColumn))"
            : "no outliers beyond robust z \(DisplayLabels.number(threshold))")
    }

    // MARK: - Batches

    /// The window length actually used: at most what the training rows allow.
    private func windowLength(_ sequenceLength: Int) -> Int { min(max(sequenceLength, 1), trainRowCount - horizon) }

    private func trainWindowCount(_ window: Int) -> Int { trainRowCount - window - horizon + 1 }

    /// Validation samples: first predicted rows `trainRowCount ..< rowCount − K + 1`.
    private var validationWindowCount: Int { max(rowCount - trainRowCount - horizon + 1, 0) }

    public func trainBatchCount(batchSize: Int, sequenceLength: Int) -> Int {
        EpochOrder.batchCount(sampleCount: trainWindowCount(windowLength(sequenceLength)), batchSize: batchSize)
    }

    public func trainBatch(index: Int, epoch: Int, batchSize: Int, sequenceLength: Int) -> Batch {
        let window = windowLength(sequenceLength)
        let starts = EpochOrder.sampleIndices(
            index: index, epoch: epoch, batchSize: batchSize, sampleCount: trainWindowCount(window), seed: seed)
        return makeBatch(targetRows: starts.map { $0 + window }, window: window)
    }

    public func validationBatches(batchSize: Int, sequenceLength: Int, limit: Int) -> [Batch] {
        let window = windowLength(sequenceLength)
        return EpochOrder.validationChunks(sampleCount: validationWindowCount, batchSize: batchSize, limit: limit).map {
            makeBatch(targetRows: $0.map { trainRowCount + $0 }, window: window)
        }
    }

    public var probeCount: Int { max(1, min(100, validationWindowCount)) }

    public func probe(index: Int, sequenceLength: Int) -> (batch: Batch, labels: [String]) {
        let window = windowLength(sequenceLength)
        let validationCount = validationWindowCount
        let targetRow = validationCount > 0 ? trainRowCount + index % probeCount : window + index % trainWindowCount(window)
        let batch = makeBatch(targetRows: [targetRow], window: window)
        let labels = (targetRow - window..<targetRow).map { row in
            DisplayLabels.number(
                info.normalization?.denormalize(Double(values[row * featureCount + targetIndex]), column: targetIndex) ?? 0)
        }
        return (batch, labels)
    }

    /// features: (T, B, D) rows `target − T ..< target`; targetValues: (B, K) the target column at
    /// `target ..< target + K`.
    func makeBatch(targetRows: [Int], window: Int) -> Batch {
        let batchSize = targetRows.count
        var features = [Float](repeating: 0, count: window * batchSize * featureCount)
        var targets = [Float](repeating: 0, count: batchSize * horizon)
        for (column, targetRow) in targetRows.enumerated() {
            for time in 0..<window {
                let source = (targetRow - window + time) * featureCount
                let destination = (time * batchSize + column) * featureCount
                for feature in 0..<featureCount { features[destination + feature] = values[source + feature] }
            }
            for ahead in 0..<horizon {
                targets[column * horizon + ahead] = values[(targetRow + ahead) * featureCount + targetIndex]
            }
        }
        return Batch(timeSteps: window, batchSize: batchSize, features: features, targetValues: targets)
    }
}
