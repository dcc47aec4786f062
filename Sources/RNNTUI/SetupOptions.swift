import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// The flags that describe a run; `train`, `compare` and the notebook share them. Every flag is optional
/// internally, so a flag given beside `--config FILE` overrides the file and one left out keeps it; the
/// defaults (in each help line) come from `SetupOverrides.commandLineDefaults`.
///
/// Every numeric flag parses `.unconditional`, so `--lr -1` reaches validation (and is refused in words)
/// instead of ArgumentParser taking "-1" for a flag and saying "Missing value". Ranges: `SetupLimits`.
struct SetupOptions: ParsableArguments {
    private static let defaults = SetupOverrides.commandLineDefaults

    @Option(help: "Start from a run's config.json (or its folder); flags given beside it override it, and its changes.jsonl is replayed.")
    var config: String?
    @Flag(help: "With --config: do not replay the run's live changes (changes.jsonl).")
    var noReplay = false

    // MARK: Model
    @Option(help: "Recurrent cell: \(CellKind.allCases.map(\.rawValue).joined(separator: ", ")). (default: \(defaults.cell.rawValue))")
    var cell: CellKind?
    @Option(help: "Vanilla RNN activation: tanh or relu. (default: tanh)")
    var nonlinearity: Nonlinearity?
    @Option(help: "GRU: apply the reset gate after the recurrent product (PyTorch, Keras) or before it (original paper). (default: after)")
    var gruConvention: GRUConvention?
    @Option(parsing: .unconditional, help: "Hidden units per layer, \(SetupLimits.hiddenSize.requirement). (default: \(defaults.hiddenSize))")
    var hidden: Int?
    @Option(parsing: .unconditional, help: "Stacked recurrent layers, \(SetupLimits.layerCount.requirement). (default: \(defaults.layerCount))")
    var layers: Int?
    @Option(parsing: .unconditional, help: "Embedding width (values per token) for token inputs, \(SetupLimits.embeddingSize.requirement). (default: \(defaults.embeddingSize))")
    var embedding: Int?
    @Option(parsing: .unconditional, help: "Dropout probability between layers, \(SetupLimits.dropout.requirement). (default: \(defaults.dropout))")
    var dropout: Float?
    @Option(help: "Weight initialisation: pytorch (uniform ±1/√H) or keras (Glorot input, orthogonal recurrent). (default: pytorch)")
    var weightInit: InitScheme?
    @Flag(inversion: .prefixedNo, help: "LSTM: start the forget-gate bias at 1. (default: on)")
    var unitForgetBias: Bool?

