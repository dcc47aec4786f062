import Foundation
import RNNApp
import RNNEngine
import RNNTraining
import TerminalUI
import XCTest
@testable import NotebookRuntime

/// Never lose a run: every way a notebook run stops (a new run, restart, back to setup and Enter, q,
/// Ctrl-C, SIGTERM, SIGHUP, divergence) leaves its folder with checkpoint, trainer state and a status that
/// is no longer "running"; a comparison trains its runs at once; a past run reopens and resumes.
final class NotebookStopPathTests: XCTestCase {
    private var runsFolder: URL!

    override func setUpWithError() throws {
        runsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-stops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: runsFolder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: runsFolder)
    }

    private var smallSetup: TrainingSetup {
        var setup = TrainingSetup()
        setup.dataset = "sine"
        setup.cell = .gru
        setup.hiddenSize = 8
        setup.sequenceLength = 16
        setup.batchSize = 4
        setup.evaluationInterval = 10_000
        return setup
    }

    private func runFolders() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsFolder.path)) ?? []
        return names.sorted().map { runsFolder.appendingPathComponent($0) }
    }

    private func status(of folder: URL) -> String? {
        (try? RunStatusFile.read(in: folder))?.status.rawValue
    }

    /// Runs the real loop (a real trainer) through `steps` and checks each run folder is complete and stopped.
    @discardableResult
    private func runLoop(_ steps: [FakeScreen.Step], setup: TrainingSetup? = nil, comparison: [AppState.ComparedRun] = [],
                         expectFolders: Int, expectStatus: Set<String> = ["stopped"], signalScreen: ((FakeScreen) -> Void)? = nil,
                         file: StaticString = #filePath, line: UInt = #line) throws -> (NotebookLoop, NotebookLoop.Exit) {
        let screen = FakeScreen(timeout: 180, steps: steps)
        let loop = NotebookLoop(screen: screen, setup: setup ?? smallSetup, runsFolder: runsFolder.path, threadCount: 1,
                                framesPerSecond: 30, shutdownTimeout: 60, comparison: comparison)
        loop.onFrame = { [unowned screen] state in screen.latestState = state }
        signalScreen?(screen)
        let exit = loop.run()
        XCTAssertFalse(screen.timedOut, "fired \(screen.firedSteps), still waiting for \(screen.remainingSteps)", file: file, line: line)
        XCTAssertEqual(exit.trainersStillRunning, 0, file: file, line: line)
        let folders = runFolders()
        XCTAssertEqual(folders.count, expectFolders, "\(folders.map(\.lastPathComponent))", file: file, line: line)
        for folder in folders {
            for name in ["config.json", "metrics.csv", "checkpoint.safetensors", "trainer-state.json", "trainer-state.safetensors"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path),
                              "\(folder.lastPathComponent)/\(name)", file: file, line: line)
            }
            XCTAssertTrue(expectStatus.contains(status(of: folder) ?? "none"), "\(folder.lastPathComponent): \(status(of: folder) ?? "none")",
                          file: file, line: line)
            let state = try TrainerState.read(from: folder)
            XCTAssertGreaterThan(state.step, 0, "the saved state has the steps taken", file: file, line: line)
        }
        return (loop, exit)
    }

    private func stepsReached(_ steps: Int) -> (AppState) -> Bool {
        { state in (state.activeRun?.currentStep ?? 0) >= steps && state.activeRun?.status == .running }
    }

    func testQuitSaves() throws {
        try runLoop([
            .init("start", when: { $0.screen == .setup }, press: [.enter]),
            .init("q", when: stepsReached(3), press: [.character("q")]),
        ], expectFolders: 1)
    }

    func testControlCSaves() throws {
        try runLoop([
            .init("start", when: { $0.screen == .setup }, press: [.enter]),
            .init("Ctrl-C", when: stepsReached(3), press: [.control("c")]),
        ], expectFolders: 1)
    }

    func testSIGTERMAndSIGHUPSave() throws {
        for signal in [SIGTERM, SIGHUP] {
            try? FileManager.default.removeItem(at: runsFolder)
            try FileManager.default.createDirectory(at: runsFolder, withIntermediateDirectories: true)
            var screenReference: FakeScreen?
            let (_, exit) = try runLoop([
                .init("start", when: { $0.screen == .setup }, press: [.enter]),
                .init("signal", when: stepsReached(3), then: { screenReference?.terminationSignal = signal }),
            ], expectFolders: 1, signalScreen: { screenReference = $0 })
            XCTAssertEqual(exit.signal, signal)
        }
    }

    func testRestartSavesTheFirstRun() throws {
        try runLoop([
            .init("start", when: { $0.screen == .setup }, press: [.enter]),
            .init("r", when: stepsReached(3), press: [.character("r")]),
            .init("q", when: { state in state.activeRun?.runID == 2 && (state.activeRun?.currentStep ?? 0) >= 2 }, press: [.character("q")]),
        ], expectFolders: 2)
    }

    func testBackToSetupAndANewRunSavesTheFirstRun() throws {
        try runLoop([
            .init("start", when: { $0.screen == .setup }, press: [.enter]),
            // s then → on the cell field changes the cell, so Enter starts a new run.
            .init("setup", when: stepsReached(3), press: [.character("s"), .right, .enter]),
            .init("q", when: { state in state.activeRun?.runID == 2 && (state.activeRun?.currentStep ?? 0) >= 2 }, press: [.character("q")]),
        ], expectFolders: 2)
    }

    func testADivergedRunIsSavedAsDiverged() throws {
        var setup = smallSetup
        setup.optimizer.kind = .sgd
        setup.optimizer.learningRate = 1e6
        setup.clipNorm = nil
        try runLoop([
            .init("start", when: { $0.screen == .setup }, press: [.enter]),
            .init("q", when: { $0.activeRun?.isDiverged == true }, press: [.character("q")]),
        ], setup: setup, expectFolders: 1, expectStatus: ["diverged"])
    }

    /// `rnn-tui compare`: three runs train at once, each in its named folder; q saves all three; the next
    /// start shows them in the browser, and one reopens and resumes, its step counter continuing.
    func testAComparisonTrainsAllRunsThenTheBrowserResumesOne() throws {
        let compared = [CellKind.rnn, .lstm, .gru].map { cell in
            var setup = smallSetup
            setup.cell = cell
            return AppState.ComparedRun(label: "cell=\(cell.rawValue)", setup: setup, folderName: "cmp-cell-\(cell.rawValue)")
        }
        try runLoop([
            .init("all three step", when: { state in
                state.comparedRunIDs.count == 3 && state.runs.allSatisfy { $0.currentStep >= 3 }
            }, press: [.character("v")]),
            .init("q", when: { $0.activeRun?.label == "cell=lstm" }, press: [.character("q")]),
        ], comparison: compared, expectFolders: 3)
        XCTAssertEqual(runFolders().map(\.lastPathComponent), ["cmp-cell-gru", "cmp-cell-lstm", "cmp-cell-rnn"])

        // Start again: the browser is the first screen, newest first; make the GRU run the newest, resume it.
        let gruFolder = runsFolder.appendingPathComponent("cmp-cell-gru")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)],
                                              ofItemAtPath: gruFolder.appendingPathComponent("metrics.csv").path)
        let savedStep = try TrainerState.read(from: gruFolder).step
        var resumedStep = 0
        let (loop, _) = try runLoop([
            .init("resume", when: { state in
                state.screen == .runs && state.browser.entries.count == 3 && state.browser.selected?.name == "cmp-cell-gru"
            }, press: [.character("r")]),
            .init("steps continue", when: { state in
                guard let run = state.activeRun, !run.isPastRun, run.status == .running else { return false }
                resumedStep = run.currentStep
                return resumedStep >= savedStep + 3
            }, press: [.character("q")]),
        ], expectFolders: 3)
        let gru = try XCTUnwrap(loop.state.activeRun)
        XCTAssertEqual(gru.setup.cell, .gru)
        let stored = try TrainerState.read(from: runsFolder.appendingPathComponent("cmp-cell-gru"))
        XCTAssertGreaterThanOrEqual(stored.step, resumedStep, "the resumed run saved on quit at the step reached")
        XCTAssertEqual(Int(gru.trainLoss.first?.x ?? 0), 1, "the curve starts from the stored history at step 1")
    }

    /// Enter on a past run shows its stored curve and, off the UI thread, its gates probed from its checkpoint;
    /// ] probes the next validation sequence; the folder is not changed by looking.
    func testOpeningAPastRunShowsItsCurveAndGates() throws {
        try runLoop([
            .init("start", when: { $0.screen == .setup }, press: [.enter]),
            .init("q", when: stepsReached(5), press: [.character("q")]),
        ], expectFolders: 1)
        let folder = try XCTUnwrap(runFolders().first)
        let before = try Data(contentsOf: folder.appendingPathComponent("trainer-state.json"))
        try runLoop([
            .init("open", when: { $0.screen == .runs && $0.browser.entries.count == 1 }, press: [.enter, .character("g")]),
            .init("next probe", when: { state in
                guard let run = state.activeRun else { return false }
                return run.trainLoss.appendedCount >= 5 && run.gateSnapshot?.probeIndex == 0 && run.summary != nil
            }, press: [.character("]")]),
            .init("q", when: { $0.activeRun?.gateSnapshot?.probeIndex == 1 }, press: [.character("q")]),
        ], expectFolders: 1)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("trainer-state.json")), before, "opening trains and saves nothing")
    }
}
