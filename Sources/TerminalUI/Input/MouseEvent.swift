/// A mouse button press or a wheel notch, at a cell of the screen, independent of the terminal library.
///
/// `x` is the column and `y` the row, both from 0 at the top-left cell (the same coordinates as `CellBuffer`).
/// Releases, drags and motion are not reported: a press is a click.
public struct MouseEvent: Sendable, Hashable {
    public enum Button: Sendable, Hashable {
        case left, middle, right
        /// One notch of the wheel away from the person (scroll up) or towards them (scroll down).
        case wheelUp, wheelDown
    }

    public var x: Int
    public var y: Int
    public var button: Button

    public init(x: Int, y: Int, button: Button) {
        self.x = x
        self.y = y
        self.button = button
    }

    /// Whether this is a wheel notch rather than a button press.
    public var isWheel: Bool { button == .wheelUp || button == .wheelDown }
}
