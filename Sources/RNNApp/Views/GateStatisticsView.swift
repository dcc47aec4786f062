import DisplayFormat
import Foundation
import RNNTraining
import TerminalUI

/// The gate statistics view over a validation sample, for one layer: per gate a braille scatter of each
/// unit's left-saturated fraction (< 0.1) against its right-saturated fraction (> 0.9) — Karpathy,
/// Johnson & Fei-Fei 2015, fig. 3 — and the histogram of memory time scales τ on a log axis; for the
/// vanilla RNN the fraction of saturated tanh values and the spectral radius of W_hh over training.
/// Cost: O(H · gates) plus the history charts' points.
enum GateStatisticsView {
    /// τ bins on a log axis: [1, 2), [2, 5), … [1000, ∞).
    static let binEdges: [Double] = [1, 2, 5, 10, 20, 50, 100, 1000]

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        Chrome.header(state, title: "gate statistics", into: &buffer, theme: theme)
        defer {
            Chrome.noticeLine(state, into: &buffer, theme: theme)
            Chrome.footer(KeyBindings.statisticsFooter, preferring: [.statistics], active: state.activeRun?.status == .paused,
                          into: &buffer, theme: theme)
        }
        guard let run = state.activeRun else { return }
        guard let statistics = run.gateStatistics, !statistics.layers.isEmpty else {
            let message = run.hasEnded
                ? "no gate statistics: the run ended before this view was opened"
                : "waiting for gate statistics over a validation sample from the trainer…"
            buffer.write(message, x: max(0, (buffer.width - message.count) / 2), y: buffer.height / 2, style: theme.dim,
                         maxWidth: buffer.width)
            return
        }
        let layerIndex = min(state.insight.statisticsLayer, statistics.layers.count - 1)
        let layer = statistics.layers[layerIndex]
        let thresholds = "left-saturated < \(Format.trimmed(GateStatistics.leftThreshold, digits: 2)), right > \(Format.trimmed(GateStatistics.rightThreshold, digits: 2))"
        let parts = ["layer \(layerIndex + 1)/\(statistics.layers.count)", "step \(Format.count(statistics.step))",
                     "\(Format.count(statistics.sequences)) validation sequences", thresholds,
                     "\(Format.count(statistics.timestepsCounted)) timesteps"]
        buffer.write(Chrome.fitting(parts, width: buffer.width), x: 0, y: 1, style: theme.label)

