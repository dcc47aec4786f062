import Foundation
import RNNEngine
import RNNTraining

/// A checkpoint opened for inference, with the vocabulary it was trained with (when it has one).
struct LoadedCheckpoint {
    let checkpoint: Checkpoint
    let model: RecurrentModel
    let vocabulary: Vocabulary?

    init(path: String, threadCount: Int = 1) throws {
        do {
            checkpoint = try Checkpoint.load(from: URL(fileURLWithPath: path))
            model = try checkpoint.makeModel(threadCount: threadCount)
        } catch {
            throw CLIError("\(error)")
        }
        vocabulary = CheckpointMetadata.vocabulary(in: checkpoint.metadata)
    }

    /// Token ids of `text` by the checkpoint's vocabulary, tokenised as in training (characters, or
    /// words for a word-level model); unseen tokens map to the unknown token.
    func encode(_ text: String) throws -> [Int32] {
        guard let vocabulary else {
            throw CLIError("the checkpoint has no vocabulary; give token ids with --tokens")
        }
        do { return try vocabulary.encode(text) } catch { throw CLIError("\(error)") }
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
