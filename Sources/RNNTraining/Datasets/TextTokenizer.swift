/// Turns a text cell into tokens: words (lowercased, split on anything but letters, digits and
/// apostrophes, apostrophes at a word's edges removed) or characters (as written).
enum TextTokenizer {
    static func tokens(_ text: String, level: DatasetOptions.Tokenization) -> [String] {
        switch level {
        case .character:
            return text.map { String($0) }
        case .word:
            var words: [String] = []
            var current = String.UnicodeScalarView()
            func finish() {
                var word = Substring(String(current))
                while word.first == "'" || word.first == "’" { word.removeFirst() }
                while word.last == "'" || word.last == "’" { word.removeLast() }
                if !word.isEmpty { words.append(String(word)) }
                current.removeAll(keepingCapacity: true)
            }
            for scalar in text.unicodeScalars {
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "'" || scalar == "’" {
                    if scalar.isASCII {
                        current.append(scalar.properties.isUppercase ? Unicode.Scalar(scalar.value + 32)! : scalar)
                    } else {
                        current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                    }
                } else {
                    finish()
                }
            }
            finish()
            return words
        }
    }
}
