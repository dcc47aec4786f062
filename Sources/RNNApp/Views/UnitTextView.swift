import DisplayFormat
import RNNTraining
import TerminalUI

/// Text coloured by a unit (Karpathy, Johnson & Fei-Fei 2015; LSTMVis): the probe's text, or text typed
/// in, each token's background set by the chosen unit's value (h, c or a gate) at that token, wrapped to
/// the width. Without colour each text line has a shade line under it. `m` lists the units that vary most
/// on the text instead. Cost: O(T) for the text, O(T · H) for the ranking.
enum UnitTextView {
    static let sidePanelWidth = 26

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        Chrome.header(state, title: "text by unit", into: &buffer, theme: theme)
        defer {
            Chrome.noticeLine(state, into: &buffer, theme: theme)
            Chrome.footer(KeyBindings.textFooter, preferring: [.text], active: state.activeRun?.status == .paused,
                          into: &buffer, theme: theme)
        }
        guard let run = state.activeRun else { return }
        if let input = run.summary?.dataset.input, case .features = input {
            let message = "text coloured by a unit is for character and word models; this run reads numbers (g shows its gates)"
            buffer.write(message, x: 1, y: buffer.height / 2, style: theme.dim, maxWidth: buffer.width - 2)
            return
        }
        guard let snapshot = state.shownTextSnapshot, !snapshot.probe.layers.isEmpty else {
            let message = run.hasEnded ? "no probe: the run ended before one was taken" : "waiting for a probe from the trainer…"
            buffer.write(message, x: max(0, (buffer.width - message.count) / 2), y: buffer.height / 2, style: theme.dim)
            return
        }
        let options = state.insight
        let probe = snapshot.probe
        let layer = min(options.textLayer, probe.layers.count - 1)
        let unit = min(options.textUnit, probe.hiddenSize - 1)
        let values = options.textSignal.values(in: probe.layers[layer]) ?? probe.layers[layer].hidden
        let unitValues = (0..<probe.timeSteps).map { values[$0 * probe.hiddenSize + unit] }
        let scale = self.scale(options.textSignal, values: unitValues)
        let source = snapshot.probeIndex < 0 ? "typed text" : "probe \(snapshot.probeIndex + 1)/\(max(1, snapshot.probeCount))"
        let parts = ["unit \(unit) of \(probe.hiddenSize)", signalName(options.textSignal), "layer \(layer + 1)/\(probe.layers.count)",
                     source, "step \(Format.count(snapshot.step))"]
        buffer.write(Chrome.fitting(parts, width: buffer.width), x: 0, y: 1, style: theme.label)

