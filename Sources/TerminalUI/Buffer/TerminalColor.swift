/// A terminal color as the widgets ask for it; the backend maps it onto what the terminal has
/// (256 colors, 8 colors, or none under NO_COLOR).
public enum TerminalColor: Sendable, Hashable {
    case `default`
    /// One of the 8 basic colors: 0 black, 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan, 7 white.
    case basic(UInt8)
    /// xterm-256 palette index.
    case indexed(UInt8)
}
