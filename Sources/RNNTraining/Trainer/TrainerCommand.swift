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
    /// What the open insight view needs, computed between steps a few times a second while it stays
    /// open (nil: no insight view is open). See `AnalysisPacer`.
    case requestAnalysis(AnalysisRequest?)
    /// Probe `text` (a language model's own tokens) and post it as `TrainerEvent.textProbe`.
    case probeText(String)
    /// Unit surgery from the next step on (nil releases it); see `Intervention`.
    case setIntervention(Intervention?)
    case stop
}
