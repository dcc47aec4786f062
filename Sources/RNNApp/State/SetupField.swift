import RNNEngine

/// One row of the setup form, in the order they are shown.
public enum SetupField: Int, Sendable, CaseIterable {
    case cell, gruConvention, nonlinearity, layerCount, hiddenSize, embeddingSize, dropout
    case optimizer, learningRate, batchSize, sequenceLength, clipNorm, seed
    case dataset, horizon, outliers

    /// The group heading shown above the first field of each group.
    public var group: String {
        switch self {
        case .cell, .gruConvention, .nonlinearity, .layerCount, .hiddenSize, .embeddingSize, .dropout: "Model"
        case .optimizer, .learningRate, .batchSize, .sequenceLength, .clipNorm, .seed: "Optimization"
        case .dataset, .horizon, .outliers: "Data"
        }
    }

    public var label: String {
        switch self {
        case .cell: "cell"
        case .gruConvention: "GRU convention"
        case .nonlinearity: "RNN activation"
        case .layerCount: "layers"
        case .hiddenSize: "hidden size"
        case .embeddingSize: "embedding size"
        case .dropout: "dropout"
        case .optimizer: "optimizer"
        case .learningRate: "learning rate"
        case .batchSize: "batch size"
        case .sequenceLength: "sequence length"
        case .clipNorm: "gradient clipping"
        case .seed: "seed"
        case .dataset: "dataset"
        case .horizon: "forecast horizon"
        case .outliers: "series outliers"
        }
    }

    /// One line telling a newcomer what the field does.
    public var help: String {
        switch self {
        case .cell: "RNN: tanh recurrence; LSTM: gated cell state (i f g o); GRU: reset/update gates (r z n)"
        case .gruConvention: "GRU only: reset after the recurrent product (PyTorch, cuDNN) or before it (Cho 2014)"
        case .nonlinearity: "vanilla RNN only: tanh (bounded) or relu (unbounded, clip gradients)"
        case .layerCount: "stacked recurrent layers; each feeds its hidden state to the next"
        case .hiddenSize: "units per layer (H): the width of h and of every gate"
        case .embeddingSize: "token datasets: embedding width; 0 feeds one-hot vectors instead"
        case .dropout: "dropout on the input of layers 2 and up (needs 2+ layers); live-changeable"
        case .optimizer: "update rule: sgd, momentum, rmsprop, adam, adamw; live-changeable"
        case .learningRate: "step size of the optimizer (adam ~0.002, sgd ~0.1); live-changeable"
        case .batchSize: "sequences per step; live-changeable"
        case .sequenceLength: "timesteps per training window (truncated BPTT length)"
        case .clipNorm: "clip the global gradient norm to this value (off = never); live-changeable"
        case .seed: "random seed for weights, shuffling and generated data"
        case .dataset: "a built-in task, a file in samples/, or path… to type any .txt or .csv file"
        case .horizon: "CSV series: forecast the next K values of the target (K outputs, MSE over the K); 1 = one step"
        case .outliers: "CSV series: values beyond a robust z of 6 from a rolling median: keep, clip, interpolate or stop"
        }
    }

    /// Fields that accept a typed number.
    var isNumeric: Bool {
        switch self {
        case .layerCount, .hiddenSize, .embeddingSize, .dropout, .learningRate, .batchSize, .sequenceLength,
            .clipNorm, .seed, .horizon:
            true
        case .cell, .gruConvention, .nonlinearity, .optimizer, .dataset, .outliers:
            false
        }
    }

    /// Whether the field matters for this cell (others are drawn dimmed).
    func applies(to cell: CellKind) -> Bool {
        switch self {
        case .gruConvention: cell == .gru
        case .nonlinearity: cell == .rnn
        default: true
        }
    }
}
