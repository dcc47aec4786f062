import Foundation

/// Everything a run folder logs as it trains: metrics.csv (`MetricsLog`) and the TensorBoard event file
/// (`TensorBoardLog`), behind `MetricsLog`'s record API, so a step loop logs to both with one call each.
/// At each evaluation it also writes histograms of the gate snapshot that `gates` returns (one probe
/// forward pass, a sequence of one), when `gates` is given.
public final class RunLogs {
    public let metrics: MetricsLog
    public let tensorBoard: TensorBoardLog
    private let gates: (() -> GateSnapshot)?

    /// Creates both files in `folder`; the TensorBoard file shows the folder's config.json as text.
    public init(folder: RunFolder, gates: (() -> GateSnapshot)? = nil) throws {
        metrics = try MetricsLog(url: folder.metricsURL)
        tensorBoard = try TensorBoardLog(directory: folder.url, configText: try? String(contentsOf: folder.configURL, encoding: .utf8))
        self.gates = gates
    }

    public func record(_ step: StepMetrics) {
        metrics.record(step)
        tensorBoard.record(step)
    }

    public func record(_ evaluation: EvaluationMetrics, epoch: Int, learningRate: Float) {
        metrics.record(evaluation, epoch: epoch, learningRate: learningRate)
        tensorBoard.record(evaluation, epoch: epoch, learningRate: learningRate)
        if let gates { tensorBoard.record(gates()) }
    }

    public func flush() {
        metrics.flush()
        tensorBoard.flush()
    }
}
