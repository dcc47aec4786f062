import RNNEngine

/// One answer to an `InsightRequest` (`TrainerEvent.insight`): the parts computed this time, the others
/// nil (the UI keeps the newest of each part).
public struct InsightSnapshot: Sendable, Equatable {
    /// The prediction at the gate view's cursor, with how the decision formed (classifiers).
    public struct CursorPrediction: Sendable, Equatable {
        public var probeIndex: Int
        public var time: Int
        public var prediction: TimestepPrediction
        /// Classifiers: p(class) after reading up to each timestep, (T, C); sigmoids for multi-label.
        public var trajectory: [[Double]]?
    }

    /// A sample from the current weights, char-rnn style.
    public struct Sample: Sendable, Equatable {
        public var prime: String
        public var temperature: Double
        public var text: String
        /// The sample could not start (a prime character the vocabulary lacks), in words.
        public var problem: String?
    }

    /// A typed sentence's class probabilities (or why it could not be read).
    public struct Sentence: Sendable, Equatable {
        public var text: String
        public var classes: [TimestepPrediction.Candidate]
        public var problem: String?
    }

    /// The validation sample scored without and with the intervention in force.
    public struct Surgery: Sendable, Equatable {
        public var intervention: Intervention
        public var without: InterventionEvaluation.Score
        public var with: InterventionEvaluation.Score
    }

    /// The step the weights were at.
    public var step: Int
    public var cursor: CursorPrediction?
    public var sample: Sample?
    public var sentence: Sentence?
    public var classification: ClassificationReport?
    public var forecast: ForecastReport?
    /// Forecasts with a horizon K > 1: the K-step fans against the truth.
    public var forecastFan: ForecastFan?
    public var surgery: Surgery?
    /// Set when the surgery was released: the UI forgets its comparison.
    public var surgeryReleased = false
    public var importance: [UnitImportance]?

    public init(step: Int) { self.step = step }

    public var isEmpty: Bool {
        cursor == nil && sample == nil && sentence == nil && classification == nil && forecast == nil && forecastFan == nil
            && surgery == nil && !surgeryReleased && importance == nil
    }
}
