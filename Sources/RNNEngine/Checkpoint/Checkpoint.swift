import Foundation

/// A model's weights plus what is needed to rebuild and use it, stored as a safetensors file named like
/// a PyTorch module with `embedding` (optional), `rnn` and `head`.
///
/// `__metadata__` keys: `cell` (`rnn`/`lstm`/`gru`, required), `nonlinearity` (`tanh`/`relu`, RNN only),
/// `gru_reset_after` (`true`/`false`); the project's own keys start with `rnn_tui.` (head kind, input kind,
/// vocabulary, setup…). A file written by PyTorch with only `cell` loads: a token model without
/// `embedding.weight` takes one-hot input of size `weight_ih_l0`'s second dimension, and the head
/// defaults to a softmax at every step.
public struct Checkpoint: Sendable {
    public var config: ModelConfig
    /// Tensors under PyTorch names, in the model's layout order.
    public var tensors: [NamedTensor]
    /// Every metadata entry, the model's keys included.
    public var metadata: [String: String]

    public static let headKey = "rnn_tui.head"
    public static let inputKey = "rnn_tui.input"
    /// `softmax`, `identity` or `sigmoid`: what to apply to `head`'s outputs (`torch.sigmoid` for a
    /// multi-label model). Written for every head; a file with only `cell` and `head_activation: sigmoid`
    /// loads as a multi-label model.
    public static let headActivationKey = "head_activation"

    /// A checkpoint of `model`'s current weights; `extraMetadata` adds the caller's keys.
    public init(model: RecurrentModel, extraMetadata: [String: String] = [:]) {
        config = model.config
        tensors = model.namedParameters()
        var metadata = extraMetadata
        metadata["cell"] = model.config.cell.rawValue
        if model.config.cell == .rnn { metadata["nonlinearity"] = model.config.nonlinearity.rawValue }
        if model.config.cell == .gru { metadata["gru_reset_after"] = model.config.gruResetAfter ? "true" : "false" }
        metadata[Self.headKey] = model.config.head.rawValue
        metadata[Self.headActivationKey] = model.config.head.activation.rawValue
        switch model.config.input {
        case .embedding: metadata[Self.inputKey] = "embedding"
        case .oneHot: metadata[Self.inputKey] = "one_hot"
        case .numeric: metadata[Self.inputKey] = "numeric"
        }
        self.metadata = metadata
    }

    /// Reads and checks a checkpoint file against itself: shapes, sizes, the input kind and finite values.
    /// Every error is one line naming the file and the problem. Commands load through `ValidatedCheckpoint`
    /// (RNNTraining), which also checks the project's metadata (vocabulary, classes, normalisation).
    public static func load(from url: URL) throws -> Checkpoint {
        let (tensors, metadata) = try SafeTensors.read(contentsOf: url)
        do {
            return try Checkpoint(tensors: tensors, metadata: metadata)
        } catch let error as ModelError {
            throw ModelError("\(url.path): \(error.description)")
        }
    }

