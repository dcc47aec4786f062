import DisplayFormat
import TerminalUI

/// The setup screen: the form on the left (grouped fields, the focused one highlighted, scrolled to
/// keep it in view), the dataset (the path's check, what the CSV reader will decide, Tab's matches),
/// the model and the runs so far on the right, the focused field's description and the key hints below.
enum SetupView {
    static let labelWidth = 18
    static let formWidth = 50

    /// One row of the form: a group heading or a field.
    enum Row: Equatable {
        case heading(String)
        case field(SetupField)
    }

    static func rows(_ form: SetupForm) -> [Row] {
        var rows: [Row] = []
        var group = ""
        for field in form.visibleFields {
            if field.group != group {
                group = field.group
                rows.append(.heading(group))
            }
            rows.append(.field(field))
        }
        return rows
    }

    /// The first row shown so the focused field sits in the window of `height` rows (centred when
    /// the form is taller than the window, its heading kept when it fits).
    static func scrollOffset(_ rows: [Row], focus: SetupField, height: Int) -> Int {
        guard rows.count > height, let index = rows.firstIndex(of: .field(focus)) else { return 0 }
        return min(rows.count - height, max(0, index - height / 2))
    }

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        let form = state.form
        Chrome.header(state, title: "setup: run \(state.nextRunID)", into: &buffer, theme: theme)
        let top = 1
        let height = buffer.height - 4 - top
        let rows = rows(form)
        let offset = scrollOffset(rows, focus: form.focus, height: height)
        for (index, row) in rows.dropFirst(offset).prefix(height).enumerated() {
            let y = top + index
            switch row {
            case .heading(let title): buffer.write(" " + title, x: 1, y: y, style: theme.title)
            case .field(let field): drawField(field, form: form, y: y, into: &buffer, theme: theme)
            }
        }
        if offset > 0 { buffer.write("▲", x: formWidth - 1, y: top, style: theme.dim) }
        if offset + height < rows.count { buffer.write("▼", x: formWidth - 1, y: top + height - 1, style: theme.dim) }
        drawSidePanel(state, top: top, into: &buffer, theme: theme)

