import DisplayFormat
import RNNTraining
import TerminalUI

/// The loss view: header, the braille loss chart (train, validation, the previous run dimmed, change
/// markers), the stats panel on the right, the gradient-norm sparkline, notices and key hints.
enum TrainingView {
    static let statsWidth = 32

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        Chrome.header(state, title: "loss", into: &buffer, theme: theme)
        guard let run = state.activeRun else { return }
        let chartHeight = buffer.height - 4
        let chartRect = Rect(x: 0, y: 1, width: buffer.width - statsWidth - 1, height: chartHeight)
        buffer.render(chart(for: run, state: state, theme: theme), in: chartRect)
        buffer.render(Rule(.vertical, style: theme.border), in: Rect(x: chartRect.maxX, y: 1, width: 1, height: chartHeight))
        StatsPanel.render(run, comparison: state.comparisonRun,
                          in: Rect(x: chartRect.maxX + 2, y: 1, width: statsWidth - 2, height: chartHeight),
                          into: &buffer, theme: theme)
        drawGradientNorms(run, y: buffer.height - 3, into: &buffer, theme: theme)
        Chrome.noticeLine(state, into: &buffer, theme: theme)
        Chrome.footer(KeyBindings.lossFooter, active: run.status == .paused, into: &buffer, theme: theme)
    }

    static func chart(for run: RunRecord, state: AppState, theme: Theme) -> LineChart {
        var series: [ChartSeries] = []
        let dashedWithoutColor = theme.mode == .none
        for previous in state.overlayRuns {
            let points = state.chart.smoothing ? previous.smoothedTrainLoss.plotPoints : previous.trainLoss.plotPoints
            series.append(ChartSeries(name: previous.label ?? "run \(previous.runID)", points: points, style: theme.previousRun,
                                      dashed: dashedWithoutColor))
        }
        let train = state.chart.smoothing ? run.smoothedTrainLoss.plotPoints : run.trainLoss.plotPoints
        series.append(ChartSeries(name: state.chart.smoothing ? "train (EMA)" : "train", points: train, style: theme.train))
        series.append(ChartSeries(name: "val", points: run.validationLoss.plotPoints, style: theme.validation,
                                  dashed: dashedWithoutColor))
        return LineChart(series: series, markers: run.markers.map { ChartMark(step: $0.step, label: $0.label) },
                         logScale: state.chart.logScale, legendSuffix: state.chart.logScale ? "log y" : "",
                         emptyText: run.hasEnded ? "no steps were taken" : "waiting for the first step…",
                         styles: theme.chartStyles)
    }

    /// "‖grad‖ ▁▂▃▅▇█▃▂  1.23 (max 4.56, clip 5)" across the width.
    static func drawGradientNorms(_ run: RunRecord, y: Int, into buffer: inout CellBuffer, theme: Theme) {
        var x = buffer.write(" grad norm ", x: 0, y: y, style: theme.label)
        let clip = run.liveSetup.clipNorm
        var tail = "  —"
        if let last = run.gradientNorms.last {
            let shown = run.gradientNorms.suffix(buffer.width)
            let maximum = shown.filter(\.isFinite).max() ?? 0
            tail = "  " + Format.significant(last) + " (max " + Format.significant(maximum)
                + ", clip " + (clip.map { Format.significant(Double($0)) } ?? "off") + ")"
        }
        let sparkWidth = max(1, buffer.width - x - tail.count - 1)
        let sparkline = Sparkline(values: run.gradientNorms.suffix(sparkWidth), style: theme.accent,
                                  threshold: clip.map(Double.init), highlightStyle: theme.warning)
        buffer.render(sparkline, in: Rect(x: x, y: y, width: sparkWidth, height: 1))
        x += sparkWidth
        buffer.write(tail, x: x, y: y, style: theme.label)
    }
}
