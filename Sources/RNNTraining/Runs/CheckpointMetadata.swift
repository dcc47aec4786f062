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

    /// The value stored under `key`, decoded; nil when the key is absent. A present value that does not decode
    /// is refused in one line naming the key (`ValidatedCheckpoint` reads every key through here).
    static func decode<T: Decodable>(_ type: T.Type, key: String, in metadata: [String: String], expected: String) throws -> T? {
        guard let text = metadata[key] else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw ModelError("metadata \(key) is not \(expected) (\(Self.reason(error)))")
        }
    }

    /// A short reason for a decoding failure, one line.
    private static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted: return "invalid JSON"
        case DecodingError.keyNotFound(let key, _): return "no \"\(key.stringValue)\" field"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "wrong type" : "wrong type at \(path)"
        default: return "cannot be decoded"
        }
    }
}
