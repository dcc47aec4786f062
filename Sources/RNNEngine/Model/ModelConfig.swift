import Foundation

/// Which recurrence a layer runs. Gates are stacked in PyTorch's order so weights are interchangeable:
/// RNN 1 block, LSTM 4 blocks (i, f, g, o), GRU 3 blocks (r, z, n).
public enum CellKind: String, Codable, Sendable, CaseIterable {
    case rnn, lstm, gru

    /// G: how many H-sized blocks the stacked gate pre-activations have.
    public var gateCount: Int {
        switch self {
        case .rnn: 1
        case .lstm: 4
        case .gru: 3
        }
    }

    /// Names of the gate blocks as `inspect` and the gate view show them.
    public var gateNames: [String] {
        switch self {
        case .rnn: []
        case .lstm: ["i", "f", "g", "o"]
        case .gru: ["r", "z", "n"]
        }
    }
}

/// The vanilla RNN's activation.
public enum Nonlinearity: String, Codable, Sendable, CaseIterable {
    case tanh, relu
}

/// How tokens or numbers enter the first layer.
public enum InputEncoding: Codable, Sendable, Equatable {
    /// Token ids looked up in `embedding.weight (vocabularySize, dimension)`.
    case embedding(vocabularySize: Int, dimension: Int)
    /// Token ids as one-hot vectors of size `vocabularySize` (no embedding table).
    case oneHot(vocabularySize: Int)
    /// Numeric feature vectors of size `featureCount` per timestep.
    case numeric(featureCount: Int)

    /// The width of layer 0's input.
    public var inputSize: Int {
        switch self {
        case .embedding(_, let dimension): dimension
        case .oneHot(let vocabularySize): vocabularySize
        case .numeric(let featureCount): featureCount
        }
    }

    public var takesTokens: Bool {
        if case .numeric = self { return false }
        return true
    }
}

/// What the network predicts and the loss it is trained with.
public enum HeadKind: String, Codable, Sendable, CaseIterable {
    /// Softmax over `outputSize` classes at every timestep (language modelling); mean cross-entropy.
    case tokenEveryStep
    /// Softmax over `outputSize` classes at each sequence's last valid timestep; mean cross-entropy.
    case classifyLast
    /// Linear output of `outputSize` values at the last valid timestep; mean squared error.
    case regressLast
    /// Linear output of `outputSize` values at every timestep; mean squared error.
    case regressEveryStep
    /// `outputSize` independent labels at each sequence's last valid timestep: a sigmoid per output and
    /// binary cross-entropy (PyTorch's `BCEWithLogitsLoss`, mean over rows × labels). Targets are values
    /// in [0, 1], one per label.
    case multiLabelLast

    /// Softmax heads: the targets are class ids (`Batch.targetTokens`).
    public var isClassification: Bool { self == .tokenEveryStep || self == .classifyLast }
    public var isEveryStep: Bool { self == .tokenEveryStep || self == .regressEveryStep }
    /// Heads whose targets are values (`Batch.targetValues`): regression and multi-label.
    public var takesValueTargets: Bool { !isClassification }

    /// What turns the head's raw outputs into predictions (the checkpoint's `head_activation`).
    public var activation: HeadActivation {
        switch self {
        case .tokenEveryStep, .classifyLast: .softmax
        case .regressLast, .regressEveryStep: .identity
        case .multiLabelLast: .sigmoid
        }
    }
}

/// The function applied to the head's outputs (logits) to read them as predictions: what a PyTorch user
/// applies after `head` (`torch.softmax`, nothing, `torch.sigmoid`).
public enum HeadActivation: String, Codable, Sendable, CaseIterable {
    case softmax, identity, sigmoid

    /// Predictions from one row of outputs: probabilities (softmax, sigmoid) or the values themselves.
    /// outputs: (O) → (O). Computed in Double so large logits neither overflow nor round to 0 or 1 early.
    public func apply(_ outputs: [Float]) -> [Double] {
        switch self {
        case .identity:
            return outputs.map(Double.init)
        case .sigmoid:
            return outputs.map { logit in
                let x = Double(logit)
                return x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
            }
        case .softmax:
            guard let largest = outputs.max() else { return [] }
            let exponentials = outputs.map { Foundation.exp(Double($0 - largest)) }
            let sum = exponentials.reduce(0, +)
            return exponentials.map { $0 / sum }
        }
    }
}

/// How parameters start.
public enum InitScheme: String, Codable, Sendable, CaseIterable {
    /// PyTorch: every recurrent weight and bias uniform(±1/sqrt(H)); head uniform(±1/sqrt(H)); embedding N(0, 1).
    case pytorch
    /// Keras: input weights Glorot-uniform, recurrent weights orthogonal, biases zero.
    case keras
}

/// Everything that fixes the shapes of a model's parameters, plus the conventions that change its
/// arithmetic. Sizes: H = `hiddenSize`, G = `cell.gateCount`, L = `layerCount`, O = `outputSize`.
public struct ModelConfig: Codable, Sendable, Equatable {
    public var cell: CellKind
    public var nonlinearity: Nonlinearity
    /// GRU only: `true` applies r after the recurrent product (PyTorch, cuDNN, Keras reset_after=True).
    public var gruResetAfter: Bool
    public var input: InputEncoding
    public var hiddenSize: Int
    public var layerCount: Int
    /// Inverted dropout on the input of layers 1..<L during training.
    public var dropout: Float
    public var head: HeadKind
    public var outputSize: Int

    public init(
        cell: CellKind, nonlinearity: Nonlinearity = .tanh, gruResetAfter: Bool = true,
        input: InputEncoding, hiddenSize: Int, layerCount: Int = 1, dropout: Float = 0,
        head: HeadKind, outputSize: Int
    ) {
        self.cell = cell
        self.nonlinearity = nonlinearity
        self.gruResetAfter = gruResetAfter
        self.input = input
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.dropout = dropout
        self.head = head
        self.outputSize = outputSize
    }

    /// The input width of layer `layer`: the encoding's width for layer 0, H above it.
    public func layerInputSize(_ layer: Int) -> Int { layer == 0 ? input.inputSize : hiddenSize }
}
