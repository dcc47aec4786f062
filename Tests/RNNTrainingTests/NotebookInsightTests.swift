import Foundation
import RNNEngine
@testable import RNNTraining
import XCTest

/// The notebook's prediction, sentence and surgery numbers (computed on the running session) agree with
/// the headless path that `predict` and `inspect --ablate` take (a checkpoint of the same weights, the
/// same input, `PredictionReader` and `InterventionEvaluation` on the loaded model); and the trainer
/// answers an insight request with an event while the view asks, and stays quiet when it does not.
final class NotebookInsightTests: XCTestCase {
    private func session(dataset: String, steps: Int, configure: (inout TrainingSetup) -> Void = { _ in }) throws -> TrainingSession {
        var setup = TrainingSetup()
        setup.dataset = dataset
        setup.cell = .lstm
        setup.hiddenSize = 8
        setup.batchSize = 8
        setup.sequenceLength = 16
        setup.validationLimit = 32
        setup.seed = 11
        configure(&setup)
        let session = try TrainingSession(setup: setup, threadCount: 1)
        for _ in 0..<steps { session.trainStep() }
        return session
    }

    private func headlessModel(_ session: TrainingSession) throws -> (ValidatedCheckpoint, RecurrentModel) {
        let validated = try ValidatedCheckpoint(session.checkpoint())
        return (validated, try validated.makeModel())
    }

    func testTypedSentenceAndSurgeryAgreeWithTheHeadlessPath() throws {
        let session = try session(dataset: "sentiment", steps: 6) { $0.embeddingSize = 8 }
        let sentence = "a wonderful moving film"
        let notebook = session.classifySentence(sentence)
        XCTAssertNil(notebook.problem)

        let (validated, model) = try headlessModel(session)
        let tokens = try validated.tokenIDs(of: sentence)
        let probe = model.probe(Batch(timeSteps: tokens.count, batchSize: 1, tokens: tokens), gradients: false)
        guard case .classes(let headless) = PredictionReader.prediction(at: probe.timeSteps - 1, probe: probe, batch: nil,
                                                                          context: PredictionContext(checkpoint: validated)) else {
            return XCTFail("a classification expected")
        }
        XCTAssertEqual(notebook.classes.map(\.label), headless.map(\.label))
        for (mine, theirs) in zip(notebook.classes, headless) {
            XCTAssertEqual(mine.probability, theirs.probability, accuracy: 1e-6)
        }

        // Surgery: the notebook's Δ is the loaded model's score on the same validation batches.
        let surgery = Intervention.ablating([0, 3], layer: 0)
        try session.setIntervention(surgery)
        let scores = try XCTUnwrap(session.surgeryComparison(sequences: 32))
        XCTAssertEqual(scores.intervention, surgery)
        let batches = session.validationSample(32)
        let without = try InterventionEvaluation.score(model: model, batches: batches, intervention: nil)
        let with = try InterventionEvaluation.score(model: model, batches: batches, intervention: surgery)
        XCTAssertEqual(scores.without.loss, without.loss, accuracy: 1e-6)
        XCTAssertEqual(scores.with.loss, with.loss, accuracy: 1e-6)
        XCTAssertNotEqual(scores.with.loss, scores.without.loss, "ablating two units changed nothing?")
        // The typed sentence reads through the surgery too, as `predict --ablate 0,3` does.
        try model.setIntervention(surgery)
        let lesioned = model.probe(Batch(timeSteps: tokens.count, batchSize: 1, tokens: tokens), gradients: false)
        guard case .classes(let headlessLesioned) = PredictionReader.prediction(at: lesioned.timeSteps - 1, probe: lesioned, batch: nil,
                                                                                  context: PredictionContext(checkpoint: validated)) else {
            return XCTFail("a classification expected")
        }
        let notebookLesioned = session.classifySentence(sentence)
        XCTAssertEqual(notebookLesioned.classes[0].probability, headlessLesioned[0].probability, accuracy: 1e-6)

        let unreadable = try self.session(dataset: "samples/corpus.txt", steps: 0).classifySentence("hi")
        XCTAssertNotNil(unreadable.problem)
    }

    func testCursorPredictionOfALanguageModelMatchesTheCheckpointsProbe() throws {
        let session = try session(dataset: "samples/corpus.txt", steps: 4)
        let cursor = try XCTUnwrap(session.cursorPrediction(probeIndex: 0, time: 5))
        guard case .nextToken(let top, let trueToken, let rank) = cursor.prediction else { return XCTFail("next tokens expected") }
        XCTAssertEqual(top.count, 5)
        XCTAssertNotNil(trueToken)
        XCTAssertGreaterThanOrEqual(rank ?? 0, 1)
        XCTAssertNil(cursor.trajectory)
        let (validated, model) = try headlessModel(session)
        let (batch, _, _) = session.probeBatch(0)
        let probe = model.probe(batch, gradients: false)
        guard case .nextToken(let headless, _, _) = PredictionReader.prediction(at: 5, probe: probe, batch: batch,
                                                                                 context: PredictionContext(checkpoint: validated)) else {
            return XCTFail("next tokens expected")
        }
        XCTAssertEqual(top.map(\.index), headless.map(\.index))
        XCTAssertEqual(top[0].probability, headless[0].probability, accuracy: 1e-6)
        XCTAssertNil(session.cursorPrediction(probeIndex: 0, time: 10_000))
    }

