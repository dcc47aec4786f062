import Foundation
import RNNEngine

/// One training run on the calling thread: dataset, model, optimizer and the step loop's bookkeeping.
/// The CLI drives it directly; `TrainerThread` drives it for the TUI. Not thread-safe: one owner.
public final class TrainingSession {
    public internal(set) var setup: TrainingSetup
    public let dataset: any Dataset
    public let model: RecurrentModel
    public let optimizer: Optimizer
    /// Completed optimizer steps, the current 0-based epoch and the next batch's index in it.
    public internal(set) var step = 0
    public internal(set) var epoch = 0
    public internal(set) var batchIndex = 0
    public internal(set) var lastTrainLoss = Double.nan
    public internal(set) var bestValidationLoss = Double.infinity
    var evaluationsSinceBest = 0
    public internal(set) var stoppedEarly = false
    public internal(set) var diverged = false
    private var validationCache: (batchSize: Int, sequenceLength: Int, batches: [Batch])?
    var elapsedSeconds = 0.0
    var smoothedTokensPerSecond = 0.0
    /// Compute threads of the model's pool (a resumed run is bit-identical only with the same count).
    public let threadCount: Int

    /// Loads the dataset and builds the model (fresh, or from `setup.initialCheckpoint`).
    /// Throws `DatasetError`, `TrainingError`, `ModelError` or `SafeTensorsError` with a one-line message.
    public init(setup: TrainingSetup, threadCount: Int = 2) throws {
        try Self.check(setup)
        self.threadCount = threadCount
        var options = setup.datasetOptions
        options.seed = setup.seed
        dataset = try DatasetCatalog.load(setup.dataset, sequenceLength: setup.sequenceLength, options: options)
        let info = dataset.info
        let input: InputEncoding
        switch info.input {
        case .tokens(let vocabularySize):
            input = setup.embeddingSize > 0
                ? .embedding(vocabularySize: vocabularySize, dimension: setup.embeddingSize)
                : .oneHot(vocabularySize: vocabularySize)
        case .features(let featureCount):
            input = .numeric(featureCount: featureCount)
        }
        var config = ModelConfig(
            cell: setup.cell, nonlinearity: setup.nonlinearity, gruResetAfter: setup.gruResetAfter, input: input,
            hiddenSize: setup.hiddenSize, layerCount: setup.layerCount, dropout: setup.dropout,
            head: info.head, outputSize: info.outputSize)
        if let path = setup.initialCheckpoint {
            let checkpoint = try ValidatedCheckpoint.load(path: path)
            if let problem = checkpoint.problem(fitting: info) { throw TrainingError("\(path): \(problem)") }
            config = checkpoint.config
            config.dropout = setup.dropout
            model = RecurrentModel(config: config, seed: setup.seed, threadCount: threadCount)
            try model.loadParameters(checkpoint.checkpoint.tensors)
            self.setup = setup
            self.setup.cell = config.cell
            self.setup.hiddenSize = config.hiddenSize
            self.setup.layerCount = config.layerCount
        } else {
            model = RecurrentModel(
                config: config, initScheme: setup.initScheme, unitForgetBias: setup.unitForgetBias,
                seed: setup.seed, threadCount: threadCount)
            self.setup = setup
        }
        optimizer = Optimizer(settings: setup.optimizer, parameterCount: model.parameters.count)
        // A cosine schedule of length 0 spans the whole run (or 10 000 steps when the run is unbounded).
        if case .cosine(0, let minimumFactor) = self.setup.schedule {
            self.setup.schedule = .cosine(totalSteps: totalSteps ?? 10_000, minimumFactor: minimumFactor)
        }
    }

    /// Refuses setups that cannot train, naming the field and what it accepts (`SetupLimits`).
    public static func check(_ setup: TrainingSetup) throws {
        try SetupLimits.hiddenSize.check(setup.hiddenSize)
        try SetupLimits.layerCount.check(setup.layerCount)
        try SetupLimits.embeddingSize.check(setup.embeddingSize)
        try SetupLimits.dropout.check(setup.dropout)
        try SetupLimits.learningRate.check(setup.optimizer.learningRate)
        try SetupLimits.momentum.check(setup.optimizer.momentum)
        try SetupLimits.weightDecay.check(setup.optimizer.weightDecay)
        try SetupLimits.batchSize.check(setup.batchSize)
        try SetupLimits.sequenceLength.check(setup.sequenceLength)
        if let clip = setup.clipNorm { try SetupLimits.clipNorm.check(clip) }
        switch setup.schedule {
        case .constant: break
        case .stepDecay(let interval, let factor):
            try SetupLimits.decayInterval.check(interval)
            try SetupLimits.decayFactor.check(factor)
        case .cosine(let totalSteps, let minimumFactor):
            if totalSteps != 0 { try SetupLimits.steps.check(totalSteps) }  // 0: the run's length
            try SetupLimits.minimumLearningRateFactor.check(minimumFactor)
        }
        if let steps = setup.steps { try SetupLimits.steps.check(steps) }
        if let epochs = setup.epochs { try SetupLimits.epochs.check(epochs) }
        if let patience = setup.earlyStoppingPatience { try SetupLimits.patience.check(patience) }
        try SetupLimits.evaluationInterval.check(setup.evaluationInterval)
        try SetupLimits.validationLimit.check(setup.validationLimit)
        try SetupLimits.validationFraction.check(setup.datasetOptions.validationFraction)
        try SetupLimits.vocabularyCap.check(setup.datasetOptions.vocabularyCap)
        try SetupLimits.horizon.check(setup.datasetOptions.horizon)
        try SetupLimits.outlierZ.check(setup.datasetOptions.outlierZ)
    }

