import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// changes.jsonl: each live change with its step, read back exactly, and replayed to the same losses.
final class ChangeLogTests: XCTestCase {
    private var folder = URL(fileURLWithPath: "/tmp")

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-changes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testEveryChangeRoundTripsExactly() throws {
        let changes = [
            RecordedChange(step: 3, change: .learningRate(0.0007)),
            RecordedChange(step: 3, change: .learningRate(1.0 / 3.0)),
            RecordedChange(step: 5, change: .optimizer(.momentum)),
            RecordedChange(step: 8, change: .clipNorm(nil)),
            RecordedChange(step: 9, change: .clipNorm(0.1)),
            RecordedChange(step: 12, change: .batchSize(7)),
            RecordedChange(step: 20, change: .dropout(0.35)),
        ]
        for change in changes { try ChangeLog.append(change, in: folder) }
        XCTAssertEqual(try ChangeLog.read(from: ChangeLog.url(in: folder)), changes)
        XCTAssertEqual(ChangeLog.line(for: changes[3]), "{\"step\":8,\"field\":\"clip\",\"value\":null}")
    }

    func testBadLinesNameFileAndLine() throws {
        let url = ChangeLog.url(in: folder)
        try Data("{\"step\":1,\"field\":\"lr\",\"value\":0.1}\n{\"step\":2,\"field\":\"momentum\",\"value\":1}\n".utf8).write(to: url)
        XCTAssertThrowsError(try ChangeLog.read(from: url)) { error in
            XCTAssertTrue("\(error)".contains("changes.jsonl:2: \"field\" must be one of lr"), "\(error)")
        }
        try Data("{\"step\":1,\"field\":\"batch\",\"value\":0}\n".utf8).write(to: url)
        XCTAssertThrowsError(try ChangeLog.read(from: url)) { error in
            XCTAssertTrue("\(error)".contains("changes.jsonl:1: batch must be an integer"), "\(error)")
        }
        try Data("not json\n".utf8).write(to: url)
        XCTAssertThrowsError(try ChangeLog.read(from: url)) { error in
            XCTAssertTrue("\(error)".contains("changes.jsonl:1: not a JSON object"), "\(error)")
        }
    }

    private func setup() -> TrainingSetup {
        var setup = TrainingSetup()
        setup.dataset = "sentiment"
        setup.cell = .lstm
        setup.embeddingSize = 8
        setup.hiddenSize = 10
        setup.layerCount = 2
        setup.dropout = 0.2
        setup.batchSize = 8
        setup.sequenceLength = 12
        setup.evaluationInterval = 6
        setup.validationLimit = 16
        setup.seed = 3
        setup.steps = 24
        return setup
    }

    /// A hand-tuned run (changes applied live, as the notebook's keys do) and its replay from
    /// config.json + changes.jsonl give the same losses bit for bit.
    func testReplayGivesTheSameLossesAsTheLiveRun() throws {
        let live: [Int: HyperparameterChange] = [
            4: .learningRate(0.01), 7: .optimizer(.rmsprop), 10: .batchSize(4),
            13: .clipNorm(0.5), 16: .dropout(0.4), 19: .optimizer(.sgd),
        ]
        let original = try RunFolder(path: folder.appendingPathComponent("original").path)
        let session = try TrainingSession(setup: setup(), threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: original)
        var expected: [Double] = []
        while !session.isFinished {
            if let change = live[session.step + 1], let applied = try session.apply(change) {
                recorder.recordChange(applied)
            }
            expected.append(try XCTUnwrap(session.trainStep()).trainLoss)
            if session.evaluationDue { expected.append(session.evaluate().validationLoss) }
        }
        recorder.finish(session)
        XCTAssertEqual(try ChangeLog.read(from: ChangeLog.url(in: original.url)).count, live.count)

        let config = try TrainingSetup.read(configAt: original.url.path)
        let replayFolder = try RunFolder(path: folder.appendingPathComponent("replay").path)
        let replay = try TrainingSession(setup: config, threadCount: 1)
        let replayRecorder = try RunRecorder(
            session: replay, folder: replayFolder, replaying: try ChangeLog.read(from: ChangeLog.url(in: original.url)))
        var losses: [Double] = []
        var applied: [AppliedChange] = []
        while !replay.isFinished {
            applied += replayRecorder.beforeStep(replay)
            losses.append(try XCTUnwrap(replay.trainStep()).trainLoss)
            if replay.evaluationDue { losses.append(replay.evaluate().validationLoss) }
        }
        replayRecorder.finish(replay)
        XCTAssertEqual(applied.count, live.count)
        XCTAssertEqual(losses.map(\.bitPattern), expected.map(\.bitPattern), "replayed losses differ")
        XCTAssertEqual(replay.setup.optimizer.kind, .sgd)
        XCTAssertEqual(
            try ChangeLog.read(from: ChangeLog.url(in: replayFolder.url)),
            try ChangeLog.read(from: ChangeLog.url(in: original.url)), "the replay records the same log")
    }

    /// Changes made after the last save are not part of the saved state, so a resume drops them.
    func testResumeKeepsOnlyTheChangesTheSavedStateIncludes() throws {
        let run = try RunFolder(path: folder.appendingPathComponent("run").path)
        let session = try TrainingSession(setup: setup(), threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: run)
        for _ in 0..<3 { session.trainStep() }
        recorder.recordChange(try XCTUnwrap(try session.apply(.learningRate(0.005))))
        recorder.save(session, status: .running)
        session.trainStep()
        recorder.recordChange(try XCTUnwrap(try session.apply(.dropout(0.1))))  // after the save: lost with a crash
        let resumed = try TrainingSession.resume(from: run)
        XCTAssertEqual(resumed.setup.optimizer.learningRate, 0.005)
        XCTAssertEqual(resumed.setup.dropout, 0.2)
        _ = try RunRecorder(session: resumed, folder: run, resuming: true)
        XCTAssertEqual(try ChangeLog.read(from: ChangeLog.url(in: run.url)), [RecordedChange(step: 4, change: .learningRate(0.005))])
    }
}