    func testHorizonForecastFanCoversTheValidationRange() throws {
        let session = try session(dataset: "series", steps: 3) {
            $0.datasetOptions.horizon = 3
            $0.sequenceLength = 6
        }
        let fan = try XCTUnwrap(session.forecastFan())
        XCTAssertEqual(fan.horizon, 3)
        XCTAssertFalse(fan.fans.isEmpty)
        XCTAssertEqual(fan.fans.map(\.origin), Array(stride(from: 0, to: fan.fans.count * 3, by: 3)))
        XCTAssertTrue(fan.fans.allSatisfy { $0.values.count == 3 })
        XCTAssertEqual(fan.actual.count, fan.fans.count > 0 ? fan.actual.count : 0)
        XCTAssertGreaterThanOrEqual(fan.actual.count, (fan.fans.last?.origin ?? 0) + 3)
        XCTAssertNotNil(fan.persistenceRootMeanSquaredError)
        XCTAssertTrue(fan.rootMeanSquaredError.isFinite)
        XCTAssertNil(try self.session(dataset: "series", steps: 0) { $0.sequenceLength = 6 }.forecastFan(), "horizon 1 has no fan")
    }

    func testSurgeryIsRecordedInTheChangeLogAndReadBack() throws {
        let surgery = Intervention(edits: [.init(layer: 0, unit: 5, action: .ablate), .init(layer: 1, unit: 3, action: .clamp(.forget, value: 1))],
                                   appliesDuringTraining: true)
        let changes = [RecordedChange(step: 40, change: .intervention(surgery)), RecordedChange(step: 90, change: .intervention(nil))]
        let lines = changes.compactMap(ChangeLog.line(for:))
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[1], "{\"step\":90,\"field\":\"surgery\",\"value\":null}")
        XCTAssertEqual(try lines.map(ChangeLog.parse), changes)
        for bad in [#"{"step":4,"field":"surgery","value":{"edits":[{"layer":0,"unit":1,"action":"cut"}]}}"#,
                    #"{"step":4,"field":"surgery","value":{"edits":[{"layer":0,"unit":1,"action":"clamp","gate":"f","value":0.5}]}}"#,
                    #"{"step":4,"field":"surgery","value":3}"#] {
            XCTAssertThrowsError(try ChangeLog.parse(bad), bad)
        }
    }

    func testTrainerAnswersInsightRequestsOnlyWhileAsked() throws {
        var setup = TrainingSetup()
        setup.dataset = "samples/corpus.txt"
        setup.hiddenSize = 8
        setup.batchSize = 4
        setup.sequenceLength = 16
        setup.steps = 1_000_000
        setup.seed = 2
        let events = EventLog()
        let trainer = TrainerThread(setup: setup, runDirectory: nil, threadCount: 1, post: { events.append($0) })
        trainer.start()
        defer { trainer.stopAndWait() }
        XCTAssertTrue(events.wait(seconds: 60) { $0.contains { if case .step = $0 { true } else { false } } }, "no step")
        XCTAssertFalse(events.snapshot().contains { if case .insight = $0 { true } else { false } }, "insight nobody asked for")

        trainer.send(.requestInsight(InsightRequest(cursor: .init(probeIndex: 0, time: 3),
                                                    taskOutput: .init(prime: "th", temperature: 0.5, sampleLength: 20))))
        let answered = events.wait(seconds: 60) { events in
            let insights = events.compactMap { event -> InsightSnapshot? in if case .insight(let s) = event { s } else { nil } }
            return insights.contains { $0.cursor?.time == 3 } && insights.contains { $0.sample != nil }
        }
        XCTAssertTrue(answered, "no prediction or sample came back")
        let sample = events.snapshot().compactMap { event -> InsightSnapshot.Sample? in if case .insight(let s) = event { s.sample } else { nil } }.first
        XCTAssertEqual(sample?.prime, "th")
        XCTAssertEqual(sample?.text.count, 20)

        trainer.send(.change(.intervention(.ablating([1], layer: 0))))
        trainer.send(.requestInsight(InsightRequest(surgery: true)))
        XCTAssertTrue(events.wait(seconds: 60) { $0.contains { if case .insight(let s) = $0 { s.surgery != nil } else { false } } },
                      "no surgery score came back")
    }
}

/// Events posted by a trainer, read by the test thread.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [TrainerEvent] = []

    func append(_ event: TrainerEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    func snapshot() -> [TrainerEvent] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }

    /// Polls until `condition` holds on the events so far, or `seconds` pass.
    func wait(seconds: Double, until condition: ([TrainerEvent]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(snapshot()) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition(snapshot())
    }
}
