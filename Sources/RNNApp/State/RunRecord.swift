import RNNTraining

/// A step where a live change took effect, drawn as a tick on the loss chart's x axis.
public struct ChartMarker: Sendable, Equatable {
    public var step: Int
    /// Short axis label ("lr", "clip", "batch").
    public var label: String
    /// The trainer's words, like "lr 0.002 → 0.004".
    public var description: String
}

/// Everything the UI keeps about one run: what it is, where it is, and its bounded histories.
/// Memory is flat in the length of the run (bounded series, a ring of gradient norms, capped markers,
/// only the newest gate snapshot).
public struct RunRecord: Sendable {
    public static let maximumMarkers = 64
    /// Smoothing factor of the train-loss EMA (per reported step, debiased like TensorBoard's).
    public static let smoothing = 0.97

    public let runID: Int
    /// The setup the run was started with.
    public internal(set) var setup: TrainingSetup
    /// The setup with the live changes asked for so far (what `+`, `O`, `c`… change next).
    public internal(set) var liveSetup: TrainingSetup
    public internal(set) var summary: RunSummary?
    public internal(set) var status: TrainerStatus = .preparing

    public internal(set) var trainLoss = BoundedSeries()
    public internal(set) var smoothedTrainLoss = BoundedSeries()
    public internal(set) var validationLoss = BoundedSeries()
    public internal(set) var gradientNorms = RecentValues(capacity: 512)
    public internal(set) var markers: [ChartMarker] = []
    public internal(set) var latestStep: StepMetrics?
    public internal(set) var latestEvaluation: EvaluationMetrics?
    /// Only the newest snapshot matters; older ones are dropped as newer arrive.
    public internal(set) var gateSnapshot: GateSnapshot? {
        didSet { gateRanges = gateSnapshot?.probe.layers.map(LayerValueRanges.init) ?? [] }
    }
    /// Per layer of `gateSnapshot`: the ranges of c and h, computed once per snapshot.
    public private(set) var gateRanges: [LayerValueRanges] = []
    public internal(set) var lastCheckpointPath: String?
    /// The newest gradient flow of the probe and of a validation sample (while the view was open).
    public internal(set) var probeGradientFlow: GradientFlow?
    public internal(set) var validationGradientFlow: GradientFlow?
    /// The newest gate statistics, and per layer (vanilla RNN) the spectral radius of W_hh and the
    /// fraction of saturated tanh units against the step, over the run.
    public internal(set) var gateStatistics: GateStatistics?
    public internal(set) var spectralRadiusHistory: [BoundedSeries] = []
    public internal(set) var tanhSaturationHistory: [BoundedSeries] = []
    /// The newest probe of typed text (`TrainerEvent.textProbe`).
    public internal(set) var typedTextSnapshot: GateSnapshot?

    private var smoothingAverage = 0.0
    private var smoothingCount = 0

    init(runID: Int, setup: TrainingSetup) {
        self.runID = runID
        self.setup = setup
        self.liveSetup = setup
    }

    /// True once the trainer will not take more steps.
    public var hasEnded: Bool {
        switch status {
        case .diverged, .finished, .stopped, .failed: true
        case .preparing, .running, .paused: false
        }
    }

    /// The task, once the trainer said what the dataset is.
    public var task: TaskKind? { summary?.dataset.task }

    /// The step the newest information is from.
    public var currentStep: Int { latestStep?.step ?? 0 }

    mutating func record(_ metrics: StepMetrics) {
        latestStep = metrics
        let x = Double(metrics.step)
        trainLoss.append(x: x, y: metrics.trainLoss)
        if metrics.trainLoss.isFinite {
            smoothingAverage = Self.smoothing * smoothingAverage + (1 - Self.smoothing) * metrics.trainLoss
            smoothingCount += 1
            let debias = 1 - pow(Self.smoothing, smoothingCount)
            smoothedTrainLoss.append(x: x, y: smoothingAverage / debias)
        }
        gradientNorms.append(metrics.gradientNorm)
    }

    mutating func record(_ evaluation: EvaluationMetrics) {
        latestEvaluation = evaluation
        validationLoss.append(x: Double(evaluation.step), y: evaluation.validationLoss)
    }

    mutating func record(_ flow: GradientFlow) {
        switch flow.source {
        case .probe: probeGradientFlow = flow
        case .validation: validationGradientFlow = flow
        }
    }

    mutating func record(_ statistics: GateStatistics) {
        gateStatistics = statistics
        for (layer, entry) in statistics.layers.enumerated() {
            while spectralRadiusHistory.count <= layer { spectralRadiusHistory.append(BoundedSeries(capacity: 512)) }
            while tanhSaturationHistory.count <= layer { tanhSaturationHistory.append(BoundedSeries(capacity: 512)) }
            if let radius = entry.spectralRadius { spectralRadiusHistory[layer].append(x: Double(statistics.step), y: radius) }
            if let fraction = entry.saturatedFraction { tanhSaturationHistory[layer].append(x: Double(statistics.step), y: fraction) }
        }
    }

    mutating func addMarker(step: Int, description: String) {
        let label = description.split(separator: " ").first.map(String.init) ?? "change"
        markers.append(ChartMarker(step: step, label: String(label.prefix(6)), description: description))
        if markers.count > Self.maximumMarkers { markers.removeFirst(markers.count - Self.maximumMarkers) }
    }
}

/// x to the power n for a whole n ≥ 0, without Foundation.
private func pow(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    var factor = base
    var remaining = exponent
    while remaining > 0 {
        if remaining & 1 == 1 { result *= factor }
        factor *= factor
        remaining >>= 1
    }
    return result
}
