import Foundation
import RNNEngine

/// A checkpoint whose metadata has been checked against its tensors: the only way commands (`inspect`,
/// `sample`, `train --init`, the notebook) open a checkpoint, so none of them can index past a vocabulary,
/// a head or a normalisation table, or feed tokens to a numeric model.
///
/// `Checkpoint.load` (RNNEngine) checks the file against itself: safetensors framing, every tensor's shape,
/// sizes above zero, the input kind against the tensors present, finite values. This adds the project's
/// `rnn_tui.*` entries: the vocabulary against the input and head sizes and its unknown/padding indices, the
/// class names against the head, the normalisation statistics against the feature count, and the task
/// against the head. Every refusal is one line naming the file and the key or tensor.
public struct ValidatedCheckpoint: Sendable {
    public let checkpoint: Checkpoint
    /// Token model: the training vocabulary (tokens[id]); its size equals the input's (and a language
    /// model's head's) size.
    public let vocabulary: Vocabulary?
    /// Classifier: one name per head row.
    public let classNames: [String]?
    /// A multi-label model's label names (`rnn_tui.labels`), one per head output.
    public let labels: [String]?
    /// Numeric model: per-feature statistics, one per input feature.
    public let normalization: FeatureNormalization?
    public let task: TaskKind?

    public var config: ModelConfig { checkpoint.config }
    public var metadata: [String: String] { checkpoint.metadata }

    /// Reads and validates the file at `path` (a directory, FIFO or device is refused before opening).
    public static func load(path: String) throws -> ValidatedCheckpoint {
        let (tensors, metadata) = try SafeTensors.read(contentsOf: URL(fileURLWithPath: path))
        return try validate(tensors: tensors, metadata: metadata, source: path)
    }

    /// Decodes and validates the bytes of a safetensors file; `source` names it in errors. `load` runs this
    /// same path after reading the file.
    public static func decode(_ data: Data, source: String) throws -> ValidatedCheckpoint {
        let (tensors, metadata) = try SafeTensors.decode(data, source: source)
        return try validate(tensors: tensors, metadata: metadata, source: source)
    }

    private static func validate(tensors: [NamedTensor], metadata: [String: String], source: String) throws -> ValidatedCheckpoint {
        do {
            return try ValidatedCheckpoint(try Checkpoint(tensors: tensors, metadata: metadata))
        } catch let error as ModelError {
            throw ModelError("\(source): \(error.description)")
        }
    }

    /// Validates an in-memory checkpoint's metadata against its configuration. Errors name no file.
    public init(_ checkpoint: Checkpoint) throws {
        self.checkpoint = checkpoint
        let config = checkpoint.config
        let metadata = checkpoint.metadata
        vocabulary = try CheckpointMetadata.decode(
            Vocabulary.self, key: CheckpointMetadata.vocabularyKey, in: metadata, expected: "a vocabulary")
        classNames = try CheckpointMetadata.decode(
            [String].self, key: CheckpointMetadata.classNamesKey, in: metadata, expected: "a list of class names")
        labels = try CheckpointMetadata.decode(
            [String].self, key: CheckpointMetadata.labelsKey, in: metadata, expected: "a list of label names")
        normalization = try CheckpointMetadata.decode(
            FeatureNormalization.self, key: CheckpointMetadata.normalizationKey, in: metadata,
            expected: "normalisation statistics")
        if let name = metadata[CheckpointMetadata.taskKey] {
            guard let task = TaskKind(rawValue: name) else {
                throw ModelError("metadata \(CheckpointMetadata.taskKey) \(name.debugDescription) is not one of languageModel, classification, multiLabel, regression")
            }
            self.task = task
        } else {
            task = nil
        }
        try Self.check(vocabulary: vocabulary, config: config)
        try Self.check(classNames: classNames, config: config)
        try Self.check(labels: labels, config: config)
        try Self.check(normalization: normalization, config: config)
        if let task { try Self.check(task: task, config: config) }
    }

    /// The setup the run was trained with (`rnn_tui.setup`), when recorded. Informational (dataset name,
    /// sequence length, options for re-reading the data); nil when absent or not a setup.
    public var recordedSetup: TrainingSetup? {
        guard let text = checkpoint.metadata[CheckpointMetadata.setupKey] else { return nil }
        return try? JSONDecoder().decode(TrainingSetup.self, from: Data(text.utf8))
    }

    /// The model with these weights.
    public func makeModel(threadCount: Int = 1) throws -> RecurrentModel {
        try checkpoint.makeModel(threadCount: threadCount)
    }

    /// Token ids of `text` by the character vocabulary; characters not in it map to the unknown token.
    /// Every id is below the model's input size (the validation guarantees it).
    /// Token ids of `text` by the checkpoint's vocabulary: words for a word-level model (unseen words map to
    /// the unknown token; a text with no words is refused), characters otherwise (`characterIDs`).
    public func tokenIDs(of text: String) throws -> [Int32] {
        guard let vocabulary else {
            throw ModelError("the checkpoint has no vocabulary; give token ids with --tokens")
        }
        guard vocabulary.level == .word else { return try characterIDs(of: text) }
        let ids = try vocabulary.encode(text)
        guard !ids.isEmpty else { throw ModelError("text \(text.debugDescription) has no words the checkpoint knows (and it has no unknown token)") }
        return ids
    }

