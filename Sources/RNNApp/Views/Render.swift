import RNNTraining

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
        let parts = ["run \(run.runID)", model, DisplayText.sanitized(run.setup.dataset)]
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
            var x = buffer.write(" learning rate: ", x: 0, y: y, style: theme.bold)
            x += buffer.write(DisplayText.sanitized(prompt.text), x: x, y: y, style: theme.plain)
            x += buffer.write("█", x: x, y: y, style: theme.accent)
            buffer.write("   Enter apply · Esc cancel", x: x, y: y, style: theme.dim)
        } else if let notice = state.notice {
            let text = " " + notice.text + (notice.isError ? "  (Esc dismisses)" : "")
            buffer.write(text, x: 0, y: y, style: notice.isError ? theme.error : theme.accent)
        }
    }

    /// Row H-1: key hints in order, as many as fit; the last two (help, quit) always show.
    static func footer(_ hints: [(key: String, action: String)], into buffer: inout CellBuffer, theme: Theme) {
        let y = buffer.height - 1
        func width(_ hint: (key: String, action: String)) -> Int { hint.key.count + 1 + hint.action.count + 2 }
        let required = hints.suffix(2)
        var budget = buffer.width - 2 - required.map(width).reduce(0, +)
        var shown: [(key: String, action: String)] = []
        for hint in hints.dropLast(2) {
            guard width(hint) <= budget else { break }
            budget -= width(hint)
            shown.append(hint)
        }
        var x = 1
        for hint in shown + required {
            x += buffer.write(hint.key, x: x, y: y, style: theme.key)
            x += buffer.write(" " + hint.action + "  ", x: x, y: y, style: theme.dim)
        }
    }

    /// Splits `text` into lines of at most `width` columns at spaces (long words are cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            while word.count > width {
                if !line.isEmpty { lines.append(line); line = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if line.isEmpty {
                line = word
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// A horizontal progress bar of `width` cells: █ done, ░ to go.
    static func progressBar(_ fraction: Double, width: Int) -> String {
        let width = max(0, width)
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let done = Int((clamped * Double(width)).rounded(.down))
        return String(repeating: "█", count: done) + String(repeating: "░", count: max(0, width - done))
    }
}