        let body = Rect(x: 1, y: 3, width: buffer.width - sidePanelWidth - 3, height: buffer.height - 6)
        if options.showsRanking {
            drawRanking(state.textRanking ?? [], selected: unit, area: body, into: &buffer, theme: theme)
        } else {
            drawText(tokens(snapshot, run: run), values: unitValues, scale: scale, area: body, into: &buffer, theme: theme)
        }
        drawSidePanel(unitValues: unitValues, scale: scale, signal: options.textSignal, ranking: state.textRanking ?? [],
                      area: Rect(x: buffer.width - sidePanelWidth, y: 2, width: sidePanelWidth - 1, height: buffer.height - 4),
                      into: &buffer, theme: theme)
    }

    static func signalName(_ signal: UnitSignal) -> String {
        switch signal {
        case .hidden: "h (hidden)"
        case .cell: "c (cell)"
        case .gate(let name): "\(name) (\(GatePanel.title(name)) gate)"
        }
    }

    /// Sigmoid gates on 0…1; h, c and the tanh blocks on ± the largest magnitude (at least 1 for h).
    static func scale(_ signal: UnitSignal, values: [Float]) -> HeatmapScale {
        switch signal {
        case .gate(let name): return GatePanel.fixedScale(name)
        case .hidden: return .diverging(limit: 1)
        case .cell: return .diverging(limit: GatePanel.niceLimit(values.map(abs).max() ?? 1))
        }
    }

    /// One display string per timestep: characters as they read (a line break ends the line), words
    /// followed by a space.
    static func tokens(_ snapshot: GateSnapshot, run: RunRecord) -> [String] {
        let words = run.summary?.dataset.vocabulary?.level == .word
        return snapshot.labels.map { label in
            if words { return DisplayText.sanitized(label) + " " }
            switch label {
            case " ", String(Glyphs.visibleSpace): return " "
            case "\n", "\r\n", String(Glyphs.newline): return "\n"
            default: return DisplayText.sanitized(label)
            }
        }
    }

    /// The tokens laid out in lines (a token never split unless longer than a line), each cell's
    /// background the unit's value; without colour, a shade line under each text line.
    private static func drawText(_ tokens: [String], values: [Float], scale: HeatmapScale, area: Rect,
                                 into buffer: inout CellBuffer, theme: Theme) {
        let shaded = theme.mode == .none
        let lineStep = shaded ? 2 : 1
        var x = area.x, y = area.y
        for (time, token) in tokens.enumerated() {
            if token == "\n" {
                put("↵", time: time)
                x = area.x
                y += lineStep
                continue
            }
            // Wrap before a word (a run of tokens up to a space or line break) that does not fit.
            let startsWord = token != " " && (time == 0 || tokens[time - 1] == " " || tokens[time - 1] == "\n")
            if startsWord, x > area.x {
                let word = tokens[time...].prefix { $0 != " " && $0 != "\n" }.reduce(0) { $0 + $1.count }
                if x + word > area.maxX && word <= area.width {
                    x = area.x
                    y += lineStep
                }
            }
            for character in token { put(character, time: time) }
        }
        func put(_ character: Character, time: Int) {
            guard y + (shaded ? 1 : 0) < area.maxY else { return }
            if x >= area.maxX {
                x = area.x
                y += lineStep
                guard y + (shaded ? 1 : 0) < area.maxY else { return }
            }
            let value = time < values.count ? values[time] : .nan
            if shaded {
                buffer.set(x, y, character, style: theme.plain)
                buffer.set(x, y + 1, HeatmapRamp.cell(value, scale: scale, mode: .none).character, style: theme.plain)
            } else {
                buffer.set(x, y, character, style: style(value, scale: scale, mode: theme.mode))
            }
            x += 1
        }
    }

    /// Background from the ramp; black text on the light middle and high end, white on the dark.
    static func style(_ value: Float, scale: HeatmapScale, mode: ColorMode) -> CellStyle {
        guard let background = HalfBlockHeatmap.color(value, scale: scale, mode: mode), let position = scale.position(value) else {
            return .plain
        }
        let light = scale.isDiverging ? abs(position - 0.5) < 0.3 : position > 0.55
        let foreground: TerminalColor = mode == .palette256 ? .indexed(light ? 16 : 231) : .basic(light ? 0 : 7)
        return CellStyle(foreground: foreground, background: background)
    }

    /// The units that vary most on the text: rank, unit, variance, range; the selected one reversed.
    private static func drawRanking(_ ranking: [UnitRanking.Entry], selected: Int, area: Rect, into buffer: inout CellBuffer,
                                    theme: Theme) {
        buffer.write(Chrome.fitting(["most varying on this text", "↑↓ choose", "m back to the text"], width: area.width, prefix: ""), x: area.x, y: area.y,
                     style: theme.title, maxWidth: area.width)
        buffer.write(" rank  unit   variance      min      max", x: area.x, y: area.y + 1, style: theme.dim, maxWidth: area.width)
        let rows = area.height - 2
        let position = ranking.firstIndex { $0.unit == selected } ?? 0
        let first = max(0, min(position - rows / 2, ranking.count - rows))
        for (row, entry) in ranking.dropFirst(first).prefix(rows).enumerated() {
            var text = Format.rightAligned(String(first + row + 1), 5) + Format.rightAligned(String(entry.unit), 6)
            text += Format.rightAligned(Format.significant(entry.variance), 11)
            text += Format.rightAligned(Format.decimal(Double(entry.minimum), digits: 3), 9)
            text += Format.rightAligned(Format.decimal(Double(entry.maximum), digits: 3), 9)
            buffer.write(text, x: area.x, y: area.y + 2 + row, style: entry.unit == selected ? theme.focus : theme.plain,
                         maxWidth: area.width)
        }
    }

    /// The colour legend, the unit's range on the text, and the top five varying units.
    private static func drawSidePanel(unitValues: [Float], scale: HeatmapScale, signal: UnitSignal, ranking: [UnitRanking.Entry],
                                      area: Rect, into buffer: inout CellBuffer, theme: Theme) {
        buffer.render(Rule(.vertical, style: theme.border), in: Rect(x: area.x - 1, y: area.y, width: 1, height: area.height))
        var y = area.y
        func line(_ text: String, style: CellStyle) {
            guard y < area.maxY else { return }
            buffer.write(text, x: area.x + 1, y: y, style: style, maxWidth: area.width - 1)
            y += 1
        }
        line("colour", style: theme.title)
        let ends = scale.endLabels
        var x = area.x + 1 + buffer.write(ends.low + " ", x: area.x + 1, y: y, style: theme.label)
        for index in 0..<9 {
            let cell = HeatmapRamp.cell(position: Float(index) / 8, diverging: scale.isDiverging, mode: theme.mode)
            buffer.set(x, y, cell.character, style: cell.style)
            x += 1
        }
        buffer.write(" " + ends.high, x: x, y: y, style: theme.label)
        y += 1
        let finite = unitValues.filter(\.isFinite)
        line("on this text", style: theme.dim)
        line(Format.decimal(Double(finite.min() ?? 0), digits: 3) + " … " + Format.decimal(Double(finite.max() ?? 0), digits: 3),
             style: theme.label)
        y += 1
        line("vary most (m)", style: theme.title)
        for entry in ranking.prefix(5) {
            line("unit " + Format.rightAligned(String(entry.unit), 4) + "  var " + Format.significant(entry.variance), style: theme.label)
        }
        y += 1
        line("x signal · / type text", style: theme.dim)
        line("p probe / typed text", style: theme.dim)
    }
}
