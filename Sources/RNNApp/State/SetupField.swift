import RNNEngine

/// One row of the setup form, in the order they are shown. Some rows show only when they apply
/// (`SetupForm.visibleFields`): the schedule's parameters for its kind, the CSV rows for a .csv path.
public enum SetupField: Int, Sendable, CaseIterable {
    case cell, gruConvention, nonlinearity, layerCount, hiddenSize, embeddingSize, dropout
    case optimizer, learningRate, schedule, decayInterval, decayFactor, cosineSteps, cosineMinimum
    case batchSize, sequenceLength, clipNorm, seed
    case steps, epochs, evaluationInterval, patience
    case dataset, csvTask, targetColumn, textColumn, labelColumn, tokenization, missingValues, horizon, outliers

    /// The group heading shown above the first field of each group.
    public var group: String {
        switch self {
        case .cell, .gruConvention, .nonlinearity, .layerCount, .hiddenSize, .embeddingSize, .dropout: "Model"
        case .optimizer, .learningRate, .schedule, .decayInterval, .decayFactor, .cosineSteps, .cosineMinimum,
            .batchSize, .sequenceLength, .clipNorm, .seed: "Optimization"
        case .steps, .epochs, .evaluationInterval, .patience: "Run length"
        case .dataset, .csvTask, .targetColumn, .textColumn, .labelColumn, .tokenization, .missingValues, .horizon,
            .outliers: "Data"
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
        case .schedule: "lr schedule"
        case .decayInterval: "  decay every"
        case .decayFactor: "  decay factor"
        case .cosineSteps: "  cosine steps"
        case .cosineMinimum: "  final lr factor"
        case .batchSize: "batch size"
        case .sequenceLength: "sequence length"
        case .clipNorm: "gradient clipping"
        case .seed: "seed"
        case .steps: "steps"
        case .epochs: "epochs"
        case .evaluationInterval: "eval interval"
        case .patience: "patience"
        case .dataset: "dataset"
        case .csvTask: "  CSV task"
        case .targetColumn: "  target column"
        case .textColumn: "  text column"
        case .labelColumn: "  label column"
        case .tokenization: "  tokens"
        case .missingValues: "  missing values"
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
        case .schedule: "learning rate over the run: constant, step decay (× factor every N steps) or cosine"
        case .decayInterval: "step decay: multiply the learning rate by the factor every this many steps"
        case .decayFactor: "step decay: the factor, above 0 and at most 1 (0.5 halves the rate)"
        case .cosineSteps: "cosine: steps from the full rate down to the final factor; 0 = the run's length"
        case .cosineMinimum: "cosine: the final learning rate as a fraction of the base rate (0 to 1)"
        case .batchSize: "sequences per step; live-changeable"
        case .sequenceLength: "timesteps per training window (truncated BPTT length)"
        case .clipNorm: "clip the global gradient norm to this value (off = never); live-changeable"
        case .seed: "random seed for weights, shuffling and generated data"
        case .steps: "stop after this many steps; 0 = until stopped (or the epochs run out)"
        case .epochs: "stop after this many passes over the training data; 0 = until stopped"
        case .evaluationInterval: "evaluate on the validation split every this many steps (and at each epoch's end)"
        case .patience: "stop when validation loss has not improved for this many evaluations; 0 = never"
        case .dataset: "a built-in task, a file in samples/, or path… to type any .txt or .csv file (Tab completes)"
        case .csvTask: "classify each row's text, or forecast one numeric column one step ahead"
        case .targetColumn: "the numeric column to forecast; the other numeric columns are inputs"
        case .textColumn: "the column holding each row's text"
        case .labelColumn: "the column holding each row's class"
        case .tokenization: "split the text into words (lowercased) or characters"
        case .missingValues: "empty/NA cells: interpolate, carry forward, drop the row, or stop with an error"
        case .horizon: "CSV series: forecast the next K values of the target (K outputs, MSE over the K); 1 = one step"
        case .outliers: "CSV series: values beyond a robust z of 6 from a rolling median: keep, clip, interpolate or stop"
        }
    }

    /// Fields that accept a typed number.
    var isNumeric: Bool {
        switch self {
        case .layerCount, .hiddenSize, .embeddingSize, .dropout, .learningRate, .batchSize, .sequenceLength,
            .clipNorm, .seed, .decayInterval, .decayFactor, .cosineSteps, .cosineMinimum, .steps, .epochs,
            .evaluationInterval, .patience, .horizon:
            true
        case .cell, .gruConvention, .nonlinearity, .optimizer, .schedule, .dataset, .csvTask, .targetColumn,
            .textColumn, .labelColumn, .tokenization, .missingValues, .outliers:
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