        let body = Rect(x: 0, y: 2, width: buffer.width, height: buffer.height - 4)
        if layer.gates.isEmpty {
            drawVanilla(run, layer: layer, layerIndex: layerIndex, area: body, into: &buffer, theme: theme)
            return
        }
        let sideWidth = min(40, max(30, buffer.width / 3))
        let scatterArea = Rect(x: body.x, y: body.y, width: body.width - sideWidth - 1, height: body.height)
        drawScatters(layer.gates, area: scatterArea, into: &buffer, theme: theme)
        buffer.render(Rule(.vertical, style: theme.border), in: Rect(x: scatterArea.maxX, y: body.y, width: 1, height: body.height))
        let gateName = statistics.cell == .lstm ? "f" : "z"
        drawHistogram(layer.timeScales ?? [], gateName: gateName,
                      area: Rect(x: scatterArea.maxX + 2, y: body.y, width: sideWidth - 2, height: body.height), into: &buffer, theme: theme)
    }

    /// The gates in a grid of scatters: two columns (three for GRU's three gates when wide enough).
    private static func drawScatters(_ gates: [GateStatistics.Gate], area: Rect, into buffer: inout CellBuffer, theme: Theme) {
        let columns = gates.count == 3 && area.width >= 72 ? 3 : 2
        let rows = (gates.count + columns - 1) / columns
        let width = (area.width - (columns - 1)) / columns
        let height = area.height / rows
        for (index, gate) in gates.enumerated() {
            let rect = Rect(x: area.x + (index % columns) * (width + 1), y: area.y + (index / columns) * height, width: width, height: height)
            let points = zip(gate.leftSaturated, gate.rightSaturated).map { (x: $0, y: $1) }
            let meanLeft = gate.leftSaturated.reduce(0, +) / Double(max(1, gate.leftSaturated.count))
            let meanRight = gate.rightSaturated.reduce(0, +) / Double(max(1, gate.rightSaturated.count))
            let title = Chrome.fitting(["\(gate.name) \(GatePanel.title(gate.name))", "↑ right-saturated",
                                        "mean \(Format.wholePercent(meanLeft)) left, \(Format.wholePercent(meanRight)) right"],
                                       width: rect.width, prefix: "")
            let plot = ScatterPlot(points: points, title: title, xLabel: "left-saturated",
                                   pointStyle: theme.accent, frameStyle: theme.border)
            buffer.render(plot, in: rect)
        }
    }

    /// "how many units remember for 1, 10, 100 steps": a bar per bin of τ.
    private static func drawHistogram(_ timeScales: [Double], gateName: String, area: Rect, into buffer: inout CellBuffer, theme: Theme) {
        var y = area.y
        buffer.write("memory τ = 1/(1 − mean \(gateName))", x: area.x, y: y, style: theme.title, maxWidth: area.width)
        y += 1
        buffer.write("units per τ, log bins", x: area.x, y: y, style: theme.dim, maxWidth: area.width)
        y += 2
        let counts = binCounts(timeScales)
        let largest = max(1, counts.max() ?? 1)
        let labelWidth = 10, countWidth = 5
        let barWidth = max(1, area.width - labelWidth - countWidth - 1)
        for (index, count) in counts.enumerated() where y < area.maxY {
            buffer.write(Format.padded(binLabel(index), labelWidth), x: area.x, y: y, style: theme.label)
            let filled = count == 0 ? 0 : max(1, Int((Double(count) / Double(largest) * Double(barWidth)).rounded()))
            buffer.write(String(repeating: "█", count: filled), x: area.x + labelWidth, y: y, style: theme.train)
            buffer.write(Format.rightAligned(String(count), countWidth), x: area.x + labelWidth + barWidth, y: y, style: theme.bold)
            y += 1
        }
        y += 1
        if y < area.maxY, !timeScales.isEmpty {
            let sorted = timeScales.sorted()
            buffer.write("median τ \(Format.significant(sorted[sorted.count / 2]))  max \(Format.significant(sorted.last!))",
                         x: area.x, y: y, style: theme.dim, maxWidth: area.width)
        }
    }

    /// Units per τ bin (`binEdges`).
    static func binCounts(_ timeScales: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: binEdges.count)
        for tau in timeScales {
            let bin = binEdges.lastIndex { tau >= $0 } ?? 0
            counts[bin] += 1
        }
        return counts
    }

    static func binLabel(_ index: Int) -> String {
        let low = Format.step(binEdges[index])
        return index + 1 < binEdges.count ? "\(low)–\(Format.step(binEdges[index + 1]))" : "≥ \(low)"
    }

    /// Vanilla RNN: the two numbers now, and their histories over training as small charts.
    private static func drawVanilla(_ run: RunRecord, layer: GateStatistics.Layer, layerIndex: Int, area: Rect,
                                    into buffer: inout CellBuffer, theme: Theme) {
        let saturation = "saturated tanh values (|h| > 0.8) " + (layer.saturatedFraction.map(Format.percent) ?? "—")
        let radius = "spectral radius ρ(W_hh) " + (layer.spectralRadius.map(Format.significant) ?? "—")
        buffer.write(Chrome.fitting(["tanh RNN, no gates", saturation], width: area.width), x: area.x, y: area.y, style: theme.bold)
        buffer.write(Chrome.fitting([radius, "below 1, gradients shrink through time"], width: area.width), x: area.x, y: area.y + 1,
                     style: theme.bold)
        let chartHeight = (area.height - 2) / 2
        let histories: [(String, [BoundedSeries], CellStyle)] = [
            ("ρ(W_hh) against the step (sampled while this view is open)", run.spectralRadiusHistory, theme.train),
            ("saturated tanh fraction against the step", run.tanhSaturationHistory, theme.validation),
        ]
        for (index, entry) in histories.enumerated() {
            let points = layerIndex < entry.1.count ? entry.1[layerIndex].plotPoints : []
            let chart = LineChart(series: [ChartSeries(name: entry.0, points: points, style: entry.2)],
                                  emptyText: "waiting for the next statistics…", styles: theme.chartStyles)
            buffer.render(chart, in: Rect(x: area.x, y: area.y + 2 + index * chartHeight, width: area.width, height: chartHeight))
        }
    }
}
