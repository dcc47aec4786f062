import RNNEngine

/// The insight views' requests, answered on the trainer's thread between steps.
extension TrainingSession {
    /// The event that answers `request` now (nil when there is nothing to show, e.g. a probe without
    /// targets). Cost: see `gradientFlow(probeIndex:)`, `validationGradientFlow(sequences:)`,
    /// `gateStatistics(sequences:)`.
    public func insightEvent(for request: AnalysisRequest) -> TrainerEvent? {
        switch request {
        case .gradientFlow(let probeIndex, let validation):
            if validation { return .gradientFlow(validationGradientFlow(sequences: 32)) }
            return gradientFlow(probeIndex: probeIndex).map(TrainerEvent.gradientFlow)
        case .gateStatistics:
            return .gateStatistics(gateStatistics(sequences: 32))
        }
    }

    /// `text` through the model as a probe (language models only; at most 256 tokens, the last ones kept),
    /// labelled with its own tokens. Throws naming a token the vocabulary lacks, or when the run is not a
    /// language model. Cost: one forward pass of one sequence.
    public func textProbe(_ text: String) throws -> GateSnapshot {
        guard dataset.info.head == .tokenEveryStep, let vocabulary = dataset.info.vocabulary else {
            throw TrainingError("typed text is probed only by character and word language models")
        }
        let tokens = Array(try vocabulary.encode(text).suffix(256))
        guard !tokens.isEmpty else { throw TrainingError("the typed text has no tokens") }
        var batch = Batch(timeSteps: tokens.count, batchSize: 1)
        batch.tokens = tokens
        let labels = tokens.map { id -> String in
            let token = Int(id) < vocabulary.tokens.count ? vocabulary.tokens[Int(id)] : "?"
            return vocabulary.level == .word ? token : DisplayLabels.character(token)
        }
        return GateSnapshot(step: step, cell: model.config.cell, probeIndex: -1, probeCount: max(1, dataset.probeCount),
                            labels: labels, probe: model.probe(batch, gradients: false))
    }
}
