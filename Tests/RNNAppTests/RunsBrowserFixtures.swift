import Foundation
import RNNEngine
import RNNTraining
import TerminalUI
@testable import RNNApp

/// Run folders as `RunIndex` would list them, for the browser's update and snapshot tests (no files).
enum RunsBrowserFixtures {
    /// The listing's time; every entry's age is measured from it.
    static let listedAt = Date(timeIntervalSince1970: 1_800_000_000)

    static func setup(_ cell: CellKind, hidden: Int = 128, layers: Int = 1, dataset: String = "adding") -> TrainingSetup {
        var setup = TrainingSetup()
        setup.cell = cell
        setup.hiddenSize = hidden
        setup.layerCount = layers
        setup.dataset = dataset
        return setup
    }

    /// Five runs, newest first: a compare of three cells, a labelled language model, a damaged folder.
    static let entries: [RunEntry] = [
        RunEntry(path: "runs/20261201-231000-cell-rnn", name: "20261201-231000-cell-rnn", setup: setup(.rnn), status: .diverged,
                 steps: 1840, bestValidationLoss: 0.1702, baselineLoss: 0.1667, baselineDescription: "always predict 1 (MSE 1/6)",
                 task: .regression, updatedAt: listedAt - 40, isResumable: true, hasCheckpoint: true),
        RunEntry(path: "runs/20261201-231000-cell-lstm", name: "20261201-231000-cell-lstm", setup: setup(.lstm), status: .stopped,
                 steps: 12_500, bestValidationLoss: 0.000213, baselineLoss: 0.1667, baselineDescription: "always predict 1 (MSE 1/6)",
                 task: .regression, updatedAt: listedAt - 95, isResumable: true, hasCheckpoint: true),
        RunEntry(path: "runs/20261201-231000-cell-gru", name: "20261201-231000-cell-gru", setup: setup(.gru), status: .finished,
                 steps: 1_250_000, bestValidationLoss: 0.00154, baselineLoss: 0.1667, baselineDescription: "always predict 1 (MSE 1/6)",
                 task: .regression, updatedAt: listedAt - 3 * 3600, isResumable: true, hasCheckpoint: true),
        RunEntry(path: "runs/20261130-090000-lstm", name: "20261130-090000-lstm", label: "shakespeare 2×512",
                 setup: setup(.lstm, hidden: 512, layers: 2, dataset: "samples/corpus.txt"), status: .running, steps: 48_000,
                 bestValidationLoss: 1.412, baselineLoss: 2.842, baselineDescription: "unigram character frequencies",
                 task: .languageModel, updatedAt: listedAt - 2 * 86_400, isResumable: false, hasCheckpoint: true),
        RunEntry(path: "runs/old-experiment", name: "old-experiment", setup: nil, status: .stopped, steps: 0,
                 updatedAt: listedAt - 30 * 86_400,
                 problem: "runs/old-experiment/config.json: not a run configuration (The given data was not valid JSON.)"),
    ]

    /// The browser with `entries` listed, cursor on the first row.
    static func browserState(colorMode: ColorMode = .palette256, width: Int = 80, height: Int = 24) -> AppState {
        var state = AppState(datasetEntries: Fixtures.entries, colorMode: colorMode)
        _ = state.update(.resize(width: width, height: height))
        _ = state.update(.runsListed(entries, at: listedAt))
        return state
    }

    /// A metrics.csv history of `steps` steps with an evaluation every 50.
    static func history(steps: Int, start: Double = 0.5, floor: Double = 0.01) -> MetricsHistory {
        var history = MetricsHistory()
        for step in 1...steps {
            history.trainLoss.append((step, Fixtures.loss(step: step, start: start, floor: floor, timeScale: 80)))
            if step % 50 == 0 { history.validationLoss.append((step, Fixtures.loss(step: step, start: start, floor: floor, timeScale: 80) * 1.1)) }
        }
        return history
    }
}
