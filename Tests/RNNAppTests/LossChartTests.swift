import RNNEngine
import RNNTraining
import TerminalUI
import XCTest
@testable import RNNApp

/// The loss chart fed from several runs: legend names, runs on other data, change-mark labels, the
/// x axis switch and the snapshots of six compared runs in 256 colours, 8 colours and NO_COLOR.
final class LossChartTests: XCTestCase {
    func testChangeLabelsCarryTheNewValue() {
        XCTAssertEqual(ChangeLabel(description: "lr 0.002 → 0.004").markLabel, "lr 0.004")
        XCTAssertEqual(ChangeLabel(description: "optimizer adam → sgd").markLabel, "adam→sgd")
        XCTAssertEqual(ChangeLabel(description: "clip off → 1").markLabel, "clip 1")
        XCTAssertEqual(ChangeLabel(description: "batch 32 → 64").markLabel, "batch 64")
        XCTAssertEqual(ChangeLabel(description: "batch 32 → 64").newBatchSize, 64)
        XCTAssertEqual(ChangeLabel(description: "dropout 0 → 0.2").markLabel, "dropout 0.2")
        XCTAssertEqual(ChangeLabel(description: "something odd").markLabel, "something odd")
    }

    /// Six runs on the adding problem differing in cell and learning rate, run 6 active.
    static func sixRuns(colorMode: ColorMode = .palette256, width: Int = 80, height: Int = 24) -> AppState {
        var state = AppState(datasetEntries: Fixtures.entries, colorMode: colorMode, setup: Fixtures.setup(.regression))
        _ = state.update(.resize(width: width, height: height))
        let variants: [(CellKind, Float)] = [(.rnn, 0.002), (.lstm, 0.002), (.gru, 0.002), (.rnn, 0.01), (.lstm, 0.01), (.gru, 0.01)]
        for (index, variant) in variants.enumerated() {
            var setup = Fixtures.setup(.regression, cell: variant.0)
            setup.layerCount = 1
            setup.optimizer.learningRate = variant.1
            _ = state.startRun(setup)
            let timeScale = variant.0 == .rnn ? 4000.0 : 150.0 + 60 * Double(index)
            for event in Fixtures.events(.regression, setup: setup, steps: 400 + 80 * index, timeScale: timeScale) {
                _ = state.update(.trainer(runID: index + 1, event))
            }
        }
        return state
    }

    func testSixRunsAreNamedByWhatDiffers() {
        let state = Self.sixRuns(width: 120, height: 40)
        XCTAssertEqual(state.chartRuns.runs.count, 6)
        let names = LossChart.legendNames(state.chartRuns.runs)
        XCTAssertEqual(names[1], "RNN 128 lr 0.002")
        XCTAssertEqual(names[6], "GRU 128 lr 0.01")
        let text = Fixtures.rendered(state).text
        for name in names.values { XCTAssertTrue(text.contains(name), "\(name) missing:\n\(text)") }
        XCTAssertTrue(text.contains("baseline 0.167"), text)
    }

    func testSixRunsSnapshots() {
        for (mode, suffix) in [(ColorMode.palette256, ""), (.basic8, "-basic8"), (.none, "-nocolor")] {
            for (width, height) in ScreenSnapshotTests.sizes {
                let state = Self.sixRuns(colorMode: mode, width: width, height: height)
                assertSnapshot(Fixtures.rendered(state), named: "training-six-runs\(suffix).\(width)x\(height)")
            }
        }
    }

    func testSixRunsAreToldApartByColourPatternAndMark() {
        for mode in [ColorMode.palette256, .basic8, .none] {
            let chart = LossChart.chart(Self.sixRuns(colorMode: mode), theme: Theme(mode: mode))
            let runs = chart.series.dropLast()  // the last is the active run's validation curve
            XCTAssertEqual(runs.count, 6)
            let distinct = Set(runs.map { "\($0.style)|\($0.line)|\($0.mark.map(String.init) ?? "")" })
            XCTAssertEqual(distinct.count, 6, "\(mode)")
            if mode == .none {
                XCTAssertEqual(Set(runs.compactMap(\.mark)).count, 6, "every run has its own mark without colour")
            } else {
                XCTAssertEqual(Set(runs.map(\.line)).count, min(6, LossChart.linePatterns.count + 1))
            }
        }
    }

