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
            let horizon = info.outputSize > 1 ? "\(info.outputSize)-step " : ""
            return "\(horizon)MSE \(number(evaluation.validationLoss)) (baseline \(number(info.baselineLoss)))"
        case .multiLabel:
            var line = "loss \(number(evaluation.validationLoss)) (baseline \(number(info.baselineLoss)))"
            if let scores = evaluation.labelMetrics {
                let baseline = info.baselineLabelMetrics
                func two(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "?" }
                line += " macro F1 \(two(scores.macroF1)) (baseline \(two(baseline?.macroF1)))"
                line += " micro F1 \(two(scores.microF1)) (baseline \(two(baseline?.microF1)))"
                line += " Hamming \(two(scores.hammingLoss)) (baseline \(two(baseline?.hammingLoss)))"
                line += " exact \(String(format: "%.1f", scores.subsetAccuracy * 100))%"
                    + " (baseline \(baseline.map { String(format: "%.1f", $0.subsetAccuracy * 100) } ?? "?")%)"
            }
            return line
        }
    }

    /// Multi-label: one line per label with its F1 (and precision counts), next to the baseline's F1.
    static func labelTable(_ scores: MultiLabelMetrics, baseline: MultiLabelMetrics?) -> [String] {
        let width = max(5, scores.labels.map(\.count).max() ?? 5)
        return scores.labels.indices.map { label in
            let name = scores.labels[label].padding(toLength: width, withPad: " ", startingAt: 0)
            let baselineF1 = baseline.map { String(format: "%.3f", $0.perLabelF1[label]) } ?? "?"
            return "  \(name)  F1 \(String(format: "%.3f", scores.perLabelF1[label])) (baseline \(baselineF1))"
                + "  TP \(scores.truePositives[label]) FP \(scores.falsePositives[label]) FN \(scores.falseNegatives[label])"
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
