import Foundation
import Synchronization
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// The notebook's path: a trainer thread stopped by `.stop` leaves a resumable folder, and a trainer
/// resuming it continues with the losses of a run that never stopped.
final class TrainerThreadResumeTests: XCTestCase {
    private var folder = URL(fileURLWithPath: "/tmp")

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-thread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Collects a trainer's events.
    final class Events: Sendable {
        let all = Mutex<[TrainerEvent]>([])
        var post: @Sendable (TrainerEvent) -> Void { { [self] event in all.withLock { $0.append(event) } } }
        var losses: [Double] {
            all.withLock { $0.compactMap { if case .step(let metrics) = $0 { return metrics.trainLoss } else { return nil } } }
        }
        var stepCount: Int { losses.count }
        func has(_ status: TrainerStatus) -> Bool {
            all.withLock { $0.contains { if case .status(let seen) = $0 { return seen == status } else { return false } } }
        }
        /// Waits (up to a generous deadline) until `condition` holds.
        func wait(_ what: String, timeout: Double = 120, until condition: () -> Bool) {
            let deadline = Date().addingTimeInterval(timeout)
            while !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            XCTAssertTrue(condition(), "timed out waiting for \(what)")
        }
    }

    private func setup() -> TrainingSetup {
        var setup = TrainingSetup()
        setup.dataset = "sentiment"
        setup.cell = .lstm
        setup.embeddingSize = 8
        setup.hiddenSize = 8
        setup.layerCount = 2
        setup.dropout = 0.2
        setup.batchSize = 8
        setup.sequenceLength = 10
        setup.evaluationInterval = 5
        setup.validationLimit = 16
        setup.seed = 9
        return setup
    }

    func testStoppedTrainerSavesAndAResumingTrainerContinuesExactly() throws {
        let run = folder.appendingPathComponent("run").path
        let first = Events()
        let trainer = TrainerThread(setup: setup(), runDirectory: run, threadCount: 1, post: first.post)
        trainer.start()
        first.wait("a few steps") { first.stepCount >= 7 }
        trainer.send(.change(.learningRate(0.004)))
        first.wait("the change") { first.all.withLock { $0.contains { if case .hyperparametersChanged = $0 { return true } else { return false } } } }
        XCTAssertTrue(trainer.stopAndWait(timeout: 120))
        let again = Date()
        XCTAssertTrue(trainer.stopAndWait(timeout: 30), "a second wait (the notebook's exit) sees the trainer done")
        XCTAssertLessThan(Date().timeIntervalSince(again), 20)
        XCTAssertTrue(first.has(.stopped))
        let status = try RunStatusFile.read(in: URL(fileURLWithPath: run))
        XCTAssertEqual(status.status, .stopped)
        let stoppedAt = first.stepCount
        XCTAssertEqual(status.step, stoppedAt, "the save at stop holds every step taken")
        let changes = try ChangeLog.read(from: ChangeLog.url(in: URL(fileURLWithPath: run)))
        XCTAssertEqual(changes.map(\.change), [.learningRate(0.004)])

        let total = stoppedAt + 12
        let second = Events()
        let resumed = TrainerThread(resuming: run, steps: total, threadCount: 1, post: second.post)
        resumed.start()
        second.wait("the resumed run to finish") { second.has(.finished) || second.all.withLock { $0.contains { if case .status(.failed) = $0 { return true } else { return false } } } }
        XCTAssertTrue(resumed.stopAndWait(timeout: 120))
        XCTAssertTrue(second.has(.finished), "\(second.all.withLock { $0 })")

        // The same run without a stop: the live change at the same step, straight to `total`.
        var straight = setup()
        straight.steps = total
        let session = try TrainingSession(setup: straight, threadCount: 1)
        var expected: [Double] = []
        let changeStep = changes[0].step
        while !session.isFinished {
            if session.step + 1 == changeStep { _ = try session.apply(.learningRate(0.004)) }
            expected.append(session.trainStep()!.trainLoss)
            if session.evaluationDue { session.evaluate() }
        }
        let losses = first.losses + second.losses
        XCTAssertEqual(losses.map(\.bitPattern), expected.map(\.bitPattern))
        XCTAssertEqual(try RunStatusFile.read(in: URL(fileURLWithPath: run)).status, .finished)

        // Reopening the finished run without more steps trains nothing.
        let third = Events()
        let reopened = TrainerThread(resuming: run, threadCount: 1, post: third.post)
        reopened.start()
        third.wait("the reopened run to start") { third.all.withLock { $0.contains { if case .started = $0 { return true } else { return false } } } }
        XCTAssertTrue(reopened.stopAndWait(timeout: 120))
        XCTAssertEqual(third.stepCount, 0)
        XCTAssertEqual(try RunStatusFile.read(in: URL(fileURLWithPath: run)).status, .finished)
        XCTAssertEqual(try TrainerState.read(from: URL(fileURLWithPath: run)).step, total)
    }
}