    public var stepsPerEpoch: Int {
        max(1, dataset.trainBatchCount(batchSize: setup.batchSize, sequenceLength: setup.sequenceLength))
    }

    /// Steps the run takes in all, when bounded by steps and/or epochs (whichever is fewer).
    public var totalSteps: Int? {
        let byEpochs = setup.epochs.map { $0 * stepsPerEpoch }
        switch (setup.steps, byEpochs) {
        case (let steps?, let epochs?): return min(steps, epochs)
        case (let steps?, nil): return steps
        case (nil, let epochs?): return epochs
        case (nil, nil): return nil
        }
    }

    public var isFinished: Bool {
        if diverged || stoppedEarly { return true }
        if let totalSteps, step >= totalSteps { return true }
        return false
    }

    public var learningRate: Float { setup.optimizer.learningRate * setup.schedule.factor(atStep: step) }

    public var summary: RunSummary {
        RunSummary(
            setup: setup, dataset: dataset.info, model: model.config, parameterCount: model.parameterCount,
            totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch, runDirectory: nil)
    }

    // MARK: - Steps

    /// One optimizer step on the next training batch: forward, BPTT, clipping, update.
    /// A non-finite loss or gradient marks the run diverged and leaves the weights as they were.
    @discardableResult
    public func trainStep() -> StepMetrics {
        let started = DispatchTime.now().uptimeNanoseconds
        let batchSize = setup.batchSize, sequenceLength = setup.sequenceLength
        let batch = dataset.trainBatch(index: batchIndex, epoch: epoch, batchSize: batchSize, sequenceLength: sequenceLength)
        model.dropout = setup.dropout
        model.zeroGradients()
        let carry = dataset.info.statefulBatches && setup.truncatedBPTT
        let result = model.forward(batch, training: true, carryState: carry)
        var gradientNorm = Double.nan
        let rate = learningRate
        if result.loss.isFinite {
            model.backward()
            gradientNorm = setup.clipNorm.map { GradientClipping.clip(model.gradients, maximumNorm: $0) }
                ?? GradientClipping.globalNorm(model.gradients)
            if gradientNorm.isFinite {
                optimizer.step(parameters: model.parameters, gradients: model.gradients, learningRate: rate)
            } else {
                diverged = true
            }
        } else {
            diverged = true
        }
        lastTrainLoss = result.loss
        step += 1
        batchIndex += 1
        if batchIndex >= stepsPerEpoch {
            batchIndex = 0
            epoch += 1
            model.resetState()
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        elapsedSeconds += seconds
        let rateNow = Double(batch.timeSteps * batch.batchSize) / max(seconds, 1e-9)
        smoothedTokensPerSecond = smoothedTokensPerSecond == 0 ? rateNow : 0.9 * smoothedTokensPerSecond + 0.1 * rateNow
        return StepMetrics(
            step: step, epoch: epoch, epochProgress: Double(batchIndex) / Double(stepsPerEpoch),
            trainLoss: result.loss, learningRate: rate, gradientNorm: gradientNorm,
            tokensPerSecond: smoothedTokensPerSecond, elapsedSeconds: elapsedSeconds, totalSteps: totalSteps)
    }

    /// Whether an evaluation is due after the step just taken (every `evaluationInterval` steps, at each
    /// epoch's end, and at the run's end).
    public var evaluationDue: Bool {
        step > 0 && (step % setup.evaluationInterval == 0 || batchIndex == 0 || isFinished)
    }

    /// Loss (and accuracy, bits per token) on the validation split, each batch from a zero state.
    /// Updates early stopping.
    @discardableResult
    public func evaluate() -> EvaluationMetrics {
        let batchSize = setup.batchSize, sequenceLength = setup.sequenceLength
        if validationCache == nil || validationCache!.batchSize != batchSize || validationCache!.sequenceLength != sequenceLength {
            let batches = dataset.validationBatches(batchSize: batchSize, sequenceLength: sequenceLength, limit: setup.validationLimit)
            validationCache = (batchSize, sequenceLength, batches)
        }
        let info = dataset.info
        var total = 0.0, counted = 0, correct = 0
        var labelMetrics = info.head == .multiLabelLast ? MultiLabelMetrics(labels: info.classNames ?? []) : nil
        for batch in validationCache!.batches {
            let result = model.forward(batch, training: false, carryState: false)
            total += result.loss * Double(result.counted)
            counted += result.counted
            correct += result.correct
            if labelMetrics != nil, let targets = batch.targetValues {
                labelMetrics!.add(logits: model.lastOutputs(), targets: targets, lengths: batch.lengths)
            }
        }
        let loss = counted > 0 ? total / Double(counted) : Double.nan
        var accuracy = info.head.isClassification && counted > 0 ? Double(correct) / Double(counted) : nil
        if let labelMetrics, labelMetrics.rowCount > 0 { accuracy = labelMetrics.subsetAccuracy }
        let bits = info.task == .languageModel ? loss / Foundation.log(2.0) : nil
        if loss < bestValidationLoss {
            bestValidationLoss = loss
            evaluationsSinceBest = 0
        } else {
            evaluationsSinceBest += 1
            if let patience = setup.earlyStoppingPatience, evaluationsSinceBest >= patience { stoppedEarly = true }
        }
        return EvaluationMetrics(
            step: step, validationLoss: loss, validationAccuracy: accuracy, bitsPerToken: bits, labelMetrics: labelMetrics)
    }

    /// The probe sequence's activations now.
    public func gateSnapshot(probeIndex: Int) -> GateSnapshot {
        let count = max(1, dataset.probeCount)
        let index = ((probeIndex % count) + count) % count
        let (batch, labels) = dataset.probe(index: index, sequenceLength: min(setup.sequenceLength, 256))
        let result = model.probe(batch)
        return GateSnapshot(step: step, cell: model.config.cell, probeIndex: index, probeCount: count, labels: labels, probe: result)
    }

    // MARK: - Live changes

    /// Applies a hyperparameter change between steps; returns what changed ("lr 0.002 → 0.001"), or nil
    /// when the command is not a hyperparameter change or changes nothing. Throws for invalid values.
    public func apply(_ command: TrainerCommand) throws -> String? {
        switch command {
        case .setLearningRate(let rate):
            try SetupLimits.learningRate.check(rate)
            let old = setup.optimizer.learningRate
            setup.optimizer.learningRate = rate
            optimizer.settings.learningRate = rate
            return "lr \(Self.short(old)) → \(Self.short(rate))"
        case .setOptimizer(let kind):
            guard kind != setup.optimizer.kind else { return nil }
            let old = setup.optimizer.kind
            setup.optimizer.kind = kind
            optimizer.settings = setup.optimizer
            return "optimizer \(old.rawValue) → \(kind.rawValue)"
        case .setClipNorm(let clip):
            if let clip { try SetupLimits.clipNorm.check(clip) }
            let old = setup.clipNorm
            setup.clipNorm = clip
            return "clip \(old.map { Self.short($0) } ?? "off") → \(clip.map { Self.short($0) } ?? "off")"
        case .setBatchSize(let size):
            try SetupLimits.batchSize.check(size)
            guard size != setup.batchSize else { return nil }
            let old = setup.batchSize
            // Keep the position in the epoch proportional; the carried state restarts.
            let progress = Double(batchIndex) / Double(stepsPerEpoch)
            setup.batchSize = size
            batchIndex = min(stepsPerEpoch - 1, Int(progress * Double(stepsPerEpoch)))
            model.resetState()
            return "batch \(old) → \(size)"
        case .setDropout(let dropout):
            try SetupLimits.dropout.check(dropout)
            let old = setup.dropout
            setup.dropout = dropout
            return "dropout \(Self.short(old)) → \(Self.short(dropout))"
        case .setIntervention(let intervention):
            return try applyIntervention(intervention)  // TrainingSession+Insight.swift
        default:
            return nil
        }
    }

    static func short(_ value: Float) -> String { String(format: "%.3g", Double(value)) }

    // MARK: - Checkpoints

    /// A checkpoint of the current weights, with the vocabulary, class names, normalisation and setup.
    public func checkpoint() -> Checkpoint {
        Checkpoint(model: model, extraMetadata: CheckpointMetadata.encode(setup: setup, dataset: dataset.info))
    }
}
