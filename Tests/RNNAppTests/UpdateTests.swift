import RNNEngine
import RNNTraining
import TerminalUI
import XCTest
@testable import RNNApp

/// Key sequences give the right effects and state transitions.
final class UpdateTests: XCTestCase {
    private func freshState() -> AppState {
        AppState(datasetEntries: Fixtures.entries, colorMode: .palette256)
    }

    private func press(_ keys: [Key], on state: inout AppState) -> [AppEffect] {
        keys.flatMap { state.update(.key($0)) }
    }

    private func type(_ text: String, on state: inout AppState) -> [AppEffect] {
        press(text.map { Key.character($0) }, on: &state)
    }

    // MARK: Setup

    func testEnterStartsTheDefaultSetup() {
        var state = freshState()
        let effects = state.update(.key(.enter))
        XCTAssertEqual(effects, [.startRun(runID: 1, setup: TrainingSetup())])
        XCTAssertEqual(state.screen, .training)
        XCTAssertEqual(state.activeRunID, 1)
    }

    func testEditedSetupIsStarted() {
        var state = freshState()
        _ = press([.right], on: &state)  // cell LSTM → GRU
        _ = press([.down, .down, .down], on: &state)  // layers
        _ = press([.right], on: &state)  // 2 layers
        _ = press([.down], on: &state)  // hidden size
        _ = type("256", on: &state)
        _ = press([.down], on: &state)  // commits 256
        _ = press([.down, .right], on: &state)  // dropout 0.1
        _ = press([.down, .left], on: &state)  // optimizer adam → rmsprop
        _ = press([.down], on: &state)  // learning rate
        _ = type("0.01", on: &state)
        let effects = press([.enter], on: &state)
        var expected = TrainingSetup()
        expected.cell = .gru
        expected.layerCount = 2
        expected.hiddenSize = 256
        expected.dropout = 0.1
        expected.optimizer.kind = .rmsprop
        expected.optimizer.learningRate = 0.01
        XCTAssertEqual(effects, [.startRun(runID: 1, setup: expected)])
    }

    func testBadTypedValueKeepsTheOldOneAndDoesNotStart() {
        var state = freshState()
        _ = press([.down, .down, .down, .down], on: &state)  // hidden size
        XCTAssertEqual(state.form.focus, .hiddenSize)
        _ = type("0", on: &state)
        let effects = press([.enter], on: &state)
        XCTAssertEqual(effects, [])
        XCTAssertEqual(state.form.setup.hiddenSize, 128)
        XCTAssertEqual(state.screen, .setup)
        XCTAssertTrue(state.form.error?.contains("hidden size '0'") ?? false, state.form.error ?? "no error")
        _ = press([.escape], on: &state)
        XCTAssertNil(state.form.error)
    }

    func testDatasetChoicesCycleThroughEntriesAndATypedPath() {
        var state = freshState()
        _ = press([.up, .up, .up], on: &state)  // wraps past outliers and horizon to the dataset
        XCTAssertEqual(state.form.focus, .dataset)
        XCTAssertEqual(state.form.datasetName, "samples/corpus.txt")
        _ = press([.right], on: &state)
        XCTAssertEqual(state.form.datasetName, "adding")
        _ = press([.left, .left], on: &state)
        XCTAssertTrue(state.form.isPathChosen)
        _ = type("q/data.csv", on: &state)  // q is typed, not quit
        XCTAssertFalse(state.shouldQuit)
        _ = press([.backspace], on: &state)
        XCTAssertEqual(state.form.typedPath, "q/data.cs")
        XCTAssertEqual(press([.enter], on: &state), [], "a path to no file does not start")
        XCTAssertTrue(state.form.error?.contains("'q/data.cs': no such file") ?? false, state.form.error ?? "no error")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-update-\(getpid()).txt")
        try? "some text\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        _ = press([.down, .up], on: &state)  // back on the path: selected, so typing replaces it
        XCTAssertTrue(state.form.isPathSelected)
        _ = type(file.path, on: &state)
        let effects = press([.enter], on: &state)
        guard case .startRun(_, let setup)? = effects.last else { return XCTFail("no run started: \(effects)") }
        XCTAssertEqual(setup.dataset, file.path)
    }

