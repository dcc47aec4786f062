import CNcursesw
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Number of the first SIGINT/SIGTERM/SIGHUP received while a `Terminal` is open; 0 if none.
/// A global `let` so the signal handlers can reach it without captures; initialized before any handler is installed.
let receivedTerminationSignal = Atomic<Int32>(0)

/// Signal handlers that keep the terminal usable whatever happens to the process.
///
/// - SIGINT, SIGTERM, SIGHUP set `receivedTerminationSignal`; the frame loop sees `Terminal.terminationRequested`,
///   exits and restores. A second one (the loop is stuck) restores the terminal and exits with 128 + signal.
/// - SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE write the terminal's "leave full-screen" sequences, put the
///   shell's terminal mode back, then re-raise with the action that was installed before (the default, or Swift's
///   crash reporter), so the crash still reports and the exit status still says which signal.
///
/// The handlers only touch an atomic and call async-signal-safe functions (write, tcsetattr, sigaction, raise, _exit).
/// Every `cn_emergency_*` / `cn_*_signal_handler` call lives in this file: their state is per translation unit.
enum SignalHandling {
    static let terminationSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    /// Remembers the shell's terminal mode; call before ncurses changes it.
    static func saveShellTerminalMode() {
        cn_emergency_save_terminal_mode()
    }

    /// Arms the emergency restore (terminfo must be loaded) and installs the handlers. With `mouseReporting` the
    /// restore also turns the terminal's mouse reporting off.
    static func install(mouseReporting: Bool) {
        receivedTerminationSignal.store(0, ordering: .sequentiallyConsistent)
        cn_emergency_arm()
        if mouseReporting { cn_emergency_arm_mouse_off() }
        for signalNumber in terminationSignals { _ = cn_install_signal_handler(signalNumber, terminationHandler) }
        for signalNumber in crashSignals { _ = cn_install_signal_handler(signalNumber, crashHandler) }
    }

    /// After a normal `endwin`: disarms the emergency restore and puts the previous handlers back.
    static func uninstall() {
        cn_emergency_disarm()
        for signalNumber in terminationSignals + crashSignals { cn_restore_signal_handler(signalNumber) }
    }
}

private let terminationHandler: @convention(c) (Int32) -> Void = { signalNumber in
    let (exchanged, _) = receivedTerminationSignal.compareExchange(
        expected: 0, desired: signalNumber, ordering: .sequentiallyConsistent)
    if !exchanged {
        // Second request: the loop did not get there; restore here and leave.
        cn_emergency_restore()
        _exit(128 + signalNumber)
    }
}

private let crashHandler: @convention(c) (Int32) -> Void = { signalNumber in
    cn_emergency_restore()
    cn_restore_signal_handler(signalNumber)
    raise(signalNumber)
}
