import TerminalUI

/// Every key, grouped by where it works, in two columns: the rows of `KeyBindings.table`.
enum HelpView {
    /// The help screen's columns: the contexts each shows, top to bottom.
    static let leftColumn: [KeyContext] = [.anywhere, .setup]
    static let rightColumn: [KeyContext] = [.training, .gates]

    /// The right column for `screen`: the training keys, then the keys of the screen help was opened on
    /// (the gate view's from the setup and loss screens).
    static func rightColumn(for screen: AppState.Screen) -> [KeyContext] {
        switch screen {
        case .gradients: [.training, .gradients]
        case .statistics: [.training, .statistics]
        case .text: [.training, .text]
        case .setup, .training, .gates: rightColumn
        }
    }

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        Chrome.header(state, title: "help", into: &buffer, theme: theme)
        let columnWidth = min(48, (buffer.width - 2) / 2)
        let left = KeyBindings.helpSections(leftColumn)
        let right = KeyBindings.helpSections(rightColumn(for: state.screen))
        let contentHeight = 3 + right.map(\.rows.count).reduce(0, +)
        let top = max(1, (buffer.height - 2 - contentHeight) / 2)
        let leftX = max(1, (buffer.width - 2 * columnWidth) / 2)
        let bottom = buffer.height - 2
        for (index, sections) in [left, right].enumerated() {
            let table = KeyTable(sections, titleStyle: theme.title, keyStyle: theme.key, textStyle: theme.label)
            buffer.render(table, in: Rect(x: leftX + index * columnWidth, y: top, width: columnWidth, height: bottom - top))
        }
        let note = "Live changes apply at the next step and mark the chart; s changes the rest in a new run."
        buffer.write(note, x: 1, y: buffer.height - 2, style: theme.dim, maxWidth: buffer.width - 2)
        Chrome.footer(KeyBindings.helpFooter, preferring: [.help], into: &buffer, theme: theme)
    }
}
