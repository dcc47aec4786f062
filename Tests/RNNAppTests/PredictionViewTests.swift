import RNNEngine
@testable import RNNTraining
import TerminalUI
import XCTest
@testable import RNNApp

/// The prediction panel at the gate cursor, the task output view and unit surgery: snapshots at 80×24
/// and 120×40 of each task's panel and view, and the keys' effects (surgery commands, the request the
/// open view derives, temperature and typed text).
final class PredictionViewTests: XCTestCase {
    private func assertAtBothSizes(_ name: String, file: StaticString = #filePath, line: UInt = #line,
                                   _ makeState: (Int, Int) -> AppState) {
        for (width, height) in ScreenSnapshotTests.sizes {
            assertSnapshot(Fixtures.rendered(makeState(width, height)), named: "\(name).\(width)x\(height)", file: file, line: line)
        }
    }

    private func candidate(_ index: Int, _ label: String, _ probability: Double) -> TimestepPrediction.Candidate {
        .init(index: index, label: label, probability: probability)
    }

    private func insight(step: Int = 1200, _ fill: (inout InsightSnapshot) -> Void) -> AppMessage {
        var snapshot = InsightSnapshot(step: step)
        fill(&snapshot)
        return .trainer(runID: 1, .insight(snapshot))
    }

    private func type(_ text: String, into state: inout AppState) {
        for character in text { _ = state.update(.key(.character(character))) }
    }

    // MARK: Gate view: the prediction at the cursor

    func lmGateState(width: Int, height: Int, surgery: Bool) -> AppState {
        var state = Fixtures.gateState(cell: .lstm, width: width, height: height)
        _ = state.update(insight {
            $0.cursor = .init(probeIndex: 0, time: 17, prediction: .nextToken(
                top: [candidate(1, " ", 0.412), candidate(5, "e", 0.183), candidate(15, "o", 0.094), candidate(24, "x", 0.061),
                      candidate(14, "n", 0.044)],
                trueToken: candidate(24, "x", 0.061), trueRank: 4), trajectory: nil)
        })
        if surgery {
            _ = state.update(.key(.character("a")))
            _ = state.update(insight {
                $0.surgery = .init(intervention: .ablating([5], layer: 0), without: .init(loss: 1.5204, accuracy: 0.551),
                                   with: .init(loss: 1.8931, accuracy: 0.482))
            })
        }
        return state
    }

    func testGatePredictionLanguageModel() {
        assertAtBothSizes("gates-prediction-lm") { lmGateState(width: $0, height: $1, surgery: false) }
    }

    func testGatePredictionWithSurgery() {
        assertAtBothSizes("gates-prediction-surgery") { lmGateState(width: $0, height: $1, surgery: true) }
    }

