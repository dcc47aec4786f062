/// Why the terminal could not be opened; `description` is one line for the command line to print.
public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