    func testRunsOnOtherDataAreLeftOffAndCounted() {
        var state = Fixtures.trainingState(.regression, steps: 200)
        _ = state.startRun(Fixtures.setup(.languageModel))
        for event in Fixtures.events(.languageModel, setup: Fixtures.setup(.languageModel), steps: 100) {
            _ = state.update(.trainer(runID: 2, event))
        }
        XCTAssertEqual(state.chartRuns.runs.map(\.runID), [2])
        XCTAssertEqual(state.chartRuns.otherData, 1)
        XCTAssertTrue(Fixtures.rendered(state).text.contains("1 run on other data not shown"))
    }

    func testXAxisKeyCyclesStepsTokensAndTime() {
        var state = Fixtures.trainingState(.languageModel, steps: 400)
        XCTAssertEqual(state.chart.xAxis, .steps)
        _ = state.update(.key(.character("x")))
        XCTAssertEqual(state.chart.xAxis, .tokens)
        let tokens = LossChart.chart(state, theme: Theme(mode: .palette256))
        // 400 steps of batch 32 × 64 timesteps.
        XCTAssertEqual(tokens.series.last { $0.name.hasPrefix("train") }?.points.last?.x ?? 0, 400 * 32 * 64, accuracy: 1)
        XCTAssertTrue(Fixtures.rendered(state).text.contains("tokens 0"))
        _ = state.update(.key(.character("x")))
        XCTAssertEqual(state.chart.xAxis, .time)
        let time = LossChart.chart(state, theme: Theme(mode: .palette256))
        XCTAssertEqual(time.series.last { $0.name.hasPrefix("train") }?.points.last?.x ?? 0, 400 * 0.05, accuracy: 1e-6)
        for (width, height) in ScreenSnapshotTests.sizes {
            _ = state.update(.resize(width: width, height: height))
            assertSnapshot(Fixtures.rendered(state), named: "training-time-axis.\(width)x\(height)")
        }
        _ = state.update(.key(.character("x")))
        XCTAssertEqual(state.chart.xAxis, .steps)
    }

    func testTokensFollowBatchChanges() {
        var clock = StepClock()
        clock.record(step: 10, tokensPerStep: 100, elapsedSeconds: 1)
        clock.record(step: 20, tokensPerStep: 200, elapsedSeconds: 2)
        let converted = clock.converted([(5, 1), (10, 1), (15, 1), (20, 1)], to: .tokens)
        XCTAssertEqual(converted.map(\.x), [500, 1000, 2000, 3000])
        var state = Fixtures.trainingState(.languageModel, steps: 10)
        _ = state.update(.trainer(runID: 1, .hyperparametersChanged(step: 11, description: "batch 32 → 64")))
        XCTAssertEqual(state.activeRun?.appliedBatchSize, 64)
    }

    func testMarksOnTheChartSayWhatChanged() {
        var state = Fixtures.trainingState(.languageModel, width: 120, height: 40, steps: 1200)
        _ = state.update(.trainer(runID: 1, .hyperparametersChanged(step: 300, description: "optimizer adam → sgd")))
        for (offset, description) in ["clip 5 → 1", "batch 32 → 64", "dropout 0 → 0.2"].enumerated() {
            _ = state.update(.trainer(runID: 1, .hyperparametersChanged(step: 900 + offset, description: description)))
        }
        let text = Fixtures.rendered(state).text
        XCTAssertTrue(text.contains("adam→sgd"), text)
        XCTAssertTrue(text.contains("lr 0.001"), text)
        XCTAssertTrue(text.contains("3 changes"), text)
        for (width, height) in ScreenSnapshotTests.sizes {
            _ = state.update(.resize(width: width, height: height))
            assertSnapshot(Fixtures.rendered(state), named: "training-marks.\(width)x\(height)")
        }
    }
}
