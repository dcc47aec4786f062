import Foundation
import Synchronization
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// The insight views' trainer side: `requestAnalysis` makes the trainer compute gradient flow or gate
/// statistics between steps, paced, and only while asked; `probeText` probes typed text.
final class TrainerInsightTests: XCTestCase {
    final class Events: Sendable {
        let all = Mutex<[TrainerEvent]>([])
        var post: @Sendable (TrainerEvent) -> Void { { [self] event in all.withLock { $0.append(event) } } }
        var steps: Int { all.withLock { $0.filter { if case .step = $0 { true } else { false } }.count } }
        var flows: [GradientFlow] { all.withLock { $0.compactMap { if case .gradientFlow(let flow) = $0 { flow } else { nil } } } }
        var statistics: [GateStatistics] {
            all.withLock { $0.compactMap { if case .gateStatistics(let statistics) = $0 { statistics } else { nil } } }
        }
        var textProbes: [GateSnapshot] { all.withLock { $0.compactMap { if case .textProbe(let snapshot) = $0 { snapshot } else { nil } } } }
        var messages: [String] { all.withLock { $0.compactMap { if case .message(let text) = $0 { text } else { nil } } } }

        func wait(_ what: String, timeout: Double = 120, until condition: () -> Bool) {
            let deadline = Date().addingTimeInterval(timeout)
            while !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            XCTAssertTrue(condition(), "timed out waiting for \(what)")
        }
    }

    private func setup(dataset: String, cell: CellKind) -> TrainingSetup {
        var setup = TrainingSetup()
        setup.dataset = dataset
        setup.cell = cell
        setup.embeddingSize = 8
        setup.hiddenSize = 8
        setup.layerCount = 1
        setup.batchSize = 4
        setup.sequenceLength = 12
        setup.evaluationInterval = 1000
        setup.validationLimit = 16
        setup.steps = 100_000
        setup.seed = 3
        return setup
    }

    func testInsightIsComputedOnlyWhileRequested() throws {
        let events = Events()
        let trainer = TrainerThread(setup: setup(dataset: "adding", cell: .rnn), runDirectory: nil, threadCount: 1, post: events.post)
        trainer.start()
        defer { trainer.stopAndWait() }
        events.wait("some steps") { events.steps >= 3 }
        XCTAssertTrue(events.flows.isEmpty, "no gradient flow before a view asks")
        XCTAssertTrue(events.statistics.isEmpty)

        trainer.send(.requestAnalysis(.gradientFlow(probeIndex: 0, validation: false)))
        events.wait("a probe's gradient flow") { !events.flows.isEmpty }
        let flow = try XCTUnwrap(events.flows.first)
        XCTAssertEqual(flow.source, .probe(index: 0))
        XCTAssertEqual(flow.timeSteps, 12)
        XCTAssertEqual(flow.layers.first?.norms.count, 12)
        XCTAssertNotNil(flow.layers.first?.magnitudes)

        trainer.send(.requestAnalysis(.gradientFlow(probeIndex: 0, validation: true)))
        events.wait("a validation gradient flow") { events.flows.contains { if case .validation = $0.source { true } else { false } } }

        trainer.send(.requestAnalysis(.gateStatistics))
        events.wait("gate statistics") { !events.statistics.isEmpty }
        let layer = try XCTUnwrap(events.statistics.first?.layers.first)
        XCTAssertNotNil(layer.spectralRadius, "a vanilla RNN's statistics carry ρ(W_hh)")
        XCTAssertNotNil(layer.saturatedFraction)

        trainer.send(.requestAnalysis(nil))
        // Once the trainer has taken the nil (a later step was posted after it), nothing more arrives.
        let stepsAtRelease = events.steps
        events.wait("steps after the release") { events.steps >= stepsAtRelease + 3 }
        let flowsAfter = events.flows.count, statisticsAfter = events.statistics.count
        let stepsNow = events.steps
        events.wait("more steps") { events.steps >= stepsNow + 20 }
        XCTAssertEqual(events.flows.count, flowsAfter, "no gradient flow once the view closed")
        XCTAssertEqual(events.statistics.count, statisticsAfter, "no statistics once the view closed")
    }

    func testTypedTextIsProbedWithItsOwnTokensAndBadTextIsAMessage() throws {
        let events = Events()
        var setup = setup(dataset: "corpus", cell: .lstm)
        setup.hiddenSize = 8
        let trainer = TrainerThread(setup: setup, runDirectory: nil, threadCount: 1, post: events.post)
        trainer.start()
        defer { trainer.stopAndWait() }
        events.wait("a step") { events.steps >= 1 }
        trainer.send(.probeText("the cat"))
        events.wait("the typed text's probe") { !events.textProbes.isEmpty }
        let probe = try XCTUnwrap(events.textProbes.first)
        XCTAssertEqual(probe.labels.count, 7)
        XCTAssertEqual(probe.probe.timeSteps, 7)
        XCTAssertEqual(probe.probeIndex, -1)
    }

    func testTypedTextIsRefusedInWordsByAClassifier() throws {
        let session = try TrainingSession(setup: setup(dataset: "sentiment", cell: .gru), threadCount: 1)
        XCTAssertThrowsError(try session.textProbe("good film")) { error in
            XCTAssertTrue("\(error)".contains("language models"), "\(error)")
        }
    }

    func testPacerHoldsTheRateAndTheBudget() {
        var pacer = AnalysisPacer(maximumRate: 2, budget: 0.04)
        XCTAssertTrue(pacer.isDue(now: 0, step: 1))
        pacer.record(step: 1, cost: 0.001, now: 10)
        XCTAssertFalse(pacer.isDue(now: 10.2, step: 2), "at most twice a second")
        XCTAssertTrue(pacer.isDue(now: 10.5, step: 2))
        XCTAssertFalse(pacer.isDue(now: 11, step: 1), "the weights have not changed since")
        pacer.record(step: 2, cost: 0.4, now: 20)
        XCTAssertFalse(pacer.isDue(now: 29, step: 3), "a 0.4 s insight waits 9.6 s: 4 % of wall time")
        XCTAssertTrue(pacer.isDue(now: 29.7, step: 3))
        pacer.reset()
        XCTAssertTrue(pacer.isDue(now: 0, step: 2), "a new request is due at once")
    }
}
