/// What an open insight view needs from the trainer, computed between steps while that view is open
/// (`TrainerCommand.requestAnalysis`), paced by `AnalysisPacer`.
public enum AnalysisRequest: Sendable, Equatable {
    /// ‖∂L/∂h_t‖ for probe `probeIndex`, or (validation) averaged over a validation sample.
    case gradientFlow(probeIndex: Int, validation: Bool)
    /// Gate saturation, memory time scales, tanh saturation and spectral radius over a validation sample.
    case gateStatistics
}

/// When the trainer computes the open view's insight: at most `maximumRate` times a second, and never
/// more than `budget` of wall time (an insight that takes 40 ms waits 40 ms · (1 − budget) / budget), so
/// training keeps ≥ 1 − budget of its speed with the view open. Only after the weights changed (or a new
/// request): a paused run computes once.
public struct AnalysisPacer: Sendable, Equatable {
    public var minimumInterval: Double
    public var budget: Double
    /// Seconds (monotonic) before which nothing is computed.
    public private(set) var nextTime = 0.0
    /// The step the last insight was of (nil: none yet for the current request).
    public private(set) var lastStep: Int?

    public init(maximumRate: Double = 2, budget: Double = 0.04) {
        minimumInterval = 1 / maximumRate
        self.budget = budget
    }

    /// A new request: the next check is due at once.
    public mutating func reset() {
        nextTime = 0
        lastStep = nil
    }

    public func isDue(now: Double, step: Int) -> Bool {
        now >= nextTime && lastStep != step
    }

    /// An insight of `step` took `cost` seconds, ending at `now`.
    public mutating func record(step: Int, cost: Double, now: Double) {
        lastStep = step
        nextTime = now + max(minimumInterval, cost * (1 - budget) / budget)
    }
}
