import RNNEngine

extension Vocabulary {
    /// Token ids of `text` the way training tokenised it: characters as written, or words (lowercased,
    /// split on anything but letters, digits and apostrophes). Tokens unseen in training map to the
    /// unknown token; without one, the first unseen token is an error naming it.
    public func encode(_ text: String) throws -> [Int32] {
        var index: [String: Int32] = [:]
        for (id, token) in tokens.enumerated() where index[token] == nil { index[token] = Int32(id) }
        let pieces = TextTokenizer.tokens(text, level: level == .word ? .word : .character)
        return try pieces.map { piece in
            if let id = index[piece] { return id }
            guard let unknownIndex, unknownIndex >= 0, unknownIndex < tokens.count else {
                throw TrainingError("\(level == .word ? "word" : "character") \"\(piece)\" is not in the checkpoint's vocabulary (and it has no unknown token)")
            }
            return Int32(unknownIndex)
        }
    }
}
