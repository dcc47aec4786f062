import TerminalUI

/// One line of help and the keys behind it: "+ -  learning rate × 2 / ÷ 2" maps `+` to one action and
/// `-`, `_` to another. The footer hint is the short form screens show on their bottom row.
public struct KeyBinding: Sendable {
    /// A footer entry: "space pause", or "space resume" while the toggle it names is on.
    public struct Footer: Sendable, Equatable {
        public var keys: String
        public var text: String
        /// The text while the thing toggled is on (a paused run: "resume"), if it changes.
        public var activeText: String?
    }

    public var context: KeyContext
    /// The help screen's line: the keys as written there and what they do.
    public var keys: String
    public var text: String
    public var footer: Footer?
    /// Keys in order of precedence; each does its action.
    public var mappings: [(pattern: KeyPattern, action: KeyAction)]

    init(_ context: KeyContext, _ keys: String, _ text: String, footer: (keys: String, text: String)? = nil,
         activeFooterText: String? = nil, _ mappings: [(KeyPattern, KeyAction)]) {
        self.context = context
        self.keys = keys
        self.text = text
        self.footer = footer.map { Footer(keys: $0.keys, text: $0.text, activeText: activeFooterText) }
        self.mappings = mappings.map { (pattern: $0.0, action: $0.1) }
    }

    /// The actions this line's keys do.
    public var actions: [KeyAction] { mappings.map(\.action) }

    /// The footer hint as a screen shows it.
    public func footerHint(active: Bool = false) -> KeyHintBar.Hint? {
        footer.map { KeyHintBar.Hint(key: $0.keys, action: active ? ($0.activeText ?? $0.text) : $0.text) }
    }
}

extension KeyPattern {
    /// A character key.
    static func character(_ character: Character) -> KeyPattern { .key(.character(character)) }
}
