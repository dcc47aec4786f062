import Foundation
import RNNEngine
import RNNTraining
import TerminalUI
@testable import RNNApp

/// Synthetic runs, metrics and gate snapshots for the view and update tests: deterministic, no trainer.
enum Fixtures {
    static let entries: [DatasetCatalog.Entry] = [
        .init(name: "samples/corpus.txt", summary: "character language model on a small English corpus (about 1 MB)"),
        .init(name: "adding", summary: "the adding problem: sum the two marked numbers in a long sequence (regression)"),
        .init(name: "parity", summary: "bit parity of a sequence: classify even or odd (2 classes)"),
        .init(name: "samples/sentiment.csv", summary: "movie review sentiment, text,label CSV (2 classes)"),
    ]

    static func dataset(_ task: TaskKind) -> DatasetInfo {
        switch task {
        case .languageModel:
            DatasetInfo(
                name: "samples/corpus.txt", task: .languageModel, input: .tokens(vocabularySize: 65), head: .tokenEveryStep,
                outputSize: 65, vocabulary: Vocabulary(level: .character, tokens: [], unknownIndex: nil),
                baselineLoss: 2.842, baselineDescription: "unigram character frequencies", statefulBatches: true,
                trainCount: 900_000, validationCount: 100_000)
        case .classification:
            DatasetInfo(
                name: "samples/sentiment.csv", task: .classification, input: .tokens(vocabularySize: 5000),
                head: .classifyLast, outputSize: 2, classNames: ["negative", "positive"], baselineLoss: 0.693,
                baselineDescription: "predict the class prior", statefulBatches: false, trainCount: 9000, validationCount: 1000)
        case .regression:
            DatasetInfo(
                name: "adding", task: .regression, input: .features(featureCount: 2), head: .regressLast, outputSize: 1,
                baselineLoss: 0.167, baselineDescription: "always predict the mean target", statefulBatches: false,
                trainCount: 10_000, validationCount: 1000)
        case .multiLabel:
            {
                var info = DatasetInfo(
                    name: "samples/tags.csv", task: .multiLabel, input: .tokens(vocabularySize: 400),
                    head: .multiLabelLast, outputSize: 3, classNames: ["news", "sport", "tech"], baselineLoss: 0.61,
                    baselineDescription: "predict each label's training frequency (macro F1 0.22)", statefulBatches: false,
                    trainCount: 900, validationCount: 100)
                info.baselineLabelMetrics = labelMetrics(correctEvery: 3, rows: 100)
                return info
            }()
        }
    }

    /// Scores of a predictor that gets every `correctEvery`-th label decision of `rows` rows wrong.
    static func labelMetrics(correctEvery: Int, rows: Int) -> MultiLabelMetrics {
        var metrics = MultiLabelMetrics(labels: ["news", "sport", "tech"])
        for row in 0..<rows {
            let truth = (0..<3).map { Float((row + $0) % 2) }
            metrics.add(predicted: { label in ((row * 3 + label) % correctEvery == 0) != (truth[label] == 1) },
                        truth: { truth[$0] })
        }
        return metrics
    }

    static func setup(_ task: TaskKind, cell: CellKind = .lstm) -> TrainingSetup {
        var setup = TrainingSetup()
        setup.cell = cell
        setup.dataset = dataset(task).name
        setup.steps = 5000
        if cell == .gru { setup.layerCount = 2 }
        return setup
    }

    static func summary(_ task: TaskKind, setup: TrainingSetup) -> RunSummary {
        let info = dataset(task)
        let model = ModelConfig(cell: setup.cell, input: .oneHot(vocabularySize: 65), hiddenSize: setup.hiddenSize,
                                layerCount: setup.layerCount, head: info.head, outputSize: info.outputSize)
        return RunSummary(setup: setup, dataset: info, model: model, parameterCount: 101_441, totalSteps: 5000,
                          stepsPerEpoch: 400, runDirectory: "runs/test")
    }

    /// A loss that falls from about `start` toward `floor` with a little deterministic wobble.
    static func loss(step: Int, start: Double, floor: Double, timeScale: Double = 250) -> Double {
        floor + (start - floor) * exp(-Double(step) / timeScale) + 0.05 * (start - floor) * sin(Double(step) * 0.37)
    }

