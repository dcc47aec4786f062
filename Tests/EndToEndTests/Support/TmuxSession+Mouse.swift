import Foundation

/// Mouse input for a tmux pane. `tmux send-keys -M` only forwards a mouse event tmux itself received, so a test
/// writes the SGR (1006) report a terminal sends into the pane as literal input (`send-keys -l`): the program
/// reads exactly the bytes a terminal would send for a press, a release or a wheel notch.
extension TmuxSession {
    /// SGR button codes: 0 left, 1 middle, 2 right, 64 wheel up, 65 wheel down.
    enum MouseButton: Int {
        case left = 0, middle = 1, right = 2, wheelUp = 64, wheelDown = 65
    }

    /// The SGR report "ESC [ < button ; column ; row M" (press) or "… m" (release); x and y count from 0, the report
    /// from 1.
    static func mouseReport(_ button: MouseButton, x: Int, y: Int, press: Bool) -> String {
        "\u{1B}[<\(button.rawValue);\(x + 1);\(y + 1)" + (press ? "M" : "m")
    }

    /// A click (press then release) on cell (x, y), 0-based as in a capture.
    func click(x: Int, y: Int, button: MouseButton = .left) {
        type(Self.mouseReport(button, x: x, y: y, press: true) + Self.mouseReport(button, x: x, y: y, press: false))
    }

    /// One wheel notch over cell (x, y) (a terminal sends a press alone for the wheel).
    func wheel(_ button: MouseButton, x: Int, y: Int) {
        type(Self.mouseReport(button, x: x, y: y, press: true))
    }

    /// Whether the program asked the terminal to report the mouse (any mode; tmux's `mouse_any_flag`).
    var isMouseReportingOn: Bool { display("#{mouse_any_flag}") == "1" }

    /// Where `text` starts on the screen `capture` (0-based column in characters, row), first from the top.
    static func position(of text: String, in capture: String, row wanted: Int? = nil) -> (x: Int, y: Int)? {
        for (y, row) in capture.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where wanted == nil || wanted == y {
            if let range = row.range(of: text) { return (row.distance(from: row.startIndex, to: range.lowerBound), y) }
        }
        return nil
    }
}
