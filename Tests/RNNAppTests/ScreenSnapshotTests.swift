import RNNEngine
import RNNTraining
import TerminalUI
import XCTest
@testable import RNNApp

/// Every screen rendered at 80×24 and 120×40 and compared with the text files in Snapshots/.
final class ScreenSnapshotTests: XCTestCase {
    static let sizes = [(80, 24), (120, 40)]

    private func assertAtBothSizes(_ name: String, file: StaticString = #filePath, line: UInt = #line,
                                   _ makeState: (Int, Int) -> AppState) {
        for (width, height) in Self.sizes {
            let state = makeState(width, height)
            assertSnapshot(Fixtures.rendered(state), named: "\(name).\(width)x\(height)", file: file, line: line)
        }
    }

    func testSetupScreen() {
        assertAtBothSizes("setup") { width, height in
            var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256)
            _ = state.update(.resize(width: width, height: height))
            return state
        }
    }

    /// Back on the setup screen after a run, the side panel shows what that run's dataset load reported
    /// (rows, missing values filled, outliers handled).
    func testSetupScreenShowsTheLastRunsDatasetNotes() {
        assertAtBothSizes("setup-notes") { width, height in
            let setup = Fixtures.setup(.regression)
            var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256, setup: setup)
            _ = state.update(.resize(width: width, height: height))
            _ = state.update(.key(.enter))
            var summary = Fixtures.summary(.regression, setup: setup)
            summary.dataset.notes = ["1440 rows: 1296 train, 144 validation", "interpolated 17 outliers beyond robust z 6 (inflow 6, level 11)"]
            _ = state.update(.trainer(runID: 1, .started(summary)))
            _ = state.update(.key(.character("s")))
            return state
        }
    }

    func testSetupScreenTypingAPath() {
        assertAtBothSizes("setup-path") { width, height in
            var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256)
            _ = state.update(.resize(width: width, height: height))
            for _ in 0..<3 { _ = state.update(.key(.up)) }  // wraps from the first field past outliers and horizon to the dataset
            _ = state.update(.key(.left))  // the last choice: path…
            for character in "data/my series.csv" { _ = state.update(.key(.character(character))) }
            return state
        }
    }

    func testTrainingLanguageModel() {
        assertAtBothSizes("training-lm") { Fixtures.trainingState(.languageModel, width: $0, height: $1) }
    }

    func testTrainingClassification() {
        assertAtBothSizes("training-classification") { Fixtures.trainingState(.classification, width: $0, height: $1) }
    }

    /// Multi-label: macro/micro F1, Hamming loss and subset accuracy next to the label-frequency baseline.
    func testTrainingMultiLabel() {
        assertAtBothSizes("training-multilabel") { Fixtures.trainingState(.multiLabel, width: $0, height: $1) }
    }

    func testTrainingRegressionLogScaleRaw() {
        assertAtBothSizes("training-regression-log") { width, height in
            var state = Fixtures.trainingState(.regression, width: width, height: height)
            _ = state.update(.key(.character("L")))
            _ = state.update(.key(.character("e")))
            _ = state.update(.tick(seconds: 100))
            return state
        }
    }

    func testTrainingWithPreviousRunDimmed() {
        assertAtBothSizes("training-compare") { width, height in
            var state = Fixtures.trainingState(.languageModel, width: width, height: height)
            _ = state.update(.key(.character("r")))
            for event in Fixtures.events(.languageModel, setup: Fixtures.setup(.languageModel), steps: 500, timeScale: 80) {
                _ = state.update(.trainer(runID: 2, event))
            }
            return state
        }
    }

    func testTrainingNoColor() {
        assertAtBothSizes("training-lm-nocolor") { Fixtures.trainingState(.languageModel, colorMode: .none, width: $0, height: $1) }
    }

    func testFailedRun() {
        assertAtBothSizes("failed-run") { width, height in
            var state = Fixtures.trainingState(.languageModel, width: width, height: height, steps: 40)
            _ = state.update(.trainer(runID: 1, .status(.failed("samples/corpus.txt:12: invalid UTF-8 byte 0xFF"))))
            return state
        }
    }

    /// A run that diverged: the header says so (not "running"), the notice names the step, the loss, the
    /// step it rolled back to and what to do.
    func testDivergedRun() {
        assertAtBothSizes("diverged-run") { width, height in
            var state = Fixtures.trainingState(.languageModel, width: width, height: height, steps: 400)
            let report = DivergenceReport(step: 400, cause: .runawayLoss(threshold: 42), loss: 2.4e3, rolledBackToStep: 300)
            _ = state.update(.trainer(runID: 1, .status(.diverged(report))))
            return state
        }
    }

    func testWaitingForFirstStep() {
        assertAtBothSizes("training-preparing") { width, height in
            var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256)
            _ = state.update(.resize(width: width, height: height))
            _ = state.update(.key(.enter))
            return state
        }
    }

    func testGateViewLSTM() {
        assertAtBothSizes("gates-lstm") { Fixtures.gateState(cell: .lstm, width: $0, height: $1) }
    }

    func testGateViewGRUSecondLayerFocused() {
        assertAtBothSizes("gates-gru") { width, height in
            var state = Fixtures.gateState(cell: .gru, width: width, height: height)
            _ = state.update(.key(.character(">")))
            _ = state.update(.key(.character("f")))
            return state
        }
    }

    func testGateViewRNN() {
        assertAtBothSizes("gates-rnn") { Fixtures.gateState(cell: .rnn, width: $0, height: $1) }
    }

    func testGateViewNoColorAndBasic8() {
        assertAtBothSizes("gates-lstm-nocolor") { Fixtures.gateState(cell: .lstm, colorMode: .none, width: $0, height: $1) }
        assertAtBothSizes("gates-lstm-basic8") { Fixtures.gateState(cell: .lstm, colorMode: .basic8, width: $0, height: $1) }
    }

    func testGateViewWaiting() {
        let state = Fixtures.trainingState(.languageModel, steps: 10)
        var gates = state
        _ = gates.update(.key(.character("g")))
        assertSnapshot(Fixtures.rendered(gates), named: "gates-waiting.80x24")
    }

    func testHelp() {
        assertAtBothSizes("help") { width, height in
            var state = Fixtures.trainingState(.languageModel, width: width, height: height, steps: 10)
            _ = state.update(.key(.character("?")))
            return state
        }
    }

    func testTooSmall() {
        var state = Fixtures.trainingState(.languageModel, steps: 10)
        _ = state.update(.resize(width: 60, height: 20))
        assertSnapshot(Fixtures.rendered(state), named: "too-small.60x20")
        XCTAssertTrue(Fixtures.rendered(state).text.contains("window too small: need 80×24, have 60×20"))
    }

    func testLearningRatePrompt() {
        var state = Fixtures.trainingState(.languageModel, steps: 200)
        _ = state.update(.key(.character("=")))
        for _ in 0..<5 { _ = state.update(.key(.backspace)) }
        for character in "3e-4" { _ = state.update(.key(.character(character))) }
        assertSnapshot(Fixtures.rendered(state), named: "training-prompt.80x24")
    }
}
