import Foundation
import RNNEngine

/// DIR/metrics.csv: one row per step (and per evaluation), header
/// `step,epoch,train_loss,val_loss,val_accuracy,learning_rate,grad_norm,tokens_per_second`;
/// a cell is empty where a value does not apply. Rows are buffered and flushed every `flushInterval` rows.
///
/// The file is only ever appended to: opening an existing log keeps its history (a partial last line
/// left by a killed writer is cut off first, so the next row starts on a line of its own), and the
/// header is written only into an empty file. `MetricsLog.read` skips a partial last line.
public final class MetricsLog {
    public static let header = "step,epoch,train_loss,val_loss,val_accuracy,learning_rate,grad_norm,tokens_per_second"
    public static let columnCount = 8
    private let handle: FileHandle
    private let url: URL
    private var pending = ""
    private var pendingRows = 0
    private let flushInterval: Int

    /// Opens `url` for appending, creating it (with the header) when missing or empty.
    public init(url: URL, flushInterval: Int = 50) throws {
        self.url = url
        self.flushInterval = flushInterval
        do {
            if !FileManager.default.fileExists(atPath: url.path) {
                try DurableFile.createIfMissing(url)
            }
            handle = try FileHandle(forUpdating: url)
            let length = try handle.seekToEnd()
            let keep = try Self.lengthOfCompleteLines(handle, length: length)
            if keep < length { try handle.truncate(atOffset: keep) }
            try handle.seek(toOffset: keep)
            if keep == 0 { try handle.write(contentsOf: Data((Self.header + "\n").utf8)) }
        } catch {
            throw TrainingError("\(url.path): cannot open the metrics file for appending (\(error.localizedDescription))")
        }
    }

    deinit { flush() }

    /// The byte length up to and including the last newline (0 when there is none).
    private static func lengthOfCompleteLines(_ handle: FileHandle, length: UInt64) throws -> UInt64 {
        var end = length
        let chunk: UInt64 = 4096
        while end > 0 {
            let start = end > chunk ? end - chunk : 0
            try handle.seek(toOffset: start)
            let bytes = try handle.read(upToCount: Int(end - start)) ?? Data()
            if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) {
                return start + UInt64(newline - bytes.startIndex) + 1
            }
            end = start
        }
        return 0
    }

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

    /// Writes the buffered rows (whole lines, one write). A failed write (disk full) drops them.
    public func flush() {
        guard !pending.isEmpty else { return }
        try? handle.write(contentsOf: Data(pending.utf8))
        pending = ""
        pendingRows = 0
    }

    private func format(_ value: Double, digits: Int = 6) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.\(digits)g", value)
    }

    // MARK: - Reading

    /// One row of metrics.csv; nil where the cell is empty.
    public struct Row: Sendable, Equatable {
        public var step: Int
        public var epoch: Int
        public var trainLoss: Double?
        public var validationLoss: Double?
        public var validationAccuracy: Double?
        public var learningRate: Double?
        public var gradientNorm: Double?
        public var tokensPerSecond: Double?
    }

    /// Reads a metrics file: the header line, then every complete row. A last line without its newline
    /// (a writer killed mid-write) and rows that do not parse are skipped, never an error.
    /// Throws only when the file cannot be read or does not start with the header.
    public static func read(_ url: URL) throws -> [Row] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError("\(url.path): cannot read the metrics file (\(error.localizedDescription))")
        }
        guard let lastNewline = data.lastIndex(of: UInt8(ascii: "\n")) else {
            return []  // not even a complete header yet
        }
        let text = String(decoding: data[data.startIndex..<lastNewline], as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first == header[...] else {
            throw TrainingError("\(url.path):1: expected the header \(header)")
        }
        lines.removeFirst()
        return lines.compactMap(row)
    }

    private static func row(_ line: Substring) -> Row? {
        let cells = line.split(separator: ",", omittingEmptySubsequences: false)
        guard cells.count == columnCount, let step = Int(cells[0]), let epoch = Int(cells[1]) else { return nil }
        func value(_ index: Int) -> Double? { cells[index].isEmpty ? nil : Double(cells[index]) }
        return Row(step: step, epoch: epoch, trainLoss: value(2), validationLoss: value(3), validationAccuracy: value(4),
                   learningRate: value(5), gradientNorm: value(6), tokensPerSecond: value(7))
    }
}
