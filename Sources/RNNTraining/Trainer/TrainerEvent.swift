/// Everything the trainer thread tells the UI. Posted, never drawn by the trainer.
public enum TrainerEvent: Sendable {
    case started(RunSummary)
    case step(StepMetrics)
    case evaluation(EvaluationMetrics)
    case gates(GateSnapshot)
    /// Predictions, samples, task reports and surgery scores the open view asked for (`.requestInsight`).
    case insight(InsightSnapshot)
    /// A live change took effect (before `change.step`).
    case hyperparametersChanged(AppliedChange)
    /// For an open gradient-flow view (`TrainerCommand.requestAnalysis`).
    case gradientFlow(GradientFlow)
    /// For an open gate-statistics view.
    case gateStatistics(GateStatistics)
    /// Text typed in, probed (`TrainerCommand.probeText`); probeIndex −1.
    case textProbe(GateSnapshot)
    case status(TrainerStatus)
    case checkpointSaved(path: String)
    /// Something went wrong that the UI should show (a save that failed, a bad command value).
    case message(String)
}
