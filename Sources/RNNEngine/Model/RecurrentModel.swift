import RNNKernels

/// The result of a forward pass with targets.
public struct ForwardResult: Sendable, Equatable {
    /// Mean loss over the counted positions: cross-entropy in nats (binary cross-entropy per label for a
    /// multi-label head), or mean squared error.
    public var loss: Double
    /// Classification heads: positions whose argmax equals the target; multi-label heads: labels whose
    /// decision (probability > ½) equals the target.
    public var correct: Int
    /// Positions (tokens, sequences, or regression values) the mean is taken over.
    public var counted: Int
}

/// A stacked recurrent network with an optional embedding and one head — the module
/// `embedding → rnn (L layers of RNN | LSTM | GRU) → head` — with its parameters, gradients and
/// activation buffers. All buffers are arenas planned up front; a training step allocates nothing.
///
/// Use from one thread at a time (the trainer's). Internally it may split work across `pool`.
public final class RecurrentModel {
    public let config: ModelConfig
    public let layout: ParameterLayout
    /// Parameters and their gradients, both laid out by `layout`.
    public let parameters: FloatArena
    public let gradients: FloatArena
    /// Inverted dropout probability between layers; may change between steps.
    public var dropout: Float
    /// When set, forward and backward return early (see `CancellationFlag`).
    public var cancellation = CancellationFlag()
    let pool: ComputePool
    /// Whether the current batch shape's step is big enough to split across `pool` (`choosePoolUse`).
    var splitsWork = true
    /// Packed W_hh per layer (refreshed every pass) and a reusable pack for the other products.
    let recurrentWeights: [LayerRecurrentWeights]
    let scratchPack = PackedMatrix()
    var random: SeededRandom
    let trainingWorkspace: Workspace
    let probeWorkspace: Workspace
    /// The recurrent state carried between consecutive batches (truncated BPTT):
    /// per layer h (B, H) then, for LSTM, c (B, H). Valid for `carriedBatchSize` rows.
    var carriedState: FloatArena
    var carriedBatchSize = 0
    var hasCarriedState = false
    /// A copy of the carried state taken by `keepCarriedState()` (same layout), reused step after step.
    var keptCarriedState: (values: FloatArena, batchSize: Int, present: Bool)?
    /// Whether the last forward pass had targets and can be followed by `backward()`.
    var backwardReady = false
    var lastTraining = false
    /// The batch the last forward pass with targets ran on, for `backward()`.
    var pendingBatch: Batch?
    /// Unit surgery and gradient recording (RecurrentModel+Instrumentation.swift).
    let instrumentation = Instrumentation()

    /// Builds a model with fresh weights. `threadCount` > 1 splits batch rows and large products across
    /// a pool of that many threads.
    public init(
        config: ModelConfig, initScheme: InitScheme = .pytorch, unitForgetBias: Bool = true,
        seed: UInt64 = 1, threadCount: Int = 1
    ) {
        self.config = config
        layout = ParameterLayout(config: config)
        parameters = FloatArena(count: layout.totalCount)
        gradients = FloatArena(count: layout.totalCount)
        dropout = config.dropout
        pool = ComputePool(threadCount: threadCount)
        recurrentWeights = (0..<config.layerCount).map { _ in LayerRecurrentWeights() }
        random = SeededRandom(seed: seed)
        trainingWorkspace = Workspace(config: config)
        probeWorkspace = Workspace(config: config)
        carriedState = FloatArena(count: 0)
        initializeParameters(scheme: initScheme, unitForgetBias: unitForgetBias)
        // Dropout masks draw from their own stream so they do not shift with the initialisation.
        random = SeededRandom(seed: seed &+ 0x5DEE_CE66)
    }

    public var parameterCount: Int { layout.views.reduce(0) { $0 + $1.count } }

    // MARK: - Named tensors

    /// The parameters under their PyTorch names, in layout order (copies).
    public func namedParameters() -> [NamedTensor] { named(parameters) }

