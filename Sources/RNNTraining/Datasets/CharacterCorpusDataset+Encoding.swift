import Foundation

extension CharacterCorpusDataset {
    struct Encoded {
        var corpus: TokenStore
        var trainLength: Int
        var vocabulary: Vocabulary
        var unigramEntropy: Double
        var notes: [String]
    }

    static let unknownSymbol = "\u{FFFD}"

    /// Validates, counts, builds the training vocabulary and encodes `bytes` in three linear passes.
    static func encode(bytes: UnsafeRawBufferPointer, path: String, options: DatasetOptions) throws -> Encoded {
        let start = UTF8Scanner.byteOrderMarkLength(bytes)

        // Pass 1: validate and count characters.
        var characterCount = 0
        var offset = start
        while offset < bytes.count {
            guard UTF8Scanner.decode(bytes, at: &offset) != nil else {
                throw UTF8Scanner.notUTF8Error(path: path, bytes: bytes, offset: offset)
            }
            characterCount += 1
        }
        guard characterCount > 0 else { throw DatasetError("\(path): empty file; expected UTF-8 text to model") }
        let fraction = min(max(options.validationFraction, 0), 0.9)
        let validationLength = Int(Double(characterCount) * fraction)
        let trainLength = characterCount - validationLength
        guard trainLength >= 2 else {
            throw DatasetError("\(path): \(characterCount) characters is too short; expected at least 2 training characters")
        }

        // Pass 2: character frequencies of the training split.
        var basicCounts = [Int](repeating: 0, count: 0x1_0000)
        var otherCounts: [UInt32: Int] = [:]
        offset = start
        for _ in 0..<trainLength {
            let scalar = UTF8Scanner.decode(bytes, at: &offset)!
            if scalar < 0x1_0000 { basicCounts[Int(scalar)] += 1 } else { otherCounts[scalar, default: 0] += 1 }
        }
        var frequencies: [(scalar: UInt32, count: Int)] = basicCounts.enumerated().compactMap {
            $0.element > 0 ? (UInt32($0.offset), $0.element) : nil
        }
        frequencies += otherCounts.map { ($0.key, $0.value) }
        let distinct = frequencies.count
        let cap = min(max(options.vocabularyCap, 1), 65_535)
        var notes: [String] = []
        if distinct > cap {
            frequencies.sort { $0.count != $1.count ? $0.count > $1.count : $0.scalar < $1.scalar }
            let dropped = frequencies[cap...].reduce(0) { $0 + $1.count }
            frequencies.removeLast(distinct - cap)
            notes.append("vocabulary capped at \(cap) of \(distinct) characters; \(dropped) rarer ones map to unknown")
        }
        frequencies.sort { $0.scalar < $1.scalar }
        let unknownIndex = frequencies.count
        var tokens = frequencies.map { String(Character(Unicode.Scalar($0.scalar)!)) }
        tokens.append(unknownSymbol)
        let vocabulary = Vocabulary(level: .character, tokens: tokens, unknownIndex: unknownIndex)

        // Unigram entropy in nats (capped-away characters pooled as the unknown symbol).
        let keptTotal = frequencies.reduce(0) { $0 + $1.count }
        var entropy = 0.0
        for count in frequencies.map(\.count) + [trainLength - keptTotal] where count > 0 {
            let probability = Double(count) / Double(trainLength)
            entropy -= probability * log(probability)
        }

        // Pass 3: encode every character.
        var basicIds = [Int32](repeating: Int32(unknownIndex), count: 0x1_0000)
        var otherIds: [UInt32: Int32] = [:]
        for (id, entry) in frequencies.enumerated() {
            if entry.scalar < 0x1_0000 { basicIds[Int(entry.scalar)] = Int32(id) } else { otherIds[entry.scalar] = Int32(id) }
        }
        var unseenInValidation = 0
        func fill<Element: FixedWidthInteger>(_ ids: inout [Element]) {
            ids.withUnsafeMutableBufferPointer { output in
                var offset = start
                for position in 0..<characterCount {
                    let scalar = UTF8Scanner.decode(bytes, at: &offset)!
                    let id = scalar < 0x1_0000 ? basicIds[Int(scalar)] : otherIds[scalar] ?? Int32(unknownIndex)
                    if id == Int32(unknownIndex), position >= trainLength { unseenInValidation += 1 }
                    output[position] = Element(truncatingIfNeeded: id)
                }
            }
        }
        let corpus: TokenStore
        if tokens.count <= 256 {
            var ids = [UInt8](repeating: 0, count: characterCount)
            fill(&ids)
            corpus = .narrow(ids)
        } else {
            var ids = [UInt16](repeating: 0, count: characterCount)
            fill(&ids)
            corpus = .wide(ids)
        }
        if unseenInValidation > 0 {
            notes.append("\(unseenInValidation) validation characters unseen in training map to unknown")
        }
        return Encoded(
            corpus: corpus, trainLength: trainLength, vocabulary: vocabulary, unigramEntropy: entropy, notes: notes)
    }
}
