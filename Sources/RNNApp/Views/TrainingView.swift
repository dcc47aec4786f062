import DisplayFormat
import RNNTraining
import TerminalUI

/// The loss view: header, the braille loss chart (`LossChart`: every compared run, validation, the
/// baseline, change marks and the lr track), the stats panel on the right, the gradient-norm sparkline, notices and key hints.
enum TrainingView {
    static let statsWidth = 32

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        Chrome.header(state, title: "loss", into: &buffer, theme: theme)
        guard let run = state.activeRun else { return }
        let chartHeight = buffer.height - 4
        let chartRect = Rect(x: 0, y: 1, width: buffer.width - statsWidth - 1, height: chartHeight)
        buffer.render(LossChart.chart(state, theme: theme), in: chartRect)
        buffer.render(Rule(.vertical, style: theme.border), in: Rect(x: chartRect.maxX, y: 1, width: 1, height: chartHeight))
        StatsPanel.render(run, compared: StatsPanel.comparedRuns(state, theme: theme),
                          in: Rect(x: chartRect.maxX + 2, y: 1, width: statsWidth - 2, height: chartHeight),
                          into: &buffer, theme: theme)
        drawGradientNorms(run, y: buffer.height - 3, into: &buffer, theme: theme)
        Chrome.noticeLine(state, into: &buffer, theme: theme)
        Chrome.footer(KeyBindings.lossFooter, active: run.status == .paused, into: &buffer, theme: theme)
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
