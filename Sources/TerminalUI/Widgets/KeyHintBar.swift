/// One row of key hints ("Enter start  ↑↓ field  ?  help  q quit"), as many as fit in order; the last
/// `required` hints (help and quit, say) always show. Cost O(width).
public struct KeyHintBar: Widget {
    public struct Hint: Sendable, Equatable {
        public var key: String
        public var action: String

        public init(key: String, action: String) {
            self.key = key
            self.action = action
        }

        /// Columns it takes: key, a space, the action and two spaces.
        var width: Int { key.count + 1 + action.count + 2 }
    }

    public var hints: [Hint]
    public var keyStyle: CellStyle
    public var actionStyle: CellStyle
    public var required = 2

    public init(_ hints: [Hint], keyStyle: CellStyle, actionStyle: CellStyle, required: Int = 2) {
        self.hints = hints
        self.keyStyle = keyStyle
        self.actionStyle = actionStyle
        self.required = required
    }

    /// Draws from one column in from the area's left edge, on its top row.
    public func render(in area: Rect, into buffer: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let kept = hints.suffix(required)
        var budget = area.width - 2 - kept.map(\.width).reduce(0, +)
        var shown: [Hint] = []
        for hint in hints.dropLast(required) {
            guard hint.width <= budget else { break }
            budget -= hint.width
            shown.append(hint)
        }
        var x = area.x + 1
        for hint in shown + kept {
            x += buffer.write(hint.key, x: x, y: area.y, style: keyStyle)
            x += buffer.write(" " + hint.action + "  ", x: x, y: area.y, style: actionStyle)
        }
    }
}
