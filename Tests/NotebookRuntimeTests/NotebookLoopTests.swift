import Foundation
import RNNApp
import RNNEngine
@testable import RNNTraining
import TerminalUI
import XCTest
@testable import NotebookRuntime

/// The real frame loop, driven through a fake screen: frame cap, keys, a real trainer thread, shutdown.
final class NotebookLoopTests: XCTestCase {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func loop(_ screen: FakeScreen, clock: FakeClock? = nil, setup: TrainingSetup = TrainingSetup(),
                      runsFolder: String = "unused-runs", framesPerSecond: Int = 30) -> NotebookLoop {
        let loop: NotebookLoop
        if let clock {
            loop = NotebookLoop(screen: screen, setup: setup, runsFolder: runsFolder, threadCount: 1,
                                framesPerSecond: framesPerSecond, clock: { clock.now })
        } else {
            loop = NotebookLoop(screen: screen, setup: setup, runsFolder: runsFolder, threadCount: 1,
                                framesPerSecond: framesPerSecond)
        }
        loop.onFrame = { [unowned screen] state in screen.latestState = state }
        return loop
    }

    // MARK: Frame cap and keys, on a fake clock

    func testFramesAreCappedAndAKeyIsDrawnAtOnce() {
        let clock = FakeClock()
        let start = clock.now
        var keyTime: UInt64 = 0
        var quitTime: UInt64 = 0
        let screen = FakeScreen(clock: clock, steps: [
            .init("press ? after 1 s", when: { $0.now >= 1.0 }, press: [.character("?")], then: { keyTime = clock.now }),
            .init("quit after 2 s", when: { $0.now >= 2.0 }, press: [.character("q")], then: { quitTime = clock.now }),
        ])
        let exit = loop(screen, clock: clock, framesPerSecond: 10).run()

        XCTAssertFalse(screen.timedOut, "still waiting for: \(screen.remainingSteps)")
        XCTAssertEqual(exit, NotebookLoop.Exit(signal: nil, trainersStillRunning: 0))
        XCTAssertEqual(screen.restoreCount, 1, "the screen is restored once")
        // 10 fps for 2 simulated seconds: about 20 frames, plus the one the key forced.
        XCTAssertTrue((18...24).contains(screen.presentCount), "\(screen.presentCount) frames in 2 s at 10 fps")
        let gaps = zip(screen.presentTimes.dropFirst(), screen.presentTimes).map { $0 - $1 }
        let timerGaps = zip(screen.presentTimes.dropFirst(), gaps).filter { $0.0 != keyTime && $0.0 != quitTime }.map(\.1)
        XCTAssertTrue(timerGaps.allSatisfy { $0 >= 50_000_000 }, "frames closer than half a frame: \(timerGaps)")
        XCTAssertTrue(screen.presentTimes.contains(keyTime), "a key is drawn in the same instant, not at the next deadline")
        XCTAssertGreaterThan(keyTime, start)
    }

    func testKeysTypedTogetherAreAllAppliedBeforeTheNextFrame() {
        let clock = FakeClock()
        let screen = FakeScreen(clock: clock, steps: [
            .init("two downs and help", when: { $0.screen == .setup && $0.form.focus == .cell },
                  press: [.down, .down, .character("?")]),
            .init("quit", when: { $0.isShowingHelp }, press: [.escape, .character("q")]),
        ])
        let loop = loop(screen, clock: clock)
        var framesWithHelp: [SetupField] = []
        let previous = loop.onFrame
        loop.onFrame = { state in
            previous?(state)
            if state.isShowingHelp { framesWithHelp.append(state.form.focus) }
        }
        _ = loop.run()
        XCTAssertFalse(screen.timedOut, "still waiting for: \(screen.remainingSteps)")
        XCTAssertEqual(framesWithHelp.first, SetupField.allCases[2], "the first frame after the keys shows all three applied")
        XCTAssertTrue(loop.state.shouldQuit)
    }

    func testATerminationSignalEndsTheLoopAndRestoresTheScreen() {
        let clock = FakeClock()
        var screenReference: FakeScreen?
        let screen = FakeScreen(clock: clock, timeout: 20, steps: [
            .init("SIGTERM after 0.5 s", when: { $0.now >= 0.5 }, then: { screenReference?.terminationSignal = SIGTERM }),
        ])
        screenReference = screen
        let exit = loop(screen, clock: clock).run()
        XCTAssertFalse(screen.timedOut)
        XCTAssertEqual(exit.signal, SIGTERM, "fired \(screen.firedSteps)")
        XCTAssertEqual(screen.restoreCount, 1)
    }

    func testResizeReachesTheStateAndTheNextFrame() {
        let clock = FakeClock()
        let screen = FakeScreen(clock: clock, steps: [
            FakeScreen.Step(name: "resize", condition: { $0.width == 80 }, inputs: [.resize(width: 100, height: 30)]),
            .init("quit", when: { $0.width == 100 }, press: [.character("q")]),
        ])
        _ = loop(screen, clock: clock).run()
        XCTAssertFalse(screen.timedOut, "still waiting for: \(screen.remainingSteps)")
        XCTAssertEqual(screen.lastFrame?.width, 100)
        XCTAssertEqual(screen.lastFrame?.height, 30)
    }

    // MARK: A real trainer thread

