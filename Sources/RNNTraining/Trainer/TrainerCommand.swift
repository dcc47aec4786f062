import RNNEngine

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
    /// What the notebook's open view needs computed between steps (nil: nothing is open); see `InsightScheduler`.
    case requestInsight(InsightRequest?)
    /// Compute the unit-importance table once (units whose ablation hurts the validation loss most).
    case requestImportance
    /// What the open insight view needs, computed between steps a few times a second while it stays
    /// open (nil: no insight view is open). See `AnalysisPacer`.
    case requestAnalysis(AnalysisRequest?)
    /// Probe `text` (a language model's own tokens) and post it as `TrainerEvent.textProbe`.
    case probeText(String)
    case stop
}
