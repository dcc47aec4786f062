import Foundation
import RNNEngine
import RNNTraining
import TerminalUI
import XCTest
@testable import RNNApp

/// The runs browser: first screen, its keys (open, resume, fork, mark and overlay, label, delete with a
/// confirmation), `v` between compared runs, and a comparison started by `rnn-tui compare`.
final class RunsBrowserTests: XCTestCase {
    private func press(_ keys: [Key], on state: inout AppState) -> [AppEffect] {
        keys.flatMap { state.update(.key($0)) }
    }

    func testTheBrowserIsTheFirstScreenOnlyWhenRunsExist() {
        var empty = AppState(datasetEntries: Fixtures.entries, colorMode: .none)
        _ = empty.update(.runsListed([], at: RunsBrowserFixtures.listedAt))
        XCTAssertEqual(empty.screen, .setup, "no runs: the setup screen as before")
        let state = RunsBrowserFixtures.browserState()
        XCTAssertEqual(state.screen, .runs)
        XCTAssertEqual(state.keyContexts, [.runs, .anywhere])
        var later = state
        _ = press([.character("s")], on: &later)
        _ = later.update(.runsListed(RunsBrowserFixtures.entries, at: RunsBrowserFixtures.listedAt))
        XCTAssertEqual(later.screen, .setup, "a later listing does not pull the person back to the browser")
    }

    func testRFromAnyViewOpensTheBrowserAndListsAgain() {
        var state = Fixtures.trainingState(.regression, steps: 20)
        XCTAssertEqual(press([.character("R")], on: &state), [.listRuns])
        XCTAssertEqual(state.screen, .runs)
        _ = press([.character("g")], on: &state)
        XCTAssertEqual(press([.character("R")], on: &state), [.listRuns], "from the gate view too")
    }

