import Foundation
import RNNEngine

/// One training run on the calling thread: dataset, model, optimizer and the step loop's bookkeeping.
/// `advance()` (TrainingSession+Advance.swift) is the one step loop body; the CLI calls it directly,
/// `TrainerThread` calls it for the TUI. Not thread-safe: one owner (only `cancellation` may be set
/// from another thread).
public final class TrainingSession {
    /// The run's setup with every live change applied: the one home of each hyperparameter's current
    /// value (the learning rate included; the optimizer holds none).
    public internal(set) var setup: TrainingSetup
    public let dataset: any Dataset
    public let model: RecurrentModel
    public let optimizer: Optimizer
    /// Set (from any thread) to end the current step early; the step is then discarded.
    public let cancellation: CancellationFlag
    /// Completed optimizer steps, the current 0-based epoch and the next batch's index in it.
    public internal(set) var step = 0
    public internal(set) var epoch = 0
    public internal(set) var batchIndex = 0
    public internal(set) var lastTrainLoss = Double.nan
    public internal(set) var bestValidationLoss = Double.infinity
    var evaluationsSinceBest = 0
    public internal(set) var stoppedEarly = false
    /// The evaluation due after the last step was cut short by a stop; the next `advance` does it first.
    var evaluationPending = false
    /// The divergence caught by the last step, if it caught one (the state is already rolled back).
    public internal(set) var lastDivergence: DivergenceReport?
    /// Divergences caught (and rolled back) so far.
    public internal(set) var divergenceCount = 0
    var divergenceRule: DivergenceRule
    let lastGood: LastGoodState
    /// Attached by `attach(to:)`: where the run logs and saves.
    public internal(set) var folder: RunFolder?
    var log: MetricsLog?
    /// Save a checkpoint into the folder every this many steps (nil: only when asked and at the end).
    public var checkpointInterval: Int?
    private var validationCache: (batchSize: Int, sequenceLength: Int, batches: [Batch])?
    var elapsedSeconds = 0.0
    var smoothedTokensPerSecond = 0.0
    /// Compute threads of the model's pool (a resumed run is bit-identical only with the same count).
    public let threadCount: Int

    /// Loads the dataset and builds the model (fresh, or from `setup.initialCheckpoint`), after checking
    /// that its memory estimate fits (`MemoryGuard`). Throws `DatasetError`, `TrainingError`, `ModelError`
    /// or `SafeTensorsError` with a one-line message.
    public init(setup: TrainingSetup, threadCount: Int = 2, cancellation: CancellationFlag = CancellationFlag()) throws {
        try Self.check(setup)
        self.threadCount = threadCount
        self.cancellation = cancellation
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
            try MemoryGuard.check(MemoryEstimate(config: config, batchSize: setup.batchSize, timeSteps: setup.sequenceLength))
            model = RecurrentModel(config: config, seed: setup.seed, threadCount: threadCount)
            try model.loadParameters(checkpoint.checkpoint.tensors)
            self.setup = setup
            self.setup.cell = config.cell
            self.setup.hiddenSize = config.hiddenSize
            self.setup.layerCount = config.layerCount
            if case .embedding(_, let dimension) = config.input { self.setup.embeddingSize = dimension } else { self.setup.embeddingSize = 0 }
        } else {
            try MemoryGuard.check(MemoryEstimate(config: config, batchSize: setup.batchSize, timeSteps: setup.sequenceLength))
            model = RecurrentModel(
                config: config, initScheme: setup.initScheme, unitForgetBias: setup.unitForgetBias,
                seed: setup.seed, threadCount: threadCount)
            self.setup = setup
        }
        model.cancellation = cancellation
        optimizer = Optimizer(parameterCount: model.parameters.count)
        divergenceRule = DivergenceRule(baseline: info.baselineLoss)
        lastGood = LastGoodState(parameterCount: model.parameters.count)
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

