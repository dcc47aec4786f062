import Foundation
import RNNEngine

/// Classification over a validation sample: the confusion matrix with class names and the examples the
/// model gets most wrong (lowest probability on the true class).
public struct ClassificationReport: Sendable, Equatable {
    public struct Example: Sendable, Equatable {
        /// The sequence as text (words joined by spaces, characters as written).
        public var text: String
        public var trueClass: Int
        /// probabilities[c]: (C) after reading the whole sequence.
        public var probabilities: [Double]
    }

    public var classNames: [String]
    /// confusion[true][predicted]: (C, C) counts.
    public var confusion: [[Int]]
    public var accuracy: Double
    /// The `worstCount` examples with the lowest true-class probability, worst first.
    public var worst: [Example]

    /// Runs `batches` (classify-last heads) with the intervention in force. Cost: one forward pass.
    public static func measure(model: RecurrentModel, batches: [Batch], context: PredictionContext, worstCount: Int = 5) -> ClassificationReport {
        let classes = model.config.outputSize
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var examples: [Example] = []
        for batch in batches {
            guard let targets = batch.targetTokens else { continue }
            model.forward(Batch(timeSteps: batch.timeSteps, batchSize: batch.batchSize, tokens: batch.tokens, features: batch.features, mask: batch.mask),
                          training: false, carryState: false)
            let outputs = model.lastOutputs()
            for row in 0..<batch.batchSize where batch.length(ofColumn: row) > 0 {
                let probabilities = softmaxProbabilities(outputs[(row * classes)..<((row + 1) * classes)])
                let predicted = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
                let truth = Int(targets[row])
                confusion[truth][predicted] += 1
                examples.append(Example(text: text(of: row, in: batch, vocabulary: context.vocabulary), trueClass: truth, probabilities: probabilities))
            }
        }
        let total = confusion.joined().reduce(0, +)
        let right = (0..<classes).reduce(0) { $0 + confusion[$1][$1] }
        let worst = examples.sorted { $0.probabilities[$0.trueClass] < $1.probabilities[$1.trueClass] }.prefix(worstCount)
        return ClassificationReport(
            classNames: (0..<classes).map { context.label(ofOutput: $0) }, confusion: confusion,
            accuracy: total > 0 ? Double(right) / Double(total) : .nan, worst: Array(worst))
    }

    static func text(of row: Int, in batch: Batch, vocabulary: Vocabulary?) -> String {
        guard let tokens = batch.tokens, let vocabulary else { return "" }
        let length = batch.length(ofColumn: row)
        let pieces = (0..<length).map { time -> String in
            let id = Int(tokens[time * batch.batchSize + row])
            return vocabulary.tokens.indices.contains(id) ? vocabulary.tokens[id] : "?"
        }
        return pieces.joined(separator: vocabulary.level == .word ? " " : "")
    }
}

/// A forecast over a validation sample in the data's own units: predicted against actual, with RMSE and MAE
/// next to the persistence baseline's (predict the last observed value of the target).
public struct ForecastReport: Sendable, Equatable {
    /// The target column's name, when the data has one.
    public var target: String?
    /// predicted[i], actual[i]: one per validation sequence (the first output), in original units.
    public var predicted: [Double]
    public var actual: [Double]
    public var rootMeanSquaredError: Double
    public var meanAbsoluteError: Double
    /// The persistence baseline (the target's value at the window's last step), when the input carries
    /// the target: a named target column among the features, or a single feature.
    public var persistenceRootMeanSquaredError: Double?
    public var persistenceMeanAbsoluteError: Double?

    /// Runs `batches` (regress-last heads) with the intervention in force. Cost: one forward pass.
    public static func measure(model: RecurrentModel, batches: [Batch], context: PredictionContext) -> ForecastReport {
        let outputSize = model.config.outputSize
        let featureCount = model.config.input.inputSize
        let targetFeature = context.targetColumn ?? (featureCount == 1 && outputSize == 1 ? 0 : nil)
        var predicted: [Double] = [], actual: [Double] = [], persistence: [Double] = []
        for batch in batches {
            guard let targets = batch.targetValues, model.config.head == .regressLast else { continue }
            model.forward(Batch(timeSteps: batch.timeSteps, batchSize: batch.batchSize, features: batch.features, mask: batch.mask),
                          training: false, carryState: false)
            let outputs = model.lastOutputs()
            for row in 0..<batch.batchSize {
                let length = batch.length(ofColumn: row)
                guard length > 0 else { continue }
                predicted.append(context.denormalizedOutput(Double(outputs[row * outputSize])))
                actual.append(context.denormalizedOutput(Double(targets[row * outputSize])))
                if let targetFeature, let features = batch.features {
                    let value = Double(features[((length - 1) * batch.batchSize + row) * featureCount + targetFeature])
                    persistence.append(context.targetColumn != nil ? context.denormalizedOutput(value) : value)
                }
            }
        }
        func rmse(_ values: [Double]) -> Double { (zip(values, actual).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(max(1, actual.count))).squareRoot() }
        func mae(_ values: [Double]) -> Double { zip(values, actual).map { abs($0 - $1) }.reduce(0, +) / Double(max(1, actual.count)) }
        let hasPersistence = !persistence.isEmpty && persistence.count == actual.count
        return ForecastReport(
            target: context.normalization?.targetColumn, predicted: predicted, actual: actual,
            rootMeanSquaredError: rmse(predicted), meanAbsoluteError: mae(predicted),
            persistenceRootMeanSquaredError: hasPersistence ? rmse(persistence) : nil,
            persistenceMeanAbsoluteError: hasPersistence ? mae(persistence) : nil)
    }
}
