import DisplayFormat
import RNNEngine
import RNNTraining
import TerminalUI
import XCTest
@testable import RNNApp

/// No panel cuts text. The check: every panel keeps its last column blank (it lays out to its width
/// less one), so a character in a panel's last column means something ran into the edge and was cut;
/// a number there followed by nothing is exactly the "(baseline 0.1" symptom. The stats panel is also
/// checked before drawing: every laid-out row fits.
final class PanelTextTests: XCTestCase {
    /// Datasets of every task, with the widest numbers each shows.
    static let datasets: [(String, DatasetInfo)] = {
        var wordModel = Fixtures.dataset(.languageModel)
        wordModel.vocabulary = Vocabulary(level: .word, tokens: [], unknownIndex: nil)
        wordModel.baselineLoss = 7.123456
        var sine = Fixtures.dataset(.regression)
        sine.name = "sine"
        sine.baselineLoss = 0.000123456
        sine.baselineDescription = "persistence: predict the last observed value (one step of the sine) in normalised units"
        var weather = Fixtures.dataset(.regression)
        weather.name = "/home/someone/data/a very long folder name/weather-2024-hourly.csv"
        weather.baselineLoss = 0.0421
        var classes = Fixtures.dataset(.classification)
        classes.outputSize = 7
        return [("lm", Fixtures.dataset(.languageModel)), ("lm-word", wordModel), ("classification", classes),
                ("adding", Fixtures.dataset(.regression)), ("sine", sine), ("weather", weather)]
    }()

    static func state(_ info: DatasetInfo, width: Int, height: Int, failed: Bool = false) -> AppState {
        var setup = Fixtures.setup(info.task)
        setup.dataset = info.name
        var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256, setup: setup)
        _ = state.update(.resize(width: width, height: height))
        _ = state.startRun(setup)  // the paths are made up: start without the setup screen's file check
        var events = Fixtures.events(info.task, setup: setup, steps: 700)
        if case .started(var summary) = events[0] {
            summary.dataset = info
            summary.parameterCount = 123_456_789
            events[0] = .started(summary)
        }
        for event in events { _ = state.update(.trainer(runID: 1, event)) }
        _ = state.update(.trainer(runID: 1, .evaluation(EvaluationMetrics(
            step: 700, validationLoss: 0.000123456, validationAccuracy: info.task == .regression ? nil : 0.98765,
            bitsPerToken: info.task == .languageModel ? 12.3456 : nil))))
        if failed {
            _ = state.update(.trainer(runID: 1, .status(.failed("\(info.name):12: invalid UTF-8 byte 0xFF at offset 123456789"))))
        }
        return state
    }

    /// Rows of `buffer` whose column `column` is not blank, between rows `rows`.
    static func rowsReaching(column: Int, rows: Range<Int>, in buffer: CellBuffer) -> [String] {
        rows.filter { buffer[column, $0].character != " " }.map { row in
            String((0..<buffer.width).map { buffer[$0, row].character })
        }
    }

    func testNoPanelCutsANumberForAnyTaskAtEitherSize() {
        for (name, info) in Self.datasets {
            for (width, height) in ScreenSnapshotTests.sizes {
                for failed in [false, true] {
                    let state = Self.state(info, width: width, height: height, failed: failed)
                    let buffer = Fixtures.rendered(state)
                    // The stats panel ends at the screen's right edge (rows between header and grad-norm line).
                    let cut = Self.rowsReaching(column: width - 1, rows: 1..<(height - 3), in: buffer)
                    XCTAssertEqual(cut, [], "\(name) at \(width)×\(height)\(failed ? " failed" : ""):\n\(buffer.text)")
                    let run = state.activeRun!
                    let panelWidth = TrainingView.statsWidth - 2
                    for line in StatsPanel.lines(run, compared: [], width: panelWidth, theme: Theme(mode: .palette256)) {
                        XCTAssertLessThan(line.width, panelWidth, "\(name): \(line.pieces.map(\.text).joined())")
                    }
                    XCTAssertTrue(buffer.text.contains("(baseline ") || info.task == .classification, buffer.text)
                    if info.task == .regression {
                        let value = Format.loss(info.baselineLoss)
                        XCTAssertTrue(buffer.text.contains("(baseline \(value))"), "the baseline stays whole:\n\(buffer.text)")
                    }
                }
            }
        }
    }

    func testTheSetupSidePanelKeepsItsEdgeBlank() {
        for (width, height) in ScreenSnapshotTests.sizes {
            var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256)
            _ = state.update(.resize(width: width, height: height))
            for _ in 0..<3 { state = Self.runAndBack(state) }
            let buffer = Fixtures.rendered(state)
            XCTAssertEqual(Self.rowsReaching(column: width - 1, rows: 1..<(height - 4), in: buffer), [], buffer.text)
        }
    }

    private static func runAndBack(_ state: AppState) -> AppState {
        var state = state
        _ = state.update(.key(.enter))
        let runID = state.activeRunID!
        for event in Fixtures.events(.languageModel, setup: Fixtures.setup(.languageModel), steps: 120) {
            _ = state.update(.trainer(runID: runID, event))
        }
        _ = state.update(.key(.character("s")))
        return state
    }
}

extension PanelTextTests {
    func testTheGateViewSidePanelKeepsItsEdgeBlank() {
        for cell in CellKind.allCases {
            for (width, height) in ScreenSnapshotTests.sizes {
                let buffer = Fixtures.rendered(Fixtures.gateState(cell: cell, width: width, height: height))
                XCTAssertEqual(Self.rowsReaching(column: width - 1, rows: 1..<(height - 2), in: buffer), [],
                               "\(cell) at \(width)×\(height):\n\(buffer.text)")
            }
        }
    }
}
