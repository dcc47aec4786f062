/// How a dataset is read: everything `--dataset NAME|PATH` can be qualified with.
public struct DatasetOptions: Codable, Sendable, Equatable {
    public enum MissingValuePolicy: String, Codable, Sendable, CaseIterable {
        case interpolate, ffill, drop, error
    }
    public enum Tokenization: String, Codable, Sendable, CaseIterable {
        case character, word
    }

    public var seed: UInt64
    /// Fraction held out for validation (the tail for ordered data, stratified for classification).
    public var validationFraction: Double
    /// CSV classification: which columns hold the text and the label (defaults: `text`, `label`).
    public var textColumn: String?
    public var labelColumn: String?
    /// CSV series: the column to forecast (default: the last numeric column).
    public var targetColumn: String?
    public var missingValues: MissingValuePolicy
    public var tokenization: Tokenization
    /// Keep at most this many distinct tokens (most frequent first); the rest map to the unknown token.
    public var vocabularyCap: Int
    /// Generated tasks: how many training and validation sequences to make.
    public var generatedTrainCount: Int
    public var generatedValidationCount: Int

    public init(
        seed: UInt64 = 1, validationFraction: Double = 0.1, textColumn: String? = nil,
        labelColumn: String? = nil, targetColumn: String? = nil,
        missingValues: MissingValuePolicy = .interpolate, tokenization: Tokenization = .word,
        vocabularyCap: Int = 10_000, generatedTrainCount: Int = 10_000, generatedValidationCount: Int = 1_000
    ) {
        self.seed = seed
        self.validationFraction = validationFraction
        self.textColumn = textColumn
        self.labelColumn = labelColumn
        self.targetColumn = targetColumn
        self.missingValues = missingValues
        self.tokenization = tokenization
        self.vocabularyCap = vocabularyCap
        self.generatedTrainCount = generatedTrainCount
        self.generatedValidationCount = generatedValidationCount
    }
}

/// A problem with a dataset file or name, said in one line: where (file:line, column) and what was expected.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
