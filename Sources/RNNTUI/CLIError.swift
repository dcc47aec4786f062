import ArgumentParser
import Foundation

/// A one-line error for the user; printed as `rnn-tui: error: …` with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension CLIError: LocalizedError {
    var errorDescription: String? { description }
}
