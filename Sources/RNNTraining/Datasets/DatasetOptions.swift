/// How a dataset is read: everything `--dataset NAME|PATH` can be qualified with.
public struct DatasetOptions: Codable, Sendable, Equatable {
    public enum MissingValuePolicy: String, Codable, Sendable, CaseIterable {
        case interpolate, ffill, drop, error
    }
    public enum Tokenization: String, Codable, Sendable, CaseIterable {
        case character, word
    }
    /// What to do with a series value more than `outlierZ` robust standard deviations from its rolling
    /// median: leave it (`keep`, the default, does not look), clamp it to the threshold (`clip`), treat it
    /// as missing and interpolate it (`interpolate`), or stop with file:line (`error`).
    public enum OutlierPolicy: String, Codable, Sendable, CaseIterable {
        case keep, clip, interpolate, error
    }

    public var seed: UInt64
    /// Fraction held out for validation (the tail for ordered data, stratified for classification).
    public var validationFraction: Double
    /// CSV classification: which columns hold the text and the label (defaults: `text`, `label`).
    public var textColumn: String?
    public var labelColumn: String?
    /// CSV multi-label classification: several 0/1 columns, one per label (instead of `|`-separated labels
    /// in the label column).
    public var labelColumns: [String]?
    /// CSV series: the column to forecast (default: the last numeric column).
    public var targetColumn: String?
    public var missingValues: MissingValuePolicy
    public var outliers: OutlierPolicy
    /// The robust z (|x − rolling median| / (1.4826 · rolling MAD)) above which a series value is an outlier.
    public var outlierZ: Double
    /// CSV series: how many next values of the target one window predicts (a head of `horizon` outputs).
    public var horizon: Int
    public var tokenization: Tokenization
    /// Keep at most this many distinct tokens (most frequent first); the rest map to the unknown token.
    public var vocabularyCap: Int
    /// Generated tasks: how many training and validation sequences to make.
    public var generatedTrainCount: Int
    public var generatedValidationCount: Int

    public init(
        seed: UInt64 = 1, validationFraction: Double = 0.1, textColumn: String? = nil,
        labelColumn: String? = nil, labelColumns: [String]? = nil, targetColumn: String? = nil,
        missingValues: MissingValuePolicy = .interpolate, outliers: OutlierPolicy = .keep, outlierZ: Double = 6,
        horizon: Int = 1, tokenization: Tokenization = .word,
        vocabularyCap: Int = 10_000, generatedTrainCount: Int = 10_000, generatedValidationCount: Int = 1_000
    ) {
        self.seed = seed
        self.validationFraction = validationFraction
        self.textColumn = textColumn
        self.labelColumn = labelColumn
        self.labelColumns = labelColumns
        self.targetColumn = targetColumn
        self.missingValues = missingValues
        self.outliers = outliers
        self.outlierZ = outlierZ
        self.horizon = horizon
        self.tokenization = tokenization
        self.vocabularyCap = vocabularyCap
        self.generatedTrainCount = generatedTrainCount
        self.generatedValidationCount = generatedValidationCount
    }

    private enum CodingKeys: String, CodingKey {
        case seed, validationFraction, textColumn, labelColumn, labelColumns, targetColumn, missingValues
        case outliers, outlierZ, horizon, tokenization, vocabularyCap, generatedTrainCount, generatedValidationCount
    }

    /// Reads setups saved before the outlier, horizon and label-columns options existed (their defaults).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DatasetOptions()
        seed = try container.decode(UInt64.self, forKey: .seed)
        validationFraction = try container.decode(Double.self, forKey: .validationFraction)
        textColumn = try container.decodeIfPresent(String.self, forKey: .textColumn)
        labelColumn = try container.decodeIfPresent(String.self, forKey: .labelColumn)
        labelColumns = try container.decodeIfPresent([String].self, forKey: .labelColumns)
        targetColumn = try container.decodeIfPresent(String.self, forKey: .targetColumn)
        missingValues = try container.decode(MissingValuePolicy.self, forKey: .missingValues)
        outliers = try container.decodeIfPresent(OutlierPolicy.self, forKey: .outliers) ?? defaults.outliers
        outlierZ = try container.decodeIfPresent(Double.self, forKey: .outlierZ) ?? defaults.outlierZ
        horizon = try container.decodeIfPresent(Int.self, forKey: .horizon) ?? defaults.horizon
        tokenization = try container.decode(Tokenization.self, forKey: .tokenization)
        vocabularyCap = try container.decode(Int.self, forKey: .vocabularyCap)
        generatedTrainCount = try container.decode(Int.self, forKey: .generatedTrainCount)
        generatedValidationCount = try container.decode(Int.self, forKey: .generatedValidationCount)
    }
}

/// A problem with a dataset file or name, said in one line: where (file:line, column) and what was expected.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
