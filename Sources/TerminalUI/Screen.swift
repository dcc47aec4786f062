/// Where frames go and keys come from: the terminal backend, or a fake one in tests. A frame loop needs
/// nothing else, so it can be driven without a terminal. Used from one thread.
public protocol Screen: AnyObject {
    /// What the screen can show.
    var colorMode: ColorMode { get }
    /// Columns and rows now (updated when `nextInput` returns `.resize`).
    var size: (width: Int, height: Int) { get }
    /// Shows `buffer` (a backend redraws only the cells that changed since the last one).
    func present(_ buffer: CellBuffer)
    /// Waits up to `timeoutMilliseconds` (0: do not wait) for a key or a resize; nil when none came.
    func nextInput(timeoutMilliseconds: Int) -> TerminalInput?
    /// The signal that asked the program to end (SIGINT, SIGTERM, SIGHUP), nil while none came.
    var terminationSignal: Int32? { get }
    /// Leaves the screen: the terminal is back as it was. Later calls do nothing.
    func restore()
}
