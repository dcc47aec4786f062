import DisplayFormat
import Foundation
import RNNTraining
import TerminalUI

/// The gradient flow view: ‖∂L/∂h_t‖ against t per layer on a log-scale braille chart (the compared
/// runs one curve each on the same axes), and beneath it |∂L/∂h_t| per unit and timestep for the probe
/// (half blocks, colour on a log scale over four decades). A vanishing gradient is a curve that falls
/// toward t = 0. Cost: O(T · H) for the heatmap's columns plus the chart's points.
enum GradientFlowView {
    /// Decades the heatmap's colours span below the largest |∂L/∂h_t|.
    static let decades = 4.0

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        Chrome.header(state, title: "gradient flow", into: &buffer, theme: theme)
        defer {
            Chrome.noticeLine(state, into: &buffer, theme: theme)
            Chrome.footer(KeyBindings.gradientsFooter, preferring: [.gradients], active: state.activeRun?.status == .paused,
                          into: &buffer, theme: theme)
        }
        guard let run = state.activeRun else { return }
        let options = state.insight
        guard let flow = state.shownGradientFlow, !flow.layers.isEmpty else {
            let source = options.gradientSource == .probe ? "the probe" : "a validation sample"
            let message = run.hasEnded
                ? "no gradient flow of \(source): the run ended before this view was opened"
                : "waiting for the gradient flow of \(source) from the trainer…"
            buffer.write(message, x: max(0, (buffer.width - message.count) / 2), y: buffer.height / 2, style: theme.dim,
                         maxWidth: buffer.width)
            return
        }
        let layer = min(options.gradientLayer, flow.layers.count - 1)
        var parts = [sourceText(flow.source, probeCount: run.gateSnapshot?.probeCount)]
        if let ratio = flow.firstToLastRatio(layer: layer) {
            parts.append("‖∂L/∂h₀‖/‖∂L/∂h_T‖ \(Format.significant(ratio))" + (flow.layers.count > 1 ? " (layer \(layer + 1))" : ""))
        }
        parts += ["step \(Format.count(flow.step))", "T \(flow.timeSteps) × H \(flow.hiddenSize)", "loss \(Format.loss(flow.loss))"]
        buffer.write(Chrome.fitting(parts, width: buffer.width), x: 0, y: 1, style: theme.label)

        let available = buffer.height - 4
        let magnitudes = flow.layers[layer].magnitudes
        let chartHeight = magnitudes == nil ? available - 1 : max(6, available * 11 / 20)
        let chartRect = Rect(x: 0, y: 2, width: buffer.width, height: chartHeight)
        buffer.render(chart(flow, state: state, theme: theme), in: chartRect)

