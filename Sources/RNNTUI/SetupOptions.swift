import ArgumentParser
import RNNEngine
import RNNTraining

/// The flags that describe a run; `train` and the notebook share them.
struct SetupOptions: ParsableArguments {
    // Every numeric flag parses `.unconditional`, so `--lr -1` reaches validation (and is refused in words)
    // instead of ArgumentParser taking "-1" for a flag and saying "Missing value". Ranges: `SetupLimits`.

    // MARK: Model
    @Option(help: "Recurrent cell: \(CellKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var cell: CellKind = .lstm
    @Option(help: "Vanilla RNN activation: tanh or relu.")
    var nonlinearity: Nonlinearity = .tanh
    @Option(help: "GRU: apply the reset gate after the recurrent product (PyTorch, Keras) or before it (original paper).")
    var gruConvention: GRUConvention = .after
    @Option(parsing: .unconditional, help: "Hidden units per layer, \(SetupLimits.hiddenSize.requirement).")
    var hidden: Int = 128
    @Option(parsing: .unconditional, help: "Stacked recurrent layers, \(SetupLimits.layerCount.requirement).")
    var layers: Int = 1
    @Option(parsing: .unconditional, help: "Embedding width (values per token) for token inputs, \(SetupLimits.embeddingSize.requirement).")
    var embedding: Int = 0
    @Option(parsing: .unconditional, help: "Dropout probability between layers, \(SetupLimits.dropout.requirement).")
    var dropout: Float = 0
    @Option(help: "Weight initialisation: pytorch (uniform ±1/√H) or keras (Glorot input, orthogonal recurrent).")
    var weightInit: InitScheme = .pytorch
    @Flag(help: "LSTM: do not start the forget-gate bias at 1.")
    var noUnitForgetBias = false

    // MARK: Optimization
    @Option(help: "Optimizer: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var optimizer: OptimizerKind = .adam
    @Option(parsing: .unconditional, help: "Learning rate (step size per unit of gradient), \(SetupLimits.learningRate.requirement).")
    var lr: Float = 0.002
    @Option(parsing: .unconditional, help: "SGD momentum factor (with --optimizer momentum), \(SetupLimits.momentum.requirement).")
    var momentum: Float = 0.9
    @Flag(help: "Use Nesterov momentum (with --optimizer momentum).")
    var nesterov = false
    @Option(parsing: .unconditional, help: "Weight decay per step, as a multiple of the weights (L2; decoupled for adamw), \(SetupLimits.weightDecay.requirement).")
    var weightDecay: Float = 0
    @Option(parsing: .unconditional, help: "Clip the global gradient norm (L2 over all parameters) to this value; 0 turns clipping off.")
    var clip: Float = 5
    @Option(help: "Learning-rate schedule: constant, step or cosine.")
    var schedule: ScheduleName = .constant
    @Option(parsing: .unconditional, help: "Step schedule: multiply the rate by --decay-factor every this many steps (\(SetupLimits.decayInterval.requirement)).")
    var decayEvery: Int = 1000
    @Option(parsing: .unconditional, help: "Step schedule: the factor, \(SetupLimits.decayFactor.requirement).")
    var decayFactor: Float = 0.5
    @Option(parsing: .unconditional, help: "Cosine schedule: the final rate as a fraction of --lr, \(SetupLimits.minimumLearningRateFactor.requirement).")
    var minLrFactor: Float = 0.05
    @Option(parsing: .unconditional, help: "Sequences per batch, \(SetupLimits.batchSize.requirement).")
    var batch: Int = 32
    @Option(parsing: .unconditional, help: "Timesteps per sequence (BPTT window, task length, or maximum text length in tokens), \(SetupLimits.sequenceLength.requirement).")
    var seqLen: Int = 64
    @Option(parsing: .unconditional, help: "Stop after this many epochs (passes over the training split). (default: 3 when neither --epochs nor --steps is given; unbounded in the notebook)")
    var epochs: Int?
    @Option(parsing: .unconditional, help: "Stop after this many optimizer steps (batches). (default: no step limit)")
    var steps: Int?
    @Option(parsing: .unconditional, help: "Evaluate on the validation split every this many steps (and at each epoch's end).")
    var evalEvery: Int = 100
    @Option(parsing: .unconditional, help: "Early stopping: stop after this many evaluations without a better validation loss. (default: off)")
    var patience: Int?
    @Flag(help: "Language models: start every batch from a zero state instead of carrying it (no truncated BPTT).")
    var noCarryState = false
    @Option(parsing: .unconditional, help: "Random seed, a whole number ≥ 0: the same command with the same seed gives the same losses.",
            transform: SetupOptions.parseSeed)
    var seed: UInt64 = 1

    // MARK: Data
    @Option(help: "Dataset: adding, copy, sine, corpus, sentiment, series, tags, spikes, or a path to a .txt or .csv file.")
    var dataset: String = "corpus"
    @Option(parsing: .unconditional, help: "Fraction of the data held out for validation, \(SetupLimits.validationFraction.requirement).")
    var valFraction: Double = 0.1
    @Option(help: "CSV classification: the text column. (default: text)")
    var textColumn: String?
    @Option(help: "CSV classification: the label column; labels separated by | (news|sport) make it multi-label. (default: label)")
    var labelColumn: String?
    @Option(help: "CSV multi-label classification: the 0/1 label columns, comma separated (news,sport,tech).")
    var labelColumns: String?
    @Option(help: "CSV series: the column to forecast. (default: the last numeric column)")
    var target: String?
    @Option(help: "Missing values in series: interpolate, ffill, drop or error.")
    var missing: DatasetOptions.MissingValuePolicy = .interpolate
    @Option(help: "Outliers in series (beyond --outlier-z robust standard deviations from a rolling median): keep, clip, interpolate or error.")
    var outliers: DatasetOptions.OutlierPolicy = .keep
    @Option(parsing: .unconditional, help: "Outliers: the robust z (|x − rolling median| / (1.4826 · rolling MAD)) above which a value is an outlier, \(SetupLimits.outlierZ.requirement).")
    var outlierZ: Double = 6
    @Option(parsing: .unconditional, help: "CSV series: forecast the next K values of the target (a head of K outputs, MSE over the K), \(SetupLimits.horizon.requirement).")
    var horizon: Int = 1
    @Option(help: "CSV text: word or character tokens.")
    var tokens: DatasetOptions.Tokenization = .word
    @Option(parsing: .unconditional, help: "Keep at most this many distinct tokens (CSV words; characters of a .txt corpus, at most 65535), \(SetupLimits.vocabularyCap.requirement).")
    var vocabCap: Int = 10_000
    @Option(name: .customLong("init"), help: "Start from this checkpoint's weights (.safetensors) instead of fresh ones. (default: fresh weights)")
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
        try Self.require("--hidden", hidden, SetupLimits.hiddenSize)
        try Self.require("--layers", layers, SetupLimits.layerCount)
        try Self.require("--embedding", embedding, SetupLimits.embeddingSize)
        try Self.require("--dropout", dropout, SetupLimits.dropout)
        try Self.require("--lr", lr, SetupLimits.learningRate)
        try Self.require("--momentum", momentum, SetupLimits.momentum)
        try Self.require("--weight-decay", weightDecay, SetupLimits.weightDecay)
        if clip != 0 { try Self.require("--clip", clip, SetupLimits.clipNorm) }
        try Self.require("--decay-every", decayEvery, SetupLimits.decayInterval)
        try Self.require("--decay-factor", decayFactor, SetupLimits.decayFactor)
        try Self.require("--min-lr-factor", minLrFactor, SetupLimits.minimumLearningRateFactor)
        try Self.require("--batch", batch, SetupLimits.batchSize)
        try Self.require("--seq-len", seqLen, SetupLimits.sequenceLength)
        if let epochs { try Self.require("--epochs", epochs, SetupLimits.epochs) }
        if let steps { try Self.require("--steps", steps, SetupLimits.steps) }
        try Self.require("--eval-every", evalEvery, SetupLimits.evaluationInterval)
        if let patience { try Self.require("--patience", patience, SetupLimits.patience) }
        try Self.require("--val-fraction", valFraction, SetupLimits.validationFraction)
        try Self.require("--vocab-cap", vocabCap, SetupLimits.vocabularyCap)
        try Self.require("--horizon", horizon, SetupLimits.horizon)
        try Self.require("--outlier-z", outlierZ, SetupLimits.outlierZ)
        try Self.requireNonEmpty("--dataset", dataset, expected: "a dataset name or a path to a .txt or .csv file")
        if let initialCheckpoint { try Self.requireNonEmpty("--init", initialCheckpoint, expected: "a .safetensors path") }
        do {
            try TrainingSession.check(setup)
        } catch let error as TrainingError {
            throw ValidationError(error.description)
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

    /// A seed: a whole number 0…2^64−1.
    @Sendable static func parseSeed(_ text: String) throws -> UInt64 {
        guard let seed = UInt64(text) else { throw ValidationError("expected a whole number from 0 to \(UInt64.max)") }
        return seed
    }

    /// Refuses `value` outside `limit`: "--lr must be positive and finite, got -1".
    static func require<Value>(_ flag: String, _ value: Value, _ limit: SetupLimit<Value>) throws {
        if let problem = limit.problem(with: value, label: flag) { throw ValidationError(problem) }
    }

    /// Refuses an empty (or all-blank) path or name: "--out is empty; expected a folder path".
    static func requireNonEmpty(_ flag: String, _ value: String, expected: String) throws {
        if value.allSatisfy(\.isWhitespace) { throw ValidationError("\(flag) is empty; expected \(expected)") }
    }
}
