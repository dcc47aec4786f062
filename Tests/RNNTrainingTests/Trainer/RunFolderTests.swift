import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// Durable writes, stale temporary files, one model per folder, append-only metrics.
final class RunFolderTests: XCTestCase {
    // MARK: - Durable writes

    func testDurableWriteReplacesTheFileAndLeavesNoTemporaryFile() throws {
        let folder = try TrainerTestSupport.folder(in: self)
        let url = folder.appendingPathComponent("config.json")
        try DurableFile.write(Data("one".utf8), to: url)
        try DurableFile.write(Data("two".utf8), to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "two")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["config.json"])
    }

    /// A checkpoint streamed to its file is byte for byte what `SafeTensors.encode` builds in memory.
    func testStreamedCheckpointEqualsTheEncodedOne() throws {
        let session = try TrainingSession(setup: TrainerTestSupport.setup(), threadCount: 1)
        let checkpoint = session.checkpoint()
        let url = try TrainerTestSupport.folder(in: self).appendingPathComponent("model.safetensors")
        try checkpoint.write(to: url)
        XCTAssertEqual(try Data(contentsOf: url), SafeTensors.encode(checkpoint.tensors, metadata: checkpoint.metadata))
    }

    func testDurableWriteIntoAMissingFolderNamesThePath() throws {
        let url = try TrainerTestSupport.folder(in: self).appendingPathComponent("missing/config.json")
        XCTAssertThrowsError(try DurableFile.write(Data(), to: url)) { error in
            XCTAssertTrue("\(error)".hasPrefix(url.path + ": cannot create a temporary file"), "\(error)")
        }
    }

    /// Temporary files of dead writers (and this process's, once no write is in flight) are removed;
    /// a live process's are kept; other files are never touched.
    func testStaleTemporaryFilesAreRemovedAndLiveOnesKept() throws {
        let folder = try TrainerTestSupport.folder(in: self)
        let parent = getppid()  // alive for the whole test
        let names = [
            ".checkpoint.safetensors.999999999-12.tmp",  // no such process
            ".checkpoint.safetensors.\(getpid())-5.tmp",  // ours, not in flight
            ".config.json.7C0DA9E4-1111-2222-3333-444455556666.tmp",  // older naming: stale
            ".checkpoint.safetensors.\(parent)-7.tmp",  // a live writer
            "checkpoint.safetensors", "notes.tmp",
        ]
        for name in names { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
        let removed = DurableFile.removeStaleTemporaryFiles(in: folder)
        XCTAssertEqual(Set(removed), Set(names.prefix(3)))
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)), Set(names.suffix(3)))
    }

    func testOpeningARunFolderRemovesStaleTemporaryFiles() throws {
        let folder = try TrainerTestSupport.folder(in: self)
        let stale = folder.appendingPathComponent(".checkpoint.safetensors.999999999-1.tmp")
        try Data(count: 1024).write(to: stale)
        _ = try RunFolder(path: folder.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
    }

    // MARK: - One model per folder

    func testAFolderOfAnotherModelIsRefusedAndTheSameModelReused() throws {
        let path = try TrainerTestSupport.folder(in: self).appendingPathComponent("run").path
        let first = try TrainingSession(setup: TrainerTestSupport.setup(steps: 20), threadCount: 1)
        TrainerTestSupport.run(first, recording: try RunRecorder(session: first, folder: RunFolder(path: path)))
        var other = TrainerTestSupport.setup(steps: 20)
        other.hiddenSize = 24
        let second = try TrainingSession(setup: other, threadCount: 1)
        XCTAssertThrowsError(try RunRecorder(session: second, folder: RunFolder(path: path))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("holds a run of another model"), message)
            XCTAssertTrue(message.contains("H=16") && message.contains("H=24"), message)
        }
        // The refused run wrote nothing: config.json still describes the checkpoint beside it.
        let folder = try RunFolder(path: path)
        XCTAssertEqual(try folder.existingSetup()?.hiddenSize, 16)
        XCTAssertEqual(try Checkpoint.load(from: folder.checkpointURL).config.hiddenSize, 16)
        // The same model may come back to its folder; its metrics history is kept.
        let rowsBefore = try MetricsLog.read(folder.metricsURL).count
        let third = try TrainingSession(setup: TrainerTestSupport.setup(steps: 10), threadCount: 1)
        TrainerTestSupport.run(third, recording: try RunRecorder(session: third, folder: folder))
        let rows = try MetricsLog.read(folder.metricsURL)
        XCTAssertGreaterThan(rows.count, rowsBefore)
        XCTAssertEqual(rows.first?.step, 1)
    }

    func testACheckpointWithoutConfigIsRefused() throws {
        let folder = try TrainerTestSupport.folder(in: self)
        let session = try TrainingSession(setup: TrainerTestSupport.setup(), threadCount: 1)
        try session.checkpoint().write(to: folder.appendingPathComponent(RunFolder.checkpointName))
        XCTAssertThrowsError(try RunRecorder(session: session, folder: RunFolder(path: folder.path))) { error in
            XCTAssertTrue("\(error)".contains("without config.json"), "\(error)")
        }
    }

    /// Every save writes the checkpoint and config.json together: both describe the model and the live setup.
    func testSaveWritesCheckpointAndConfigTogether() throws {
        let folder = try RunFolder(path: try TrainerTestSupport.folder(in: self).path)
        let session = try TrainingSession(setup: TrainerTestSupport.setup(steps: 30), threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: folder, saveEverySteps: 10)
        _ = try session.apply(.learningRate(0.004))
        var savedSteps: Set<Int> = []
        while !session.isFinished {
            _ = session.advance(recording: recorder)
            if let state = try? TrainerState.read(from: folder.url) { savedSteps.insert(state.step) }
        }
        XCTAssertEqual(savedSteps, [10, 20, 30], "saved every 10 steps and at the end")
        // config.json keeps the setup the run started with (changes.jsonl replays over it); the trainer
        // state and the checkpoint's metadata carry the live one.
        XCTAssertEqual(try folder.existingSetup()?.optimizer.learningRate, 0.002)
        XCTAssertEqual(try TrainerState.read(from: folder.url).setup.optimizer.learningRate, 0.004)
        let checkpoint = try ValidatedCheckpoint.load(path: folder.checkpointURL.path)
        XCTAssertEqual(checkpoint.recordedSetup?.optimizer.learningRate, 0.004)
        XCTAssertEqual(checkpoint.config.hiddenSize, try folder.existingSetup()?.hiddenSize)
    }

    // MARK: - metrics.csv

    func testMetricsAreAppendedAndAPartialLastLineIsCutOnReopen() throws {
        let url = try TrainerTestSupport.folder(in: self).appendingPathComponent("metrics.csv")
        do {
            let log = try MetricsLog(url: url, flushInterval: 1)
            log.record(metrics(step: 1))
            log.record(metrics(step: 2))
        }
        // A writer killed mid-row leaves half a line.
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("3,0,4.1".utf8))
        try handle.close()
        XCTAssertEqual(try MetricsLog.read(url).map(\.step), [1, 2], "the reader skips the partial line")
        do {
            let log = try MetricsLog(url: url, flushInterval: 1)
            log.record(metrics(step: 3))
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: MetricsLog.header).count - 1, 1, "one header:\n\(text)")
        XCTAssertEqual(try MetricsLog.read(url).map(\.step), [1, 2, 3])
        XCTAssertFalse(text.contains("4.1\n3"), text)
    }

    func testTheReaderSkipsRowsThatDoNotParseAndKeepsEmptyCellsEmpty() throws {
        let url = try TrainerTestSupport.folder(in: self).appendingPathComponent("metrics.csv")
        let text = MetricsLog.header + "\n1,0,2.5,,,0.002,1.5,100.0\ngarbage\n100,1,,2.25,0.5,0.002,,\n7,0"
        try Data(text.utf8).write(to: url)
        let rows = try MetricsLog.read(url)
        XCTAssertEqual(rows.map(\.step), [1, 100])
        XCTAssertEqual(rows[0].trainLoss, 2.5)
        XCTAssertNil(rows[0].validationLoss)
        XCTAssertEqual(rows[1].validationAccuracy, 0.5)
        XCTAssertNil(rows[1].tokensPerSecond)
        try Data("step,epoch\n".utf8).write(to: url)
        XCTAssertThrowsError(try MetricsLog.read(url))
        try Data("step,epo".utf8).write(to: url)
        XCTAssertEqual(try MetricsLog.read(url), [], "a partial header is an empty log")
    }

    private func metrics(step: Int) -> StepMetrics {
        StepMetrics(step: step, epoch: 0, epochProgress: 0, trainLoss: 4, learningRate: 0.002, gradientNorm: 1,
                    tokensPerSecond: 10, elapsedSeconds: 1, totalSteps: nil)
    }
}
