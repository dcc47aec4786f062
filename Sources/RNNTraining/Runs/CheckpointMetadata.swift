import Foundation
import RNNEngine

/// The project's own checkpoint metadata (`rnn_tui.*` keys): what inference needs besides the weights.
public enum CheckpointMetadata {
    public static let vocabularyKey = "rnn_tui.vocabulary"
    public static let classNamesKey = "rnn_tui.class_names"
    /// Multi-label models: the label names, JSON list in the head's output order (with
    /// `head_activation: sigmoid`, so a PyTorch user applies `torch.sigmoid` to `head`'s outputs).
    public static let labelsKey = "rnn_tui.labels"
    public static let normalizationKey = "rnn_tui.normalization"
    public static let setupKey = "rnn_tui.setup"
    public static let datasetKey = "rnn_tui.dataset"
    public static let taskKey = "rnn_tui.task"

    public static func encode(setup: TrainingSetup, dataset: DatasetInfo) -> [String: String] {
        var metadata: [String: String] = [datasetKey: dataset.name, taskKey: dataset.task.rawValue]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ value: T) -> String? {
            (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
        }
        metadata[setupKey] = json(setup)
        if let vocabulary = dataset.vocabulary { metadata[vocabularyKey] = json(vocabulary) }
        if let classNames = dataset.classNames { metadata[dataset.task == .multiLabel ? labelsKey : classNamesKey] = json(classNames) }
        if let normalization = dataset.normalization { metadata[normalizationKey] = json(normalization) }
        return metadata
    }

    public static func vocabulary(in metadata: [String: String]) -> Vocabulary? {
        decode(Vocabulary.self, metadata[vocabularyKey])
    }

    public static func classNames(in metadata: [String: String]) -> [String]? {
        decode([String].self, metadata[classNamesKey])
    }

    public static func labels(in metadata: [String: String]) -> [String]? {
        decode([String].self, metadata[labelsKey])
    }

    /// A multi-label model's outputs for one sequence — logits (L), the head at the last real timestep —
    /// as each label's name (from `rnn_tui.labels`, else `label k`) and probability σ(logit).
    public static func labelProbabilities(logits: [Float], metadata: [String: String]) -> [(label: String, probability: Double)] {
        LabelProbabilities.named(logits: logits, labels: labels(in: metadata))
    }

    public static func normalization(in metadata: [String: String]) -> FeatureNormalization? {
        decode(FeatureNormalization.self, metadata[normalizationKey])
    }

    public static func setup(in metadata: [String: String]) -> TrainingSetup? {
        decode(TrainingSetup.self, metadata[setupKey])
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