    public func characterIDs(of text: String) throws -> [Int32] {
        guard let vocabulary, vocabulary.level == .character else {
            throw ModelError("the checkpoint has no character vocabulary; give token ids with --tokens")
        }
        var index: [String: Int32] = [:]
        for (id, token) in vocabulary.tokens.enumerated() where index[token] == nil { index[token] = Int32(id) }
        return try text.map { character in
            if let id = index[String(character)] { return id }
            guard let unknown = vocabulary.unknownIndex else {
                throw ModelError("character \(String(character).debugDescription) is not in the checkpoint's vocabulary (which has no unknown token)")
            }
            return Int32(unknown)
        }
    }

    // MARK: - Checks

    private static func check(vocabulary: Vocabulary?, config: ModelConfig) throws {
        guard let vocabulary else { return }
        let key = CheckpointMetadata.vocabularyKey
        let count = vocabulary.tokens.count
        let inputSize: Int
        switch config.input {
        case .embedding(let size, _): inputSize = size
        case .oneHot(let size): inputSize = size
        case .numeric(let featureCount):
            throw ModelError("metadata \(key) holds \(count) tokens but the model takes \(featureCount) numeric features per timestep, not tokens")
        }
        guard count == inputSize else {
            throw ModelError("metadata \(key) has \(count) tokens but the model's input takes \(inputSize) (\(inputTensorName(config)))")
        }
        if config.head == .tokenEveryStep, count != config.outputSize {
            throw ModelError("metadata \(key) has \(count) tokens but head.weight predicts \(config.outputSize)")
        }
        for (name, index) in [("unknown", vocabulary.unknownIndex), ("padding", vocabulary.paddingIndex)] {
            if let index, !(0..<count).contains(index) {
                throw ModelError("metadata \(key): the \(name) token's index \(index) is outside the vocabulary 0..<\(count)")
            }
        }
    }

    private static func check(classNames: [String]?, config: ModelConfig) throws {
        guard let classNames else { return }
        let key = CheckpointMetadata.classNamesKey
        guard config.head.isClassification else {
            throw ModelError("metadata \(key) names \(classNames.count) classes but the head is \(config.head.rawValue), not a classifier")
        }
        guard classNames.count == config.outputSize else {
            throw ModelError("metadata \(key) names \(classNames.count) classes but head.weight has \(config.outputSize) rows")
        }
    }

    private static func check(labels: [String]?, config: ModelConfig) throws {
        guard let labels else { return }
        let key = CheckpointMetadata.labelsKey
        guard config.head == .multiLabelLast else {
            throw ModelError("metadata \(key) names \(labels.count) labels but the head is \(config.head.rawValue), not a multi-label head")
        }
        guard labels.count == config.outputSize else {
            throw ModelError("metadata \(key) names \(labels.count) labels but head.weight has \(config.outputSize) rows")
        }
    }

    /// Each label's name and probability σ(logit) for one sequence's last-step logits (L).
    public func labelProbabilities(logits: [Float]) -> [(label: String, probability: Double)] {
        LabelProbabilities.named(logits: logits, labels: labels)
    }

    private static func check(normalization: FeatureNormalization?, config: ModelConfig) throws {
        guard let normalization else { return }
        let key = CheckpointMetadata.normalizationKey
        guard case .numeric(let featureCount) = config.input else {
            throw ModelError("metadata \(key) holds feature statistics but the model takes tokens, not numeric features")
        }
        let counts = [normalization.columns.count, normalization.means.count, normalization.standardDeviations.count]
        guard counts.allSatisfy({ $0 == featureCount }) else {
            throw ModelError("metadata \(key) has \(counts[0]) columns, \(counts[1]) means and \(counts[2]) standard deviations; the model takes \(featureCount) features")
        }
        if let bad = normalization.means.firstIndex(where: { !$0.isFinite }) {
            throw ModelError("metadata \(key): the mean of column \(bad + 1) is \(normalization.means[bad]); expected a finite number")
        }
        if let bad = normalization.standardDeviations.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw ModelError("metadata \(key): the standard deviation of column \(bad + 1) is \(normalization.standardDeviations[bad]); expected a positive finite number")
        }
        if let target = normalization.targetColumn, !normalization.columns.contains(target) {
            throw ModelError("metadata \(key): the target column \(target.debugDescription) is not one of its columns")
        }
    }

    private static func check(task: TaskKind, config: ModelConfig) throws {
        let heads: [HeadKind]
        switch task {
        case .languageModel: heads = [.tokenEveryStep]
        case .classification: heads = [.classifyLast]
        case .regression: heads = [.regressLast, .regressEveryStep]
        case .multiLabel: heads = [.multiLabelLast]
        }
        guard heads.contains(config.head) else {
            throw ModelError("metadata \(CheckpointMetadata.taskKey) says \(task.rawValue) but the head is \(config.head.rawValue)")
        }
    }

    private static func inputTensorName(_ config: ModelConfig) -> String {
        if case .embedding = config.input { return "embedding.weight rows" }
        return "rnn.weight_ih_l0 columns"
    }
}
