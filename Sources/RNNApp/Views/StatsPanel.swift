import DisplayFormat
import Foundation
import RNNTraining
import TerminalUI

/// The stats column of the loss view: progress, speed, live hyperparameters, losses, the task's metric
/// next to its baseline and the compared runs. Lines are laid out first, wrapped at spaces to the
/// panel's width less one column (so nothing reaches the edge, and nothing is ever cut), then drawn
/// from the top until the panel is full.
enum StatsPanel {
    /// One laid-out row: pieces of text and their styles, at most the panel's width minus one in all.
    struct Line {
        var pieces: [(text: String, style: CellStyle)]
        var width: Int { pieces.reduce(0) { $0 + $1.text.count } }
    }

    /// A compared run's line: its legend name and value, in its curve's style.
    struct ComparedRun {
        var name: String
        var value: String
        var style: CellStyle
    }

    static func render(_ run: RunRecord, compared: [ComparedRun], in rect: Rect, into buffer: inout CellBuffer, theme: Theme) {
        for (offset, line) in lines(run, compared: compared, width: rect.width, theme: theme).prefix(rect.height).enumerated() {
            var x = rect.x
            for piece in line.pieces { x += buffer.write(piece.text, x: x, y: rect.y + offset, style: piece.style) }
        }
    }

    /// The panel's rows for a panel `width` columns wide (each row at most width − 1).
    static func lines(_ run: RunRecord, compared: [ComparedRun], width panelWidth: Int, theme: Theme) -> [Line] {
        let width = max(10, panelWidth - 1)
        let labelWidth = 9
        var result: [Line] = []
        func line(_ label: String, _ value: String, style: CellStyle = .plain) {
            let pieces = TextWrap.lines(value, width: width - labelWidth)
            for (index, piece) in pieces.enumerated() {
                result.append(Line(pieces: [(Format.padded(index == 0 ? label : "", labelWidth), theme.label), (piece, style)]))
            }
        }
        func text(_ value: String, style: CellStyle) {
            for piece in TextWrap.lines(value, width: width) {
                result.append(Line(pieces: [(piece.replacingOccurrences(of: "\u{a0}", with: " "), style)]))
            }
        }
        func rule() { result.append(Line(pieces: [(String(repeating: "─", count: width), theme.border)])) }

        let metrics = run.latestStep
        let totalSteps = metrics?.totalSteps ?? run.summary?.totalSteps
        let step = metrics?.step ?? 0
        line("step", Format.count(step) + (totalSteps.map { " / " + Format.count($0) } ?? ""), style: theme.bold)
        let epochProgress = metrics?.epochProgress ?? 0
        let barWidth = max(4, width - labelWidth - 5)
        let epochNumber = String((metrics?.epoch ?? 0) + 1)
        line("epoch", epochNumber + " " + Chrome.progressBar(epochProgress, width: max(1, barWidth - epochNumber.count - 1))
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
            text(DisplayText.sanitized(summary.dataset.baselineDescription), style: theme.dim)
            text("params " + Format.compact(Double(summary.parameterCount)), style: theme.dim)
        }
        for other in compared { text(other.name + ": " + other.value, style: other.style) }
        if case .failed(let message) = run.status {
            text("failed: " + DisplayText.sanitized(message), style: theme.error)
        }
        return result
    }

    /// The compared runs' lines for the active run's panel (from the chart's runs and names).
    static func comparedRuns(_ state: AppState, theme: Theme) -> [ComparedRun] {
        let runs = state.chartRuns.runs.dropLast()
        let names = LossChart.legendNames(state.chartRuns.runs)
        return runs.enumerated().map { position, run in
            let value = run.latestEvaluation.map { "val " + Format.loss($0.validationLoss) }
                ?? run.trainLoss.last.map { "train " + Format.loss($0.y) } ?? "—"
            return ComparedRun(name: names[run.runID] ?? "run \(run.runID)", value: value, style: theme.runCurve(position + 1))
        }
    }

    /// The task's metric next to what a no-learning predictor gets, e.g. "val bpc 2.31 (baseline 4.10)"
    /// (a no-break space keeps "(baseline 4.10)" on one line when the panel wraps it).
    static func metricLines(_ run: RunRecord) -> [String] {
        guard let dataset = run.summary?.dataset else { return ["waiting for the trainer…"] }
        let evaluation = run.latestEvaluation
        switch dataset.task {
        case .languageModel:
            let bits = evaluation.map { $0.bitsPerToken ?? $0.validationLoss / log(2) }
            let unit = dataset.vocabulary?.level == .word ? "bpw" : "bpc"
            var lines = ["val \(unit) " + (bits.map { Format.decimal($0, digits: 2) } ?? "—")
                + " (baseline\u{a0}" + Format.decimal(dataset.baselineLoss / log(2), digits: 2) + ")"]
            if let accuracy = evaluation?.validationAccuracy { lines.append("val acc " + Format.percent(accuracy)) }
            return lines
        case .classification:
            let chance = dataset.outputSize > 0 ? 1 / Double(dataset.outputSize) : 0
            return [
                "val acc " + (evaluation?.validationAccuracy.map(Format.percent) ?? "—") + " (chance\u{a0}" + Format.percent(chance) + ")",
                "baseline loss " + Format.loss(dataset.baselineLoss),
            ]
        case .regression:
            let horizon = dataset.outputSize > 1 ? "\(dataset.outputSize)-step " : ""
            return ["val \(horizon)MSE " + (evaluation.map { Format.loss($0.validationLoss) } ?? "—")
                + " (baseline\u{a0}" + Format.loss(dataset.baselineLoss) + ")"]
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
            return name + " " + text(metrics) + " (baseline\u{a0}" + text(baseline) + ")"
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