        let heatTop = chartRect.maxY
        guard let magnitudes else {
            buffer.write(Chrome.fitting(["|∂L/∂h_t| per unit is drawn for one probe", "v switches to the probe"], width: buffer.width,
                                        separator: ": "), x: 0, y: heatTop, style: theme.dim)
            return
        }
        let heatRows = buffer.height - 2 - heatTop - 1
        guard heatRows > 0 else { return }
        drawHeatmap(magnitudes, flow: flow, layer: layer, unitOffset: options.gradientUnitOffset,
                    area: Rect(x: 0, y: heatTop, width: buffer.width, height: heatRows + 1), into: &buffer, theme: theme)
    }

    static func sourceText(_ source: GradientFlow.Source, probeCount: Int?) -> String {
        switch source {
        case .probe(let index): "probe \(index + 1)/\(max(1, probeCount ?? 1))"
        case .validation(let sequences): "validation · mean over \(sequences) sequences"
        }
    }

    /// The active run's layers, then each compared run's curve (its same layer, or its last).
    static func chart(_ flow: GradientFlow, state: AppState, theme: Theme) -> LineChart {
        let layerStyles = [theme.train, theme.accent, theme.good, theme.label]
        let comparedStyles = [theme.validation, theme.marker, theme.warning, theme.error]
        var series: [ChartSeries] = []
        let layer = min(state.insight.gradientLayer, flow.layers.count - 1)
        let compared = state.runs.filter { $0.runID != state.activeRunID }
        for (index, run) in compared.enumerated() {
            let other = state.insight.gradientSource == .probe ? run.probeGradientFlow : run.validationGradientFlow
            guard let other, !other.layers.isEmpty else { continue }
            let otherLayer = min(layer, other.layers.count - 1)
            series.append(ChartSeries(name: "run \(run.runID) \(run.setup.cell.displayName)", points: points(other.layers[otherLayer].norms),
                                      style: comparedStyles[index % comparedStyles.count], dashed: theme.mode == .none))
        }
        var cell = state.activeRun?.setup.cell.displayName ?? ""
        if !compared.isEmpty, let runID = state.activeRunID { cell = "run \(runID) " + cell }
        for (index, entry) in flow.layers.enumerated().reversed() {
            let name = flow.layers.count == 1 ? cell : "\(cell) layer \(index + 1)"
            var style = layerStyles[index % layerStyles.count]
            if index == layer && flow.layers.count > 1 { style.bold = true }
            series.append(ChartSeries(name: name, points: points(entry.norms), style: style))
        }
        return LineChart(series: series, xAxis: .timesteps, logScale: true, legendSuffix: "‖∂L/∂h_t‖ · log y",
                         emptyText: "no gradient reaches any timestep", styles: theme.chartStyles)
    }

    static func points(_ norms: [Double]) -> [(x: Double, y: Double)] {
        norms.enumerated().map { (x: Double($0.offset), y: $0.element) }
    }

    /// |∂L/∂h_t| of `layer`, two units a row, the columns lined up with the chart's plot (each column the
    /// largest value of the timesteps it covers), log colours from max/10⁴ to max.
    private static func drawHeatmap(_ magnitudes: [Float], flow: GradientFlow, layer: Int, unitOffset: Int, area: Rect,
                                    into buffer: inout CellBuffer, theme: Theme) {
        let hidden = flow.hiddenSize, timeSteps = flow.timeSteps
        let plotX = LineChart.axisLabelWidth + 1
        let columns = max(1, area.width - plotX)
        let largest = magnitudes.max() ?? 0
        let high = log10(Double(max(largest, 1e-30)))
        let scale = HeatmapScale.sequential(low: Float(high - decades), high: Float(high))
        // resampled: (columns, H) log10 of the largest |∂L/∂h_t| in each column's timesteps.
        var resampled = [Float](repeating: .nan, count: columns * hidden)
        let span = max(1, timeSteps - 1)
        for time in 0..<timeSteps {
            let column = min(columns - 1, Int((Double(time) / Double(span) * Double(columns * 2 - 1)).rounded()) / 2)
            for unit in 0..<hidden {
                let value = Float(log10(Double(max(magnitudes[time * hidden + unit], 1e-30))))
                let index = column * hidden + unit
                if resampled[index].isNaN || value > resampled[index] { resampled[index] = value }
            }
        }
        // Columns no timestep fell in (T smaller than the plot) repeat their left neighbour.
        for column in 1..<max(1, columns) where resampled[column * hidden].isNaN {
            for unit in 0..<hidden { resampled[column * hidden + unit] = resampled[(column - 1) * hidden + unit] }
        }
        let perCell = HalfBlockHeatmap.unitsPerCell(theme.mode)
        let rows = area.height - 1
        let first = max(0, min(unitOffset, max(0, hidden - 1)))
        let last = min(hidden, first + rows * perCell)
        let colours = "colour \(Format.significant(pow(10, high - decades)))…\(Format.significant(Double(largest))) (log)"
        let title = Chrome.fitting(["|∂L/∂h_t| layer \(layer + 1)", "units \(first)–\(last - 1) of \(hidden)", colours],
                                   width: area.width - 10) + " "
        var x = buffer.write(title, x: area.x, y: area.y, style: theme.label, maxWidth: area.width)
        for index in 0..<9 where x < area.maxX {
            let cell = HeatmapRamp.cell(position: Float(index) / 8, diverging: false, mode: theme.mode)
            buffer.set(x, area.y, cell.character, style: cell.style)
            x += 1
        }
        let heatmap = HalfBlockHeatmap(values: resampled, rowCount: hidden, rows: Array(first..<last), scale: scale, mode: theme.mode)
        let heatRows = HalfBlockHeatmap.cellRows(for: last - first, mode: theme.mode)
        buffer.render(heatmap, in: Rect(x: area.x + plotX, y: area.y + 1, width: columns, height: min(rows, heatRows)))
        for row in 0..<min(rows, heatRows) where row % 4 == 0 {
            buffer.write(Format.rightAligned(String(first + row * perCell), 5), x: area.x, y: area.y + 1 + row, style: theme.dim)
        }
    }
}
