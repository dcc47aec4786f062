import RNNEngine

/// What the UI asks of the trainer; applied between steps.
public enum TrainerCommand: Sendable, Equatable {
    case setLearningRate(Float)
    case setOptimizer(OptimizerKind)
    /// nil turns clipping off.
    case setClipNorm(Float?)
    case setBatchSize(Int)
    case setDropout(Float)
    case pause
    case resume
    /// While paused: run exactly one step.
    case stepOnce
    /// Write a checkpoint now (to the run folder, or to `path`).
    case saveCheckpoint(path: String?)
    /// Send a gate snapshot for probe `index` as soon as possible.
    case requestGates(probeIndex: Int)
    /// Unit surgery from the next step on (nil releases it); see `Intervention`.
    case setIntervention(Intervention?)
    /// What the notebook's open view needs computed between steps (nil: nothing is open); see `InsightScheduler`.
    case requestInsight(InsightRequest?)
    /// Compute the unit-importance table once (units whose ablation hurts the validation loss most).
    case requestImportance
    case stop
}
