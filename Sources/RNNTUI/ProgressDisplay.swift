import DisplayFormat
import Foundation
import RNNTraining

/// The headless trainer's progress bar: one line redrawn in place (at most 10 times a second) with
/// loss, metric, rate and ETA; disabled when stdout is not a terminal.
final class ProgressDisplay {
    private let enabled: Bool
    private var lastDraw = 0.0
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ metrics: StepMetrics, evaluation: EvaluationMetrics?, info: DatasetInfo) {
        guard enabled else { return }
        let now = Date().timeIntervalSince1970
        guard now - lastDraw >= 0.1 else { return }
        lastDraw = now
        var line = ""
        if let total = metrics.totalSteps {
            let fraction = min(1, Double(metrics.step) / Double(total))
            let width = 24, filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] "
            line += "\(metrics.step)/\(total) "
            let remaining = Double(total - metrics.step) * metrics.elapsedSeconds / Double(max(1, metrics.step))
            line += "ETA \(Format.duration(remaining)) "
        } else {
            line += "step \(metrics.step) "
        }
        line += "loss \(Format.number(metrics.trainLoss))"
        if let evaluation { line += " val \(Format.metric(evaluation, info: info))" }
        line += " \(Format.rate(metrics.tokensPerSecond)) tok/s"
        FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + line).utf8))
        drawn = true
    }

    func finishLine() {
        guard enabled, drawn else { return }
        FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8))
        drawn = false
    }
}

/// The headless commands format numbers with the one formatter the notebook uses.
typealias Format = DisplayFormat.Format

/// The headless commands' lines, composed with `Format`'s rules.
extension Format {
    /// A loss or metric in a log line: 4 decimals.
    static func number(_ value: Double) -> String { decimal(value, digits: 4) }

    /// Tokens per second: 950, 48.2k.
    static func rate(_ value: Double) -> String { compact(value) }

    /// The task's metric with its baseline: bits per char, accuracy, or MSE.
    static func metric(_ evaluation: EvaluationMetrics, info: DatasetInfo) -> String {
        switch info.task {
        case .languageModel:
            let bits = evaluation.bitsPerToken ?? evaluation.validationLoss / log(2)
            let unit = info.vocabulary?.level == .word ? "bits/word" : "bits/char"
            return "loss \(number(evaluation.validationLoss)) (\(decimal(bits, digits: 3)) \(unit), baseline \(decimal(info.baselineLoss / log(2), digits: 3)))"
        case .classification:
            let accuracy = (evaluation.validationAccuracy ?? 0)
            return "loss \(number(evaluation.validationLoss)) acc \(percent(accuracy)) (baseline loss \(number(info.baselineLoss)))"
        case .regression:
            return "MSE \(number(evaluation.validationLoss)) (baseline \(number(info.baselineLoss)))"
        }
    }

    static func epochLine(
        epoch: Int, step: Int, trainLoss: Double, evaluation: EvaluationMetrics?, info: DatasetInfo, tokensPerSecond: Double
    ) -> String {
        var line = "epoch \(epoch) step \(step) train loss \(number(trainLoss))"
        if let evaluation { line += " | val \(metric(evaluation, info: info))" }
        return line + " | \(rate(tokensPerSecond)) tok/s"
    }
}
