import DisplayFormat
import Foundation
import RNNTraining
import TerminalUI

/// The stats column of the loss view: progress, speed, live hyperparameters, losses and the task's
/// metric next to its baseline.
enum StatsPanel {
    static func render(_ run: RunRecord, comparison: RunRecord?, in rect: Rect, into buffer: inout CellBuffer, theme: Theme) {
        var y = rect.y
        func line(_ label: String, _ value: String, style: CellStyle = .plain) {
            guard y < rect.maxY else { return }
            buffer.write(Format.padded(label, 9), x: rect.x, y: y, style: theme.label)
            buffer.write(value, x: rect.x + 9, y: y, style: style, maxWidth: rect.width - 9)
            y += 1
        }
        func text(_ value: String, style: CellStyle) {
            guard y < rect.maxY else { return }
            buffer.write(value, x: rect.x, y: y, style: style, maxWidth: rect.width)
            y += 1
        }
        func rule() {
            guard y < rect.maxY else { return }
            buffer.write(String(repeating: "─", count: rect.width), x: rect.x, y: y, style: theme.border)
            y += 1
        }

        let metrics = run.latestStep
        let totalSteps = metrics?.totalSteps ?? run.summary?.totalSteps
        let step = metrics?.step ?? 0
        line("step", Format.count(step) + (totalSteps.map { " / " + Format.count($0) } ?? ""), style: theme.bold)
        let epochProgress = metrics?.epochProgress ?? 0
        let barWidth = max(4, rect.width - 9 - 5)
        let epochNumber = String((metrics?.epoch ?? 0) + 1)
        line("epoch", epochNumber + " " + Chrome.progressBar(epochProgress, width: barWidth - epochNumber.count - 1)
            + " " + Format.wholePercent(epochProgress))
        if let totalSteps, totalSteps > 0 {
            let fraction = Double(step) / Double(totalSteps)
            line("total", Chrome.progressBar(fraction, width: barWidth) + " " + Format.wholePercent(fraction))
        }
        let elapsed = metrics?.elapsedSeconds ?? 0
        var eta = "—"
        if let totalSteps, step > 0, elapsed > 0, !run.hasEnded {
            eta = Format.duration(elapsed / Double(step) * Double(max(0, totalSteps - step)))
        } else if run.status == .finished {
            eta = "done"
        }
        line("ETA", eta + "  (" + Format.duration(elapsed) + " in)")
        line("tok/s", metrics.map { Format.compact($0.tokensPerSecond) } ?? "—")
        rule()
        let setup = run.liveSetup
        let currentRate = metrics.map { Format.learningRate($0.learningRate) } ?? Format.learningRate(setup.optimizer.learningRate)
        line("lr", currentRate + "  " + setup.optimizer.kind.rawValue)
        line("clip", (setup.clipNorm.map { Format.significant(Double($0)) } ?? "off") + "   batch \(setup.batchSize)")
        line("dropout", Format.trimmed(Double(setup.dropout), digits: 2) + "   seq \(setup.sequenceLength)")
        rule()
        line("train", metrics.map { Format.loss($0.trainLoss) } ?? "—")
        if let smoothed = run.smoothedTrainLoss.last?.y { line("  EMA", Format.loss(smoothed)) }
        line("val", run.latestEvaluation.map { Format.loss($0.validationLoss) } ?? "—", style: theme.validation)
        for metricLine in metricLines(run) { text(metricLine, style: theme.bold) }
        if let summary = run.summary {
            for wrapped in Chrome.wrap(DisplayText.sanitized(summary.dataset.baselineDescription), width: rect.width).prefix(1) {
                text(wrapped, style: theme.dim)
            }
            text("params " + Format.compact(Double(summary.parameterCount)), style: theme.dim)
        }
        if let comparison {
            let value = comparison.latestEvaluation.map { "val " + Format.loss($0.validationLoss) }
                ?? comparison.trainLoss.last.map { "train " + Format.loss($0.y) } ?? ""
            text("run \(comparison.runID) (dim): " + value, style: theme.previousRun)
        }
        if case .failed(let message) = run.status {
            for wrapped in Chrome.wrap("failed: " + DisplayText.sanitized(message), width: rect.width) {
                text(wrapped, style: theme.error)
            }
        }
    }

    /// The task's metric next to what a no-learning predictor gets, e.g. "val bpc 2.31 (baseline 4.10)".
    static func metricLines(_ run: RunRecord) -> [String] {
        guard let dataset = run.summary?.dataset else { return ["waiting for the trainer…"] }
        let evaluation = run.latestEvaluation
        switch dataset.task {
        case .languageModel:
            let bits = evaluation.map { $0.bitsPerToken ?? $0.validationLoss / log(2) }
            let unit = dataset.vocabulary?.level == .word ? "bpw" : "bpc"
            var lines = ["val \(unit) " + (bits.map { Format.decimal($0, digits: 2) } ?? "—")
                + " (baseline " + Format.decimal(dataset.baselineLoss / log(2), digits: 2) + ")"]
            if let accuracy = evaluation?.validationAccuracy { lines.append("val acc " + Format.percent(accuracy)) }
            return lines
        case .classification:
            let chance = dataset.outputSize > 0 ? 1 / Double(dataset.outputSize) : 0
            return [
                "val acc " + (evaluation?.validationAccuracy.map(Format.percent) ?? "—") + " (chance " + Format.percent(chance) + ")",
                "baseline loss " + Format.loss(dataset.baselineLoss),
            ]
        case .regression:
            let horizon = dataset.outputSize > 1 ? "\(dataset.outputSize)-step " : ""
            return ["val \(horizon)MSE " + (evaluation.map { Format.loss($0.validationLoss) } ?? "—")
                + " (baseline " + Format.loss(dataset.baselineLoss) + ")"]
        case .multiLabel:
            return multiLabelLines(evaluation?.labelMetrics, baseline: dataset.baselineLabelMetrics)
        }
    }

    /// Multi-label scores next to the label-frequency baseline's, and the per-label F1.
    static func multiLabelLines(_ metrics: MultiLabelMetrics?, baseline: MultiLabelMetrics?) -> [String] {
        func pair(_ name: String, _ value: (MultiLabelMetrics) -> Double, percent: Bool = false) -> String {
            func text(_ scores: MultiLabelMetrics?) -> String {
                guard let scores else { return "—" }
                return percent ? Format.percent(value(scores)) : Format.decimal(value(scores), digits: 2)
            }
            return name + " " + text(metrics) + " (baseline " + text(baseline) + ")"
        }
        var lines = [
            pair("macro F1", \.macroF1), pair("micro F1", \.microF1), pair("Hamming", \.hammingLoss),
            pair("exact", \.subsetAccuracy, percent: true),
        ]
        if let metrics {
            lines.append("F1 " + zip(metrics.labels, metrics.perLabelF1)
                .map { DisplayText.sanitized($0) + " " + Format.decimal($1, digits: 2) }.joined(separator: ", "))
        }
        return lines
    }
}
