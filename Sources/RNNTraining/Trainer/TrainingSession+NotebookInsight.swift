import Foundation
import RNNEngine

/// The notebook's prediction and output views, read from a running session between steps (see
/// `InsightScheduler`). Like the rest of the insight API, none changes the weights, the optimizer or
/// the carried state; the intervention in force applies to all of them.
extension TrainingSession {
    /// The probe's prediction at `time` (`prediction(probeIndex:time:top:)`), and for classifiers how the
    /// decision formed: p(class) after each timestep. Cost: one probe pass of one sequence.
    public func cursorPrediction(probeIndex: Int, time: Int, top: Int = 5) -> InsightSnapshot.CursorPrediction? {
        let (batch, _, index) = probeBatch(probeIndex)
        let probe = model.probe(batch, gradients: false)
        guard (0..<probe.timeSteps).contains(time) else { return nil }
        let context = PredictionContext(dataset: dataset.info)
        let prediction = PredictionReader.prediction(at: time, probe: probe, batch: batch, context: context, top: top)
        var trajectory: [[Double]]?
        switch context.head {
        case .classifyLast: trajectory = PredictionReader.classTrajectory(probe: probe)
        case .multiLabelLast:
            trajectory = (0..<probe.timeSteps).map { time in
                probe.outputs[(time * probe.outputSize)..<((time + 1) * probe.outputSize)].map { 1 / (1 + Foundation.exp(-Double($0))) }
            }
        default: break
        }
        return .init(probeIndex: index, time: time, prediction: prediction, trajectory: trajectory)
    }

    /// Classifiers (single- or multi-label): the class probabilities of a typed text after reading all of
    /// it, tokenised with the dataset's vocabulary; a text the vocabulary cannot read gives the reason.
    /// Cost: one probe pass of the text.
    public func classifySentence(_ text: String) -> InsightSnapshot.Sentence {
        let head = dataset.info.head
        guard head == .classifyLast || head == .multiLabelLast, let vocabulary = dataset.info.vocabulary else {
            return .init(text: text, classes: [], problem: "only text classifiers score a typed sentence")
        }
        let tokens: [Int32]
        do { tokens = try vocabulary.encode(text) } catch { return .init(text: text, classes: [], problem: "\(error)") }
        guard !tokens.isEmpty else { return .init(text: text, classes: [], problem: "the text has no tokens to read") }
        let batch = Batch(timeSteps: tokens.count, batchSize: 1, tokens: tokens)
        let probe = model.probe(batch, gradients: false)
        let prediction = PredictionReader.prediction(at: probe.timeSteps - 1, probe: probe, batch: nil,
                                                     context: PredictionContext(dataset: dataset.info))
        guard case .classes(let classes) = prediction else { return .init(text: text, classes: [], problem: "not a classifier") }
        return .init(text: text, classes: classes, problem: nil)
    }

    /// Forecasts with a horizon K > 1 (nil otherwise): the K-step fans over the validation sample.
    /// Cost: a forward pass of the sample.
    public func forecastFan(sequences: Int = 512) -> ForecastFan? {
        guard dataset.info.head == .regressLast, model.config.outputSize > 1 else { return nil }
        return ForecastFan.measure(model: model, batches: validationSample(sequences), context: PredictionContext(dataset: dataset.info))
    }

    /// The validation sample without and with the intervention in force (nil when there is none).
    /// Cost: two evaluations of the sample.
    public func surgeryComparison(sequences: Int = 256) -> InsightSnapshot.Surgery? {
        guard let intervention = model.intervention, !intervention.isEmpty,
              let scores = try? compareIntervention(intervention, sequences: sequences) else { return nil }
        return .init(intervention: intervention, without: scores.without, with: scores.with)
    }
}
