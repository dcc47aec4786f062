import Foundation
import RNNEngine
import RNNTraining

/// A checkpoint opened for inference: validated (`ValidatedCheckpoint`, metadata against tensors) and built.
struct LoadedCheckpoint {
    let validated: ValidatedCheckpoint
    let model: RecurrentModel
    var vocabulary: Vocabulary? { validated.vocabulary }

    init(path: String, threadCount: Int = 1) throws {
        validated = try Self.validated(path: path)
        do { model = try validated.makeModel(threadCount: threadCount) } catch { throw CLIError("\(path): \(error)") }
    }

    /// The one way a command reads a checkpoint: every problem becomes a one-line `CLIError`.
    static func validated(path: String) throws -> ValidatedCheckpoint {
        do { return try ValidatedCheckpoint.load(path: path) } catch { throw CLIError("\(error)") }
    }

    /// Token ids of `text` by the checkpoint's vocabulary (characters, or words for a word-level text
    /// classifier); unseen characters or words map to the unknown token.
    func encode(_ text: String) throws -> [Int32] {
        do { return try validated.tokenIDs(of: text) } catch { throw CLIError("\(error)") }
    }

    /// Parses "3,1,4" into ids; `flag` names the option in errors.
    static func parseIntegers(_ text: String, flag: String) throws -> [Int32] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return try parts.enumerated().map { position, part in
            guard let value = Int32(part) else {
                throw CLIError("\(flag): \"\(part)\" (item \(position + 1)) is not an integer; expected a list like 3,1,4")
            }
            return value
        }
    }

    static func parseFloats(_ text: String, flag: String) throws -> [Float] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return try parts.enumerated().map { position, part in
            guard let value = Float(part), value.isFinite else {
                throw CLIError("\(flag): \"\(part)\" (item \(position + 1)) is not a number; expected a list like 0.5,1.25")
            }
            return value
        }
    }
}
