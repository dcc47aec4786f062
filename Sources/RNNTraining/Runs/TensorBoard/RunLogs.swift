import Foundation

/// Everything a run folder logs as it trains: metrics.csv (`MetricsLog`), the TensorBoard event file
/// (`TensorBoardLog`) and changes.csv (live hyperparameter changes: `step,change`, the step they first
/// apply to), behind `MetricsLog`'s record API, so a step loop logs to all with one call each.
/// At each evaluation it also writes histograms of the gate snapshot that `gates` returns (one probe
/// forward pass, a sequence of one), when `gates` is given.
public final class RunLogs {
    public let metrics: MetricsLog
    public let tensorBoard: TensorBoardLog
    private let gates: (() -> GateSnapshot)?
    private let changesURL: URL

    public static let changesFileName = "changes.csv"

    /// Creates both files in `folder`; the TensorBoard file shows the folder's config.json as text.
    public init(folder: RunFolder, gates: (() -> GateSnapshot)? = nil) throws {
        metrics = try MetricsLog(url: folder.metricsURL)
        tensorBoard = try TensorBoardLog(directory: folder.url, configText: try? String(contentsOf: folder.configURL, encoding: .utf8))
        self.gates = gates
        changesURL = folder.url.appendingPathComponent(Self.changesFileName)
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

    /// A live change ("lr 0.002 → 0.001") that first applies to step `step`: a changes.csv row (the file
    /// appears with the first change) and a TensorBoard text entry at that step.
    public func recordChange(step: Int, description: String) {
        let quoted = description.contains(",") || description.contains("\"")
            ? "\"" + description.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : description
        let row = Data("\(step),\(quoted)\n".utf8)
        if let handle = try? FileHandle(forWritingTo: changesURL) {
            handle.seekToEndOfFile()
            handle.write(row)
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: changesURL.path, contents: Data("step,change\n".utf8) + row)
        }
        tensorBoard.recordText(step: step, tag: "changes", markdown: description)
    }

    public func flush() {
        metrics.flush()
        tensorBoard.flush()
    }
}