    func testOpenLoadsThePastRunsCurvesAndGatesInTheBackground() throws {
        var state = RunsBrowserFixtures.browserState()
        _ = press([.down], on: &state)
        let effects = press([.enter], on: &state)
        XCTAssertEqual(effects, [.openRun(runID: 1, path: "runs/20261201-231000-cell-lstm")])
        XCTAssertEqual(state.screen, .training)
        let run = try XCTUnwrap(state.activeRun)
        XCTAssertTrue(run.isPastRun)
        XCTAssertEqual(run.status, .stopped)
        XCTAssertEqual(run.setup.cell, .lstm)
        _ = state.update(.runHistory(runID: 1, RunsBrowserFixtures.history(steps: 300)))
        XCTAssertEqual(state.activeRun?.currentStep, 300)
        XCTAssertEqual(state.activeRun?.validationLoss.appendedCount, 6)
        XCTAssertTrue(state.activeRun?.gradientNorms.last == nil, "stored steps have no gradient norm to show")
        // Probing another sequence goes to the run (the glue answers from the checkpoint).
        _ = state.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: .lstm, step: 300))))
        _ = press([.character("g")], on: &state)
        XCTAssertEqual(press([.character("]")], on: &state), [.send(runID: 1, .requestGates(probeIndex: 1))])
        // Opening the same folder again shows the same run, loading nothing twice.
        _ = press([.character("R")], on: &state)
        XCTAssertEqual(press([.enter], on: &state), [])
        XCTAssertEqual(state.runs.count, 1)
    }

    func testResumeContinuesThePastRunAndItsCurve() throws {
        var state = RunsBrowserFixtures.browserState()
        _ = press([.down], on: &state)
        XCTAssertEqual(press([.character("r")], on: &state), [
            .openRun(runID: 1, path: "runs/20261201-231000-cell-lstm"), .resumeRun(runID: 1, path: "runs/20261201-231000-cell-lstm"),
        ])
        _ = state.update(.runHistory(runID: 1, RunsBrowserFixtures.history(steps: 300)))
        _ = state.update(.trainer(runID: 1, .status(.running)))
        for step in [300, 301, 302] {
            _ = state.update(.trainer(runID: 1, .step(StepMetrics(step: step, epoch: 0, epochProgress: 0, trainLoss: 0.01,
                                                                   learningRate: 0.002, gradientNorm: 1, tokensPerSecond: 100,
                                                                   elapsedSeconds: 1, totalSteps: nil))))
        }
        let run = try XCTUnwrap(state.activeRun)
        XCTAssertFalse(run.isPastRun)
        XCTAssertEqual(run.currentStep, 302)
        XCTAssertEqual(run.trainLoss.appendedCount, 302, "the stored step 300 is not drawn twice; 301 and 302 continue it")
        XCTAssertEqual(press([.character(" ")], on: &state), [.send(runID: 1, .pause)], "a resumed run takes live keys")
    }

    func testContinueOnAnOpenedPastRunAndRefusalsSayWhy() {
        var state = RunsBrowserFixtures.browserState()
        _ = press([.enter], on: &state)
        XCTAssertEqual(press([.character("C")], on: &state), [.resumeRun(runID: 1, path: "runs/20261201-231000-cell-rnn")])
        XCTAssertEqual(press([.character("C")], on: &state), [], "already live")
        var browser = RunsBrowserFixtures.browserState()
        _ = press([.down, .down, .down], on: &browser)
        XCTAssertEqual(press([.character("r")], on: &browser), [], "no trainer state")
        XCTAssertEqual(browser.notice?.isError, true)
        XCTAssertTrue(browser.notice?.text.contains("cannot resume exactly") ?? false, "\(String(describing: browser.notice))")
        _ = press([.down], on: &browser)
        XCTAssertEqual(press([.enter], on: &browser), [], "a damaged folder does not open")
        XCTAssertTrue(browser.notice?.text.contains("damaged") ?? false)
        XCTAssertEqual(press([.character("f")], on: &browser), [])
        XCTAssertEqual(browser.screen, .runs)
    }

    func testForkOpensTheSetupScreenWithTheRunsSettings() {
        var state = RunsBrowserFixtures.browserState()
        _ = press([.down, .down, .down], on: &state)
        XCTAssertEqual(press([.character("f")], on: &state), [])
        XCTAssertEqual(state.screen, .setup)
        XCTAssertEqual(state.form.setup.cell, .lstm)
        XCTAssertEqual(state.form.setup.hiddenSize, 512)
        XCTAssertEqual(state.form.setup.layerCount, 2)
        XCTAssertEqual(state.form.setup.dataset, "samples/corpus.txt")
    }

    func testMarkedRunsOverlayOnOneChartAndVSwitchesBetweenThem() throws {
        var state = RunsBrowserFixtures.browserState(width: 120, height: 40)
        XCTAssertEqual(press([.character("o")], on: &state), [], "nothing marked")
        _ = press([.character(" "), .character(" "), .character(" ")], on: &state)
        XCTAssertEqual(state.browser.marked.count, 3)
        _ = press([.up], on: &state)  // the cursor on the GRU run
        let effects = press([.character("o")], on: &state)
        XCTAssertEqual(effects.count, 3)
        XCTAssertEqual(state.comparedRunIDs.count, 3)
        XCTAssertEqual(state.activeRun?.setup.cell, .gru, "the run under the cursor is active")
        for (id, steps) in zip(state.comparedRunIDs, [200, 300, 400]) {
            _ = state.update(.runHistory(runID: id, RunsBrowserFixtures.history(steps: steps)))
        }
        XCTAssertEqual(Set(state.chartRuns.runs.dropLast().map(\.setup.cell)), [.rnn, .lstm])
        let text = Fixtures.rendered(state).text
        XCTAssertTrue(text.contains("RNN 128") && text.contains("LSTM 128"), "the legend names the overlaid runs:\n\(text)")
        _ = press([.character("v")], on: &state)
        XCTAssertEqual(state.activeRun?.setup.cell, .rnn, "v wraps to the first compared run")
        _ = press([.character("g")], on: &state)
        _ = press([.character("v")], on: &state)
        XCTAssertEqual(state.screen, .gates, "v keeps the view")
        XCTAssertEqual(state.activeRun?.setup.cell, .lstm)
        XCTAssertTrue(state.browser.marked.isEmpty, "marks are used up by the overlay")
    }

    func testLabelIsTypedAndWrittenThroughAnEffect() {
        var state = RunsBrowserFixtures.browserState()
        _ = press([.character("t")], on: &state)
        XCTAssertEqual(state.keyContexts, [.prompt])
        XCTAssertTrue(Fixtures.rendered(state).text.contains("label (empty removes it):"))
        let effects = press("baseline rnn".map { Key.character($0) } + [.enter], on: &state)
        XCTAssertEqual(effects, [.labelRun(path: "runs/20261201-231000-cell-rnn", label: "baseline rnn")])
        XCTAssertNil(state.prompt)
    }

    func testDeleteAsksFirstAndNoKeepsTheRun() {
        var state = RunsBrowserFixtures.browserState()
        XCTAssertEqual(press([.character("x")], on: &state), [])
        XCTAssertEqual(state.keyContexts, [.confirm])
        XCTAssertTrue(Fixtures.rendered(state).text.contains("delete 20261201-231000-cell-rnn"))
        XCTAssertEqual(press([.character("q"), .character("n")], on: &state), [], "q does not quit while asking; n keeps it")
        XCTAssertFalse(state.shouldQuit)
        XCTAssertNil(state.browser.pendingDeletion)
        _ = press([.character("x")], on: &state)
        XCTAssertEqual(press([.character("y")], on: &state), [.deleteRun(path: "runs/20261201-231000-cell-rnn")])
    }

    func testARunTrainingInThisNotebookIsNotDeleted() {
        var state = Fixtures.trainingState(.regression, steps: 20)  // its folder is runs/test
        let live = RunEntry(path: "runs/test", name: "test", setup: Fixtures.setup(.regression), status: .running, steps: 20,
                            updatedAt: RunsBrowserFixtures.listedAt)
        _ = state.update(.runsListed([live], at: RunsBrowserFixtures.listedAt))
        _ = press([.character("R")], on: &state)
        XCTAssertEqual(press([.character("x")], on: &state), [])
        XCTAssertNil(state.browser.pendingDeletion)
        XCTAssertEqual(state.notice?.isError, true)
    }

    func testAComparisonStartsEveryRunOnOneChart() {
        var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256)
        let compared = [CellKind.rnn, .lstm, .gru].map { cell in
            AppState.ComparedRun(label: "cell=\(cell.rawValue)", setup: RunsBrowserFixtures.setup(cell), folderName: "c-\(cell.rawValue)")
        }
        let effects = state.startComparison(compared)
        XCTAssertEqual(effects, compared.enumerated().map { .startNamedRun(runID: $0.offset + 1, setup: $0.element.setup, folderName: $0.element.folderName) })
        XCTAssertEqual(state.comparedRunIDs, [1, 2, 3])
        XCTAssertEqual(state.screen, .training)
        XCTAssertEqual(state.comparedRunIDs.compactMap { id in state.runs.first { $0.runID == id }?.label },
                       ["cell=rnn", "cell=lstm", "cell=gru"])
        _ = state.update(.runsListed(RunsBrowserFixtures.entries, at: RunsBrowserFixtures.listedAt))
        XCTAssertEqual(state.screen, .training, "the first listing does not replace a comparison with the browser")
        // r restarts the active compared run in its place.
        _ = state.update(.trainer(runID: 1, .status(.running)))
        _ = press([.character("r")], on: &state)
        XCTAssertEqual(state.comparedRunIDs, [4, 2, 3])
        XCTAssertEqual(state.activeRun?.label, "cell=rnn")
    }

    func testOverlayDrawsOnlyRunsOnTheActiveRunsDatasetAndAFinishedRunIsNotResumed() {
        var state = RunsBrowserFixtures.browserState()
        _ = press([.down, .down, .character(" "), .character(" ")], on: &state)  // the GRU (adding) and the corpus LSTM
        _ = press([.up, .character("o")], on: &state)
        XCTAssertEqual(state.comparedRunIDs.count, 2)
        XCTAssertEqual(state.activeRun?.setup.dataset, "samples/corpus.txt")
        for id in state.comparedRunIDs { _ = state.update(.runHistory(runID: id, RunsBrowserFixtures.history(steps: 100))) }
        XCTAssertEqual(state.chartRuns.runs.count, 1, "the adding run is not drawn on the corpus run's axes")
        XCTAssertEqual(state.chartRuns.otherData, 1)
        XCTAssertTrue(state.notice?.text.contains("2 datasets") ?? false)
        var browser = RunsBrowserFixtures.browserState()
        _ = press([.down, .down], on: &browser)
        XCTAssertEqual(press([.character("r")], on: &browser), [.openRun(runID: 1, path: "runs/20261201-231000-cell-gru")],
                       "a finished run opens but does not resume")
        XCTAssertTrue(browser.notice?.text.contains("f forks it") ?? false)
    }
}
