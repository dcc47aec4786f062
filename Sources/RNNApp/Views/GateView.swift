import DisplayFormat
import RNNEngine
import RNNTraining
import TerminalUI

/// The gate view: for the probe sequence, one heatmap per gate of the chosen layer (and c, h), rows =
/// units (paged), columns = timesteps (scrolled), the probe's characters along the time axis, a color
/// legend, and a side panel with every value at the cursor.
/// Cost: O(visible cells) per frame, plus O(T·H) to find the ranges of c and h.
enum GateView {
    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        Chrome.header(state, title: "gates", into: &buffer, theme: theme)
        defer {
            Chrome.noticeLine(state, into: &buffer, theme: theme)
            Chrome.footer(KeyBindings.gatesFooter, active: state.activeRun?.status == .paused, into: &buffer, theme: theme)
        }
        guard let run = state.activeRun else { return }
        guard let snapshot = run.gateSnapshot, !snapshot.probe.layers.isEmpty else {
            let message = run.hasEnded
                ? "no gate snapshot: the run ended before one was taken"
                : "waiting for a gate snapshot from the trainer…"
            buffer.write(message, x: max(0, (buffer.width - message.count) / 2), y: buffer.height / 2, style: theme.dim)
            return
        }
        let cursor = state.gates
        let probe = snapshot.probe
        let layerIndex = min(cursor.layer, probe.layers.count - 1)
        let ranges = layerIndex < run.gateRanges.count ? run.gateRanges[layerIndex] : LayerValueRanges(probe.layers[layerIndex])
        let panels = GatePanel.panels(for: probe.layers[layerIndex], ranges: ranges)
        let focused = GateViewport.focusedPanel(cursor, panelCount: panels.count)
        let shown = focused.map { [panels[$0]] } ?? panels
        let viewport = GateViewport(width: buffer.width, height: buffer.height, cursor: cursor, hiddenSize: probe.hiddenSize,
                                    timeSteps: probe.timeSteps, panelCount: panels.count)
        let layout = viewport.layout
        let unitOffset = viewport.unitOffset
        let timeOffset = viewport.timeOffset
        let visibleTimes = viewport.visibleTimes
        let lastUnit = min(probe.hiddenSize, unitOffset + layout.unitsPerPanel) - 1

        var info = " layer \(layerIndex + 1)/\(probe.layers.count) · probe \(snapshot.probeIndex + 1)/\(max(1, snapshot.probeCount))"
        info += " · step \(Format.count(snapshot.step)) · T \(probe.timeSteps) × H \(probe.hiddenSize)"
        info += " · units \(unitOffset)–\(lastUnit)"
        if probe.timeSteps > visibleTimes { info += " · t \(timeOffset)–\(timeOffset + visibleTimes - 1)" }
        buffer.write(info, x: 0, y: 1, style: theme.label)