    func testGatePredictionClassification() {
        assertAtBothSizes("gates-prediction-classification") { width, height in
            var state = Fixtures.trainingState(.classification, width: width, height: height, steps: 300)
            _ = state.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: .lstm))))
            _ = state.update(.key(.character("g")))
            for _ in 0..<30 { _ = state.update(.key(.right)) }
            let trajectory = (0..<60).map { t -> [Double] in
                let positive = 0.5 + 0.45 * tanh(Double(t - 25) / 8)
                return [1 - positive, positive]
            }
            _ = state.update(insight {
                $0.cursor = .init(probeIndex: 0, time: 30, prediction: .classes([candidate(0, "negative", trajectory[30][0]),
                                                                                 candidate(1, "positive", trajectory[30][1])]),
                                  trajectory: trajectory)
            })
            return state
        }
    }

    func testGatePredictionForecast() {
        assertAtBothSizes("gates-prediction-forecast") { width, height in
            var state = Fixtures.trainingState(.regression, width: width, height: height, steps: 300)
            _ = state.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: .gru))))
            _ = state.update(.key(.character("g")))
            _ = state.update(.key(.end))
            _ = state.update(insight {
                $0.cursor = .init(probeIndex: 0, time: 59, prediction: .values(predicted: [71.84, 73.2], target: [70.9, 74.05]), trajectory: nil)
            })
            return state
        }
    }

    // MARK: The task output view

    func testOutputLanguageModelSample() {
        assertAtBothSizes("output-lm") { width, height in
            var state = Fixtures.trainingState(.languageModel, width: width, height: height)
            _ = state.update(.key(.character("o")))
            _ = state.update(.key(.character("/")))
            type("The ", into: &state)
            _ = state.update(.key(.enter))
            _ = state.update(.key(.character("t")))
            _ = state.update(insight {
                $0.sample = .init(prime: "The ", temperature: 0.7,
                                  text: "king hath spoke the word, and all the lords\nwere silent; then the queen, that stood apart,\nsaid: so shall it be, my lord.\n\nKING: Away!",
                                  problem: nil)
            })
            return state
        }
    }

    func testOutputClassification() {
        assertAtBothSizes("output-classification") { width, height in
            var state = Fixtures.trainingState(.classification, width: width, height: height)
            _ = state.update(.key(.character("o")))
            _ = state.update(.key(.character("/")))
            type("a wonderful, moving film", into: &state)
            _ = state.update(.key(.enter))
            _ = state.update(insight {
                $0.classification = ClassificationReport(
                    classNames: ["negative", "positive"], confusion: [[412, 88], [61, 439]], accuracy: 0.851,
                    worst: [
                        .init(text: "not the worst film i have seen this year but close to it", trueClass: 0, probabilities: [0.031, 0.969]),
                        .init(text: "a slow start gives way to something wonderful", trueClass: 1, probabilities: [0.912, 0.088]),
                        .init(text: "i wanted to love it", trueClass: 0, probabilities: [0.14, 0.86]),
                    ])
                $0.sentence = .init(text: "a wonderful, moving film", classes: [candidate(0, "negative", 0.127), candidate(1, "positive", 0.873)], problem: nil)
                $0.importance = [
                    UnitImportance(layer: 0, unit: 17, loss: 0.6123, increase: 0.2031),
                    UnitImportance(layer: 0, unit: 3, loss: 0.4521, increase: 0.0429),
                    UnitImportance(layer: 0, unit: 90, loss: 0.4170, increase: 0.0078),
                ]
            })
            return state
        }
    }

    func testOutputForecastFan() {
        assertAtBothSizes("output-forecast-fan") { width, height in
            var state = Fixtures.trainingState(.regression, width: width, height: height)
            _ = state.update(.key(.character("o")))
            let actual = (0..<62).map { 60 + 12 * sin(Double($0) * 0.2) }
            _ = state.update(insight {
                $0.forecast = ForecastReport(target: "load", predicted: actual.prefix(60).map { $0 + 1 }, actual: Array(actual.prefix(60)),
                                             rootMeanSquaredError: 1.92, meanAbsoluteError: 1.51,
                                             persistenceRootMeanSquaredError: 2.41, persistenceMeanAbsoluteError: 2.02)
                $0.forecastFan = ForecastFan(
                    horizon: 3, target: "load", actual: actual,
                    fans: stride(from: 0, to: 60, by: 3).map { origin in .init(origin: origin, values: (0..<3).map { actual[origin] + Double($0) * 1.5 }) },
                    rootMeanSquaredError: 3.05, meanAbsoluteError: 2.44, persistenceRootMeanSquaredError: 3.71, persistenceMeanAbsoluteError: 3.12)
            })
            return state
        }
    }

    func testOutputMultiLabelSentence() {
        assertAtBothSizes("output-multilabel") { width, height in
            var state = Fixtures.trainingState(.multiLabel, width: width, height: height)
            _ = state.update(.key(.character("o")))
            _ = state.update(.key(.character("/")))
            type("late goal wins the cup", into: &state)
            _ = state.update(.key(.enter))
            _ = state.update(insight {
                $0.sentence = .init(text: "late goal wins the cup", classes: [candidate(0, "news", 0.412), candidate(1, "sport", 0.963), candidate(2, "tech", 0.021)], problem: nil)
            })
            return state
        }
    }

    // MARK: Keys and the derived request

    func testSurgeryKeysSendInterventionsAndTheRequestFollowsTheView() {
        var state = Fixtures.gateState(cell: .lstm)
        XCTAssertEqual(state.insightRequest?.request, InsightRequest(cursor: .init(probeIndex: 0, time: 17)))
        XCTAssertEqual(state.update(.key(.character("a"))), [.send(runID: 1, .change(.intervention(.ablating([5], layer: 0))))])
        XCTAssertEqual(state.insightRequest?.request.surgery, true)
        XCTAssertEqual(state.update(.key(.character("a"))), [.send(runID: 1, .change(.intervention(nil)))], "a again restores the unit")
        let clamps = (0..<4).map { _ in state.update(.key(.character("K"))) }
        XCTAssertEqual(clamps, [
            [.send(runID: 1, .change(.intervention(Intervention(edits: [.init(layer: 0, unit: 5, action: .clamp(.forget, value: 1))]))))],
            [.send(runID: 1, .change(.intervention(Intervention(edits: [.init(layer: 0, unit: 5, action: .clamp(.forget, value: 0))]))))],
            [.send(runID: 1, .change(.intervention(Intervention(edits: [.init(layer: 0, unit: 5, action: .clamp(.input, value: 0))]))))],
            [.send(runID: 1, .change(.intervention(nil)))],
        ])
        _ = state.update(.key(.character("a")))
        XCTAssertEqual(state.update(.key(.character("A"))),
                       [.send(runID: 1, .change(.intervention(Intervention(edits: [.init(layer: 0, unit: 5, action: .ablate)], appliesDuringTraining: true))))])
        XCTAssertEqual(state.update(.key(.character("X"))), [.send(runID: 1, .change(.intervention(nil)))])
        XCTAssertEqual(state.update(.key(.character("I"))), [.send(runID: 1, .requestImportance)])

        _ = state.update(.key(.character("l")))
        XCTAssertNil(state.insightRequest, "the loss view asks for nothing")
        _ = state.update(.key(.character("o")))
        XCTAssertEqual(state.screen, .output)
        _ = state.update(.key(.character("T")))
        _ = state.update(.key(.character("/")))
        type("ROMEO:", into: &state)
        _ = state.update(.key(.enter))
        XCTAssertEqual(state.insightRequest?.request.taskOutput,
                       InsightRequest.TaskOutput(prime: "ROMEO:", temperature: 1.0, sampleLength: OutputViewState.sampleLength))
        _ = state.update(.key(.character("?")))
        XCTAssertNil(state.insightRequest, "the help screen asks for nothing")
    }

    func testVanillaRNNHasNoClampAndSaysSo() {
        var state = Fixtures.gateState(cell: .rnn)
        XCTAssertEqual(state.update(.key(.character("K"))), [])
        XCTAssertEqual(state.notice?.text.contains("no gates to clamp"), true)
        var gru = Fixtures.gateState(cell: .gru)
        XCTAssertEqual(gru.update(.key(.character("K"))),
                       [.send(runID: 1, .change(.intervention(Intervention(edits: [.init(layer: 0, unit: 5, action: .clamp(.update, value: 1))]))))])
    }

    func testReleasedSurgeryDropsItsScores() {
        var state = lmGateState(width: 80, height: 24, surgery: true)
        XCTAssertNotNil(state.activeRun?.insight.surgery)
        _ = state.update(insight { $0.surgeryReleased = true })
        XCTAssertNil(state.activeRun?.insight.surgery)
    }

    /// At 80×24 the help no longer fits one page: PgDn shows the rest, and every row is on some page.
    func testSmallHelpPagesThroughEveryRow() {
        var state = Fixtures.trainingState(.languageModel, steps: 10)
        _ = state.update(.key(.character("?")))
        let pages = KeyBindings.helpPages(rows: HelpLayout.bodyRows(height: 24))
        XCTAssertGreaterThan(pages.count, 1)
        var text = ""
        for _ in pages {
            text += Fixtures.rendered(state).text
            _ = state.update(.key(.pageDown))
        }
        XCTAssertEqual(state.helpPage, 0, "PgDn wraps to the first page")
        for context in KeyBindings.helpColumns.joined() {
            for binding in KeyBindings.bindings(in: context) {
                XCTAssertTrue(text.contains(binding.text), "help misses '\(binding.text)' of \(context)")
            }
        }
        _ = state.update(.key(.pageDown))
        assertSnapshot(Fixtures.rendered(state), named: "help-page2.80x24")
    }
}
