import DisplayFormat
import RNNEngine
import RNNTraining
import TerminalUI
import XCTest
@testable import RNNApp

/// The insight views (gradient flow, gate statistics, text by a unit, the gate view's glance mode and
/// axes) at 80×24 and 120×40, and without colour where colour carries the values.
final class InsightSnapshotTests: XCTestCase {
    private func assertAtBothSizes(_ name: String, file: StaticString = #filePath, line: UInt = #line,
                                   _ makeState: (Int, Int) -> AppState) {
        for (width, height) in ScreenSnapshotTests.sizes {
            assertSnapshot(Fixtures.rendered(makeState(width, height)), named: "\(name).\(width)x\(height)", file: file, line: line)
        }
    }

    private func state(_ cell: CellKind, task: TaskKind = .regression, colorMode: ColorMode = .palette256, width: Int, height: Int,
                       keys: [Key]) -> AppState {
        var state = InsightFixtures.insightState(cell: cell, task: task, colorMode: colorMode, width: width, height: height)
        for key in keys { _ = state.update(.key(key)) }
        return state
    }

    func testGradientFlowProbe() {
        assertAtBothSizes("gradients-lstm") { state(.lstm, width: $0, height: $1, keys: [.character("G")]) }
    }

    func testGradientFlowWithoutColour() {
        assertAtBothSizes("gradients-lstm-nocolor") { state(.lstm, colorMode: .none, width: $0, height: $1, keys: [.character("G")]) }
    }

    func testGradientFlowValidation() {
        assertAtBothSizes("gradients-validation") { state(.lstm, width: $0, height: $1, keys: [.character("G"), .character("v")]) }
    }

    /// The adding compare: the tanh RNN's curve falls toward t = 0, the gated cells' stay up.
    func testGradientFlowComparedRuns() {
        assertAtBothSizes("gradients-compare") { InsightFixtures.comparedState(width: $0, height: $1) }
    }

    func testGateStatisticsLSTM() {
        assertAtBothSizes("statistics-lstm") { state(.lstm, width: $0, height: $1, keys: [.character("S")]) }
    }

    func testGateStatisticsGRU() {
        assertAtBothSizes("statistics-gru") { state(.gru, width: $0, height: $1, keys: [.character("S")]) }
    }

    func testGateStatisticsVanillaRNN() {
        assertAtBothSizes("statistics-rnn") { width, height in
            var state = state(.rnn, width: width, height: height, keys: [.character("S")])
            for step in [1300, 1400] {
                _ = state.update(.trainer(runID: 1, .gateStatistics(InsightFixtures.gateStatistics(cell: .rnn, step: step))))
            }
            return state
        }
    }

    func testTextColouredByAUnit() {
        assertAtBothSizes("text-unit") { state(.lstm, task: .languageModel, width: $0, height: $1, keys: [.character("T"), .down, .down]) }
    }

    func testTextColouredByAUnitWithoutColour() {
        assertAtBothSizes("text-unit-nocolor") {
            state(.lstm, task: .languageModel, colorMode: .none, width: $0, height: $1, keys: [.character("T"), .character("x")])
        }
    }

    func testTextRanking() {
        assertAtBothSizes("text-ranking") { state(.lstm, task: .languageModel, width: $0, height: $1, keys: [.character("T"), .character("m")]) }
    }

    func testGateGlance() {
        assertAtBothSizes("gates-glance") { width, height in
            var state = Fixtures.gateState(cell: .lstm, width: width, height: height)
            _ = state.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: .lstm, hiddenSize: 128))))
            _ = state.update(.key(.character("z")))
            return state
        }
    }

    func testGateGlanceWithoutColour() {
        assertAtBothSizes("gates-glance-nocolor") { width, height in
            var state = Fixtures.gateState(cell: .lstm, colorMode: .none, width: width, height: height)
            _ = state.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: .lstm, hiddenSize: 128))))
            _ = state.update(.key(.character("z")))
            return state
        }
    }

    func testGateGlanceOverviewOfOneGate() {
        assertAtBothSizes("gates-glance-overview") { width, height in
            var state = Fixtures.gateState(cell: .lstm, width: width, height: height)
            _ = state.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: .lstm, hiddenSize: 128))))
            for key: Key in [.character("z"), .character("f"), .character("f"), .character("u")] { _ = state.update(.key(key)) }
            return state
        }
    }

    /// Numeric inputs: the markers on a row of their own, the values as bars.
    func testGateViewNumericAxis() {
        assertAtBothSizes("gates-numeric-axis") { width, height in
            var state = Fixtures.trainingState(.regression, width: width, height: height, steps: 300)
            var snapshot = Fixtures.gateSnapshot(cell: .lstm)
            snapshot.labels = (0..<snapshot.probe.timeSteps).map { t in
                let value = Format.label(Double((t * 37) % 100) / 100)
                return t == 7 || t == 31 ? "*" + value : value
            }
            _ = state.update(.trainer(runID: 1, .gates(snapshot)))
            _ = state.update(.key(.character("g")))
            return state
        }
    }
}
