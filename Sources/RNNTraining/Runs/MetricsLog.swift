import Foundation

/// DIR/metrics.csv: one row per step (and per evaluation), header
/// `step,epoch,train_loss,val_loss,val_accuracy,learning_rate,grad_norm,tokens_per_second`;
/// a cell is empty where a value does not apply. Rows are buffered and flushed every `flushInterval` rows.
public final class MetricsLog {
    public static let header = "step,epoch,train_loss,val_loss,val_accuracy,learning_rate,grad_norm,tokens_per_second"
    private let handle: FileHandle
    private var pending = ""
    private var pendingRows = 0
    private let flushInterval: Int

    /// - appending: continue an existing file (a resumed run) instead of starting a new one.
    public init(url: URL, flushInterval: Int = 50, appending: Bool = false) throws {
        let continuing = appending && FileManager.default.fileExists(atPath: url.path)
        guard continuing || FileManager.default.createFile(atPath: url.path, contents: Data((Self.header + "\n").utf8)) else {
            throw TrainingError("\(url.path): cannot create the metrics file")
        }
        handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        self.flushInterval = flushInterval
    }

    deinit { flush() }

    /// A training step's row (no validation columns).
    public func record(_ metrics: StepMetrics) {
        append([
            "\(metrics.step)", "\(metrics.epoch)", format(metrics.trainLoss), "", "",
            format(Double(metrics.learningRate)), format(metrics.gradientNorm), String(format: "%.1f", metrics.tokensPerSecond),
        ])
    }

    /// An evaluation's row (validation columns, and the step's train loss when given).
    public func record(_ evaluation: EvaluationMetrics, epoch: Int, learningRate: Float) {
        append([
            "\(evaluation.step)", "\(epoch)", "", format(evaluation.validationLoss),
            evaluation.validationAccuracy.map { format($0) } ?? "", format(Double(learningRate)), "", "",
        ])
    }

    private func append(_ cells: [String]) {
        pending += cells.joined(separator: ",") + "\n"
        pendingRows += 1
        if pendingRows >= flushInterval { flush() }
    }

    public func flush() {
        guard !pending.isEmpty else { return }
        handle.write(Data(pending.utf8))
        pending = ""
        pendingRows = 0
    }

    private func format(_ value: Double, digits: Int = 6) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.\(digits)g", value)
    }
}
