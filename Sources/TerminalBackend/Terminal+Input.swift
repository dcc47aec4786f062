import CNcursesw
import TerminalUI

extension Terminal {
    /// Waits up to `timeoutMilliseconds` (negative: forever) for a key, a mouse press or wheel notch (when
    /// `reportsMouse`), or a resize. Returns nil on timeout, when a signal interrupted the wait (check
    /// `terminationRequested`), for a key the app has no name for (keypad extras), or for mouse events other than
    /// presses (releases). A resize updates `size` and makes the next `present` redraw all.
    public func nextInput(timeoutMilliseconds: Int) -> TerminalInput? {
        guard screen != nil else { return nil }
        let window = cn_stdscr()
        wtimeout(window, Int32(clamping: max(-1, timeoutMilliseconds)))
        var value: wint_t = 0
        switch wget_wch(window, &value) {
        case KEY_CODE_YES:
            let code = Int32(bitPattern: value)
            if code == KEY_RESIZE {
                size = (Int(cn_cols()), Int(cn_lines()))
                presented = nil
                return .resize(width: size.width, height: size.height)
            }
            if code == KEY_MOUSE { return nextMouseEvent().map(TerminalInput.mouse) }
            return KeyDecoding.key(forKeyCode: code).map(TerminalInput.key)
        case OK:
            return KeyDecoding.key(forCharacter: UInt32(value)).map(TerminalInput.key)
        default:
            return nil
        }
    }
}

/// Turns what `wget_wch` returns into `Key`s.
enum KeyDecoding {
    /// Escape sequences terminals send for special keys whether or not the terminfo entry in TERM lists them
    /// (tmux sends Home as ESC[1~ even when TERM says xterm-256color, whose entry has ESC OH).
    static let commonSequences: [(sequence: String, keyCode: Int32)] = [
        ("\u{1B}[A", KEY_UP), ("\u{1B}[B", KEY_DOWN), ("\u{1B}[C", KEY_RIGHT), ("\u{1B}[D", KEY_LEFT),
        ("\u{1B}OA", KEY_UP), ("\u{1B}OB", KEY_DOWN), ("\u{1B}OC", KEY_RIGHT), ("\u{1B}OD", KEY_LEFT),
        ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME), ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME),
        ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END), ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END),
        ("\u{1B}[5~", KEY_PPAGE), ("\u{1B}[6~", KEY_NPAGE), ("\u{1B}[3~", KEY_DC), ("\u{1B}[Z", KEY_BTAB),
        ("\u{1B}OP", cn_key_function(1)), ("\u{1B}OQ", cn_key_function(2)),
        ("\u{1B}OR", cn_key_function(3)), ("\u{1B}OS", cn_key_function(4)),
        ("\u{1B}[11~", cn_key_function(1)), ("\u{1B}[12~", cn_key_function(2)),
        ("\u{1B}[13~", cn_key_function(3)), ("\u{1B}[14~", cn_key_function(4)),
    ]

    /// Teaches ncurses `commonSequences` that the terminfo entry does not already bind (after `keypad`).
    static func defineCommonSequences() {
        for (sequence, keyCode) in commonSequences where key_defined(sequence) == 0 {
            define_key(sequence, keyCode)
        }
    }

    /// A special key (`wget_wch` said KEY_CODE_YES): arrows, paging, Home/End, F1…F63, Shift-Tab, Backspace,
    /// Delete, keypad Enter. Nil for the others.
    static func key(forKeyCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case cn_key_function(1)...cn_key_function(63): return .function(Int(code - cn_key_function(0)))
        default: return nil
        }
    }

    /// A character (`wget_wch` said OK): Enter (\r or \n), Tab, Backspace (127 or 8), Escape, Ctrl+letter,
    /// printable characters. Nil for other control characters.
    static func key(forCharacter value: UInt32) -> Key? {
        switch value {
        case 10, 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(value) + 96)))
        case 0..<32, 128..<160: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }
}
