import TerminalUI

/// The real terminal is the frame loop's `Screen`.
extension Terminal: Screen {
    public var terminationSignal: Int32? { Terminal.terminationSignal }
}
