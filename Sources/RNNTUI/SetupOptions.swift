import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// The flags that describe a run; `train`, `compare` and the notebook share them. Every flag is optional
/// internally, so a flag given beside `--config FILE` overrides the file and one left out keeps it; the
/// defaults (in each help line) come from `SetupOverrides.commandLineDefaults`.
struct SetupOptions: ParsableArguments {
    private static let defaults = SetupOverrides.commandLineDefaults

    @Option(help: "Start from a run's config.json (or its folder); flags given beside it override it, and its changes.jsonl is replayed.")
    var config: String?
    @Flag(help: "With --config: do not replay the run's live changes (changes.jsonl).")
    var noReplay = false

    // MARK: Model
    @Option(help: "Recurrent cell: \(CellKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: \(defaults.cell.rawValue)).")
    var cell: CellKind?
    @Option(help: "Vanilla RNN activation: tanh or relu (default: tanh).")
    var nonlinearity: Nonlinearity?
    @Option(help: "GRU: apply the reset gate after the recurrent product (PyTorch, Keras) or before it (original paper) (default: after).")
    var gruConvention: GRUConvention?
    @Option(help: "Hidden units per layer (default: \(defaults.hiddenSize)).")
    var hidden: Int?
    @Option(help: "Stacked layers (1 to 4) (default: \(defaults.layerCount)).")
    var layers: Int?
    @Option(help: "Embedding width for token inputs; 0 feeds one-hot vectors (default: \(defaults.embeddingSize)).")
    var embedding: Int?
    @Option(help: "Dropout between layers, in [0, 1) (default: \(defaults.dropout)).")
    var dropout: Float?
    @Option(help: "Weight initialisation: pytorch (uniform ±1/√H) or keras (Glorot input, orthogonal recurrent) (default: pytorch).")
    var weightInit: InitScheme?
    @Flag(inversion: .prefixedNo, help: "LSTM: start the forget-gate bias at 1 (default: on).")
    var unitForgetBias: Bool?

    // MARK: Optimization
    @Option(help: "Optimizer: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: \(defaults.optimizer.kind.rawValue)).")
    var optimizer: OptimizerKind?
    @Option(help: "Learning rate (default: \(defaults.optimizer.learningRate)).")
    var lr: Float?
    @Option(help: "SGD momentum factor (with --optimizer momentum) (default: \(defaults.optimizer.momentum)).")
    var momentum: Float?
    @Flag(inversion: .prefixedNo, help: "Use Nesterov momentum (with --optimizer momentum) (default: off).")
    var nesterov: Bool?
    @Option(help: "Weight decay (L2; decoupled for adamw) (default: 0).")
    var weightDecay: Float?
    @Option(help: "Clip the global gradient norm to this value; 0 turns clipping off (default: \(defaults.clipNorm ?? 0)).")
    var clip: Float?
    @Option(help: "Learning-rate schedule: constant, step or cosine (default: constant).")
    var schedule: ScheduleName?
    @Option(help: "Step schedule: multiply the rate by --decay-factor every this many steps (default: 1000).")
    var decayEvery: Int?
    @Option(help: "Step schedule: the factor (default: 0.5).")
    var decayFactor: Float?
    @Option(help: "Cosine schedule: the final rate as a fraction of --lr (default: 0.05).")
    var minLrFactor: Float?
    @Option(help: "Sequences per batch (default: \(defaults.batchSize)).")
    var batch: Int?
    @Option(help: "Timesteps per sequence (BPTT window, task length, or maximum text length) (default: \(defaults.sequenceLength)).")
    var seqLen: Int?
    @Option(help: "Stop after this many epochs.")
    var epochs: Int?
    @Option(help: "Stop after this many steps (with train --resume: all steps of the run, the ones taken included).")
    var steps: Int?
    @Option(help: "Evaluate on the validation split every this many steps (default: \(defaults.evaluationInterval)).")
    var evalEvery: Int?
    @Option(help: "Early stopping: stop after this many evaluations without a better validation loss.")
    var patience: Int?
    @Flag(inversion: .prefixedNo, help: "Language models: carry the state between batches (truncated BPTT), or start every batch from zeros (default: carry).")
    var carryState: Bool?
    @Option(help: "Random seed: the same command with the same seed gives the same losses (default: \(defaults.seed)).")
    var seed: UInt64?

    // MARK: Data
    @Option(help: "Dataset: adding, copy, sine, corpus, sentiment, series, or a path to a .txt or .csv file (default: \(defaults.dataset)).")
    var dataset: String?
    @Option(help: "Fraction of the data held out for validation (default: \(defaults.datasetOptions.validationFraction)).")
    var valFraction: Double?
    @Option(help: "CSV classification: the text column (default: text).")
    var textColumn: String?
    @Option(help: "CSV classification: the label column (default: label).")
    var labelColumn: String?
    @Option(help: "CSV series: the column to forecast (default: the last numeric column).")
    var target: String?
    @Option(help: "Missing values in series: interpolate, ffill, drop or error (default: interpolate).")
    var missing: DatasetOptions.MissingValuePolicy?
    @Option(help: "CSV text: word or character tokens (default: word).")
    var tokens: DatasetOptions.Tokenization?
    @Option(help: "CSV text: keep at most this many distinct tokens (default: \(defaults.datasetOptions.vocabularyCap)).")
    var vocabCap: Int?
    @Option(name: .customLong("init"), help: "Start from this checkpoint's weights instead of fresh ones.")
    var initialCheckpoint: String?

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
        overrides.targetColumn = target
        overrides.missingValues = missing
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
        if config == nil {
            do {
                try TrainingSession.check(setup)
            } catch let error as TrainingError {
                throw ValidationError(error.description)
            }
        }
        if let valFraction { guard valFraction > 0, valFraction < 1 else { throw ValidationError("--val-fraction \(valFraction) must be between 0 and 1") } }
        if let vocabCap { guard vocabCap >= 2 else { throw ValidationError("--vocab-cap \(vocabCap) must be at least 2") } }
        if let decayEvery { guard decayEvery > 0 else { throw ValidationError("--decay-every must be positive") } }
    }
}
