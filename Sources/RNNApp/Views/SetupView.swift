import RNNEngine
import RNNTraining

/// The setup screen: the form on the left (grouped fields, the focused one highlighted), the dataset
/// summary and the runs so far on the right, the focused field's description and the key hints below.
enum SetupView {
    static let labelWidth = 18
    static let formWidth = 50

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        let form = state.form
        Chrome.header(state, title: "setup: run \(state.nextRunID)", into: &buffer, theme: theme)
        var y = 1
        var group = ""
        for field in SetupField.allCases {
            if field.group != group {
                group = field.group
                buffer.write(" " + group, x: 1, y: y, style: theme.title)
                y += 1
            }
            drawField(field, form: form, y: y, into: &buffer, theme: theme)
            y += 1
        }
        drawSidePanel(state, top: 1, into: &buffer, theme: theme)

        let descriptionY = buffer.height - 4
        let heading = form.focus.label + ": "
        buffer.write(heading, x: 2, y: descriptionY, style: theme.bold)
        let descriptionWidth = buffer.width - heading.count - 3
        for (offset, line) in Chrome.wrap(form.focus.help, width: descriptionWidth).prefix(2).enumerated() {
            buffer.write(line, x: 2 + heading.count, y: descriptionY + offset, style: theme.label)
        }
        if let error = form.error {
            buffer.write(" " + DisplayText.sanitized(error), x: 0, y: buffer.height - 2, style: theme.error)
        } else {
            Chrome.noticeLine(state, into: &buffer, theme: theme)
        }
        var hints: [(String, String)] = [("Enter", "start"), ("↑↓", "field"), ("←→", "change"), ("0-9", "type")]
        if state.activeRun != nil { hints.append(("Esc", "back to run")) }
        hints += [("?", "help"), ("q", "quit")]
        Chrome.footer(hints, into: &buffer, theme: theme)
    }

    private static func drawField(_ field: SetupField, form: SetupForm, y: Int, into buffer: inout CellBuffer, theme: Theme) {
        let focused = field == form.focus
        let applies = field.applies(to: form.setup.cell)
        let labelStyle = focused ? theme.focus : (applies ? theme.label : theme.dim)
        buffer.write(focused ? "▸" : " ", x: 2, y: y, style: theme.key)
        buffer.write(Format.padded(" " + field.label, labelWidth),
                     x: 3, y: y, style: labelStyle)
        let valueX = 3 + labelWidth + 1
        let valueWidth = formWidth - valueX
        var value = DisplayText.sanitized(form.valueText(field))
        let typing = focused && (form.typedValue != nil || (field == .dataset && form.isPathChosen))
        if focused && !typing && !field.isNumeric {
            value = "◂ " + value + " ▸"
        }
        let valueStyle = focused ? theme.bold : (applies ? theme.plain : theme.dim)
        if typing, value.count + 1 > valueWidth {
            value = "…" + value.suffix(valueWidth - 2)
        }
        let written = buffer.write(value, x: valueX, y: y, style: valueStyle, maxWidth: valueWidth)
        if typing { buffer.write("█", x: valueX + written, y: y, style: theme.accent) }
    }

    private static func drawSidePanel(_ state: AppState, top: Int, into buffer: inout CellBuffer, theme: Theme) {
        let x = formWidth + 2
        let width = buffer.width - x - 1
        guard width > 10 else { return }
        for row in top..<(buffer.height - 4) { buffer.set(x - 2, row, "│", style: theme.border) }
        var y = top
        let form = state.form
        buffer.write("Dataset", x: x, y: y, style: theme.title)
        y += 1
        let name = form.datasetName.isEmpty ? "(type a path)" : form.datasetName
        for line in Chrome.wrap(DisplayText.sanitized(name), width: width).prefix(2) {
            buffer.write(line, x: x, y: y, style: theme.accent)
            y += 1
        }
        let summary: String
        if form.isPathChosen {
            summary = "a .txt file trains a character language model; a .csv file a text,label classifier or a numeric series forecaster"
        } else {
            summary = state.datasetEntries[form.datasetChoice].summary
        }
        for line in Chrome.wrap(DisplayText.sanitized(summary), width: width).prefix(5) {
            buffer.write(line, x: x, y: y, style: theme.label)
            y += 1
        }
        y += 1
        let setup = form.setup
        buffer.write("Model", x: x, y: y, style: theme.title)
        y += 1
        let embedding = setup.embeddingSize == 0 ? "one-hot input" : "embedding \(setup.embeddingSize)"
        let shape = "\(setup.cell.displayName), \(setup.layerCount) layer\(setup.layerCount == 1 ? "" : "s") × \(setup.hiddenSize) units, \(embedding)"
        for line in Chrome.wrap(shape, width: width).prefix(3) {
            buffer.write(line, x: x, y: y, style: theme.label)
            y += 1
        }
        // The size guard's estimate, as sizes are typed (the vocabulary is assumed until the data is read).
        let memory = setup.memoryEstimate().totalBytes
        let fits = memory <= MemoryGuard.limitBytes
        let memoryText = "memory ≈ " + MemoryEstimate.text(memory) + (fits ? "" : ": over the limit (half of RAM)")
        for line in Chrome.wrap(memoryText, width: width).prefix(2) {
            buffer.write(line, x: x, y: y, style: fits ? theme.label : theme.error)
            y += 1
        }
        y += 1
        guard !state.runs.isEmpty, y < buffer.height - 4 else {
            if y < buffer.height - 4 {
                buffer.write("Enter starts run \(state.nextRunID).", x: x, y: y, style: theme.dim, maxWidth: width)
            }
            return
        }
        buffer.write("Runs", x: x, y: y, style: theme.title)
        y += 1
        for run in state.runs.reversed() where y < buffer.height - 4 {
            var line = "run \(run.runID) \(run.status.word)"
            if let evaluation = run.latestEvaluation { line += ", val " + Format.loss(evaluation.validationLoss) }
            buffer.write(line, x: x, y: y, style: run.runID == state.activeRunID ? theme.plain : theme.dim, maxWidth: width)
            y += 1
        }
        if y < buffer.height - 4 {
            let note = "Enter starts run \(state.nextRunID); the last run stays on the chart, dimmed."
            for line in Chrome.wrap(note, width: width) where y < buffer.height - 4 {
                buffer.write(line, x: x, y: y, style: theme.dim)
                y += 1
            }
        }
    }
}
