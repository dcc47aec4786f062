import Foundation
import RNNEngine

/// What a model's outputs mean, in the data's own terms: token texts, class names, original units.
/// Built from a dataset (in a session) or from a checkpoint's metadata (headless).
public struct PredictionContext: Sendable, Equatable {
    public var head: HeadKind
    public var vocabulary: Vocabulary?
    public var classNames: [String]?
    public var normalization: FeatureNormalization?

    public init(head: HeadKind, vocabulary: Vocabulary? = nil, classNames: [String]? = nil, normalization: FeatureNormalization? = nil) {
        self.head = head
        self.vocabulary = vocabulary
        self.classNames = classNames
        self.normalization = normalization
    }

    public init(dataset: DatasetInfo) {
        self.init(head: dataset.head, vocabulary: dataset.vocabulary, classNames: dataset.classNames, normalization: dataset.normalization)
    }

    /// A multi-label model's label names stand in `classNames`.
    public init(checkpoint: ValidatedCheckpoint) {
        self.init(
            head: checkpoint.config.head, vocabulary: checkpoint.vocabulary,
            classNames: checkpoint.config.head == .multiLabelLast ? checkpoint.labels : checkpoint.classNames,
            normalization: checkpoint.normalization)
    }

    /// The name of output `index`: a class name, a token's text, or "#index".
    public func label(ofOutput index: Int) -> String {
        if head == .classifyLast || head == .multiLabelLast, let classNames, classNames.indices.contains(index) { return classNames[index] }
        if head == .tokenEveryStep, let tokens = vocabulary?.tokens, tokens.indices.contains(index) { return tokens[index] }
        return "#\(index)"
    }

    /// A forecast's column statistics: the target column's index in `normalization`, when there is one.
    var targetColumn: Int? {
        guard let normalization, let name = normalization.targetColumn else { return nil }
        return normalization.columns.firstIndex(of: name)
    }

    /// Output value `value` (normalised) in original units (unchanged without statistics).
    public func denormalizedOutput(_ value: Double) -> Double {
        guard let column = targetColumn else { return value }
        return normalization!.denormalize(value, column: column)
    }
}

/// Softmax probabilities of one output row, computed in Double.
public func softmaxProbabilities(_ logits: ArraySlice<Float>) -> [Double] {
    let largest = Double(logits.max() ?? 0)
    let weights = logits.map { Foundation.exp(Double($0) - largest) }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
}

/// The prediction at one timestep of a probe, per task.
public enum TimestepPrediction: Sendable, Equatable {
    /// Language model: the most likely next tokens (largest first) and the true next token's rank
    /// (1 = the model's first choice) and probability, when the probe has a target.
    case nextToken(top: [Candidate], trueToken: Candidate?, trueRank: Int?)
    /// Classification: every class's probability after reading up to this timestep.
    case classes([Candidate])
    /// Regression / forecast: outputs and targets in the data's own units (denormalised).
    case values(predicted: [Double], target: [Double]?)

    public struct Candidate: Sendable, Equatable {
        public var index: Int
        public var label: String
        public var probability: Double
    }
}

/// Predictions read from a probe's outputs (which hold the head at every timestep, last-step heads too).
public enum PredictionReader {
    /// The prediction at timestep `time` of `probe` (batch of one). `batch` supplies the targets.
    public static func prediction(
        at time: Int, probe: ProbeResult, batch: Batch?, context: PredictionContext, top: Int = 5
    ) -> TimestepPrediction {
        let outputSize = probe.outputSize
        let row = probe.outputs[(time * outputSize)..<((time + 1) * outputSize)]
        switch context.head {
        case .tokenEveryStep:
            let probabilities = softmaxProbabilities(row)
            let order = probabilities.indices.sorted { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
            func candidate(_ index: Int) -> TimestepPrediction.Candidate {
                .init(index: index, label: context.label(ofOutput: index), probability: probabilities[index])
            }
            var trueToken: TimestepPrediction.Candidate?, rank: Int?
            if let targets = batch?.targetTokens, targets.indices.contains(time), probabilities.indices.contains(Int(targets[time])) {
                let target = Int(targets[time])
                trueToken = candidate(target)
                rank = (order.firstIndex(of: target) ?? 0) + 1
            }
            return .nextToken(top: order.prefix(max(0, top)).map(candidate), trueToken: trueToken, trueRank: rank)
        case .classifyLast:
            let probabilities = softmaxProbabilities(row)
            return .classes(probabilities.indices.map { .init(index: $0, label: context.label(ofOutput: $0), probability: probabilities[$0]) })
        case .multiLabelLast:
            // Independent labels: each σ(logit), not a distribution.
            return .classes(row.indices.map { index in
                .init(index: index - row.startIndex, label: context.label(ofOutput: index - row.startIndex),
                      probability: 1 / (1 + Foundation.exp(-Double(row[index]))))
            })
        case .regressLast, .regressEveryStep:
            let predicted = row.map { context.denormalizedOutput(Double($0)) }
            var target: [Double]?
            if let values = batch?.targetValues {
                let start = context.head == .regressEveryStep ? time * outputSize : 0
                if context.head == .regressEveryStep || time == probe.timeSteps - 1, values.count >= start + outputSize {
                    target = values[start..<(start + outputSize)].map { context.denormalizedOutput(Double($0)) }
                }
            }
            return .values(predicted: predicted, target: target)
        }
    }

    /// Classification: p(class) at every timestep, (T, C) — how the decision forms as the text is read.
    public static func classTrajectory(probe: ProbeResult) -> [[Double]] {
        (0..<probe.timeSteps).map { time in
            softmaxProbabilities(probe.outputs[(time * probe.outputSize)..<((time + 1) * probe.outputSize)])
        }
    }
}
