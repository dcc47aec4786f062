/// The one map from characters that do not show (whitespace, controls) to the visible one-column
/// stand-ins every screen and label uses: `↵` for a line break, `⇥` tab, `␣` a space on an axis, `·`
/// any other control.
public enum Glyphs {
    public static let newline: Character = "↵"
    public static let tab: Character = "⇥"
    /// A space where it must be seen (a time axis, a label of one character).
    public static let visibleSpace: Character = "␣"
    /// Any other control character (and, on screens, one that would not fit one column).
    public static let other: Character = "·"

    /// The stand-in for a line break, tab or control character; nil for a character that shows as
    /// itself (a space included: use `visibleSpace` where it must be seen).
    public static func standIn(for character: Character) -> Character? {
        if character == "\n" || character == "\r\n" || character == "\r" { return newline }
        if character == "\t" { return tab }
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return nil }
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return other }
        return nil
    }

    /// A one-character label as it should read on its own (a token on a time axis): the stand-in for a
    /// control, `␣` for a space, else the text unchanged.
    public static func label(_ text: String) -> String {
        guard text.count == 1, let character = text.first else { return text }
        if character == " " { return String(visibleSpace) }
        return standIn(for: character).map(String.init) ?? text
    }
}