    // MARK: Optimization
    @Option(help: "Optimizer: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")). (default: \(defaults.optimizer.kind.rawValue))")
    var optimizer: OptimizerKind?
    @Option(parsing: .unconditional, help: "Learning rate (step size per unit of gradient), \(SetupLimits.learningRate.requirement). (default: \(defaults.optimizer.learningRate))")
    var lr: Float?
    @Option(parsing: .unconditional, help: "SGD momentum factor (with --optimizer momentum), \(SetupLimits.momentum.requirement). (default: \(defaults.optimizer.momentum))")
    var momentum: Float?
    @Flag(inversion: .prefixedNo, help: "Use Nesterov momentum (with --optimizer momentum). (default: off)")
    var nesterov: Bool?
    @Option(parsing: .unconditional, help: "Weight decay per step, as a multiple of the weights (L2; decoupled for adamw), \(SetupLimits.weightDecay.requirement). (default: 0)")
    var weightDecay: Float?
    @Option(parsing: .unconditional, help: "Clip the global gradient norm (L2 over all parameters) to this value; 0 turns clipping off. (default: \(defaults.clipNorm ?? 0))")
    var clip: Float?
    @Option(help: "Learning-rate schedule: constant, step or cosine. (default: constant)")
    var schedule: ScheduleName?
    @Option(parsing: .unconditional, help: "Step schedule: multiply the rate by --decay-factor every this many steps (\(SetupLimits.decayInterval.requirement)). (default: 1000)")
    var decayEvery: Int?
    @Option(parsing: .unconditional, help: "Step schedule: the factor, \(SetupLimits.decayFactor.requirement). (default: 0.5)")
    var decayFactor: Float?
    @Option(parsing: .unconditional, help: "Cosine schedule: the final rate as a fraction of --lr, \(SetupLimits.minimumLearningRateFactor.requirement). (default: 0.05)")
    var minLrFactor: Float?
    @Option(parsing: .unconditional, help: "Sequences per batch, \(SetupLimits.batchSize.requirement). (default: \(defaults.batchSize))")
    var batch: Int?
    @Option(parsing: .unconditional, help: "Timesteps per sequence (BPTT window, task length, or maximum text length in tokens), \(SetupLimits.sequenceLength.requirement). (default: \(defaults.sequenceLength))")
    var seqLen: Int?
    @Option(parsing: .unconditional, help: "Stop after this many epochs (passes over the training split). (default: 3 when neither --epochs nor --steps is given; unbounded in the notebook)")
    var epochs: Int?
    @Option(parsing: .unconditional, help: "Stop after this many optimizer steps (batches); with train --resume, all steps of the run, the ones taken included. (default: no step limit)")
    var steps: Int?
    @Option(parsing: .unconditional, help: "Evaluate on the validation split every this many steps (and at each epoch's end). (default: \(defaults.evaluationInterval))")
    var evalEvery: Int?
    @Option(parsing: .unconditional, help: "Early stopping: stop after this many evaluations without a better validation loss. (default: off)")
    var patience: Int?
    @Flag(inversion: .prefixedNo, help: "Language models: carry the state between batches (truncated BPTT), or start every batch from zeros. (default: carry)")
    var carryState: Bool?
    @Option(parsing: .unconditional, help: "Random seed, a whole number ≥ 0: the same command with the same seed gives the same losses. (default: \(defaults.seed))",
            transform: SetupOptions.parseSeed)
    var seed: UInt64?

    // MARK: Data
    @Option(help: "Dataset: adding, copy, sine, corpus, sentiment, series, tags, spikes, or a path to a .txt or .csv file. (default: \(defaults.dataset))")
    var dataset: String?
    @Option(parsing: .unconditional, help: "Fraction of the data held out for validation, \(SetupLimits.validationFraction.requirement). (default: \(defaults.datasetOptions.validationFraction))")
    var valFraction: Double?
    @Option(help: "CSV classification: the text column. (default: text)")
    var textColumn: String?
    @Option(help: "CSV classification: the label column; labels separated by | (news|sport) make it multi-label. (default: label)")
    var labelColumn: String?
    @Option(help: "CSV multi-label classification: the 0/1 label columns, comma separated (news,sport,tech).")
    var labelColumns: String?
    @Option(help: "CSV series: the column to forecast. (default: the last numeric column)")
    var target: String?
    @Option(help: "Missing values in series: interpolate, ffill, drop or error. (default: interpolate)")
    var missing: DatasetOptions.MissingValuePolicy?
    @Option(help: "Outliers in series (beyond --outlier-z robust standard deviations from a rolling median): keep, clip, interpolate or error. (default: keep)")
    var outliers: DatasetOptions.OutlierPolicy?
    @Option(parsing: .unconditional, help: "Outliers: the robust z (|x − rolling median| / (1.4826 · rolling MAD)) above which a value is an outlier, \(SetupLimits.outlierZ.requirement). (default: 6)")
    var outlierZ: Double?
    @Option(parsing: .unconditional, help: "CSV series: forecast the next K values of the target (a head of K outputs, MSE over the K), \(SetupLimits.horizon.requirement). (default: 1)")
    var horizon: Int?
    @Option(help: "CSV text: word or character tokens. (default: word)")
    var tokens: DatasetOptions.Tokenization?
    @Option(parsing: .unconditional, help: "Keep at most this many distinct tokens (CSV words; characters of a .txt corpus, at most 65535), \(SetupLimits.vocabularyCap.requirement). (default: \(defaults.datasetOptions.vocabularyCap))")
    var vocabCap: Int?
    @Option(name: .customLong("init"), help: "Start from this checkpoint's weights (.safetensors) instead of fresh ones. (default: fresh weights)")
    var initialCheckpoint: String?

    /// `--label-columns a,b,c` as names.
    private var labelColumnNames: [String]? {
        labelColumns.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    /// The fields given on the command line.
    var overrides: SetupOverrides {
        var overrides = SetupOverrides()
        overrides.cell = cell
        overrides.nonlinearity = nonlinearity
        overrides.gruResetAfter = gruConvention.map { $0 == .after }
        overrides.hiddenSize = hidden
        overrides.layerCount = layers
        overrides.embeddingSize = embedding
        overrides.dropout = dropout
        overrides.initScheme = weightInit
        overrides.unitForgetBias = unitForgetBias
        overrides.optimizer = optimizer
        overrides.learningRate = lr
        overrides.momentum = momentum
        overrides.nesterov = nesterov
        overrides.weightDecay = weightDecay
        overrides.clip = clip
        overrides.schedule = schedule
        overrides.decayEvery = decayEvery
        overrides.decayFactor = decayFactor
        overrides.minimumLearningRateFactor = minLrFactor
        overrides.batchSize = batch
        overrides.sequenceLength = seqLen
        overrides.epochs = epochs
        overrides.steps = steps
        overrides.evaluationInterval = evalEvery
        overrides.patience = patience
        overrides.carryState = carryState
        overrides.seed = seed
        overrides.dataset = dataset
        overrides.validationFraction = valFraction
        overrides.textColumn = textColumn
        overrides.labelColumn = labelColumn
        overrides.labelColumns = labelColumnNames
        overrides.targetColumn = target
        overrides.missingValues = missing
        overrides.outliers = outliers
        overrides.outlierZ = outlierZ
        overrides.horizon = horizon
        overrides.tokenization = tokens
        overrides.vocabularyCap = vocabCap
        overrides.initialCheckpoint = initialCheckpoint
        return overrides
    }

    /// The setup the flags describe over the defaults (ignoring `--config`).
    var setup: TrainingSetup { overrides.applied(to: Self.defaults) }

    /// The setup to run: `--config`'s file (when given) with the flags over it, checked.
    func resolvedSetup() throws -> TrainingSetup {
        guard let config else { return setup }
        do {
            let resolved = overrides.applied(to: try TrainingSetup.read(configAt: config))
            try TrainingSession.check(resolved)
            return resolved
        } catch let error as TrainingError {
            throw CLIError(error.description)
        }
    }

    /// The live changes to replay with `--config` (its run folder's changes.jsonl), unless `--no-replay`.
    func replayedChanges() throws -> [RecordedChange] {
        guard let config, !noReplay else { return [] }
        var folder = URL(fileURLWithPath: config)
        if folder.lastPathComponent == "config.json" { folder.deleteLastPathComponent() }
        do {
            return try ChangeLog.read(from: ChangeLog.url(in: folder))
        } catch let error as TrainingError {
            throw CLIError(error.description)
        }
    }

    func validate() throws {
        if let hidden { try Self.require("--hidden", hidden, SetupLimits.hiddenSize) }
        if let layers { try Self.require("--layers", layers, SetupLimits.layerCount) }
        if let embedding { try Self.require("--embedding", embedding, SetupLimits.embeddingSize) }
        if let dropout { try Self.require("--dropout", dropout, SetupLimits.dropout) }
        if let lr { try Self.require("--lr", lr, SetupLimits.learningRate) }
        if let momentum { try Self.require("--momentum", momentum, SetupLimits.momentum) }
        if let weightDecay { try Self.require("--weight-decay", weightDecay, SetupLimits.weightDecay) }
        if let clip, clip != 0 { try Self.require("--clip", clip, SetupLimits.clipNorm) }
        if let decayEvery { try Self.require("--decay-every", decayEvery, SetupLimits.decayInterval) }
        if let decayFactor { try Self.require("--decay-factor", decayFactor, SetupLimits.decayFactor) }
        if let minLrFactor { try Self.require("--min-lr-factor", minLrFactor, SetupLimits.minimumLearningRateFactor) }
        if let batch { try Self.require("--batch", batch, SetupLimits.batchSize) }
        if let seqLen { try Self.require("--seq-len", seqLen, SetupLimits.sequenceLength) }
        if let epochs { try Self.require("--epochs", epochs, SetupLimits.epochs) }
        if let steps { try Self.require("--steps", steps, SetupLimits.steps) }
        if let evalEvery { try Self.require("--eval-every", evalEvery, SetupLimits.evaluationInterval) }
        if let patience { try Self.require("--patience", patience, SetupLimits.patience) }
        if let valFraction { try Self.require("--val-fraction", valFraction, SetupLimits.validationFraction) }
        if let vocabCap { try Self.require("--vocab-cap", vocabCap, SetupLimits.vocabularyCap) }
        if let horizon { try Self.require("--horizon", horizon, SetupLimits.horizon) }
        if let outlierZ { try Self.require("--outlier-z", outlierZ, SetupLimits.outlierZ) }
        if let dataset { try Self.requireNonEmpty("--dataset", dataset, expected: "a dataset name or a path to a .txt or .csv file") }
        if let initialCheckpoint { try Self.requireNonEmpty("--init", initialCheckpoint, expected: "a .safetensors path") }
        if let config { try Self.requireNonEmpty("--config", config, expected: "a run's config.json or its folder") }
        if let labelColumns, let names = labelColumnNames {
            if let empty = names.firstIndex(of: "") {
                throw ValidationError("--label-columns \"\(labelColumns)\": item \(empty + 1) is empty; expected column names like news,sport,tech")
            }
            if labelColumn != nil {
                throw ValidationError("give --label-column (one column, labels separated by |) or --label-columns (0/1 columns), not both")
            }
        }
        if config == nil {
            do {
                try TrainingSession.check(setup)
            } catch let error as TrainingError {
                throw ValidationError(error.description)
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
