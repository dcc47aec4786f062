import RNNEngine
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
        let axisKind = TimeAxisKind(dataset: run.summary?.dataset, labels: snapshot.labels)
        var layout = GateLayout(width: buffer.width, height: buffer.height, shownPanels: shown.count, extraAxisRows: axisKind.extraRows)
        let order = state.gateUnitOrder.count == probe.hiddenSize ? state.gateUnitOrder : Array(0..<probe.hiddenSize)
        let position = order.firstIndex(of: cursor.unit) ?? 0
        let glance = cursor.glance ? state.glanceLayout(bodyRows: layout.bodyRows) : nil
        if let glance {
            layout.visibleTimesteps = glance.visibleTimesteps
            layout.unitsPerPanel = glance.unitsPerPage
        }
        let unitOffset = layout.unitOffset(for: position)
        let timeOffset = layout.timeOffset(keeping: cursor.timestep, current: cursor.timeOffset, timeSteps: probe.timeSteps)
        let visibleTimes = min(layout.visibleTimesteps, max(0, probe.timeSteps - timeOffset))
        let lastPosition = min(probe.hiddenSize, unitOffset + layout.unitsPerPanel) - 1

        var info = ["layer \(layerIndex + 1)/\(probe.layers.count)", "probe \(snapshot.probeIndex + 1)/\(max(1, snapshot.probeCount))",
                    "step \(Format.count(snapshot.step))", "T \(probe.timeSteps) × H \(probe.hiddenSize)",
                    cursor.unitOrder == .index ? "units \(unitOffset)–\(lastPosition)"
                        : "by \(cursor.unitOrder.title) #\(unitOffset + 1)–\(lastPosition + 1)"]
        if glance != nil { info.insert("glance", at: 0) }
        if probe.timeSteps > visibleTimes { info.append("t \(timeOffset)–\(timeOffset + visibleTimes - 1)") }
        buffer.write(Chrome.fitting(info, width: buffer.width), x: 0, y: 1, style: theme.label)

        if let glance {
            drawGlance(glance, panels: panels, order: order, probe: probe, timeOffset: timeOffset, visibleTimes: visibleTimes,
                       cursor: cursor, into: &buffer, theme: theme)
        }
        for (panelNumber, panel) in shown.enumerated() where glance == nil {
            let top = GateLayout.bodyTop + panelNumber * (layout.unitsPerPanel + 1)
            let heatmap = Heatmap(values: panel.values, rowCount: probe.hiddenSize, firstRow: unitOffset, firstColumn: timeOffset,
                                  scale: panel.scale, mode: theme.mode, cursor: (row: cursor.unit, column: cursor.timestep),
                                  rowOrder: cursor.unitOrder == .index ? nil : order)
            let rows = heatmap.filledRows(min(layout.unitsPerPanel, GateLayout.bodyTop + layout.bodyRows - top))
            for row in 0..<rows {
                let unit = order[unitOffset + row]
                buffer.write(Format.padded(row == 0 ? panel.name : "", 2), x: 0, y: top + row, style: theme.title)
                buffer.write(Format.rightAligned(String(unit), 4), x: 2, y: top + row,
                             style: unit == cursor.unit ? theme.focus : theme.dim)
            }
            buffer.render(heatmap, in: Rect(x: layout.heatmapX, y: top, width: visibleTimes, height: rows))
        }
        let axis = GateTimeAxis(labels: snapshot.labels, kind: axisKind, timeSteps: probe.timeSteps, timeOffset: timeOffset,
                                visibleTimes: visibleTimes, cursor: cursor.timestep)
        axis.draw(x: glance == nil ? layout.heatmapX : GlanceLayout.labelWidth, y: GateLayout.bodyTop + layout.bodyRows,
                  into: &buffer, theme: theme)
        let legend = HeatmapLegend(panels.map { (name: $0.name, scale: $0.scale) }, mode: theme.mode, styles: theme.legendStyles)
        buffer.render(legend, in: buffer.area.row(buffer.height - 3))
        let prediction = GatePredictionPanel.lines(run, state: state, width: GateLayout.sidePanelWidth - 3, theme: theme)
        let edit = run.insight.edit(layer: layerIndex, unit: cursor.unit)
        drawSidePanel(snapshot, panels: panels, focused: focused, layerIndex: layerIndex, cursor: cursor,
                      bottom: buffer.height - 3, prediction: prediction, edit: edit, into: &buffer, theme: theme)
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
        if cursor.unitOrder != .index || cursor.glance {
            line("order \(cursor.unitOrder.title)  u", style: theme.dim)
        }
    }

    /// Glance mode: each tile a half-block heatmap of its panel's units from its first position, the gate
    /// name on its first row and a unit number every few rows to its left.
    private static func drawGlance(_ glance: GlanceLayout, panels: [GatePanel], order: [Int], probe: ProbeResult,
                                   timeOffset: Int, visibleTimes: Int, cursor: GateViewState,
                                   into buffer: inout CellBuffer, theme: Theme) {
        let perCell = HalfBlockHeatmap.unitsPerCell(theme.mode)
        for tile in glance.tiles where panels.indices.contains(tile.panel) {
            let panel = panels[tile.panel]
            let end = min(order.count, tile.firstPosition + tile.units)
            guard tile.firstPosition < end else { continue }
            let units = Array(order[tile.firstPosition..<end])
            let heatmap = HalfBlockHeatmap(values: panel.values, rowCount: probe.hiddenSize, rows: units, firstColumn: timeOffset,
                                           scale: panel.scale, mode: theme.mode, cursor: (row: cursor.unit, column: cursor.timestep))
            let rows = min(tile.rows, HalfBlockHeatmap.cellRows(for: units.count, mode: theme.mode))
            buffer.render(heatmap, in: Rect(x: tile.x, y: tile.y, width: min(tile.width, visibleTimes), height: rows))
            let labelX = tile.x - GlanceLayout.labelWidth
            for row in 0..<rows {
                let upper = units[row * perCell]
                let holdsCursor = units[(row * perCell)..<min(units.count, row * perCell + perCell)].contains(cursor.unit)
                if row == 0 {
                    buffer.write(Format.padded(panel.name, 2), x: labelX, y: tile.y, style: theme.title)
                } else if holdsCursor || row % 4 == 0 {
                    buffer.write(Format.rightAligned(String(holdsCursor ? cursor.unit : upper), 4), x: labelX, y: tile.y + row,
                                 style: holdsCursor ? theme.focus : theme.dim)
                }
            }
        }
    }
}
