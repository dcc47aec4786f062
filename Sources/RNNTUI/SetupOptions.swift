import ArgumentParser
import RNNEngine
import RNNTraining

/// The flags that describe a run; `train` and the notebook share them.
struct SetupOptions: ParsableArguments {
    // MARK: Model
    @Option(help: "Recurrent cell: \(CellKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var cell: CellKind = .lstm
    @Option(help: "Vanilla RNN activation: tanh or relu.")
    var nonlinearity: Nonlinearity = .tanh
    @Option(help: "GRU: apply the reset gate after the recurrent product (PyTorch, Keras) or before it (original paper).")
    var gruConvention: GRUConvention = .after
    @Option(help: "Hidden units per layer.")
    var hidden: Int = 128
    @Option(help: "Stacked layers (1 to 4).")
    var layers: Int = 1
    @Option(help: "Embedding width for token inputs; 0 feeds one-hot vectors.")
    var embedding: Int = 0
    @Option(help: "Dropout between layers, in [0, 1).")
    var dropout: Float = 0
    @Option(help: "Weight initialisation: pytorch (uniform ±1/√H) or keras (Glorot input, orthogonal recurrent).")
    var weightInit: InitScheme = .pytorch
    @Flag(help: "LSTM: do not start the forget-gate bias at 1.")
    var noUnitForgetBias = false

    // MARK: Optimization
    @Option(help: "Optimizer: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var optimizer: OptimizerKind = .adam
    @Option(help: "Learning rate.")
    var lr: Float = 0.002
    @Option(help: "SGD momentum factor (with --optimizer momentum).")
    var momentum: Float = 0.9
    @Flag(help: "Use Nesterov momentum (with --optimizer momentum).")
    var nesterov = false
    @Option(help: "Weight decay (L2; decoupled for adamw).")
    var weightDecay: Float = 0
    @Option(help: "Clip the global gradient norm to this value; 0 turns clipping off.")
    var clip: Float = 5
    @Option(help: "Learning-rate schedule: constant, step or cosine.")
    var schedule: ScheduleName = .constant
    @Option(help: "Step schedule: multiply the rate by --decay-factor every this many steps.")
    var decayEvery: Int = 1000
    @Option(help: "Step schedule: the factor.")
    var decayFactor: Float = 0.5
    @Option(help: "Cosine schedule: the final rate as a fraction of --lr.")
    var minLrFactor: Float = 0.05
    @Option(help: "Sequences per batch.")
    var batch: Int = 32
    @Option(help: "Timesteps per sequence (BPTT window, task length, or maximum text length).")
    var seqLen: Int = 64
    @Option(help: "Stop after this many epochs.")
    var epochs: Int?
    @Option(help: "Stop after this many steps.")
    var steps: Int?
    @Option(help: "Evaluate on the validation split every this many steps.")
    var evalEvery: Int = 100
    @Option(help: "Early stopping: stop after this many evaluations without a better validation loss.")
    var patience: Int?
    @Flag(help: "Language models: start every batch from a zero state instead of carrying it (no truncated BPTT).")
    var noCarryState = false
    @Option(help: "Random seed: the same command with the same seed gives the same losses.")
    var seed: UInt64 = 1

    // MARK: Data
    @Option(help: "Dataset: adding, copy, sine, corpus, sentiment, series, tags, spikes, or a path to a .txt or .csv file.")
    var dataset: String = "corpus"
    @Option(help: "Fraction of the data held out for validation.")
    var valFraction: Double = 0.1
    @Option(help: "CSV classification: the text column (default: text).")
    var textColumn: String?
    @Option(help: "CSV classification: the label column (default: label); labels separated by | (news|sport) make it multi-label.")
    var labelColumn: String?
    @Option(help: "CSV multi-label classification: the 0/1 label columns, comma separated (news,sport,tech).")
    var labelColumns: String?
    @Option(help: "CSV series: the column to forecast (default: the last numeric column).")
    var target: String?
    @Option(help: "Missing values in series: interpolate, ffill, drop or error.")
    var missing: DatasetOptions.MissingValuePolicy = .interpolate
    @Option(help: "Outliers in series (beyond --outlier-z robust standard deviations from a rolling median): keep, clip, interpolate or error.")
    var outliers: DatasetOptions.OutlierPolicy = .keep
    @Option(help: "Outliers: the robust z (|x − rolling median| / (1.4826 · rolling MAD)) above which a value is an outlier.")
    var outlierZ: Double = 6
    @Option(help: "CSV series: forecast the next K values of the target (a head of K outputs, MSE over the K).")
    var horizon: Int = 1
    @Option(help: "CSV text: word or character tokens.")
    var tokens: DatasetOptions.Tokenization = .word
    @Option(help: "CSV text: keep at most this many distinct tokens.")
    var vocabCap: Int = 10_000
    @Option(name: .customLong("init"), help: "Start from this checkpoint's weights instead of fresh ones.")
    var initialCheckpoint: String?

    /// The setup these flags describe.
    var setup: TrainingSetup {
        var setup = TrainingSetup()
        setup.cell = cell
        setup.nonlinearity = nonlinearity
        setup.gruResetAfter = gruConvention == .after
        setup.hiddenSize = hidden
        setup.layerCount = layers
        setup.embeddingSize = embedding
        setup.dropout = dropout
        setup.initScheme = weightInit
        setup.unitForgetBias = !noUnitForgetBias
        setup.optimizer = OptimizerSettings(
            kind: optimizer, learningRate: lr, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
        setup.clipNorm = clip > 0 ? clip : nil
        switch schedule {
        case .constant: setup.schedule = .constant
        case .step: setup.schedule = .stepDecay(interval: decayEvery, factor: decayFactor)
        case .cosine: setup.schedule = .cosine(totalSteps: steps ?? 0, minimumFactor: minLrFactor)  // 0: the run's length
        }
        setup.batchSize = batch
        setup.sequenceLength = seqLen
        setup.epochs = epochs
        setup.steps = steps
        setup.evaluationInterval = evalEvery
        setup.earlyStoppingPatience = patience
        setup.truncatedBPTT = !noCarryState
        setup.seed = seed
        setup.dataset = dataset
        setup.datasetOptions = DatasetOptions(
            seed: seed, validationFraction: valFraction, textColumn: textColumn, labelColumn: labelColumn,
            labelColumns: labelColumns.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } },
            targetColumn: target, missingValues: missing, outliers: outliers, outlierZ: outlierZ, horizon: horizon,
            tokenization: tokens, vocabularyCap: vocabCap)
        setup.initialCheckpoint = initialCheckpoint
        return setup
    }

    func validate() throws {
        do {
            try TrainingSession.check(setup)
        } catch let error as TrainingError {
            throw ValidationError(error.description)
        }
        guard valFraction > 0, valFraction < 1 else { throw ValidationError("--val-fraction \(valFraction) must be between 0 and 1") }
        guard vocabCap >= 2 else { throw ValidationError("--vocab-cap \(vocabCap) must be at least 2") }
        guard decayEvery > 0 else { throw ValidationError("--decay-every must be positive") }
        guard SetupLimits.horizon.contains(horizon) else {
            throw ValidationError("--horizon \(horizon) must be \(SetupLimits.horizon.lowerBound)…\(SetupLimits.horizon.upperBound) (steps ahead to forecast)")
        }
        guard outlierZ > 0, outlierZ.isFinite else {
            throw ValidationError("--outlier-z \(outlierZ) must be a positive number of robust standard deviations (default 6)")
        }
        if let labelColumns {
            let names = labelColumns.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if let empty = names.firstIndex(of: "") {
                throw ValidationError("--label-columns \"\(labelColumns)\": item \(empty + 1) is empty; expected column names like news,sport,tech")
            }
            if labelColumn != nil {
                throw ValidationError("give --label-column (one column, labels separated by |) or --label-columns (0/1 columns), not both")
            }
        }
    }
}
