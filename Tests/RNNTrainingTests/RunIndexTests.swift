import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// The runs listing, derived from the folders alone: status (with liveness), steps, best validation
/// loss and baseline, newest first, damaged and foreign folders, labels and deletion.
final class RunIndexTests: XCTestCase {
    private var runs = URL(fileURLWithPath: "/tmp")

    override func setUpWithError() throws {
        runs = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: runs)
    }

    /// Trains a tiny adding-problem run of `steps` steps into runs/`name` (stopped after `stopAt`).
    @discardableResult
    private func makeRun(_ name: String, cell: CellKind = .gru, steps: Int = 6, stopAt: Int? = nil) throws -> RunFolder {
        var setup = TrainingSetup()
        setup.dataset = "adding"
        setup.cell = cell
        setup.hiddenSize = 6
        setup.sequenceLength = 8
        setup.batchSize = 4
        setup.steps = steps
        setup.evaluationInterval = 3
        setup.validationLimit = 8
        setup.datasetOptions.generatedTrainCount = 64
        setup.datasetOptions.generatedValidationCount = 16
        let folder = try RunFolder(path: runs.appendingPathComponent(name).path)
        let session = try TrainingSession(setup: setup, threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: folder)
        while !session.isFinished && session.step < (stopAt ?? steps) {
            recorder.afterStep(try XCTUnwrap(session.trainStep()), session: session)
            if session.evaluationDue { recorder.afterEvaluation(session.evaluate(), session: session) }
        }
        recorder.finish(session)
        return folder
    }

    private func setModified(_ folder: URL, secondsAgo: Double) throws {
        let date = Date(timeIntervalSinceNow: -secondsAgo)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: folder.appendingPathComponent(name).path)
        }
    }

    func testListsRunsNewestFirstWithWhatTheirFoldersSay() throws {
        let old = try makeRun("old", cell: .rnn)
        let new = try makeRun("new", cell: .lstm, steps: 9, stopAt: 4)
        try setModified(old.url, secondsAgo: 3600)
        try setModified(new.url, secondsAgo: 60)
        let entries = RunIndex(directory: runs.path).list()
        XCTAssertEqual(entries.map(\.name), ["new", "old"])
        let stopped = entries[0], finished = entries[1]
        XCTAssertEqual(stopped.status, .stopped)
        XCTAssertEqual(stopped.steps, 4)
        XCTAssertEqual(stopped.setup?.cell, .lstm)
        XCTAssertTrue(stopped.isResumable)
        XCTAssertEqual(finished.status, .finished)
        XCTAssertEqual(finished.steps, 6)
        XCTAssertEqual(finished.dataset, "adding")
        XCTAssertEqual(finished.task, .regression)
        XCTAssertEqual(finished.baselineLoss ?? 0, 1.0 / 6.0, accuracy: 0.02)
        XCTAssertNotNil(finished.bestValidationLoss)
        XCTAssertNil(finished.problem)
    }

    func testDivergedRunSaysSo() throws {
        var setup = TrainingSetup()
        setup.dataset = "adding"
        setup.hiddenSize = 4
        setup.sequenceLength = 6
        setup.datasetOptions.generatedTrainCount = 32
        setup.datasetOptions.generatedValidationCount = 8
        let folder = try RunFolder(path: runs.appendingPathComponent("diverged").path)
        let session = try TrainingSession(setup: setup, threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: folder)
        recorder.afterStep(try XCTUnwrap(session.trainStep()), session: session)
        session.lastDivergence = DivergenceReport(step: 1, cause: .nonFiniteLoss, loss: .nan, rolledBackToStep: 0)
        recorder.finish(session)
        XCTAssertEqual(RunIndex.entry(at: folder.url)?.status, .diverged)
    }

    func testReusedFolderForgetsTheEarlierRunsState() throws {
        let folder = try makeRun("reused")
        XCTAssertTrue(FileManager.default.fileExists(atPath: TrainerState.jsonURL(in: folder.url).path))
        // The same model (another model's run is refused the folder: RunFolderTests).
        var setup = TrainingSetup()
        setup.dataset = "adding"
        setup.cell = .gru
        setup.hiddenSize = 6
        setup.sequenceLength = 8
        setup.datasetOptions.generatedTrainCount = 32
        setup.datasetOptions.generatedValidationCount = 8
        _ = try RunRecorder(session: try TrainingSession(setup: setup, threadCount: 1), folder: folder)
        XCTAssertFalse(FileManager.default.fileExists(atPath: TrainerState.jsonURL(in: folder.url).path))
        XCTAssertThrowsError(try TrainingSession.resume(from: folder))
    }

    /// A long run's metrics.csv is not read whole: the last step comes from its tail.
    func testLargeMetricsFileIsReadFromItsTail() throws {
        let folder = try RunFolder(path: runs.appendingPathComponent("long").path)
        try folder.writeConfig(TrainingSetup())
        var text = MetricsLog.header + "\n"
        let row = ",0,1.234567,,,0.002,0.5,12345.6\n"
        var step = 0
        while text.utf8.count <= RunIndex.metricsScanLimit + 1000 {
            step += 1
            text += "\(step)\(row)"
        }
        text += "\(step),0,,0.5,,0.002,,\n"
        try Data(text.utf8).write(to: folder.metricsURL)
        let entry = try XCTUnwrap(RunIndex.entry(at: folder.url))
        XCTAssertEqual(entry.steps, step)
        XCTAssertNil(entry.bestValidationLoss, "not scanned: the best loss comes from the saved state")
        XCTAssertEqual(entry.status, .stopped)
    }

    func testRunningNeedsALiveProcess() throws {
        let folder = try makeRun("live")
        var status = try RunStatusFile.read(in: folder.url)
        status.status = .running
        status.pid = getpid()
        try status.write(in: folder.url)
        XCTAssertEqual(RunIndex.entry(at: folder.url)?.status, .running)

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        status.pid = child.processIdentifier
        try status.write(in: folder.url)
        XCTAssertEqual(RunIndex.entry(at: folder.url)?.status, .stopped, "a dead owner means the run stopped")
        status.pid = getpid()
        status.host = "another-host"
        try status.write(in: folder.url)
        XCTAssertEqual(RunIndex.entry(at: folder.url)?.status, .stopped)
    }

    func testDamagedFoldersAreListedAndForeignOnesSkipped() throws {
        try makeRun("good")
        let damaged = runs.appendingPathComponent("damaged")
        try FileManager.default.createDirectory(at: damaged, withIntermediateDirectories: true)
        try Data("{ not json".utf8).write(to: damaged.appendingPathComponent("config.json"))
        try Data("step,epoch\nx,y,z\n".utf8).write(to: damaged.appendingPathComponent("metrics.csv"))
        try Data([0xFF, 0x00]).write(to: damaged.appendingPathComponent(RunStatusFile.fileName))
        let foreign = runs.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        try Data("a file, not a folder".utf8).write(to: runs.appendingPathComponent("README"))

        let entries = RunIndex(directory: runs.path).list()
        XCTAssertEqual(Set(entries.map(\.name)), ["good", "damaged"])
        let entry = try XCTUnwrap(entries.first { $0.name == "damaged" })
        XCTAssertNotNil(entry.problem)
        XCTAssertTrue(entry.problem!.contains("config.json"), entry.problem!)
        XCTAssertNil(entry.setup)
        XCTAssertEqual(RunIndex(directory: runs.appendingPathComponent("missing").path).list().count, 0)
    }

    func testLabelAndDelete() throws {
        let folder = try makeRun("labelled")
        let index = RunIndex(directory: runs.path)
        try index.label(folder.url.path, as: "  baseline GRU \n")
        XCTAssertEqual(index.list().first?.displayName, "baseline GRU")
        try index.label(folder.url.path, as: nil)
        XCTAssertEqual(index.list().first?.displayName, "labelled")

        XCTAssertThrowsError(try index.delete("/tmp")) { XCTAssertTrue("\($0)".contains("not a run inside"), "\($0)") }
        var status = try RunStatusFile.read(in: folder.url)
        status.status = .running
        status.pid = getpid()
        try status.write(in: folder.url)
        XCTAssertThrowsError(try index.delete(folder.url.path)) { XCTAssertTrue("\($0)".contains("training now"), "\($0)") }
        status.status = .stopped
        try status.write(in: folder.url)
        try index.delete(folder.url.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.url.path))
    }
}
