/// A key press as the app sees it, independent of the terminal library.
public enum Key: Sendable, Hashable {
    case character(Character)
    case enter
    case escape
    case tab
    case backTab
    case backspace
    case delete
    case up, down, left, right
    case pageUp, pageDown, home, end
    case function(Int)
    /// Ctrl + a letter (`control("c")`), when the terminal delivers it as a key rather than a signal.
    case control(Character)
}
