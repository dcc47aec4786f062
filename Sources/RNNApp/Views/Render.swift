import RNNTraining
import TerminalUI

/// Draws the whole screen for `state` at the buffer's size: the current screen, the help over it,
/// or a notice that the window is too small. Pure: the same state always gives the same cells.
/// Cost: O(width · height) plus O(history capacity) for the loss chart.
public func render(_ state: AppState, into buffer: inout CellBuffer) {
    let theme = Theme(mode: state.colorMode)
    buffer.fill(buffer.area)
    if buffer.width < AppState.minimumWidth || buffer.height < AppState.minimumHeight {
        TooSmallView.render(width: buffer.width, height: buffer.height, into: &buffer, theme: theme)
        return
    }
    if state.isShowingHelp {
        HelpView.render(state, into: &buffer, theme: theme)
        return
    }
    switch state.screen {
    case .setup: SetupView.render(state, into: &buffer, theme: theme)
    case .training: TrainingView.render(state, into: &buffer, theme: theme)
    case .gates: GateView.render(state, into: &buffer, theme: theme)
    case .output: OutputView.render(state, into: &buffer, theme: theme)
    case .runs: RunsBrowserView.render(state, into: &buffer, theme: theme)
    case .gradients: GradientFlowView.render(state, into: &buffer, theme: theme)
    case .statistics: GateStatisticsView.render(state, into: &buffer, theme: theme)
    case .text: UnitTextView.render(state, into: &buffer, theme: theme)
    }
}

/// "window too small: need 80×24, have W×H", centered (and cut to fit, however small).
enum TooSmallView {
    static func render(width: Int, height: Int, into buffer: inout CellBuffer, theme: Theme) {
        guard width > 0, height > 0 else { return }
        let lines = [
            "window too small: need \(AppState.minimumWidth)×\(AppState.minimumHeight), have \(width)×\(height)",
            "enlarge the window, or press q to quit",
        ]
        let top = max(0, (height - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < height {
            let words = Chrome.wrap(line, width: width)
            let text = words.first ?? ""
            buffer.write(text, x: max(0, (width - text.count) / 2), y: top + offset,
                         style: offset == 0 ? theme.warning : theme.dim)
        }
    }
}

/// The header, notice and footer lines every screen shares.
enum Chrome {
    /// Row 0: program, run, cell, dataset and status, in reverse video across the width.
    static func header(_ state: AppState, title: String, into buffer: inout CellBuffer, theme: Theme) {
        let y = 0
        buffer.fill(Rect(x: 0, y: y, width: buffer.width, height: 1), style: theme.header)
        var x = buffer.write(" rnn-tui ", x: 0, y: y, style: theme.headerBold)
        x += buffer.write("│ " + title + " ", x: x, y: y, style: theme.header)
        guard let run = state.activeRun else { return }
        let model = "\(run.setup.cell.displayName) \(run.setup.layerCount)×\(run.setup.hiddenSize)"
        let name = "run \(run.runID)" + (run.label.flatMap { $0 == model ? nil : " " + DisplayText.sanitized($0) } ?? "")
        let parts = [name, model, DisplayText.sanitized(run.setup.dataset)]
        for part in parts { x += buffer.write("│ " + part + " ", x: x, y: y, style: theme.header) }
        let status = statusText(run.status)
        let statusStyle = CellStyle(foreground: theme.status(statusKind(run.status)).foreground, bold: true, reverse: true)
        let statusX = max(x + 1, buffer.width - status.count - 1)
        buffer.write(status, x: statusX, y: y, style: statusStyle, maxWidth: buffer.width - statusX)
    }

    static func statusText(_ status: TrainerStatus) -> String {
        switch status {
        case .preparing: "… preparing"
        case .running: "● running"
        case .paused: "‖ paused"
        case .diverged: "✕ diverged"
        case .finished: "✓ finished"
        case .stopped: "■ stopped"
        case .failed: "✕ failed"
        }
    }

    static func statusKind(_ status: TrainerStatus) -> RunStatusKind {
        switch status {
        case .preparing: .preparing
        case .running: .running
        case .paused: .paused
        case .diverged, .failed: .problem
        case .finished, .stopped: .done
        }
    }

    /// Row H-2: the value being typed, else the newest notice.
    static func noticeLine(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        let y = buffer.height - 2
        if let prompt = state.prompt {
            var x = buffer.write(" \(prompt.purpose.title): ", x: 0, y: y, style: theme.bold)
            x += buffer.write(DisplayText.sanitized(prompt.text), x: x, y: y, style: prompt.isSelected ? theme.focus : theme.plain)
            x += buffer.write("█", x: x, y: y, style: theme.accent)
            let hints = KeyBindings.footer(KeyBindings.promptHints, preferring: [.prompt])
            buffer.write("   " + hints.map { $0.key + " " + $0.action }.joined(separator: " · "), x: x, y: y, style: theme.dim)
        } else if let notice = state.notice {
            let text = " " + notice.text + (notice.isError ? "  (Esc dismisses)" : "")
            buffer.write(text, x: 0, y: y, style: notice.isError ? theme.error : theme.accent)
        }
    }

    /// Row H-1: the key hints of `actions` (from `KeyBindings`), as many as fit; the last two (help, quit)
    /// always show. `active` shows toggles in their on state (a paused run's "resume").
    static func footer(_ actions: [KeyAction], preferring contexts: [KeyContext] = [], active: Bool = false,
                       into buffer: inout CellBuffer, theme: Theme) {
        let hints = KeyBindings.footer(actions, preferring: contexts, active: active)
        buffer.render(theme.footer(hints), in: buffer.area.bottom(1))
    }

    /// Splits `text` into lines of at most `width` columns at spaces (long words are cut).
    static func wrap(_ text: String, width: Int) -> [String] { TextWrap.lines(text, width: width) }

    /// A horizontal progress bar of `width` cells: █ done, ░ to go.
    static func progressBar(_ fraction: Double, width: Int) -> String { ProgressBar.text(fraction, width: width) }
}
