import RNNEngine

/// What the insight views read from a running session: gradient flow, gate statistics, predictions at a
/// timestep, unit surgery and the importance table. Each call runs on the trainer's thread between steps
/// and returns a Sendable snapshot; none changes the weights, the optimizer or the carried state.
/// "A validation sample" is the first `sequences` sequences of the validation split at the run's
/// sequence length (cut into batches of the run's batch size).
extension TrainingSession {
    /// The probe sequence with the loss's gradient reaching each timestep (nil when the probe has no
    /// targets). Cost: one forward and backward pass of one sequence.
    public func gradientFlow(probeIndex: Int) -> GradientFlow? {
        let (batch, _, index) = probeBatch(probeIndex)
        return GradientFlow(probe: model.probe(batch), cell: model.config.cell, probeIndex: index, step: step)
    }

    /// ‖∂L/∂h_t‖ averaged over a validation sample (one probe is noisy). Cost: a forward and backward
    /// pass of the sample.
    public func validationGradientFlow(sequences: Int = 64) -> GradientFlow {
        let recorded = validationSample(sequences).compactMap { batch in
            model.hiddenGradients(batch).map { (gradients: $0, lengths: batch.lengths) }
        }
        return GradientFlow(batches: recorded, cell: model.config.cell, step: step)
    }

    /// Saturation, memory time scales and (vanilla RNN) tanh saturation and spectral radius over a
    /// validation sample. Cost: a forward pass of the sample, one sequence at a time.
    public func gateStatistics(sequences: Int = 64) -> GateStatistics {
        GateStatistics.measure(model: model, batches: validationSample(sequences), step: step)
    }

    /// The probe's prediction at `time` in the data's own terms (top `top` next tokens and the true one's
    /// rank; class probabilities after reading up to `time`; forecast against target, denormalised).
    public func prediction(probeIndex: Int, time: Int, top: Int = 5) -> TimestepPrediction? {
        let (batch, _, _) = probeBatch(probeIndex)
        let probe = model.probe(batch, gradients: false)
        guard (0..<probe.timeSteps).contains(time) else { return nil }
        return PredictionReader.prediction(at: time, probe: probe, batch: batch, context: PredictionContext(dataset: dataset.info), top: top)
    }

    /// Sets (nil: releases) unit surgery. It applies to evaluation, probes and samples, and to training
    /// steps too when `intervention.appliesDuringTraining`. Throws, changing nothing, when it does not fit.
    public func setIntervention(_ intervention: Intervention?) throws {
        try model.setIntervention(intervention)
    }

    /// `TrainerCommand.setIntervention`: sets or releases the surgery and says what changed, for the
    /// chart's marks ("surgery: ablate l0:3,17 (evaluation only)"; nil when nothing changed).
    public func applyIntervention(_ intervention: Intervention?) throws -> String? {
        let old = model.intervention
        try model.setIntervention(intervention)
        guard model.intervention != old else { return nil }
        return model.intervention.map { "surgery: \($0.summary)" } ?? "surgery released"
    }

    /// The validation sample's loss and accuracy without and with `intervention` (the Δ the notebook shows).
    public func compareIntervention(_ intervention: Intervention, sequences: Int = 256) throws -> (without: InterventionEvaluation.Score, with: InterventionEvaluation.Score) {
        try InterventionEvaluation.compare(model: model, batches: validationSample(sequences), intervention: intervention)
    }

    /// The units whose ablation hurts the validation sample's loss most. Cost: L · H evaluations of it.
    public func unitImportance(layers: [Int]? = nil, sequences: Int = 64) throws -> [UnitImportance] {
        try UnitImportance.table(model: model, batches: validationSample(sequences), layers: layers)
    }

    /// A sample from the current weights (language models; nil otherwise): `length` tokens after `prime`
    /// (tokenised with the dataset's vocabulary), char-rnn style, with the intervention in force. The
    /// carried training state is untouched. Throws when the prime has a token the vocabulary lacks.
    public func sampleText(prime: String = "", length: Int, temperature: Double, seed: UInt64) throws -> String? {
        guard dataset.info.head == .tokenEveryStep, let vocabulary = dataset.info.vocabulary else { return nil }
        var random = SeededRandom(seed: seed)
        return TextSampler.sample(model: model, vocabulary: vocabulary, prime: try vocabulary.encode(prime), length: length,
                                  temperature: temperature, random: &random)
    }

    /// Classification runs: the validation sample's confusion matrix and worst-classified examples (nil
    /// for other heads). Cost: a forward pass of the sample.
    public func classificationReport(sequences: Int = 512, worstCount: Int = 5) -> ClassificationReport? {
        guard dataset.info.head == .classifyLast else { return nil }
        return ClassificationReport.measure(model: model, batches: validationSample(sequences), context: PredictionContext(dataset: dataset.info), worstCount: worstCount)
    }

    /// Forecasting and last-step regression runs: predicted against actual over the validation sample in
    /// original units, RMSE and MAE next to persistence's (nil for other heads). Cost: a forward pass.
    public func forecastReport(sequences: Int = 512) -> ForecastReport? {
        guard dataset.info.head == .regressLast else { return nil }
        return ForecastReport.measure(model: model, batches: validationSample(sequences), context: PredictionContext(dataset: dataset.info))
    }

    func probeBatch(_ probeIndex: Int) -> (batch: Batch, labels: [String], index: Int) {
        let count = max(1, dataset.probeCount)
        let index = ((probeIndex % count) + count) % count
        let (batch, labels) = dataset.probe(index: index, sequenceLength: min(setup.sequenceLength, 256))
        return (batch, labels, index)
    }

    func validationSample(_ sequences: Int) -> [Batch] {
        dataset.validationBatches(batchSize: setup.batchSize, sequenceLength: setup.sequenceLength, limit: max(1, sequences))
    }
}
