import DisplayFormat
import Foundation
import RNNTraining
import TerminalUI

/// The runs browser: every run folder under the runs directory, newest first, one row each (name or
/// label, cell and sizes, dataset, steps, best validation loss next to its baseline, status, age), the
/// selected run's folder and files below, and the browser's keys. Damaged folders show as such.
/// Cost: O(rows shown).
enum RunsBrowserView {
    /// Fixed column widths; the name and dataset share what is left.
    static let modelWidth = 10, stepsWidth = 7, bestWidth = 17, statusWidth = 8, ageWidth = 4
    /// Rows below the list: the selected run's folder and files.
    static let detailHeight = 3

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        Chrome.header(state, title: "runs", into: &buffer, theme: theme)
        let browser = state.browser
        let marked = browser.marked.count
        var summary = browser.listedAt == nil ? " reading the runs folder…"
            : " \(browser.entries.count) run\(browser.entries.count == 1 ? "" : "s"), newest first"
        if marked > 0 { summary += " · \(marked) marked (o overlays them)" }
        buffer.write(summary, x: 0, y: 1, style: theme.label, maxWidth: buffer.width)

        let columns = Columns(width: buffer.width)
        buffer.write("  " + columns.row(name: "RUN", model: "CELL", dataset: "DATASET", steps: "STEPS", best: "BEST VAL / BASE",
                                 status: "STATUS", age: "AGE"),
                     x: 0, y: 2, style: theme.dim, maxWidth: buffer.width)
        let listTop = 3
        let listHeight = max(1, buffer.height - listTop - detailHeight - 3)
        if browser.entries.isEmpty, browser.listedAt != nil {
            buffer.write(" no runs yet: s sets one up, Enter on the setup screen starts it", x: 0, y: listTop, style: theme.dim,
                         maxWidth: buffer.width)
        }
        let first = max(0, min(browser.selection - listHeight + 1, browser.entries.count - listHeight))
        for (offset, entry) in browser.entries.dropFirst(first).prefix(listHeight).enumerated() {
            let index = first + offset
            let y = listTop + offset
            let isSelected = index == browser.selection
            let live = state.runs.last { $0.folderPath == entry.path && !$0.isPastRun }
            let status = statusWord(entry, live: live)
            let prefix = (isSelected ? "▸" : " ") + (browser.marked.contains(entry.path) ? "●" : " ")
            let text = prefix + columns.row(
                name: DisplayText.sanitized(entry.displayName), model: model(entry), dataset: dataset(entry),
                steps: steps(max(entry.steps, live?.currentStep ?? 0)), best: best(entry), status: status,
                age: browser.listedAt.map { age($0.timeIntervalSince(entry.updatedAt)) } ?? "")
            let style: CellStyle = isSelected ? theme.focus : (entry.problem != nil ? theme.error : theme.plain)
            if isSelected { buffer.fill(Rect(x: 0, y: y, width: buffer.width, height: 1), style: style) }
            buffer.write(text, x: 0, y: y, style: style, maxWidth: buffer.width)
            if !isSelected {
                let statusX = 2 + columns.statusOffset
                buffer.write(status, x: statusX, y: y, style: statusStyle(entry, live: live, theme: theme),
                             maxWidth: buffer.width - statusX)
            }
        }
        if browser.entries.count > listHeight {
            let more = " \(browser.selection + 1)/\(browser.entries.count) ↑↓ "
            buffer.write(more, x: max(0, buffer.width - more.count), y: 1, style: theme.dim)
        }
        renderDetails(browser.selected, y: buffer.height - 2 - detailHeight, into: &buffer, theme: theme)

