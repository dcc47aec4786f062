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

    /// A checkpoint of `model`'s current weights; `extraMetadata` adds the caller's keys.
    public init(model: RecurrentModel, extraMetadata: [String: String] = [:]) {
        config = model.config
        tensors = model.namedParameters()
        var metadata = extraMetadata
        metadata["cell"] = model.config.cell.rawValue
        if model.config.cell == .rnn { metadata["nonlinearity"] = model.config.nonlinearity.rawValue }
        if model.config.cell == .gru { metadata["gru_reset_after"] = model.config.gruResetAfter ? "true" : "false" }
        metadata[Self.headKey] = model.config.head.rawValue
        switch model.config.input {
        case .embedding: metadata[Self.inputKey] = "embedding"
        case .oneHot: metadata[Self.inputKey] = "one_hot"
        case .numeric: metadata[Self.inputKey] = "numeric"
        }
        self.metadata = metadata
    }

    /// Reads and checks a checkpoint file: every error is one line naming the file and the problem.
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
        let input: InputEncoding
        if let embedding = byName["embedding.weight"] {
            guard embedding.shape.count == 2, embedding.shape[1] == inputShape[1] else {
                throw ModelError("embedding.weight has shape \(embedding.shape); expected (V, \(inputShape[1])) to feed rnn.weight_ih_l0")
            }
            input = .embedding(vocabularySize: embedding.shape[0], dimension: embedding.shape[1])
        } else if metadata[Self.inputKey] == "numeric" {
            input = .numeric(featureCount: inputShape[1])
        } else {
            input = .oneHot(vocabularySize: inputShape[1])
        }
        let headShape = try shape("head.weight")
        guard headShape.count == 2, headShape[1] == hidden else {
            throw ModelError("head.weight has shape \(headShape); expected (O, \(hidden))")
        }
        let headName = metadata[Self.headKey] ?? (input.takesTokens ? HeadKind.tokenEveryStep.rawValue : HeadKind.regressLast.rawValue)
        guard let head = HeadKind(rawValue: headName) else {
            throw ModelError("metadata \(Self.headKey) \"\(headName)\" is not one of \(HeadKind.allCases.map(\.rawValue).joined(separator: ", "))")
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
