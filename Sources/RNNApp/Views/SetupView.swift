import DisplayFormat
import TerminalUI

/// The setup screen: the form on the left (grouped fields, the focused one highlighted), the dataset
/// summary and the runs so far on the right, the focused field's description and the key hints below.
/// Where the form's rows and columns go: `SetupLayout`.
enum SetupView {
    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        let form = state.form
        Chrome.header(state, title: "setup: run \(state.nextRunID)", into: &buffer, theme: theme)
        for (index, row) in SetupLayout.rows.enumerated() {
            let y = SetupLayout.formTop + index
            switch row {
            case .heading(let group): buffer.write(" " + group, x: SetupLayout.headingX, y: y, style: theme.title)
            case .field(let field): drawField(field, form: form, y: y, into: &buffer, theme: theme)
            }
        }
        drawSidePanel(state, top: SetupLayout.formTop, into: &buffer, theme: theme)

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
        let footer = KeyBindings.setupFooter.filter { $0 != .backToRun || state.activeRun != nil }
        Chrome.footer(footer, preferring: [.setup], into: &buffer, theme: theme)
    }

    private static func drawField(_ field: SetupField, form: SetupForm, y: Int, into buffer: inout CellBuffer, theme: Theme) {
        let focused = field == form.focus
        let applies = field.applies(to: form.setup.cell)
        let labelStyle = focused ? theme.focus : (applies ? theme.label : theme.dim)
        buffer.write(focused ? "▸" : " ", x: SetupLayout.markerX, y: y, style: theme.key)
        buffer.write(Format.padded(" " + field.label, SetupLayout.labelWidth),
                     x: SetupLayout.labelX, y: y, style: labelStyle)
        let valueX = SetupLayout.valueX
        let valueWidth = SetupLayout.valueWidth
        var value = DisplayText.sanitized(form.valueText(field))
        let typing = form.isTyping(into: field)
        if form.showsChoiceArrows(field) {
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
        let x = SetupLayout.formWidth + 2
        let width = buffer.width - x - 1
        guard width > 10 else { return }
        buffer.render(Rule(.vertical, style: theme.border), in: Rect(x: x - 2, y: top, width: 1, height: buffer.height - 4 - top))
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
        // What the last run of this dataset found in it: rows, missing values filled, outliers handled.
        if let notes = state.runs.last(where: { $0.summary?.setup.dataset == form.datasetName })?.summary?.dataset.notes {
            for note in notes.prefix(4) {
                for line in Chrome.wrap("· " + DisplayText.sanitized(note), width: width).prefix(3) where y < buffer.height - 6 {
                    buffer.write(line, x: x, y: y, style: theme.dim)
                    y += 1
                }
            }
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