        if let path = browser.pendingDeletion {
            let name = browser.entries.first { $0.path == path }?.displayName ?? path
            let hints = KeyBindings.footer(KeyBindings.confirmFooter, preferring: [.confirm])
            let text = " delete \(DisplayText.sanitized(name)) and every file in its folder?  "
                + hints.map { $0.key + " " + $0.action }.joined(separator: " · ")
            buffer.write(text, x: 0, y: buffer.height - 2, style: theme.warning, maxWidth: buffer.width)
        } else {
            Chrome.noticeLine(state, into: &buffer, theme: theme)
        }
        Chrome.footer(KeyBindings.runsFooter, preferring: [.runs], into: &buffer, theme: theme)
    }

    /// The selected run: its folder, what it holds, and why it is damaged.
    private static func renderDetails(_ entry: RunEntry?, y: Int, into buffer: inout CellBuffer, theme: Theme) {
        buffer.render(Rule(.horizontal, style: theme.border), in: Rect(x: 0, y: y, width: buffer.width, height: 1))
        guard let entry else { return }
        buffer.write(" " + DisplayText.sanitized(entry.path), x: 0, y: y + 1, style: theme.label, maxWidth: buffer.width)
        var line: String
        var style = theme.dim
        if let problem = entry.problem {
            line = "damaged: " + DisplayText.sanitized(problem)
            style = theme.error
        } else {
            var parts: [String] = []
            parts.append(entry.isResumable ? "resumable (r)" : "no trainer state: f forks its settings")
            parts.append(entry.hasCheckpoint ? "checkpoint" : "no checkpoint")
            if let description = entry.baselineDescription { parts.append("baseline: " + DisplayText.sanitized(description)) }
            line = parts.joined(separator: " · ")
        }
        for (offset, wrapped) in Chrome.wrap(line, width: buffer.width - 2).prefix(detailHeight - 1).enumerated() {
            buffer.write(" " + wrapped, x: 0, y: y + 2 + offset, style: style, maxWidth: buffer.width)
        }
    }

    // MARK: Cells

    static func model(_ entry: RunEntry) -> String {
        guard let setup = entry.setup else { return "?" }
        return "\(setup.cell.displayName) \(setup.layerCount)×\(setup.hiddenSize)"
    }

    /// The dataset's short name: a file's last path component.
    static func dataset(_ entry: RunEntry) -> String {
        guard let dataset = entry.dataset else { return "?" }
        return DisplayText.sanitized((dataset as NSString).lastPathComponent)
    }

    static func steps(_ steps: Int) -> String {
        let exact = Format.count(steps)
        return exact.count <= stepsWidth ? exact : Format.step(Double(steps))
    }

    /// "0.0021 / 0.167": the best validation loss next to the task's baseline.
    static func best(_ entry: RunEntry) -> String {
        let best = entry.bestValidationLoss.map(Format.loss) ?? "—"
        guard let baseline = entry.baselineLoss else { return best }
        return best + " / " + Format.loss(baseline)
    }

    static func statusWord(_ entry: RunEntry, live: RunRecord?) -> String {
        if let live { return live.status.word }
        if entry.problem != nil { return "damaged" }
        return entry.status.rawValue
    }

    private static func statusStyle(_ entry: RunEntry, live: RunRecord?, theme: Theme) -> CellStyle {
        if let live { return theme.status(Chrome.statusKind(live.status)) }
        if entry.problem != nil { return theme.error }
        switch entry.status {
        case .running: return theme.status(.running)
        case .diverged, .failed: return theme.status(.problem)
        case .finished, .stopped: return theme.status(.done)
        }
    }

    /// "45s", "12m", "5h", "3d".
    static func age(_ seconds: TimeInterval) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return "\(Int(seconds))s" }
        if seconds < 3600 { return "\(Int(seconds / 60))m" }
        if seconds < 86_400 { return "\(Int(seconds / 3600))h" }
        return "\(min(999, Int(seconds / 86_400)))d"
    }

    /// The row layout at one width: fixed columns, and the name and dataset sharing the rest (a name too
    /// long keeps its end, where folder names differ).
    struct Columns {
        let nameWidth: Int
        let datasetWidth: Int

        init(width: Int) {
            let fixed = 2 + modelWidth + stepsWidth + bestWidth + statusWidth + ageWidth + 6
            let rest = max(12, width - fixed - 1)
            nameWidth = min(40, rest * 3 / 5)
            datasetWidth = min(28, rest - nameWidth)
        }

        /// Where the status column starts, after the two prefix columns.
        var statusOffset: Int { nameWidth + 1 + modelWidth + 1 + datasetWidth + 1 + stepsWidth + 1 + bestWidth + 1 }

        func row(name: String, model: String, dataset: String, steps: String, best: String, status: String, age: String) -> String {
            [Self.keepingEnd(name, nameWidth), Format.padded(model, modelWidth), Self.keepingEnd(dataset, datasetWidth),
             Format.rightAligned(steps, stepsWidth), Format.padded(best, bestWidth), Format.padded(status, statusWidth),
             Format.rightAligned(age, ageWidth)].joined(separator: " ")
        }

        /// `text` in exactly `width` columns; too long, it keeps its end behind "…".
        static func keepingEnd(_ text: String, _ width: Int) -> String {
            guard text.count > width else { return Format.padded(text, width) }
            return "…" + String(text.suffix(max(0, width - 1)))
        }
    }
}