        for (panel, area) in zip(shown, viewport.heatmapAreas) {
            let heatmap = Heatmap(values: panel.values, rowCount: probe.hiddenSize, firstRow: unitOffset, firstColumn: timeOffset,
                                  scale: panel.scale, mode: theme.mode, cursor: (row: cursor.unit, column: cursor.timestep))
            for row in 0..<area.height {
                let unit = unitOffset + row
                buffer.write(Format.padded(row == 0 ? panel.name : "", 2), x: 0, y: area.y + row, style: theme.title)
                buffer.write(Format.rightAligned(String(unit), 4), x: 2, y: area.y + row,
                             style: unit == cursor.unit ? theme.focus : theme.dim)
            }
            buffer.render(heatmap, in: area)
        }
        drawTimeAxis(snapshot, layout: layout, timeOffset: timeOffset, visibleTimes: visibleTimes, cursor: cursor.timestep,
                     into: &buffer, theme: theme)
        let legend = HeatmapLegend(panels.map { (name: $0.name, scale: $0.scale) }, mode: theme.mode, styles: theme.legendStyles)
        buffer.render(legend, in: buffer.area.row(buffer.height - 3))
        let prediction = GatePredictionPanel.lines(run, state: state, width: GateLayout.sidePanelWidth - 3, theme: theme)
        let edit = run.insight.edit(layer: layerIndex, unit: cursor.unit)
        drawSidePanel(snapshot, panels: panels, focused: focused, layerIndex: layerIndex, cursor: cursor,
                      bottom: buffer.height - 3, prediction: prediction, edit: edit, into: &buffer, theme: theme)
    }

    /// Two rows under the heatmaps: each timestep's character, then timestep numbers every 10.
    private static func drawTimeAxis(_ snapshot: GateSnapshot, layout: GateLayout, timeOffset: Int, visibleTimes: Int,
                                     cursor: Int, into buffer: inout CellBuffer, theme: Theme) {
        let characterRow = layout.timeAxisRow
        let numberRow = characterRow + 1
        buffer.write("input", x: 0, y: characterRow, style: theme.dim)
        buffer.write("t", x: 0, y: numberRow, style: theme.dim)
        if timeOffset > 0 { buffer.set(layout.heatmapX - 1, characterRow, "◂", style: theme.accent) }
        if timeOffset + visibleTimes < snapshot.probe.timeSteps {
            buffer.set(layout.heatmapX + visibleTimes, characterRow, "▸", style: theme.accent)
        }
        var nextFree = 0
        for column in 0..<visibleTimes {
            let timestep = timeOffset + column
            let label = timestep < snapshot.labels.count ? snapshot.labels[timestep] : ""
            buffer.set(layout.heatmapX + column, characterRow, DisplayText.axisCharacter(label),
                       style: timestep == cursor ? theme.focus : theme.plain)
            if (timestep % 10 == 0 || timestep == cursor) && column >= nextFree {
                let text = String(timestep)
                if column + text.count <= visibleTimes {
                    buffer.write(text, x: layout.heatmapX + column, y: numberRow, style: timestep == cursor ? theme.focus : theme.dim)
                    nextFree = column + text.count + 1
                }
            }
        }
    }

    /// The cursor's unit and timestep, its input, and every panel's value there.
    private static func drawSidePanel(_ snapshot: GateSnapshot, panels: [GatePanel], focused: Int?, layerIndex: Int,
                                      cursor: GateViewState, bottom: Int, prediction: [(String, CellStyle)] = [],
                                      edit: Intervention.Edit? = nil, into buffer: inout CellBuffer, theme: Theme) {
        let x = buffer.width - GateLayout.sidePanelWidth + 2
        let width = GateLayout.sidePanelWidth - 3
        buffer.render(Rule(.vertical, style: theme.border), in: Rect(x: x - 2, y: GateLayout.bodyTop, width: 1, height: bottom - GateLayout.bodyTop))
        var y = GateLayout.bodyTop
        func line(_ text: String, style: CellStyle) {
            guard y < bottom else { return }
            buffer.write(text, x: x, y: y, style: style, maxWidth: width)
            y += 1
        }
        let probe = snapshot.probe
        line("cursor", style: theme.title)
        if let edit {
            let what = switch edit.action {
            case .ablate: "h=0"
            case .clamp(let gate, let value): "\(gate.rawValue)=\(value == 1 ? 1 : 0)"
            }
            line("unit \(cursor.unit) of \(probe.hiddenSize) ✕ \(what)", style: theme.warning)
        } else {
            line("unit \(cursor.unit) of \(probe.hiddenSize)", style: theme.plain)
        }
        line("t \(cursor.timestep) of \(probe.timeSteps)", style: theme.plain)
        let label = cursor.timestep < snapshot.labels.count ? snapshot.labels[cursor.timestep] : ""
        line("input '" + DisplayText.sanitized(label) + "'", style: theme.accent)
        line(String(repeating: "─", count: width), style: theme.border)
        for (index, panel) in panels.enumerated() {
            guard y < bottom else { break }
            let valueIndex = cursor.timestep * probe.hiddenSize + cursor.unit
            let value = valueIndex < panel.values.count ? panel.values[valueIndex] : .nan
            let swatch = HeatmapRamp.cell(value, scale: panel.scale, mode: theme.mode)
            buffer.set(x, y, swatch.character, style: swatch.style)
            let name = (index == focused ? "▸" : " ") + Format.padded(panel.name + " " + panel.title, 11)
            buffer.write(name, x: x + 1, y: y, style: index == focused ? theme.bold : theme.label)
            buffer.write(Format.rightAligned(Format.decimal(Double(value), digits: 3), 8), x: x + 13, y: y, style: theme.bold)
            y += 1
        }
        line(String(repeating: "─", count: width), style: theme.border)
        if !prediction.isEmpty {
            for (text, style) in prediction { line(text, style: style) }
            line(String(repeating: "─", count: width), style: theme.border)
        }
        line("snapshot step \(Format.count(snapshot.step))", style: theme.dim)
        line("probe \(snapshot.probeIndex + 1)/\(max(1, snapshot.probeCount))  [ ]", style: theme.dim)
        line("layer \(layerIndex + 1)/\(probe.layers.count)  < >", style: theme.dim)
        line("focus " + (focused.map { panels[$0].name } ?? "all") + "  f", style: theme.dim)
    }
}
