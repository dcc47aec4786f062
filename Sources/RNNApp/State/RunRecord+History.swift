import RNNTraining

extension RunRecord {
    /// A past run as its folder describes it, before its curves are read: its setup, status and label.
    init(runID: Int, entry: RunEntry) {
        self.init(runID: runID, setup: entry.setup ?? TrainingSetup())
        folderPath = entry.path
        label = entry.label
        isPastRun = true
        status = entry.problem != nil && entry.setup == nil ? .failed(entry.problem ?? "damaged") : entry.status.trainerStatus(step: entry.steps)
    }

    /// Fills the curves from the folder's metrics.csv (the train loss through the same EMA as live steps),
    /// before any live step arrives; the step counter continues from the last stored step.
    mutating func load(_ history: MetricsHistory) {
        guard trainLoss.isEmpty, validationLoss.isEmpty else { return }
        for point in history.trainLoss {
            let metrics = StepMetrics(
                step: point.step, epoch: 0, epochProgress: 0, trainLoss: point.loss, learningRate: liveSetup.optimizer.learningRate,
                gradientNorm: 0, tokensPerSecond: 0, elapsedSeconds: 0, totalSteps: liveSetup.steps)
            record(metrics, fromHistory: true)
        }
        for point in history.validationLoss {
            validationLoss.append(x: Double(point.step), y: point.loss)
        }
        if let last = history.validationLoss.last {
            latestEvaluation = EvaluationMetrics(step: last.step, validationLoss: last.loss, validationAccuracy: nil, bitsPerToken: nil)
        }
    }
}
