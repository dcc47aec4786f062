import Foundation
import RNNEngine

/// What one `advance()` did.
public struct StepOutcome: Sendable {
    /// nil when the step was cancelled (then nothing else happened).
    public var metrics: StepMetrics?
    /// The evaluation that was due after the step.
    public var evaluation: EvaluationMetrics?
    /// Set when the step diverged; the state is already rolled back.
    public var divergence: DivergenceReport?
    /// A periodic (or end-of-run) save: the checkpoint's path, or why it failed.
    public var savedCheckpoint: String?
    public var saveError: String?

    public var wasCancelled: Bool { metrics == nil }
}

extension TrainingSession {
    /// Makes `folder` this run's folder: claims it (refusing another model's run folder, writing
    /// config.json) and opens metrics.csv for appending. `checkpointInterval`: save every so many steps.
    public func attach(to folder: RunFolder, checkpointInterval: Int? = nil) throws {
        try folder.claim(for: setup)
        log = try MetricsLog(url: folder.metricsURL)
        self.folder = folder
        self.checkpointInterval = checkpointInterval
    }

    /// The step loop's body, shared by `rnn-tui train` and the notebook's trainer thread: one training
    /// step, its metrics row, divergence handling (rolled back, reported, logged), the evaluation when
    /// due, the periodic save, and the final save when the run reaches its end.
    public func advance() -> StepOutcome {
        guard let metrics = trainStep() else { return StepOutcome() }
        var outcome = StepOutcome(metrics: metrics)
        log?.record(metrics)
        if let divergence = lastDivergence {
            outcome.divergence = divergence
            log?.flush()
            return outcome
        }
        if evaluationDue {
            let evaluation = evaluate()
            if cancellation.isCancelled { return outcome }
            log?.record(evaluation, epoch: epoch, learningRate: learningRate)
            outcome.evaluation = evaluation
        }
        let periodic = checkpointInterval.map { $0 > 0 && step % $0 == 0 } ?? false
        if folder != nil, periodic || isFinished {
            log?.flush()
            do {
                outcome.savedCheckpoint = try save().path
            } catch {
                outcome.saveError = "\(error)"
            }
        }
        return outcome
    }

    /// Writes the current weights (after a divergence: the rolled-back ones) with config.json, through
    /// the run folder's one save path; to `url` instead when given. Flushes metrics.csv first.
    @discardableResult
    public func save(to url: URL? = nil) throws -> URL {
        log?.flush()
        if let url {
            try checkpoint().write(to: url)
            return url
        }
        guard let folder else { throw TrainingError("no run folder to save into; give a path") }
        return try folder.save(checkpoint(), setup: setup)
    }

    /// Writes buffered metrics rows.
    public func flushLog() { log?.flush() }
}
