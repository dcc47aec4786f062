/// What the notebook's open view needs from the trainer, computed between steps while it stays open
/// (`TrainerCommand.requestInsight`). Each part is recomputed when it changes and then refreshed at
/// most every few seconds (`InsightScheduler`); nil parts cost nothing.
public struct InsightRequest: Sendable, Equatable {
    /// The gate view's cursor: the probe's prediction at `time`.
    public struct Cursor: Sendable, Equatable {
        public var probeIndex: Int
        public var time: Int

        public init(probeIndex: Int, time: Int) {
            self.probeIndex = probeIndex
            self.time = time
        }
    }

    /// The task output view: a live sample (language models), the confusion matrix and worst examples
    /// (classifiers), the forecast over the validation range (forecasting), and a typed text's prediction.
    public struct TaskOutput: Sendable, Equatable {
        /// Language models: the text the sample starts from (empty: a newline).
        public var prime: String
        public var temperature: Double
        /// Tokens per sample.
        public var sampleLength: Int
        /// A typed sentence to classify (classifiers), nil for none.
        public var sentence: String?

        public init(prime: String = "", temperature: Double = 0.8, sampleLength: Int = 240, sentence: String? = nil) {
            self.prime = prime
            self.temperature = temperature
            self.sampleLength = sampleLength
            self.sentence = sentence
        }
    }

    public var cursor: Cursor?
    public var taskOutput: TaskOutput?
    /// The validation loss and metric with the intervention in force next to the unmodified ones.
    public var surgery: Bool

    public init(cursor: Cursor? = nil, taskOutput: TaskOutput? = nil, surgery: Bool = false) {
        self.cursor = cursor
        self.taskOutput = taskOutput
        self.surgery = surgery
    }

    public var isEmpty: Bool { cursor == nil && taskOutput == nil && !surgery }
}
