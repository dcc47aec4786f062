import CNcursesw
import Foundation
import TerminalUI
import Synchronization

/// The whole screen through ncurses: opens full-screen mode, reads keys, draws `CellBuffer` frames, and always puts
/// the terminal back (normal `restore`, deinit, SIGINT/SIGTERM/SIGHUP via the frame loop, crashes via signal handlers).
///
/// Use it from one thread (the UI thread); only one `Terminal` may be open at a time (ncurses state is global).
///
///     let terminal = try Terminal()
///     while !quit {
///         if let input = terminal.nextInput(timeoutMilliseconds: 50) { ... }
///         if Terminal.terminationRequested { break }
///         terminal.present(buffer)
///     }
///     terminal.restore()
public final class Terminal {
    /// What the terminal can show: `.none` under NO_COLOR (any value) or without colors, `.basic8` when it has fewer
    /// than 256 colors, else `.palette256`.
    public let colorMode: ColorMode
    /// Whether the terminal reports mouse presses and the wheel (asked for with `reportsMouse`, and the terminal can).
    public let reportsMouse: Bool
    /// Columns and rows; updated when `nextInput` returns `.resize`.
    public internal(set) var size: (width: Int, height: Int)

    /// The ncurses SCREEN from `newterm`; nil after `restore`.
    var screen: OpaquePointer?
    var colorPairs: ColorPairTable
    /// The last buffer drawn by `present`, what the next one is diffed against; nil forces a full redraw.
    var presented: CellBuffer?

    private static let isOpen = Atomic<Bool>(false)

    /// True once SIGINT, SIGTERM or SIGHUP arrived: the frame loop should stop and call `restore`.
    public static var terminationRequested: Bool {
        receivedTerminationSignal.load(ordering: .sequentiallyConsistent) != 0
    }

    /// The signal behind `terminationRequested` (SIGINT 2, SIGHUP 1, SIGTERM 15), for an exit status of 128 + it.
    public static var terminationSignal: Int32? {
        let signalNumber = receivedTerminationSignal.load(ordering: .sequentiallyConsistent)
        return signalNumber == 0 ? nil : signalNumber
    }

    /// Enters full-screen mode: UTF-8 locale, cbreak, no echo, keypad, hidden cursor, colors, 25 ms Escape delay,
    /// and (with `reportsMouse`) mouse presses and wheel notches as `TerminalInput.mouse`.
    /// - Parameters:
    ///   - environment: where NO_COLOR and TERM are read (the process environment by default).
    ///   - reportsMouse: ask the terminal to report the mouse; every way out turns the reporting off again.
    /// - Throws: `TerminalError` with one line when stdin or stdout is not a terminal, TERM is unset or unknown,
    ///   or another `Terminal` is open.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, reportsMouse: Bool = false) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError("the interactive screen needs a terminal: stdin and stdout must both be a tty "
                + "(run it in a terminal, or use a headless command such as `train`)")
        }
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else {
            throw TerminalError("cannot open the screen: TERM is \(term.isEmpty ? "not set" : "'dumb'") "
                + "(set it to your terminal's type, e.g. TERM=xterm-256color)")
        }
        guard Terminal.isOpen.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent)
            .exchanged
        else {
            throw TerminalError("cannot open the screen twice: another Terminal is still open (call restore() first)")
        }
        // Braille, blocks and box drawing need a UTF-8 locale; under LANG=C fall back to C.UTF-8 for characters.
        setlocale(LC_ALL, "")
        if cn_locale_is_utf8() == 0 { setlocale(LC_CTYPE, "C.UTF-8") }

        SignalHandling.saveShellTerminalMode()
        guard let screen = cn_newterm(term) else {
            Terminal.isOpen.store(false, ordering: .sequentiallyConsistent)
            throw TerminalError("cannot open the screen: TERM='\(term)' is not a terminal type this system knows "
                + "(try TERM=xterm-256color, or install its terminfo entry)")
        }
        self.screen = screen
        let window = cn_stdscr()
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        KeyDecoding.defineCommonSequences()
        intrflush(window, false)
        leaveok(window, true)
        curs_set(0)
        set_escdelay(25)

        var mode = ColorMode.none
        var defaultColorsAvailable = true
        if environment["NO_COLOR"] == nil, has_colors() {
            start_color()
            defaultColorsAvailable = use_default_colors() != ERR
            let colorCount = cn_colors()
            mode = colorCount >= 256 ? .palette256 : (colorCount >= 8 ? .basic8 : .none)
        }
        colorMode = mode
        colorPairs = ColorPairTable(
            mode: mode, defaultColorsAvailable: defaultColorsAvailable, colorPairCount: cn_color_pairs())
        size = (Int(cn_cols()), Int(cn_lines()))
        self.reportsMouse = reportsMouse && cn_mouse_enable() == 1
        SignalHandling.install(mouseReporting: self.reportsMouse)
    }

    deinit {
        restore()
    }

    /// Leaves full-screen mode (endwin), turns mouse reporting off, shows the cursor, puts the shell's terminal mode
    /// and the previous signal handlers back. Idempotent; `present` and `nextInput` do nothing afterwards.
    public func restore() {
        guard let screen else { return }
        if reportsMouse { cn_mouse_disable() }
        endwin()
        SignalHandling.uninstall()
        delscreen(screen)
        self.screen = nil
        presented = nil
        Terminal.isOpen.store(false, ordering: .sequentiallyConsistent)
    }
}