    /// The forecast horizon is typed or stepped through presets and refused outside its limits; the outlier
    /// policy cycles; both reach the run's dataset options.
    func testHorizonAndOutlierFields() {
        var state = freshState()
        _ = press([.up, .up], on: &state)
        XCTAssertEqual(state.form.focus, .horizon)
        XCTAssertEqual(state.form.valueText(.horizon), "1 (next value)")
        _ = type("6", on: &state)
        _ = press([.down], on: &state)
        XCTAssertEqual(state.form.setup.datasetOptions.horizon, 6)
        XCTAssertEqual(state.form.focus, .outliers)
        _ = press([.right], on: &state)
        XCTAssertEqual(state.form.setup.datasetOptions.outliers, .clip)
        XCTAssertEqual(state.form.valueText(.outliers), "clip (z > 6)")
        _ = press([.up, .right], on: &state)
        XCTAssertEqual(state.form.setup.datasetOptions.horizon, 12, "the next preset above 6")
        _ = type("0", on: &state)
        _ = press([.down], on: &state)
        XCTAssertEqual(state.form.setup.datasetOptions.horizon, 12)
        XCTAssertTrue(state.form.error?.contains("forecast horizon '0' is not allowed") ?? false, state.form.error ?? "no error")
    }

    func testEmptyPathDoesNotStart() {
        var setup = TrainingSetup()
        setup.dataset = ""
        var state = AppState(datasetEntries: [], colorMode: .none, setup: setup)
        XCTAssertEqual(state.update(.key(.enter)), [])
        XCTAssertNotNil(state.form.error)
    }

    // MARK: Live changes

    func testLearningRateKeys() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        XCTAssertEqual(press([.character("+")], on: &state), [.send(runID: 1, .setLearningRate(0.004))])
        XCTAssertEqual(press([.character("+")], on: &state), [.send(runID: 1, .setLearningRate(0.008))])
        XCTAssertEqual(press([.character("-")], on: &state), [.send(runID: 1, .setLearningRate(0.004))])
        _ = press([.character("=")], on: &state)
        XCTAssertNotNil(state.prompt)
        _ = press(Array(repeating: .backspace, count: 10), on: &state)
        XCTAssertEqual(type("3e-4q", on: &state), [], "keys go to the prompt while typing")
        XCTAssertFalse(state.shouldQuit)
        _ = press([.backspace], on: &state)
        XCTAssertEqual(press([.enter], on: &state), [.send(runID: 1, .setLearningRate(3e-4))])
        XCTAssertNil(state.prompt)

