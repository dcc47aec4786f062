import Foundation

/// What a run folder logs as it trains, behind `MetricsLog`'s record API: metrics.csv (`MetricsLog`) and the
/// TensorBoard event file (`TensorBoardLog`), so a step loop logs to both with one call each. At each
/// evaluation it also writes histograms of the gate snapshot that `gates` returns (one probe forward pass, a
/// sequence of one), when `gates` is given. Live changes go to TensorBoard as text here; their durable record
/// is changes.jsonl (`ChangeLog`, written by `RunRecorder`).
public final class RunLogs {
    public let metrics: MetricsLog
    public let tensorBoard: TensorBoardLog
    private let gates: (() -> GateSnapshot)?

    /// Opens both files in `folder` (metrics.csv appended to when `appending`; a new event file, which
    /// TensorBoard reads together with the run's earlier ones); the event file shows config.json as text.
    public init(folder: RunFolder, appending: Bool = false, gates: (() -> GateSnapshot)? = nil) throws {
        metrics = try MetricsLog(url: folder.metricsURL, appending: appending)
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

    /// A live change ("lr 0.002 → 0.001") that first applies to step `step`: a TensorBoard text entry there.
    public func recordChange(step: Int, description: String) {
        tensorBoard.recordText(step: step, tag: "changes", markdown: description)
    }

    public func flush() {
        metrics.flush()
        tensorBoard.flush()
    }
}
