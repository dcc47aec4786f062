import CNcursesw
import TerminalUI

extension Terminal {
    /// The press or wheel notch behind a KEY_MOUSE, in cell coordinates; nil for a release or when ncurses has none.
    func nextMouseEvent() -> MouseEvent? {
        var x: Int32 = 0
        var y: Int32 = 0
        var button: Int32 = 0
        guard cn_mouse_next_event(&x, &y, &button) == 0, let decoded = MouseDecoding.button(number: button) else {
            return nil
        }
        return MouseEvent(x: Int(x), y: Int(y), button: decoded)
    }
}

/// Turns ncurses' button numbers into `MouseEvent.Button`s.
enum MouseDecoding {
    /// 1 left, 2 middle, 3 right, 4 wheel up, 5 wheel down (ncurses' BUTTON4/BUTTON5 are the wheel); nil otherwise.
    static func button(number: Int32) -> MouseEvent.Button? {
        switch number {
        case 1: .left
        case 2: .middle
        case 3: .right
        case 4: .wheelUp
        case 5: .wheelDown
        default: nil
        }
    }
}