        _ = press([.character("=")], on: &state)
        _ = press(Array(repeating: .backspace, count: 10), on: &state)
        _ = type("fast", on: &state)
        XCTAssertEqual(press([.enter], on: &state), [])
        XCTAssertEqual(state.notice?.isError, true)
        _ = press([.character("=")], on: &state)
        XCTAssertEqual(press([.escape], on: &state), [])
        XCTAssertNil(state.prompt)
    }

    func testOptimizerClipBatchDropoutKeys() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        XCTAssertEqual(press([.character("O")], on: &state), [.send(runID: 1, .setOptimizer(.adamw))])
        XCTAssertEqual(press([.character("O")], on: &state), [.send(runID: 1, .setOptimizer(.sgd))])
        XCTAssertEqual(press([.character("c")], on: &state), [.send(runID: 1, .setClipNorm(10))])
        XCTAssertEqual(press([.character("c")], on: &state), [.send(runID: 1, .setClipNorm(nil))])
        XCTAssertEqual(press([.character("b")], on: &state), [.send(runID: 1, .setBatchSize(16))])
        XCTAssertEqual(press([.character("B"), .character("B")], on: &state),
                       [.send(runID: 1, .setBatchSize(32)), .send(runID: 1, .setBatchSize(64))])
        XCTAssertEqual(press([.character("D")], on: &state), [.send(runID: 1, .setDropout(0.1))])
        XCTAssertEqual(press([.character("d"), .character("d")], on: &state),
                       [.send(runID: 1, .setDropout(0)), .send(runID: 1, .setDropout(0))])
        XCTAssertEqual(state.activeRun?.liveSetup.optimizer.kind, .sgd)
        XCTAssertEqual(state.activeRun?.liveSetup.batchSize, 64)
    }

    func testPauseResumeAndSingleStep() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        XCTAssertEqual(press([.character("n")], on: &state), [], "no single step while running")
        XCTAssertEqual(press([.character(" ")], on: &state), [.send(runID: 1, .pause)])
        _ = state.update(.trainer(runID: 1, .status(.paused)))
        XCTAssertEqual(press([.character("n")], on: &state), [.send(runID: 1, .stepOnce)])
        XCTAssertEqual(press([.character(" ")], on: &state), [.send(runID: 1, .resume)])
    }

    func testCommandsAfterTheRunEndedAreNotSent() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        _ = state.update(.trainer(runID: 1, .status(.finished)))
        XCTAssertEqual(press([.character("+"), .character(" "), .character("c")], on: &state), [])
        XCTAssertNotNil(state.notice)
        XCTAssertEqual(press([.character("w")], on: &state), [.send(runID: 1, .saveCheckpoint(path: nil))])
    }

    func testHyperparameterChangeAddsAChartMarker() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        _ = state.update(.trainer(runID: 1, .hyperparametersChanged(step: 6, description: "clip 5 → 10")))
        XCTAssertEqual(state.activeRun?.markers.last, ChartMarker(step: 6, label: "clip 10", description: "clip 5 → 10"))
        let text = Fixtures.rendered(state).text
        XCTAssertTrue(text.contains("clip 10"), text)
    }

    // MARK: Runs

    func testRestartStopsTheOldRunAndKeepsItsHistory() {
        var state = Fixtures.trainingState(.languageModel, steps: 50)
        let effects = press([.character("r")], on: &state)
        XCTAssertEqual(effects, [.send(runID: 1, .stop), .startRun(runID: 2, setup: Fixtures.setup(.languageModel))])
        XCTAssertEqual(state.activeRunID, 2)
        XCTAssertEqual(state.comparisonRun?.runID, 1)
        // A late event of run 1 updates run 1 only.
        _ = state.update(.trainer(runID: 1, .step(StepMetrics(step: 51, epoch: 0, epochProgress: 0.1, trainLoss: 1,
            learningRate: 0.002, gradientNorm: 1, tokensPerSecond: 1, elapsedSeconds: 1, totalSteps: nil))))
        XCTAssertEqual(state.runs.first { $0.runID == 1 }?.currentStep, 51)
        XCTAssertEqual(state.activeRun?.currentStep, 0)
        // Events for a run nobody started are ignored.
        _ = state.update(.trainer(runID: 99, .status(.failed("x"))))
        XCTAssertNil(state.notice)
    }

    func testBackToSetupThenEnterStartsANewRunWithTheChangedStructure() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        _ = press([.character("+")], on: &state)
        _ = press([.character("s")], on: &state)
        XCTAssertEqual(state.screen, .setup)
        XCTAssertEqual(state.form.setup.optimizer.learningRate, 0.004, "setup starts from the live values")
        _ = press([.escape], on: &state)
        XCTAssertEqual(state.screen, .training)
        _ = press([.character("s"), .right], on: &state)  // LSTM → GRU
        let effects = press([.enter], on: &state)
        var expected = Fixtures.setup(.languageModel)
        expected.cell = .gru
        expected.optimizer.learningRate = 0.004
        XCTAssertEqual(effects, [.send(runID: 1, .stop), .startRun(runID: 2, setup: expected)])
    }

    func testKeptRunsAreBounded() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        for _ in 0..<AppState.maximumKeptRuns + 2 { _ = press([.character("r")], on: &state) }
        XCTAssertEqual(state.runs.count, AppState.maximumKeptRuns)
        XCTAssertEqual(state.activeRunID, AppState.maximumKeptRuns + 3)
    }

    func testFailureAndMessagesAreShownNotFatal() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        _ = state.update(.trainer(runID: 1, .message("could not write runs/x/checkpoint.safetensors: disk full")))
        XCTAssertEqual(state.notice?.isError, true)
        _ = state.update(.trainer(runID: 1, .status(.failed("out of memory"))))
        XCTAssertEqual(state.activeRun?.status, .failed("out of memory"))
        XCTAssertTrue(state.notice?.text.contains("out of memory") ?? false)
        XCTAssertTrue(Fixtures.rendered(state).text.contains("✕ failed"))
        _ = state.update(.tick(seconds: 1000))
        XCTAssertNotNil(state.notice, "errors stay until dismissed")
        _ = press([.escape], on: &state)
        XCTAssertNil(state.notice)
    }

    func testPlainNoticesExpireWithTime() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        _ = state.update(.tick(seconds: 10))
        _ = state.update(.trainer(runID: 1, .checkpointSaved(path: "runs/a/step-5.safetensors")))
        XCTAssertEqual(state.notice?.text, "checkpoint saved: runs/a/step-5.safetensors")
        _ = state.update(.tick(seconds: 12))
        XCTAssertNotNil(state.notice)
        _ = state.update(.tick(seconds: 10 + Notice.lifetime + 0.1))
        XCTAssertNil(state.notice)
    }

    // MARK: Views, help, quit

    func testViewKeysAndHelp() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        XCTAssertEqual(press([.tab], on: &state), [.send(runID: 1, .requestGates(probeIndex: 0))])
        XCTAssertEqual(state.screen, .gates)
        _ = press([.tab], on: &state)
        XCTAssertEqual(state.screen, .training)
        _ = press([.character("g")], on: &state)
        XCTAssertEqual(state.screen, .gates)
        _ = press([.character("l")], on: &state)
        XCTAssertEqual(state.screen, .training)
        _ = press([.character("?")], on: &state)
        XCTAssertTrue(state.isShowingHelp)
        XCTAssertEqual(press([.character("+")], on: &state), [], "help swallows other keys")
        _ = press([.escape], on: &state)
        XCTAssertFalse(state.isShowingHelp)
        _ = press([.character("e"), .character("L")], on: &state)
        XCTAssertEqual(state.chart, ChartOptions(smoothing: false, logScale: true))
    }

    func testQuitFromEveryScreen() {
        var setup = freshState()
        XCTAssertEqual(setup.update(.key(.character("q"))), [.quit])
        XCTAssertTrue(setup.shouldQuit)
        var training = Fixtures.trainingState(.languageModel, steps: 5)
        XCTAssertEqual(training.update(.key(.character("q"))), [.quit])
        var gates = Fixtures.gateState(cell: .lstm)
        XCTAssertEqual(gates.update(.key(.control("c"))), [.quit])
        XCTAssertTrue(gates.shouldQuit)
    }

    // MARK: Gate view

    func testGateCursorMovesClampsAndPages() {
        var state = Fixtures.gateState(cell: .lstm)  // H 24, T 60, cursor (5, 17), 2 units a page at 80×24
        XCTAssertEqual(state.gates.unit, 5)
        XCTAssertEqual(state.gates.timestep, 17)
        XCTAssertEqual(state.gateLayout.unitOffset(for: state.gates.unit), 4)
        _ = press([.pageDown], on: &state)
        XCTAssertEqual(state.gates.unit, 7)
        XCTAssertEqual(state.gateLayout.unitOffset(for: state.gates.unit), 6)
        _ = press(Array(repeating: .pageDown, count: 50), on: &state)
        XCTAssertEqual(state.gates.unit, 23)
        _ = press([.end], on: &state)
        XCTAssertEqual(state.gates.timestep, 59)
        XCTAssertEqual(state.gates.timeOffset, 60 - state.gateLayout.visibleTimesteps)
        _ = press(Array(repeating: .right, count: 5), on: &state)
        XCTAssertEqual(state.gates.timestep, 59)
        _ = press([.home], on: &state)
        XCTAssertEqual(state.gates.timeOffset, 0)
        _ = press(Array(repeating: .up, count: 99), on: &state)
        XCTAssertEqual(state.gates.unit, 0)
    }

    func testProbeAndLayerKeys() {
        var state = Fixtures.gateState(cell: .gru)
        XCTAssertEqual(press([.character("]")], on: &state), [.send(runID: 1, .requestGates(probeIndex: 1))])
        XCTAssertEqual(press([.character("["), .character("[")], on: &state),
                       [.send(runID: 1, .requestGates(probeIndex: 0)), .send(runID: 1, .requestGates(probeIndex: 7))])
        _ = press([.character(">")], on: &state)
        XCTAssertEqual(state.gates.layer, 1)
        _ = press([.character(">")], on: &state)
        XCTAssertEqual(state.gates.layer, 0, "wraps around the 2 layers")
        _ = press([.character("f")], on: &state)
        XCTAssertEqual(state.gates.focusedPanel, 0)
        _ = press(Array(repeating: .character("f"), count: 4), on: &state)
        XCTAssertNil(state.gates.focusedPanel, "r z n h then back to all")
    }

    func testOnlyTheNewestGateSnapshotIsKept() {
        var state = Fixtures.gateState(cell: .lstm)
        _ = state.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: .lstm, timeSteps: 10, hiddenSize: 4, step: 1300))))
        XCTAssertEqual(state.activeRun?.gateSnapshot?.step, 1300)
        XCTAssertEqual(state.gates.unit, 3, "cursor clamped into the smaller snapshot")
        XCTAssertEqual(state.gates.timestep, 9)
        _ = Fixtures.rendered(state)
    }

    func testResizeAndTooSmall() {
        var state = Fixtures.gateState(cell: .lstm, width: 120, height: 40)
        _ = state.update(.resize(width: 79, height: 24))
        XCTAssertTrue(Fixtures.rendered(state).text.contains("have 79×24"))
        _ = state.update(.resize(width: 80, height: 24))
        XCTAssertFalse(Fixtures.rendered(state).text.contains("too small"))
        _ = state.update(.resize(width: 0, height: 0))
        _ = Fixtures.rendered(state)
    }
}

