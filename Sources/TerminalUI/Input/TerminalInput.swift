/// One event from the terminal.
public enum TerminalInput: Sendable, Equatable {
    case key(Key)
    /// The terminal changed size; the screen's `size` already holds the new size and the next `present` redraws all.
    case resize(width: Int, height: Int)
}
