import Foundation
import RNNEngine

@testable import RNNTraining

/// A tiny run folder written with fixed values and a fixed clock: metrics.csv and its TensorBoard event
/// file. Tests/RNNTrainingTests/Fixtures/tensorboard-run holds the committed copy, plus
/// tensorboard-read.json, what TensorBoard's own reader got from it
/// (`scripts/tensorboard/check_events.py Tests/RNNTrainingTests/Fixtures/tensorboard-run --json …`).
/// `RECORD_SNAPSHOTS=1` rewrites the committed files from this code.
enum TensorBoardFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tensorboard-run", isDirectory: true)
    static let host = "fixture"
    static let startTime = 1_800_000_000.25
    static var eventFileName: String { TensorBoardLog.fileName(wallTime: startTime, host: host) }
    static let config = """
        {
          "cell" : "lstm",
          "hiddenSize" : 2
        }
        """

    /// Writes metrics.csv and the event file into `directory`; returns the event file.
    @discardableResult
    static func write(into directory: URL) throws -> URL {
        var time = startTime
        let clock = { () -> Double in defer { time += 0.5 }; return time }
        let metrics = try MetricsLog(url: directory.appendingPathComponent("metrics.csv"))
        let board = try TensorBoardLog(directory: directory, configText: config, clock: clock, host: host)
        for step in 1...6 {
            let record = StepMetrics(
                step: step, epoch: (step - 1) / 3, epochProgress: 0, trainLoss: 4.0 - 0.3125 * Double(step) + 0.001,
                learningRate: step > 3 ? 0.001 : 0.002, gradientNorm: 1.5 / Double(step),
                tokensPerSecond: 12_345.5 + Double(step), elapsedSeconds: Double(step), totalSteps: 6)
            metrics.record(record)
            board.record(record)
            if step % 3 == 0 {
                let evaluation = EvaluationMetrics(
                    step: step, validationLoss: 3.5 - 0.25 * Double(step), validationAccuracy: 0.125 * Double(step / 3),
                    bitsPerToken: (3.5 - 0.25 * Double(step)) / log(2.0))
                metrics.record(evaluation, epoch: (step - 1) / 3, learningRate: record.learningRate)
                board.record(evaluation, epoch: (step - 1) / 3, learningRate: record.learningRate)
            }
        }
        board.record(gateSnapshot(step: 6))
        metrics.flush()
        board.flush()
        return board.url
    }

    /// An LSTM probe of T = 3, H = 2 with hand-picked activations.
    static func gateSnapshot(step: Int) -> GateSnapshot {
        let values: [Float] = [0.1, 0.9, 0.25, 0.75, 0.5, 0.5]
        let layer = LayerTrace(
            gates: [("i", values), ("f", values.map { 1 - $0 }), ("g", values.map { 2 * $0 - 1 }), ("o", values)],
            hidden: [-0.5, 0.25, 0, 0.125, 0.75, -1], cell: [1, -2, 0.5, 0.5, 3, 0])
        let probe = ProbeResult(timeSteps: 3, hiddenSize: 2, layers: [layer], outputs: [0, 0, 0], outputSize: 1)
        return GateSnapshot(step: step, cell: .lstm, probeIndex: 0, probeCount: 1, labels: ["a", "b", "c"], probe: probe)
    }

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }
}
