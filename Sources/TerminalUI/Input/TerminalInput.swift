/// One event from the terminal.
public enum TerminalInput: Sendable, Equatable {
    case key(Key)
    /// A mouse button pressed or the wheel turned (only when the screen reports the mouse).
    case mouse(MouseEvent)
    /// The terminal changed size; the screen's `size` already holds the new size and the next `present` redraws all.
    case resize(width: Int, height: Int)
}
