import TerminalUI

/// Every key, grouped by where it works, in two columns: the rows of `KeyBindings.table`.
enum HelpView {
    /// On the runs browser the help shows its keys beside the ones that work anywhere.
    static let browserColumns: [[KeyContext]] = [[.anywhere], [.runs, .confirm]]

    /// The right column for `screen`: the training keys, then the keys of the screen help was opened on
    /// (the gate view's from the setup and loss screens).
    static func rightColumn(for screen: AppState.Screen) -> [KeyContext] {
        switch screen {
        case .gradients: [.training, .gradients]
        case .statistics: [.training, .statistics]
        case .text: [.training, .text]
        case .setup, .training, .gates, .output, .runs: [.training, .gates]
        }
    }

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        let pages: [[[KeyContext]]]
        switch state.screen {
        case .runs: pages = [browserColumns]
        case .gradients, .statistics, .text: pages = [[[.anywhere], rightColumn(for: state.screen)]]
        default: pages = KeyBindings.helpPages(rows: HelpLayout.bodyRows(height: buffer.height))
        }
        let page = min(state.helpPage, pages.count - 1)
        Chrome.header(state, title: pages.count > 1 ? "help \(page + 1)/\(pages.count)" : "help", into: &buffer, theme: theme)
        let columnWidth = min(48, (buffer.width - 2) / 2)
        let columns = pages[page].map(KeyBindings.helpSections)
        var contentHeight = 0
        for sections in columns {
            let rows: Int = sections.reduce(0) { $0 + $1.rows.count + 1 }
            contentHeight = max(contentHeight, rows + max(0, sections.count - 1))
        }
        let top = max(1, (buffer.height - 2 - contentHeight) / 2)
        let leftX = max(1, (buffer.width - 2 * columnWidth) / 2)
        let bottom = buffer.height - 2
        for (index, sections) in columns.enumerated() {
            let table = KeyTable(sections, titleStyle: theme.title, keyStyle: theme.key, textStyle: theme.label)
            buffer.render(table, in: Rect(x: leftX + index * columnWidth, y: top, width: columnWidth, height: bottom - top))
        }
        let note = pages.count > 1
            ? "PgDn shows more keys. Live changes apply at the next step and mark the chart."
            : "Live changes apply at the next step and mark the chart; s changes the rest in a new run."
        buffer.write(note, x: 1, y: buffer.height - 2, style: theme.dim, maxWidth: buffer.width - 2)
        let footer = pages.count > 1 ? KeyBindings.helpFooter : KeyBindings.helpFooter.filter { $0 != .nextHelpPage }
        Chrome.footer(footer, preferring: [.help], into: &buffer, theme: theme)
    }
}