    /// Rebuilds the model configuration from tensor shapes and metadata, checking every shape.
    public init(tensors: [NamedTensor], metadata: [String: String]) throws {
        guard let cellName = metadata["cell"] else {
            throw ModelError("metadata has no \"cell\" entry (expected \"rnn\", \"lstm\" or \"gru\")")
        }
        guard let cell = CellKind(rawValue: cellName.lowercased()) else {
            throw ModelError("metadata cell \"\(cellName)\" is not one of rnn, lstm, gru")
        }
        let nonlinearityName = metadata["nonlinearity"] ?? "tanh"
        guard let nonlinearity = Nonlinearity(rawValue: nonlinearityName.lowercased()) else {
            throw ModelError("metadata nonlinearity \"\(nonlinearityName)\" is not tanh or relu")
        }
        let resetAfterName = (metadata["gru_reset_after"] ?? "true").lowercased()
        guard resetAfterName == "true" || resetAfterName == "false" else {
            throw ModelError("metadata gru_reset_after \"\(resetAfterName)\" is not true or false")
        }
        var byName: [String: NamedTensor] = [:]
        for tensor in tensors { byName[tensor.name] = tensor }
        func shape(_ name: String) throws -> [Int] {
            guard let tensor = byName[name] else { throw ModelError("missing tensor \(name)") }
            return tensor.shape
        }
        let hiddenShape = try shape("rnn.weight_hh_l0")
        guard hiddenShape.count == 2, hiddenShape[1] > 0, hiddenShape[0] == cell.gateCount * hiddenShape[1] else {
            throw ModelError("rnn.weight_hh_l0 has shape \(hiddenShape); a \(cellName) layer needs (\(cell.gateCount)·H, H)")
        }
        let hidden = hiddenShape[1]
        var layerCount = 0
        while byName["rnn.weight_ih_l\(layerCount)"] != nil { layerCount += 1 }
        let inputShape = try shape("rnn.weight_ih_l0")
        guard inputShape.count == 2 else { throw ModelError("rnn.weight_ih_l0 has shape \(inputShape); expected 2 dimensions") }
        guard inputShape[1] > 0 else {
            throw ModelError("rnn.weight_ih_l0 has shape \(inputShape); a model needs an input of at least one value")
        }
        let input = try Self.inputEncoding(
            declared: metadata[Self.inputKey], embeddingShape: byName["embedding.weight"]?.shape, inputWidth: inputShape[1])
        let headShape = try shape("head.weight")
        guard headShape.count == 2, headShape[1] == hidden else {
            throw ModelError("head.weight has shape \(headShape); expected (O, \(hidden))")
        }
        guard headShape[0] > 0 else {
            throw ModelError("head.weight has shape \(headShape): a head with no output rows predicts nothing")
        }
        var activation: HeadActivation?
        if let activationName = metadata[Self.headActivationKey] {
            guard let named = HeadActivation(rawValue: activationName.lowercased()) else {
                throw ModelError("metadata \(Self.headActivationKey) \"\(activationName)\" is not one of \(HeadActivation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            activation = named
        }
        let defaultHead: HeadKind = activation == .sigmoid ? .multiLabelLast
            : input.takesTokens ? .tokenEveryStep : .regressLast
        let headName = metadata[Self.headKey] ?? defaultHead.rawValue
        guard let head = HeadKind(rawValue: headName) else {
            throw ModelError("metadata \(Self.headKey) \"\(headName)\" is not one of \(HeadKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let activation, activation != head.activation {
            throw ModelError("metadata \(Self.headActivationKey) \"\(activation.rawValue)\" does not match head \(head.rawValue), whose outputs take \(head.activation.rawValue)")
        }
        config = ModelConfig(
            cell: cell, nonlinearity: nonlinearity, gruResetAfter: resetAfterName == "true", input: input,
            hiddenSize: hidden, layerCount: layerCount, dropout: 0, head: head, outputSize: headShape[0])
        let layout = ParameterLayout(config: config)
        for view in layout.views {
            let actual = try shape(view.name)
            guard actual == view.shape else {
                throw ModelError("\(view.name) has shape \(actual); expected \(view.shape) for a \(layerCount)-layer \(cellName) with H = \(hidden)")
            }
        }
        let known = Set(layout.views.map(\.name))
        if let extra = tensors.first(where: { !known.contains($0.name) }) {
            throw ModelError("unexpected tensor \(extra.name) (not part of a \(layerCount)-layer \(cellName) model)")
        }
        self.tensors = layout.views.map { byName[$0.name]! }
        self.metadata = metadata
        try Self.checkFinite(self.tensors)
    }

    /// The input encoding the tensors and the `rnn_tui.input` entry describe together: an `embedding.weight`
    /// (V, D) means embedding input of width D; without one, "numeric" means features and anything else
    /// (or no entry, as PyTorch writes) one-hot tokens. An entry that contradicts the tensors is refused.
    static func inputEncoding(declared: String?, embeddingShape: [Int]?, inputWidth: Int) throws -> InputEncoding {
        let kinds = ["embedding", "one_hot", "numeric"]
        if let declared, !kinds.contains(declared) {
            throw ModelError("metadata \(inputKey) \(declared.debugDescription) is not one of \(kinds.joined(separator: ", "))")
        }
        if let embeddingShape {
            guard embeddingShape.count == 2, embeddingShape[1] == inputWidth else {
                throw ModelError("embedding.weight has shape \(embeddingShape); expected (V, \(inputWidth)) to feed rnn.weight_ih_l0")
            }
            guard embeddingShape[0] > 0 else {
                throw ModelError("embedding.weight has shape \(embeddingShape); an embedding needs at least one token")
            }
            if let declared, declared != "embedding" {
                throw ModelError("metadata \(inputKey) says \(declared) but the checkpoint has an embedding.weight table")
            }
            return .embedding(vocabularySize: embeddingShape[0], dimension: embeddingShape[1])
        }
        switch declared {
        case "embedding": throw ModelError("metadata \(inputKey) says embedding but the checkpoint has no embedding.weight tensor")
        case "numeric": return .numeric(featureCount: inputWidth)
        default: return .oneHot(vocabularySize: inputWidth)
        }
    }

    /// Refuses a NaN or an infinity in any tensor, naming the first one. Cost: one pass over every value.
    static func checkFinite(_ tensors: [NamedTensor]) throws {
        for tensor in tensors {
            let firstBad = tensor.values.withUnsafeBufferPointer { values in values.firstIndex { !$0.isFinite } }
            if let index = firstBad {
                let count = tensor.values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
                throw ModelError(
                    "tensor \(tensor.name) holds \(count) non-finite value\(count == 1 ? "" : "s") (\(tensor.values[index]) at index \(index)); the weights are damaged or come from a diverged run")
            }
        }
    }

    /// Builds the model with these weights.
    public func makeModel(threadCount: Int = 1) throws -> RecurrentModel {
        let model = RecurrentModel(config: config, seed: 0, threadCount: threadCount)
        try model.loadParameters(tensors)
        return model
    }

    /// Writes durably (`DurableFile`: temporary file, fsync, rename, fsync of the folder).
    public func write(to url: URL) throws {
        try SafeTensors.write(tensors, metadata: metadata, to: url)
    }
}