    /// Enter starts a run; space pauses it, n takes exactly one step, + changes the learning rate while
    /// paused; w then q in one go saves a checkpoint before the trainer stops, and quitting waits for it.
    func testKeysDriveARealTrainerAndQuittingSavesWhatWasAskedAndStopsIt() throws {
        let runs = try temporaryFolder()
        var setup = TrainingSetup()
        setup.dataset = "sine"
        setup.cell = .gru
        setup.hiddenSize = 8
        setup.sequenceLength = 16
        setup.batchSize = 4
        setup.evaluationInterval = 10_000
        var pausedStep = 0
        let screen = FakeScreen(timeout: 180, steps: [
            .init("start", when: { $0.screen == .setup }, press: [.enter]),
            .init("pause after 3 steps", when: { ($0.activeRun?.currentStep ?? 0) >= 3 }, press: [.character(" ")]),
            .init("one step", when: { state in
                guard let run = state.activeRun, run.status == .paused else { return false }
                pausedStep = run.currentStep
                return true
            }, press: [.character("n")]),
            .init("double the rate", when: { state in
                guard let run = state.activeRun else { return false }
                return run.status == .paused && run.currentStep == pausedStep + 1
            }, press: [.character("+")]),
            .init("save and quit", when: { ($0.activeRun?.markers.count ?? 0) >= 1 },
                  press: [.character("w"), .character("q")]),
        ])
        let loop = loop(screen, setup: setup, runsFolder: runs.path, framesPerSecond: 30)
        let exit = loop.run()

        XCTAssertFalse(screen.timedOut, "fired \(screen.firedSteps), still waiting for \(screen.remainingSteps)")
        XCTAssertEqual(exit, NotebookLoop.Exit(signal: nil, trainersStillRunning: 0), "every trainer stopped in time")
        XCTAssertEqual(screen.restoreCount, 1)
        let run = try XCTUnwrap(loop.state.activeRun)
        XCTAssertTrue(run.markers.first?.label.hasPrefix("lr ") ?? false, "the mark carries the new rate: \(run.markers)")
        XCTAssertGreaterThan(run.currentStep, 3)
        let folder = try XCTUnwrap(run.summary?.runDirectory, "the trainer reported its run folder")
        let checkpoint = URL(fileURLWithPath: folder).appendingPathComponent("checkpoint.safetensors")
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint.path),
                      "w pressed right before q is saved before the trainer stops: \(checkpoint.path)")
        let frame = try XCTUnwrap(screen.lastFrame).text
        XCTAssertTrue(frame.contains("paused"), "the last frame shows the paused run:\n\(frame)")
    }
}

/// The inbox between trainer threads and the UI thread.
final class TrainerInboxTests: XCTestCase {
    private func snapshot(step: Int) -> GateSnapshot {
        let trace = LayerTrace(gates: [("z", [0.5])], hidden: [0.1], cell: nil)
        let probe = ProbeResult(timeSteps: 1, hiddenSize: 1, layers: [trace], outputs: [], outputSize: 0)
        return GateSnapshot(step: step, cell: .gru, probeIndex: 0, probeCount: 1, labels: ["a"], probe: probe)
    }

    private func describe(_ messages: [AppMessage]) -> [String] {
        messages.map { message in
            guard case .trainer(let runID, let event) = message else { return "other" }
            switch event {
            case .gates(let snapshot): return "\(runID):gates \(snapshot.step)"
            case .status(let status): return "\(runID):status \(status)"
            case .checkpointSaved(let path): return "\(runID):saved \(path)"
            case .gradientFlow(let flow): return "\(runID):flow \(flow.step)"
            case .gateStatistics(let statistics): return "\(runID):statistics \(statistics.step)"
            default: return "\(runID):event"
            }
        }
    }

    func testOnlyTheNewestGateSnapshotOfEachRunIsKeptAndOrderIsKept() {
        let inbox = TrainerInbox()
        inbox.post(runID: 1, .gates(snapshot(step: 1)))
        inbox.post(runID: 1, .status(.running))
        inbox.post(runID: 2, .gates(snapshot(step: 10)))
        inbox.post(runID: 1, .gates(snapshot(step: 2)))
        inbox.post(runID: 1, .checkpointSaved(path: "a"))
        inbox.post(runID: 1, .gates(snapshot(step: 3)))
        XCTAssertEqual(describe(inbox.drain()), ["1:status running", "2:gates 10", "1:saved a", "1:gates 3"])
        XCTAssertEqual(inbox.drain().count, 0, "a drain empties the inbox")
    }

    func testOnlyTheNewestGradientFlowAndStatisticsOfEachRunAreKept() {
        let inbox = TrainerInbox()
        func flow(_ step: Int) -> GradientFlow { GradientFlow(batches: [], cell: .gru, step: step) }
        func statistics(_ step: Int) -> GateStatistics {
            GateStatistics(step: step, cell: .gru, sequences: 0, timestepsCounted: 0, layers: [])
        }
        inbox.post(runID: 1, .gradientFlow(flow(1)))
        inbox.post(runID: 1, .gateStatistics(statistics(1)))
        inbox.post(runID: 1, .gates(snapshot(step: 1)))
        inbox.post(runID: 2, .gradientFlow(flow(5)))
        inbox.post(runID: 1, .gradientFlow(flow(2)))
        inbox.post(runID: 1, .gateStatistics(statistics(2)))
        XCTAssertEqual(describe(inbox.drain()), ["1:gates 1", "2:flow 5", "1:flow 2", "1:statistics 2"])
    }

    func testPostsFromManyThreadsAllArrive() {
        let inbox = TrainerInbox()
        let threads = 4, postsPerThread = 2000
        let collected = DispatchQueue(label: "collect")
        nonisolated(unsafe) var received = 0
        DispatchQueue.concurrentPerform(iterations: threads + 1) { index in
            if index == threads {
                // The UI side drains while the others post.
                for _ in 0..<200 {
                    let count = inbox.drain().count
                    collected.sync { received += count }
                }
            } else {
                for _ in 0..<postsPerThread { inbox.post(runID: index, .status(.running)) }
            }
        }
        let rest = inbox.drain().count
        collected.sync { received += rest }
        XCTAssertEqual(received, threads * postsPerThread)
    }
}
