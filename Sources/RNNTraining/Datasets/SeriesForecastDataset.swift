import Foundation
import RNNEngine

/// Forecasting one column of a numeric CSV series one step ahead (`.regressLast`, outputSize 1).
///
/// Features are all numeric columns (non-numeric columns such as a date are ignored), in file order;
/// the target is `targetColumn` (default: the last numeric column). Gaps are handled by the
/// `missingValues` policy. The last `validationFraction` of the rows is the validation split; every
/// feature is normalised with the training rows' mean and standard deviation (stored in
/// `info.normalization` for inference). A sample is a window of T rows predicting the target's next
/// value, normalised too. Training windows lie inside the training rows; a validation window predicts a
/// validation row from the T rows before it. Baseline: persistence (the last observed target) MSE on
/// the validation rows, in normalised units. Memory: one Float per used cell.
public struct SeriesForecastDataset: Dataset {
    public let info: DatasetInfo
    /// values: (rows, D) normalised features, row-major.
    let values: [Float]
    let featureCount: Int
    let targetIndex: Int
    let rowCount: Int
    let trainRowCount: Int
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

        // Split and window checks.
        let rowCount = used[0].values.count
        let fraction = min(max(options.validationFraction, 0), 0.9)
        let validationRows = Int(Double(rowCount) * fraction)
        let trainRows = rowCount - validationRows
        let window = max(sequenceLength, 1)
        guard trainRows >= window + 1 else {
            let after = rowsDropped > 0 ? " after dropping \(rowsDropped)" : ""
            throw DatasetError(
                "\(path):\(table.lastLine): the series has \(rowCount) rows\(after) (\(trainRows) for training); a window of --seq-len \(window) needs at least \(window + 1) training rows (\(Int((Double(window + 1) / (1 - fraction)).rounded(.up))) rows in all)")
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

        // Persistence baseline on the validation rows (the training rows if there are none).
        let targetRows = validationRows > 0 ? trainRows..<rowCount : 1..<trainRows
        var squaredError = 0.0
        for row in targetRows {
            let change = Double(values[row * featureCount + targetIndex] - values[(row - 1) * featureCount + targetIndex])
            squaredError += change * change
        }
        let persistence = squaredError / Double(max(targetRows.count, 1))

        notes.insert(
            "\(rowCount) rows: \(trainRows) train, \(validationRows) validation; features \(used.map(\.name).joined(separator: ", ")); target \(targetName)",
            at: 0)
        self.values = values
        self.featureCount = featureCount
        self.targetIndex = targetIndex
        self.rowCount = rowCount
        self.trainRowCount = trainRows
        self.seed = options.seed
        info = DatasetInfo(
            name: name ?? path, task: .regression, input: .features(featureCount: featureCount), head: .regressLast,
            outputSize: 1,
            normalization: FeatureNormalization(
                columns: used.map(\.name), means: means, standardDeviations: deviations, targetColumn: targetName),
            baselineLoss: persistence, baselineDescription: "persistence: predict the last observed \(targetName)",
            statefulBatches: false, trainCount: trainRows - window, validationCount: validationRows, notes: notes)
    }

    // MARK: - Batches

    /// The window length actually used: at most what the training rows allow.
    private func windowLength(_ sequenceLength: Int) -> Int { min(max(sequenceLength, 1), trainRowCount - 1) }

    private func trainWindowCount(_ window: Int) -> Int { trainRowCount - window }

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
        return EpochOrder.validationChunks(sampleCount: rowCount - trainRowCount, batchSize: batchSize, limit: limit).map {
            makeBatch(targetRows: $0.map { trainRowCount + $0 }, window: window)
        }
    }

    public var probeCount: Int { max(1, min(100, rowCount - trainRowCount)) }

    public func probe(index: Int, sequenceLength: Int) -> (batch: Batch, labels: [String]) {
        let window = windowLength(sequenceLength)
        let validationCount = rowCount - trainRowCount
        let targetRow = validationCount > 0 ? trainRowCount + index % probeCount : window + index % trainWindowCount(window)
        let batch = makeBatch(targetRows: [targetRow], window: window)
        let labels = (targetRow - window..<targetRow).map { row in
            DisplayLabels.number(
                info.normalization?.denormalize(Double(values[row * featureCount + targetIndex]), column: targetIndex) ?? 0)
        }
        return (batch, labels)
    }

    /// features: (T, B, D) rows `target − T ..< target`; targetValues: (B, 1) the target column at `target`.
    func makeBatch(targetRows: [Int], window: Int) -> Batch {
        let batchSize = targetRows.count
        var features = [Float](repeating: 0, count: window * batchSize * featureCount)
        var targets = [Float](repeating: 0, count: batchSize)
        for (column, targetRow) in targetRows.enumerated() {
            for time in 0..<window {
                let source = (targetRow - window + time) * featureCount
                let destination = (time * batchSize + column) * featureCount
                for feature in 0..<featureCount { features[destination + feature] = values[source + feature] }
            }
            targets[column] = values[targetRow * featureCount + targetIndex]
        }
        return Batch(timeSteps: window, batchSize: batchSize, features: features, targetValues: targets)
    }
}