/// Odd inputs never trap: empty or tiny snapshots, extreme values, any window size.
final class RobustnessTests: XCTestCase {
    func testDegenerateSnapshotsAndValuesRenderAtManySizes() {
        var state = Fixtures.trainingState(.regression, steps: 3)
        for loss in [1e300, 0, -1, .infinity, .nan, 1e-300] {
            _ = state.update(.trainer(runID: 1, .step(StepMetrics(step: 4, epoch: 0, epochProgress: 2, trainLoss: loss,
                learningRate: .infinity, gradientNorm: loss, tokensPerSecond: loss, elapsedSeconds: 1e300, totalSteps: 5))))
            _ = state.update(.trainer(runID: 1, .evaluation(EvaluationMetrics(step: 4, validationLoss: loss,
                validationAccuracy: loss, bitsPerToken: nil))))
        }
        _ = state.update(.trainer(runID: 1, .hyperparametersChanged(step: Int.max / 4, description: "")))
        let empty = ProbeResult(timeSteps: 0, hiddenSize: 0, layers: [], outputs: [], outputSize: 0)
        let noUnits = ProbeResult(timeSteps: 3, hiddenSize: 0, layers: [LayerTrace(gates: [], hidden: [], cell: nil)],
                                  outputs: [], outputSize: 0)
        let wild = ProbeResult(timeSteps: 2, hiddenSize: 1, layers: [LayerTrace(gates: [("i", [.nan, .infinity])],
                               hidden: [.greatestFiniteMagnitude, -.infinity], cell: [.leastNonzeroMagnitude, .nan])], outputs: [], outputSize: 0)
        for probe in [empty, noUnits, wild] {
            _ = state.update(.trainer(runID: 1, .gates(GateSnapshot(step: 1, cell: .lstm, probeIndex: 0, probeCount: 0,
                                                                    labels: ["\u{0}", "日本", ""], probe: probe))))
            for key: Key in [.character("g"), .down, .right, .end, .pageDown, .character("f"), .character(">"), .character("]")] {
                _ = state.update(.key(key))
            }
            for (width, height) in [(80, 24), (81, 25), (120, 40), (300, 100), (79, 24), (5, 2), (1, 1), (0, 0)] {
                _ = state.update(.resize(width: width, height: height))
                for screen: Key in [.character("l"), .character("g"), .character("?")] {
                    _ = state.update(.key(screen))
                    let text = Fixtures.rendered(state).text
                    if width >= 80 && height >= 24 {
                        XCTAssertTrue(text.hasPrefix(" rnn-tui"), text)
                    } else if width >= 60 {
                        XCTAssertTrue(text.contains("window too small"), text)
                    }
                    _ = state.update(.key(.escape))
                }
            }
        }
        _ = state.update(.key(.character("s")))
        _ = Fixtures.rendered(state, width: 80, height: 24)
    }
}
