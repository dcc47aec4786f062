import RNNTraining

/// A step where a live change took effect, drawn as a tick on the loss chart's x axis.
public struct ChartMarker: Sendable, Equatable {
    /// What changed, with the old and new value, as the trainer applied it.
    public var change: AppliedChange

    public init(change: AppliedChange) { self.change = change }

    public var step: Int { change.step }
    /// The mark's label with its new value (`lr 0.004`, `clip 1`, `batch 64`, `dropout 0.2`), or the
    /// switch for an optimizer (`adam→sgd`).
    public var label: String {
        if case .optimizer = change.new { return change.old.valueText + "→" + change.new.valueText }
        if case .intervention(let intervention) = change.new { return intervention == nil ? "surgery off" : "surgery" }
        return change.new.name + " " + change.new.valueText
    }
    /// Like "lr 0.002 → 0.004".
    public var description: String { change.description }
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
    /// The learning rate in force at each step (the chart's lr track).
    public internal(set) var learningRates = BoundedSeries(capacity: 512)
    /// The x-axis clocks: tokens seen and seconds trained, by step.
    public internal(set) var clock = StepClock()
    /// A name a person gave the run (shown in the chart's legend instead of its settings).
    public internal(set) var label: String?
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
    /// Predictions, samples, task reports and surgery scores (the newest of each).
    public internal(set) var insight = RunInsight()
    /// The run folder, once known (from the trainer's summary, or the folder a past run was opened from).
    public internal(set) var folderPath: String?
    /// Opened from its folder and not training in this notebook (until it is resumed).
    public internal(set) var isPastRun = false
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

    private var appliedBatchSizeOverride: Int?
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
        case .finished, .stopped, .failed: true
        // A diverged run is rolled back and paused: it takes a new learning rate and space.
        case .preparing, .running, .paused, .diverged: false
        }
    }

    public var isDiverged: Bool {
        if case .diverged = status { return true }
        return false
    }

    /// The task, once the trainer said what the dataset is.
    public var task: TaskKind? { summary?.dataset.task }

    /// Whether the two runs train on the same data (name and reading options), so their losses share axes.
    public func hasSameData(as other: RunRecord) -> Bool {
        let name = summary?.dataset.name ?? setup.dataset
        let otherName = other.summary?.dataset.name ?? other.setup.dataset
        var options = setup.datasetOptions, otherOptions = other.setup.datasetOptions
        options.seed = 0
        otherOptions.seed = 0  // another seed draws other samples of the same task
        return name == otherName && options == otherOptions
    }

    /// The step the newest information is from.
    public var currentStep: Int { latestStep?.step ?? 0 }

    /// - fromHistory: a stored step (a past run's metrics.csv): no gradient norm to show.
    mutating func record(_ metrics: StepMetrics, fromHistory: Bool = false) {
        latestStep = metrics
        let x = Double(metrics.step)
        // A resumed run repeats no step its stored history already holds.
        if let last = trainLoss.last, x <= last.x { return }
        trainLoss.append(x: x, y: metrics.trainLoss)
        if metrics.trainLoss.isFinite {
            smoothingAverage = Self.smoothing * smoothingAverage + (1 - Self.smoothing) * metrics.trainLoss
            smoothingCount += 1
            let debias = 1 - pow(Self.smoothing, smoothingCount)
            smoothedTrainLoss.append(x: x, y: smoothingAverage / debias)
        }
        if !fromHistory { gradientNorms.append(metrics.gradientNorm) }
        learningRates.append(x: x, y: Double(metrics.learningRate))
        clock.record(step: metrics.step, tokensPerStep: appliedBatchSize * setup.sequenceLength,
                     elapsedSeconds: metrics.elapsedSeconds)
    }

    /// The batch size the trainer uses now (set at start, then by batch changes as they take effect).
    var appliedBatchSize: Int { appliedBatchSizeOverride ?? setup.batchSize }

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

    mutating func addMarker(_ change: AppliedChange) {
        if case .batchSize(let size) = change.new { appliedBatchSizeOverride = size }
        markers.append(ChartMarker(change: change))
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