    /// Events of a run that has taken `steps` steps, with evaluations every 100 and a learning-rate change at 600.
    static func events(_ task: TaskKind, setup: TrainingSetup, steps: Int = 1200, timeScale: Double = 250) -> [TrainerEvent] {
        let (start, floor): (Double, Double) = switch task {
        case .languageModel: (4.2, 1.5)
        case .classification: (0.70, 0.35)
        case .regression: (0.20, 0.01)
        case .multiLabel: (0.69, 0.25)
        }
        var events: [TrainerEvent] = [.started(summary(task, setup: setup)), .status(.running)]
        for step in 1...steps {
            let learningRate: Float = step > 600 ? 0.001 : 0.002
            events.append(.step(StepMetrics(
                step: step, epoch: (step - 1) / 400, epochProgress: Double((step - 1) % 400 + 1) / 400,
                trainLoss: loss(step: step, start: start, floor: floor, timeScale: timeScale), learningRate: learningRate,
                gradientNorm: 1 + 0.8 * sin(Double(step) * 0.21) + (step % 97 == 0 ? 6 : 0),
                tokensPerSecond: 48_250, elapsedSeconds: Double(step) * 0.05, totalSteps: 5000)))
            if step % 100 == 0 {
                let validation = loss(step: step, start: start, floor: floor, timeScale: timeScale) * 1.05 + 0.02
                let accuracy: Double? = task == .regression ? nil : (task == .classification ? 0.5 + 0.3 * Double(step) / Double(steps) : 0.55)
                let bits: Double? = task == .languageModel ? validation / log(2) : nil
                let labels = task == .multiLabel ? labelMetrics(correctEvery: 2 + step / 200, rows: 100) : nil
                events.append(.evaluation(EvaluationMetrics(step: step, validationLoss: validation,
                                                            validationAccuracy: labels?.subsetAccuracy ?? accuracy,
                                                            bitsPerToken: bits, labelMetrics: labels)))
            }
            if step == 600 { events.append(.hyperparametersChanged(AppliedChange(step: 601, old: .learningRate(0.002), new: .learningRate(0.001)))) }
        }
        return events
    }

    /// A state with one started run of `task` (run 1), on the loss view.
    static func trainingState(_ task: TaskKind, cell: CellKind = .lstm, colorMode: ColorMode = .palette256,
                              width: Int = 80, height: Int = 24, steps: Int = 1200) -> AppState {
        let setup = setup(task, cell: cell)
        var state = AppState(datasetEntries: entries, colorMode: colorMode, setup: setup)
        _ = state.update(.resize(width: width, height: height))
        _ = state.update(.key(.enter))
        for event in events(task, setup: setup, steps: steps) { _ = state.update(.trainer(runID: 1, event)) }
        return state
    }

    static let probeText = "the quick brown fox jumps over the lazy dog. The end\nof it"

    /// A probe of T timesteps through `layers` layers of H units with smooth, recognisable patterns.
    static func gateSnapshot(cell: CellKind, timeSteps: Int = 60, hiddenSize: Int = 24, layers: Int = 2,
                             probeIndex: Int = 0, step: Int = 1200) -> GateSnapshot {
        func sigmoid(_ x: Double) -> Float { Float(1 / (1 + exp(-x))) }
        func grid(_ f: (Int, Int) -> Float) -> [Float] {
            (0..<timeSteps).flatMap { t in (0..<hiddenSize).map { u in f(t, u) } }
        }
        var traces: [LayerTrace] = []
        for layer in 0..<layers {
            let phase = Double(layer) * 0.9
            let names = cell.gateNames
            let gates = names.enumerated().map { index, name -> (name: String, values: [Float]) in
                let tanhGate = name == "g" || name == "n"
                return (name, grid { t, u in
                    let x = sin(Double(t) * 0.25 + Double(u) * 0.6 + Double(index) + phase) * 3
                    return tanhGate ? Float(tanh(x)) : sigmoid(x)
                })
            }
            let cellState: [Float]? = cell == .lstm ? grid { t, u in Float(2.4 * sin(Double(t) * 0.1 + Double(u) * 0.3 + phase)) } : nil
            let hidden = grid { t, u in Float(tanh(1.5 * cos(Double(t) * 0.2 - Double(u) * 0.4 + phase))) }
            traces.append(LayerTrace(gates: gates, hidden: hidden, cell: cellState))
        }
        let probe = ProbeResult(timeSteps: timeSteps, hiddenSize: hiddenSize, layers: traces, outputs: [], outputSize: 0)
        let labels = probeText.prefix(timeSteps).map { String($0) } + Array(repeating: "x", count: max(0, timeSteps - probeText.count))
        return GateSnapshot(step: step, cell: cell, probeIndex: probeIndex, probeCount: 8, labels: labels, probe: probe)
    }

    /// A training state on the gate view with a snapshot and the cursor moved to (unit 5, t 17).
    static func gateState(cell: CellKind, colorMode: ColorMode = .palette256, width: Int = 80, height: Int = 24) -> AppState {
        var state = trainingState(.languageModel, cell: cell, colorMode: colorMode, width: width, height: height, steps: 300)
        _ = state.update(.trainer(runID: 1, .gates(gateSnapshot(cell: cell))))
        _ = state.update(.key(.character("g")))
        for _ in 0..<5 { _ = state.update(.key(.down)) }
        for _ in 0..<17 { _ = state.update(.key(.right)) }
        return state
    }

    static func rendered(_ state: AppState, width: Int? = nil, height: Int? = nil) -> CellBuffer {
        var buffer = CellBuffer(width: width ?? state.width, height: height ?? state.height)
        render(state, into: &buffer)
        return buffer
    }
}
