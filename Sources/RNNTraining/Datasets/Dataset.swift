import RNNEngine

/// The kind of learning problem a dataset poses; it fixes the head and the metric.
public enum TaskKind: String, Codable, Sendable {
    /// Next-token prediction at every step; metric: bits per character (or per token).
    case languageModel
    /// One label per sequence; metric: accuracy.
    case classification
    /// Numbers out (last step or every step); metric: MSE next to the baseline.
    case regression
    /// Any number of labels per sequence; metrics: per-label and micro/macro F1, Hamming loss, subset accuracy.
    case multiLabel
}

/// What enters the network, per timestep.
public enum DatasetInput: Codable, Sendable, Equatable {
    /// Token ids in `0..<vocabularySize`.
    case tokens(vocabularySize: Int)
    /// `featureCount` numbers.
    case features(featureCount: Int)
}

/// Token strings for display (gate view's time axis, `sample`) and for turning text into ids.
public struct Vocabulary: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable { case character, word }
    public var level: Level
    /// tokens[id] is the text of token id; `unknownIndex` stands for anything unseen in training.
    public var tokens: [String]
    public var unknownIndex: Int?
    /// Index of the padding token, if the dataset pads.
    public var paddingIndex: Int?

    public init(level: Level, tokens: [String], unknownIndex: Int?, paddingIndex: Int? = nil) {
        self.level = level
        self.tokens = tokens
        self.unknownIndex = unknownIndex
        self.paddingIndex = paddingIndex
    }
}

/// Per-feature statistics from the training split, stored in checkpoints so inference normalises alike.
public struct FeatureNormalization: Codable, Sendable, Equatable {
    public var columns: [String]
    public var means: [Double]
    public var standardDeviations: [Double]
    /// The column a forecasting model predicts (one of `columns`), normalised with its own statistics.
    public var targetColumn: String?

    public init(columns: [String], means: [Double], standardDeviations: [Double], targetColumn: String? = nil) {
        self.columns = columns
        self.means = means
        self.standardDeviations = standardDeviations
        self.targetColumn = targetColumn
    }

    /// A value of `column` in the units the model sees: (value − mean) / standard deviation.
    public func normalize(_ value: Double, column: Int) -> Double {
        (value - means[column]) / standardDeviations[column]
    }

    /// A normalised value of `column` back in its own units: value × standard deviation + mean.
    public func denormalize(_ value: Double, column: Int) -> Double {
        value * standardDeviations[column] + means[column]
    }
}

/// What a loaded dataset is: everything the trainer, the CLI and the TUI need to know about it.
public struct DatasetInfo: Sendable {
    /// The name a person typed (`adding`, `samples/sentiment.csv`, a path).
    public var name: String
    public var task: TaskKind
    public var input: DatasetInput
    /// The head this data wants and its width (classes, vocabulary size or regression outputs).
    public var head: HeadKind
    public var outputSize: Int
    public var vocabulary: Vocabulary?
    /// For `.classification` the class names (index = label id); for `.multiLabel` the label names
    /// (index = head output).
    public var classNames: [String]?
    /// For `.multiLabel`: the scores of the baseline (each label's training frequency) on the validation rows.
    public var baselineLabelMetrics: MultiLabelMetrics?
    public var normalization: FeatureNormalization?
    /// The loss a no-learning predictor gets, in the head's loss units (nats or MSE), and what it is.
    public var baselineLoss: Double
    public var baselineDescription: String
    /// `true` when consecutive training batches continue each other's sequences, so the trainer
    /// carries the recurrent state between them (truncated BPTT).
    public var statefulBatches: Bool
    /// Sizes of the splits in sequences (or tokens for a language model).
    public var trainCount: Int
    public var validationCount: Int
    /// Things a person should know, for example "interpolated 12 missing values in column temp".
    public var notes: [String]

    public init(
        name: String, task: TaskKind, input: DatasetInput, head: HeadKind, outputSize: Int,
        vocabulary: Vocabulary? = nil, classNames: [String]? = nil, normalization: FeatureNormalization? = nil,
        baselineLoss: Double, baselineDescription: String, statefulBatches: Bool,
        trainCount: Int, validationCount: Int, notes: [String] = []
    ) {
        self.name = name
        self.task = task
        self.input = input
        self.head = head
        self.outputSize = outputSize
        self.vocabulary = vocabulary
        self.classNames = classNames
        self.normalization = normalization
        self.baselineLoss = baselineLoss
        self.baselineDescription = baselineDescription
        self.statefulBatches = statefulBatches
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.notes = notes
    }
}

/// A dataset split into training and validation data and cut into batches.
///
/// `sequenceLength` is the BPTT window (language models, series windows), the generated tasks' length,
/// or the maximum length of a text sequence (longer ones are truncated, shorter ones padded with a mask).
/// Batches are deterministic given the dataset's seed, the epoch and the index.
public protocol Dataset: Sendable {
    var info: DatasetInfo { get }

    /// How many training batches one epoch has for this shape (at least 1).
    func trainBatchCount(batchSize: Int, sequenceLength: Int) -> Int

    /// The `index`th training batch of `epoch`. Order within an epoch is shuffled by (seed, epoch) where
    /// order carries no meaning; a stateful dataset keeps stream order so state can be carried.
    func trainBatch(index: Int, epoch: Int, batchSize: Int, sequenceLength: Int) -> Batch

    /// The whole validation split (or a fixed, seed-determined sample of at most `limit` sequences),
    /// cut into batches of at most `batchSize`.
    func validationBatches(batchSize: Int, sequenceLength: Int, limit: Int) -> [Batch]

    /// How many distinct probe sequences `probe(index:sequenceLength:)` offers (at least 1).
    var probeCount: Int { get }

    /// One validation sequence as a batch of one, with a short label per timestep (the character, word,
    /// or value shown along the gate view's time axis). `index` wraps around `probeCount`.
    func probe(index: Int, sequenceLength: Int) -> (batch: Batch, labels: [String])
}
