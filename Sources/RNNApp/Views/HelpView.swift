/// Every key, grouped by where it works, in two columns.
enum HelpView {
    typealias Entry = (key: String, action: String)

    static let everywhere: [Entry] = [
        ("?", "this help (Esc closes)"), ("q", "quit (also Ctrl-C)"), ("Tab", "cycle views: loss ↔ gates"),
        ("l", "loss view"), ("g", "gate view"), ("s", "setup screen (new run)"),
        ("Esc", "close · cancel · dismiss"),
    ]
    static let setup: [Entry] = [
        ("↑ ↓", "move between fields"), ("← →", "change the value"), ("0-9 .", "type a value"),
        ("Enter", "start training"), ("Esc", "back to the running run"),
    ]
    static let run: [Entry] = [
        ("space", "pause / resume"), ("n", "one step (while paused)"), ("+ -", "learning rate × 2 / ÷ 2"),
        ("=", "type a learning rate"), ("O", "cycle optimizer"), ("c", "clip off/0.5/1/2/5/10"),
        ("b B", "batch size ÷ 2 / × 2"), ("d D", "dropout − 0.1 / + 0.1"), ("r", "restart: new run, same setup"),
        ("w", "save a checkpoint"), ("e", "EMA smoothing of train loss"), ("L", "log-scale loss axis"),
    ]
    static let gates: [Entry] = [
        ("← → ↑ ↓", "move the cursor (t, unit)"), ("PgUp PgDn", "page units"), ("Home End", "first / last t"),
        ("[ ]", "previous / next probe"), ("< >", "previous / next layer"), ("f", "focus one gate / all"),
    ]

    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        Chrome.header(state, title: "help", into: &buffer, theme: theme)
        let columnWidth = min(48, (buffer.width - 2) / 2)
        let left = [("Everywhere", everywhere), ("Setup screen", setup)]
        let right = [("Training (loss and gate views)", run), ("Gate view", gates)]
        let contentHeight = 3 + run.count + gates.count
        let top = max(1, (buffer.height - 2 - contentHeight) / 2)
        let leftX = max(1, (buffer.width - 2 * columnWidth) / 2)
        draw(left, x: leftX, y: top, width: columnWidth, bottom: buffer.height - 2, into: &buffer, theme: theme)
        draw(right, x: leftX + columnWidth, y: top, width: columnWidth, bottom: buffer.height - 2, into: &buffer, theme: theme)
        let note = "Live changes apply at the next step and mark the chart; s changes the rest in a new run."
        buffer.write(note, x: 1, y: buffer.height - 2, style: theme.dim, maxWidth: buffer.width - 2)
        Chrome.footer([("Esc", "close help"), ("q", "quit")], into: &buffer, theme: theme)
    }

    private static func draw(_ sections: [(String, [Entry])], x: Int, y: Int, width: Int, bottom: Int,
                             into buffer: inout CellBuffer, theme: Theme) {
        var row = y
        for (title, entries) in sections {
            guard row < bottom else { return }
            buffer.write(title, x: x, y: row, style: theme.title)
            row += 1
            for entry in entries where row < bottom {
                buffer.write(Format.padded(entry.key, 10), x: x, y: row, style: theme.key)
                buffer.write(entry.action, x: x + 10, y: row, style: theme.label, maxWidth: width - 10)
                row += 1
            }
            row += 1
        }
    }
}