        let descriptionY = buffer.height - 4
        let heading = form.focus.label.trimmingWhitespace + ": "
        buffer.write(heading, x: 2, y: descriptionY, style: theme.bold)
        let descriptionWidth = buffer.width - heading.count - 3
        for (offset, line) in Chrome.wrap(form.focus.help, width: descriptionWidth).prefix(2).enumerated() {
            buffer.write(line, x: 2 + heading.count, y: descriptionY + offset, style: theme.label)
        }
        if let error = form.error {
            buffer.write(" " + DisplayText.sanitized(error), x: 0, y: buffer.height - 2, style: theme.error, maxWidth: buffer.width - 1)
        } else {
            Chrome.noticeLine(state, into: &buffer, theme: theme)
        }
        let onPath = form.focus == .dataset && form.isPathChosen
        let footer = KeyBindings.setupFooter.filter {
            ($0 != .backToRun || state.activeRun != nil) && ($0 != .completePath || onPath)
        }
        Chrome.footer(footer, preferring: [.setup], into: &buffer, theme: theme)
    }

    private static func drawField(_ field: SetupField, form: SetupForm, y: Int, into buffer: inout CellBuffer, theme: Theme) {
        let focused = field == form.focus
        let applies = field.applies(to: form.setup.cell)
        let labelStyle = focused ? theme.focus : (applies ? theme.label : theme.dim)
        buffer.write(focused ? "▸" : " ", x: 2, y: y, style: theme.key)
        buffer.write(Format.padded(" " + field.label, labelWidth),
                     x: 3, y: y, style: labelStyle)
        let valueX = 3 + labelWidth + 1
        let valueWidth = formWidth - valueX - 1
        let isPath = field == .dataset && form.isPathChosen
        let typing = focused && (form.typedValue != nil || isPath)
        let valueStyle = focused ? theme.bold : (applies ? theme.plain : theme.dim)
        if isPath {
            // "path… " then the typed path (its tail when long), selected or with the cursor, then its check mark.
            var x = valueX + buffer.write("path… ", x: valueX, y: y, style: valueStyle)
            let mark = form.pathStatus.isUsable ? " ✓" : (form.typedPath.isEmpty ? "" : " ✕")
            let room = valueX + valueWidth - x - mark.count - (typing ? 1 : 0)
            var path = DisplayText.sanitized(form.typedPath)
            if path.count > room { path = "…" + path.suffix(max(0, room - 1)) }
            let selected = focused && form.isPathSelected
            x += buffer.write(path, x: x, y: y, style: selected ? theme.focus : valueStyle)
            if typing && !selected { x += buffer.write("█", x: x, y: y, style: theme.accent) }
            buffer.write(mark, x: x, y: y, style: form.pathStatus.isUsable ? theme.good : theme.error)
            return
        }
        var value = DisplayText.sanitized(form.valueText(field))
        if focused && !typing && !field.isNumeric {
            value = "◂ " + value + " ▸"
        }
        if typing, value.count + 1 > valueWidth {
            value = "…" + value.suffix(valueWidth - 2)
        } else if value.count > valueWidth {
            value = String(value.prefix(valueWidth - 1)) + "…"
        }
        let written = buffer.write(value, x: valueX, y: y, style: valueStyle, maxWidth: valueWidth)
        if typing { buffer.write("█", x: valueX + written, y: y, style: theme.accent) }
    }

    /// The side panel's lines: dataset, its check and what the reader decides, Tab's matches, the
    /// model and the runs so far; wrapped to the panel's width less one column, never cut.
    private static func drawSidePanel(_ state: AppState, top: Int, into buffer: inout CellBuffer, theme: Theme) {
        let x = formWidth + 2
        let width = buffer.width - x - 1
        guard width > 10 else { return }
        let bottom = buffer.height - 4
        buffer.render(Rule(.vertical, style: theme.border), in: Rect(x: x - 2, y: top, width: 1, height: bottom - top))
        var y = top
        func lines(_ text: String, style: CellStyle, limit: Int = .max) {
            for line in Chrome.wrap(DisplayText.sanitized(text), width: width - 1).prefix(limit) where y < bottom {
                buffer.write(line, x: x, y: y, style: style)
                y += 1
            }
        }
        let form = state.form
        lines("Dataset", style: theme.title)
        lines(form.datasetName.isEmpty ? "(type a path)" : form.datasetName, style: theme.accent)
        if form.isPathChosen {
            lines(form.pathStatus.text, style: form.pathStatus.isUsable ? theme.good : theme.error)
            if !form.completions.isEmpty {
                let shown = form.completions.prefix(6).joined(separator: "  ")
                let more = form.completions.count > 6 ? "  +\(form.completions.count - 6) more" : ""
                lines("matches: " + shown + more, style: theme.label)
            }
            if let problem = form.csvProblem {
                lines(problem, style: theme.error)
            } else if let preview = form.csvPreview {
                for decision in preview.decisions(form.setup.datasetOptions) { lines("· " + decision, style: theme.plain) }
            } else if form.completions.isEmpty {
                lines("a .txt file trains a character language model; a .csv file a text,label classifier or a numeric series forecaster",
                      style: theme.label)
            }
        } else {
            lines(state.datasetEntries[form.datasetChoice].summary, style: theme.label)
        }
        // What the last run of this dataset found in it: rows, missing values filled, outliers handled.
        if let notes = state.runs.last(where: { $0.summary?.setup.dataset == form.datasetName })?.summary?.dataset.notes {
            for note in notes.prefix(4) { lines("· " + note, style: theme.dim, limit: 3) }
        }
        y += 1
        let setup = form.setup
        lines("Model", style: theme.title)
        let embedding = setup.embeddingSize == 0 ? "one-hot input" : "embedding \(setup.embeddingSize)"
        let shape = "\(setup.cell.displayName), \(setup.layerCount) layer\(setup.layerCount == 1 ? "" : "s") × \(setup.hiddenSize) units, \(embedding)"
        lines(shape, style: theme.label)
        y += 1
        guard !state.runs.isEmpty else {
            lines("Enter starts run \(state.nextRunID).", style: theme.dim)
            return
        }
        lines("Runs", style: theme.title)
        for run in state.runs.reversed() where y < bottom {
            var line = "run \(run.runID) \(run.status.word)"
            if let evaluation = run.latestEvaluation { line += ", val " + Format.loss(evaluation.validationLoss) }
            lines(line, style: run.runID == state.activeRunID ? theme.plain : theme.dim)
        }
        lines("Enter starts run \(state.nextRunID); the runs on the same data stay on the chart.", style: theme.dim)
    }
}
