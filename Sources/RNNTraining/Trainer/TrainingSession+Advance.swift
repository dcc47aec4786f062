import Foundation
import RNNEngine

/// What one `advance(recording:)` did.
public struct StepOutcome: Sendable {
    /// nil when the step was cancelled (then nothing else happened).
    public var metrics: StepMetrics?
    /// The evaluation that was due after the step.
    public var evaluation: EvaluationMetrics?
    /// Set when the step diverged; the state is already rolled back.
    public var divergence: DivergenceReport?
    /// Live changes replayed from the run's change log before this step.
    public var replayed: [AppliedChange] = []
    /// The end-of-run save (the run reached its end with this step): whether the folder was written.
    public var savedAtEnd: Bool?

    public var wasCancelled: Bool { metrics == nil }
}

extension TrainingSession {
    /// The step loop's body, shared by `rnn-tui train` and the notebook's trainer thread: the replayed
    /// changes and periodic save due before the step (`recorder`), one training step and its metrics row,
    /// divergence handling (already rolled back; reported), the evaluation when due (and `best.safetensors`),
    /// and the final save when the run reaches its end. Without a recorder nothing is written.
    public func advance(recording recorder: RunRecorder? = nil) -> StepOutcome {
        var outcome = StepOutcome()
        if evaluationPending {
            // The last step's evaluation was cut short by a stop (and the run resumed since): do it now.
            let evaluation = evaluate()
            if cancellation.isCancelled { return outcome }
            evaluationPending = false
            recorder?.afterEvaluation(evaluation, session: self)
            outcome.evaluation = evaluation
        }
        if let recorder { outcome.replayed = recorder.beforeStep(self) }
        guard let metrics = trainStep() else { return outcome }
        outcome.metrics = metrics
        recorder?.afterStep(metrics, session: self)
        if let divergence = lastDivergence {
            outcome.divergence = divergence
            return outcome
        }
        if evaluationDue {
            let evaluation = evaluate()
            if cancellation.isCancelled {
                evaluationPending = true  // saved with the trainer state; a resumed run evaluates first
                return outcome
            }
            recorder?.afterEvaluation(evaluation, session: self)
            outcome.evaluation = evaluation
        }
        if isFinished, let recorder { outcome.savedAtEnd = recorder.finish(self) }
        return outcome
    }

    /// Whether the last step diverged (and was rolled back); the next healthy step clears it.
    public var diverged: Bool { lastDivergence != nil }
}
