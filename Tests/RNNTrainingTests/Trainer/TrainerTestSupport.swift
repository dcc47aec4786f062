import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// Small, fast setups and temporary folders for the trainer tests.
enum TrainerTestSupport {
    /// A setup small enough to take a step in a few milliseconds, on `dataset`.
    static func setup(_ dataset: String = "corpus", cell: CellKind = .lstm, steps: Int = 200) -> TrainingSetup {
        var setup = TrainingSetup()
        setup.dataset = dataset
        setup.cell = cell
        setup.hiddenSize = 16
        setup.batchSize = 8
        setup.sequenceLength = 16
        setup.steps = steps
        setup.evaluationInterval = 50
        setup.validationLimit = 32
        return setup
    }

    /// A fresh folder, removed when the test ends.
    static func folder(in testCase: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-trainer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Runs `advance()` until the run ends, diverges or `limit` steps; returns the divergence, if any.
    @discardableResult
    static func run(_ session: TrainingSession, recording recorder: RunRecorder? = nil, limit: Int = 10_000) -> DivergenceReport? {
        var taken = 0
        while !session.isFinished && taken < limit {
            let outcome = session.advance(recording: recorder)
            if let divergence = outcome.divergence { return divergence }
            taken += 1
        }
        return nil
    }

    /// Waits (polling, up to `timeout` seconds) until `condition` holds.
    static func wait(timeout: Double = 60, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }
}