    /// Whether the run has reached its end (steps, epochs, early stopping). A divergence is not an end:
    /// the state is rolled back and the driver decides (the CLI stops, the notebook pauses).
    public var isFinished: Bool {
        if stoppedEarly { return true }
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

    /// One optimizer step on the next training batch: forward, BPTT, clipping, update. Returns nil when
    /// `cancellation` ended the step early (nothing changed). A non-finite loss, gradient or weight, or
    /// a runaway loss (`DivergenceRule`), rolls the weights and optimizer state back to the last good
    /// state and sets `lastDivergence`; the step still counts and its metrics are returned.
    /// The last good state is refreshed here (a memcpy) from weights whose loss was just seen healthy.
    @discardableResult
    public func trainStep() -> StepMetrics? {
        let started = DispatchTime.now().uptimeNanoseconds
        let batchSize = setup.batchSize, sequenceLength = setup.sequenceLength
        let batch = dataset.trainBatch(index: batchIndex, epoch: epoch, batchSize: batchSize, sequenceLength: sequenceLength)
        model.dropout = setup.dropout
        model.zeroGradients()
        let carry = dataset.info.statefulBatches && setup.truncatedBPTT
        // A cancelled step leaves the dropout generator and the carried state as they were, so a stop and a
        // resume stay bit-identical to a run that never stopped.
        let dropoutState = model.dropoutRandomState
        if carry { model.keepCarriedState() }
        func cancelled() -> StepMetrics? {
            model.dropoutRandomState = dropoutState
            if carry { model.restoreKeptCarriedState() }
            return nil
        }
        let result = model.forward(batch, training: true, carryState: carry)
        if cancellation.isCancelled { return cancelled() }
        lastDivergence = nil
        var gradientNorm = Double.nan
        let rate = learningRate
        let healthy = divergenceRule.isHealthy(result.loss)
        var cause = divergenceRule.observe(loss: result.loss)
        if cause == nil {
            if healthy, lastGood.isDue(step: step, now: started) {
                // These weights just gave a healthy loss: keep them (and the moments) as the last good state.
                lastGood.take(from: model, optimizer: optimizer, step: step, now: started)
            }
            model.backward()
            if cancellation.isCancelled { return cancelled() }
            gradientNorm = setup.clipNorm.map { GradientClipping.clip(model.gradients, maximumNorm: $0) }
                ?? GradientClipping.globalNorm(model.gradients)
            if gradientNorm.isFinite {
                optimizer.step(parameters: model.parameters, gradients: model.gradients, settings: setup.optimizer,
                               rateFactor: setup.schedule.factor(atStep: step))
                if !model.parameters.allFinite() { cause = .nonFiniteWeights }
            } else {
                cause = .nonFiniteGradient
            }
        }
        lastTrainLoss = result.loss
        step += 1
        if let cause { rollBack(cause: cause, loss: result.loss) }
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

    /// Puts the last good weights and optimizer state back (the step counter and data position go on).
    private func rollBack(cause: DivergenceCause, loss: Double) {
        if lastGood.isEmpty {
            // Only the first step's loss can be non-finite before a state was kept; it updated nothing.
            lastGood.take(from: model, optimizer: optimizer, step: 0, now: DispatchTime.now().uptimeNanoseconds)
        }
        lastGood.restore(into: model, optimizer: optimizer)
        divergenceRule.restart()
        divergenceCount += 1
        lastDivergence = DivergenceReport(step: step, cause: cause, loss: loss, rolledBackToStep: lastGood.step)
    }

    /// The step the last good state is from (-1 before the first step).
    public var lastGoodStep: Int { lastGood.step }

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

    /// Applies a hyperparameter change between steps; returns it with the old value, or nil when it
    /// changes nothing. Refuses values the setup check refuses (one set of limits: `check`, `SetupLimits`),
    /// and a batch size whose memory estimate does not fit.
    public func apply(_ change: HyperparameterChange) throws -> AppliedChange? {
        let old = change.current(in: setup)
        guard old != change else { return nil }
        let candidate = change.applied(to: setup)
        try Self.check(candidate)
        if case .intervention(let intervention) = change {
            try model.setIntervention(intervention)  // refuses units or gates the model does not have
            setup = candidate
        } else if case .batchSize(let size) = change {
            try MemoryGuard.check(MemoryEstimate(config: model.config, batchSize: size, timeSteps: setup.sequenceLength))
            // Keep the position in the epoch proportional; the carried state restarts.
            let progress = Double(batchIndex) / Double(stepsPerEpoch)
            setup = candidate
            batchIndex = min(stepsPerEpoch - 1, Int(progress * Double(stepsPerEpoch)))
            model.resetState()
        } else {
            setup = candidate
        }
        return AppliedChange(step: step + 1, old: old, new: change)
    }

    // MARK: - Checkpoints

    /// A checkpoint of the current weights, with the vocabulary, class names, normalisation and setup.
    public func checkpoint() -> Checkpoint {
        Checkpoint(model: model, extraMetadata: CheckpointMetadata.encode(setup: setup, dataset: dataset.info))
    }
}
