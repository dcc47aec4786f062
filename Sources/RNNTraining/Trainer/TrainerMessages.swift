import RNNEngine

/// Where a run is.
public enum TrainerStatus: Sendable, Equatable {
    case preparing
    case running
    case paused
    /// The run diverged and was rolled back to its last good state; it waits (paused) for a lower
    /// learning rate and `.resume`.
    case diverged(DivergenceReport)
    case finished
    case stopped
    case failed(String)
}

/// What a run is, sent once when it starts.
public struct RunSummary: Sendable {
    public var setup: TrainingSetup
    public var dataset: DatasetInfo
    public var model: ModelConfig
    public var parameterCount: Int
    /// Steps the run will take in all, when bounded.
    public var totalSteps: Int?
    public var stepsPerEpoch: Int
    public var runDirectory: String?

    public init(
        setup: TrainingSetup, dataset: DatasetInfo, model: ModelConfig, parameterCount: Int,
        totalSteps: Int?, stepsPerEpoch: Int, runDirectory: String?
    ) {
        self.setup = setup
        self.dataset = dataset
        self.model = model
        self.parameterCount = parameterCount
        self.totalSteps = totalSteps
        self.stepsPerEpoch = stepsPerEpoch
        self.runDirectory = runDirectory
    }
}

/// Posted after every training step.
public struct StepMetrics: Sendable, Equatable {
    /// 1-based count of completed optimizer steps.
    public var step: Int
    /// 0-based epoch and the fraction of it done.
    public var epoch: Int
    public var epochProgress: Double
    public var trainLoss: Double
    public var learningRate: Float
    /// Global gradient norm before clipping.
    public var gradientNorm: Double
    public var tokensPerSecond: Double
    public var elapsedSeconds: Double
    public var totalSteps: Int?

    public init(
        step: Int, epoch: Int, epochProgress: Double, trainLoss: Double, learningRate: Float,
        gradientNorm: Double, tokensPerSecond: Double, elapsedSeconds: Double, totalSteps: Int?
    ) {
        self.step = step
        self.epoch = epoch
        self.epochProgress = epochProgress
        self.trainLoss = trainLoss
        self.learningRate = learningRate
        self.gradientNorm = gradientNorm
        self.tokensPerSecond = tokensPerSecond
        self.elapsedSeconds = elapsedSeconds
        self.totalSteps = totalSteps
    }
}

/// Posted after each evaluation on the validation split.
public struct EvaluationMetrics: Sendable, Equatable {
    public var step: Int
    public var validationLoss: Double
    /// Classification (and language models): fraction of correct argmax predictions.
    public var validationAccuracy: Double?
    /// Language models: validation loss in bits per token (loss / ln 2).
    public var bitsPerToken: Double?

    public init(step: Int, validationLoss: Double, validationAccuracy: Double?, bitsPerToken: Double?) {
        self.step = step
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.bitsPerToken = bitsPerToken
    }
}

/// The probe sequence's activations at one step: what the gate view draws.
public struct GateSnapshot: Sendable {
    public var step: Int
    public var cell: CellKind
    public var probeIndex: Int
    public var probeCount: Int
    /// labels: (T) one short label per timestep.
    public var labels: [String]
    public var probe: ProbeResult

    public init(step: Int, cell: CellKind, probeIndex: Int, probeCount: Int, labels: [String], probe: ProbeResult) {
        self.step = step
        self.cell = cell
        self.probeIndex = probeIndex
        self.probeCount = probeCount
        self.labels = labels
        self.probe = probe
    }
}

/// Everything the trainer thread tells the UI. Posted, never drawn by the trainer.
public enum TrainerEvent: Sendable {
    case started(RunSummary)
    case step(StepMetrics)
    case evaluation(EvaluationMetrics)
    case gates(GateSnapshot)
    /// A live change took effect (before `change.step`).
    case hyperparametersChanged(AppliedChange)
    case status(TrainerStatus)
    case checkpointSaved(path: String)
    /// Something went wrong that the UI should show (a save that failed, a bad command value).
    case message(String)
}

/// What the UI asks of the trainer; applied between steps.
public enum TrainerCommand: Sendable, Equatable {
    /// A live hyperparameter change (applied before the next step, or at once while paused).
    case change(HyperparameterChange)
    case pause
    /// Continue after a pause or a divergence (from the rolled-back state).
    case resume
    /// While paused: run exactly one step.
    case stepOnce
    /// Write a checkpoint now (to the run folder, or to `path`).
    case saveCheckpoint(path: String?)
    /// Send a gate snapshot for probe `index` as soon as possible.
    case requestGates(probeIndex: Int)
    case stop
}