    /// The accumulated gradients under the parameters' names (copies).
    public func namedGradients() -> [NamedTensor] { named(gradients) }

    private func named(_ arena: FloatArena) -> [NamedTensor] {
        layout.views.map { NamedTensor(name: $0.name, shape: $0.shape, values: arena.array(offset: $0.offset, count: $0.count)) }
    }

    /// Replaces every parameter. The tensors must be exactly this model's names and shapes; extra or
    /// missing names and wrong shapes are refused with a message naming the tensor.
    public func loadParameters(_ tensors: [NamedTensor]) throws {
        var byName: [String: NamedTensor] = [:]
        for tensor in tensors { byName[tensor.name] = tensor }
        for view in layout.views {
            guard let tensor = byName[view.name] else {
                throw ModelError("missing tensor \(view.name) (expected shape \(view.shape))")
            }
            guard tensor.shape == view.shape, tensor.values.count == view.count else {
                throw ModelError("tensor \(view.name) has shape \(tensor.shape), expected \(view.shape) for this model")
            }
        }
        let known = Set(layout.views.map(\.name))
        if let extra = tensors.first(where: { !known.contains($0.name) }) {
            throw ModelError("unexpected tensor \(extra.name) for a \(config.layerCount)-layer \(config.cell.rawValue) model")
        }
        for view in layout.views {
            byName[view.name]!.values.withUnsafeBufferPointer { source in
                (parameters.base + view.offset).update(from: source.baseAddress!, count: view.count)
            }
        }
    }

    public func zeroGradients() { gradients.zero() }

    /// Forgets the carried recurrent state; the next batch starts from zeros.
    public func resetState() { hasCarriedState = false }

    // MARK: - Checking input

    /// Checks that a batch fits this model (token ids in range, array sizes, targets), so bad input
    /// gives a message instead of a trap. The trainer's own batches need no check.
    public func validate(_ batch: Batch) throws {
        let positions = batch.timeSteps * batch.batchSize
        guard batch.timeSteps > 0, batch.batchSize > 0 else { throw ModelError("empty batch (T = \(batch.timeSteps), B = \(batch.batchSize))") }
        switch config.input {
        case .embedding(let vocabularySize, _), .oneHot(let vocabularySize):
            guard let tokens = batch.tokens, tokens.count == positions else { throw ModelError("the model takes \(positions) token ids") }
            if let bad = tokens.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
                throw ModelError("token id \(bad) is outside the vocabulary 0..<\(vocabularySize)")
            }
        case .numeric(let featureCount):
            guard let features = batch.features, features.count == positions * featureCount else {
                throw ModelError("the model takes \(featureCount) features per timestep")
            }
        }
        if let mask = batch.mask, mask.count != positions { throw ModelError("mask has \(mask.count) values, expected \(positions)") }
        if let targets = batch.targetTokens {
            guard config.head.isClassification else { throw ModelError("this model's head is regression; it takes numeric targets") }
            let expected = config.head.isEveryStep ? positions : batch.batchSize
            guard targets.count == expected else { throw ModelError("expected \(expected) targets, got \(targets.count)") }
            if let bad = targets.first(where: { $0 < 0 || Int($0) >= config.outputSize }) {
                throw ModelError("target \(bad) is outside 0..<\(config.outputSize)")
            }
        }
        if let targets = batch.targetValues {
            guard !config.head.isClassification else { throw ModelError("this model's head is a classifier; it takes token targets") }
            let expected = (config.head.isEveryStep ? positions : batch.batchSize) * config.outputSize
            guard targets.count == expected else { throw ModelError("expected \(expected) target values, got \(targets.count)") }
            if config.head == .multiLabelLast, let bad = targets.first(where: { !($0 >= 0 && $0 <= 1) }) {
                throw ModelError("multi-label target \(bad) is outside [0, 1]; expected 1 (label present) or 0 (absent)")
            }
        }
    }
}

/// A problem with a model, its parameters or its input, said in one line.
public struct ModelError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
