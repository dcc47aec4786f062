/// The values every hyperparameter accepts, in one place: `TrainingSession.check`, live changes
/// (`TrainingSession.apply`), the setup screen, the notebook's live keys and the CLI flags all read them, so
/// every front end refuses (or never offers) the same things and says so in the same words.
public enum SetupLimits {
    // MARK: Model
    public static let hiddenSize = SetupLimit(name: "hidden size", 1...8192)
    public static let layerCount = SetupLimit(name: "layers", 1...4)
    public static let embeddingSize = SetupLimit(name: "embedding size", 0...4096, requirement: "0…4096 (0 = one-hot)")
    public static let dropout = SetupLimit<Float>(
        name: "dropout", from: 0, upTo: 1, includingUpperBound: false, requirement: "from 0 up to (not including) 1")

    // MARK: Optimization
    public static let learningRate = SetupLimit<Float>(
        name: "learning rate", above: 0, requirement: "positive and finite")
    public static let momentum = SetupLimit<Float>(
        name: "momentum", from: 0, upTo: 1, includingUpperBound: false, requirement: "from 0 up to (not including) 1")
    public static let weightDecay = SetupLimit<Float>(name: "weight decay", from: 0, upTo: 1, requirement: "0…1")
    /// The clipping threshold when clipping is on (off is `nil` in a setup, `0` on the command line).
    public static let clipNorm = SetupLimit<Float>(
        name: "gradient clipping", above: 0, requirement: "positive and finite, or 0 (off)")
    public static let batchSize = SetupLimit(name: "batch size", 1...4096)
    public static let sequenceLength = SetupLimit(name: "sequence length", 1...100_000)
    /// Step schedule: multiply the rate by `decayFactor` every `decayInterval` steps.
    public static let decayInterval = SetupLimit(name: "decay interval", 1...1_000_000_000, requirement: "a whole number ≥ 1")
    public static let decayFactor = SetupLimit<Float>(name: "decay factor", above: 0, upTo: 1, requirement: "above 0 and at most 1")
    /// Cosine schedule: the final rate as a fraction of the base rate.
    public static let minimumLearningRateFactor = SetupLimit<Float>(
        name: "minimum learning-rate factor", from: 0, upTo: 1, requirement: "0…1")

    // MARK: Run length and evaluation
    public static let steps = SetupLimit(name: "steps", 1...1_000_000_000_000, requirement: "a whole number ≥ 1")
    public static let epochs = SetupLimit(name: "epochs", 1...1_000_000)
    public static let evaluationInterval = SetupLimit(
        name: "evaluation interval", 1...1_000_000_000_000, requirement: "a whole number ≥ 1")
    public static let validationLimit = SetupLimit(name: "validation limit", 1...100_000_000, requirement: "a whole number ≥ 1")
    public static let patience = SetupLimit(name: "patience", 1...1_000_000)

    // MARK: Data
    /// The share of the data held out for validation; datasets never hold out more than 90 %.
    public static let validationFraction = SetupLimit<Double>(
        name: "validation fraction", above: 0, upTo: 0.9, requirement: "above 0 and at most 0.9")
    public static let vocabularyCap = SetupLimit(name: "vocabulary cap", 2...1_000_000)
    /// CSV series: steps ahead a forecast covers.
    public static let horizon = SetupLimit(name: "horizon", 1...10_000, requirement: "1…10000 (steps ahead to forecast)")
    /// CSV series: the robust z above which a value counts as an outlier.
    public static let outlierZ = SetupLimit<Double>(
        name: "outlier z", above: 0, requirement: "a positive number of robust standard deviations")

    // MARK: Machine
    public static let threadCount = SetupLimit(name: "threads", 1...64)
}

/// The accepted values of one hyperparameter: a lower and an upper bound, each included or not, and the
/// words messages use. NaN is never accepted, nor (for floating-point values) an infinity: every float
/// limit has a finite upper bound.
public struct SetupLimit<Value: Comparable & Sendable>: Sendable {
    /// The name in messages: "learning rate".
    public let name: String
    public let lowerBound: Value
    public let includesLowerBound: Bool
    public let upperBound: Value
    public let includesUpperBound: Bool
    /// What an accepted value is, in words: "1…4", "positive and finite", "from 0 up to (not including) 1".
    public let requirement: String

    public init(
        name: String, lowerBound: Value, includesLowerBound: Bool, upperBound: Value, includesUpperBound: Bool,
        requirement: String
    ) {
        self.name = name
        self.lowerBound = lowerBound
        self.includesLowerBound = includesLowerBound
        self.upperBound = upperBound
        self.includesUpperBound = includesUpperBound
        self.requirement = requirement
    }

    public func contains(_ value: Value) -> Bool {
        guard value == value else { return false }  // NaN
        let aboveLower = includesLowerBound ? value >= lowerBound : value > lowerBound
        let belowUpper = includesUpperBound ? value <= upperBound : value < upperBound
        return aboveLower && belowUpper
    }

    /// "learning rate must be positive and finite, got -1"; `label` replaces the name (a flag: "--lr").
    /// nil when `value` is accepted.
    public func problem(with value: Value, label: String? = nil) -> String? {
        guard !contains(value) else { return nil }
        return "\(label ?? name) must be \(requirement), got \(Self.describe(value))"
    }

    /// Throws `TrainingError(problem)` when `value` is not accepted.
    public func check(_ value: Value, label: String? = nil) throws {
        if let problem = problem(with: value, label: label) { throw TrainingError(problem) }
    }

    /// `value` moved to the nearest included bound when outside; a value beyond an excluded bound (or NaN)
    /// gives `fallback`, which should be accepted.
    public func clamped(_ value: Value, otherwise fallback: Value) -> Value {
        if contains(value) { return value }
        guard value == value else { return fallback }
        if value <= lowerBound { return includesLowerBound ? lowerBound : fallback }
        return includesUpperBound ? upperBound : fallback
    }

    /// A value as typed: "-1" rather than "-1.0".
    static func describe(_ value: Value) -> String {
        let text = "\(value)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

extension SetupLimit where Value == Int {
    /// A whole-number limit with both bounds included; the requirement defaults to "1…4".
    public init(name: String, _ range: ClosedRange<Int>, requirement: String? = nil) {
        self.init(
            name: name, lowerBound: range.lowerBound, includesLowerBound: true, upperBound: range.upperBound,
            includesUpperBound: true, requirement: requirement ?? "\(range.lowerBound)…\(range.upperBound)")
    }

    /// The accepted values as a range.
    public var range: ClosedRange<Int> { lowerBound...upperBound }
}

extension SetupLimit where Value: BinaryFloatingPoint {
    /// [lower, upper] or [lower, upper).
    init(name: String, from lower: Value, upTo upper: Value, includingUpperBound: Bool = true, requirement: String) {
        self.init(
            name: name, lowerBound: lower, includesLowerBound: true, upperBound: upper,
            includesUpperBound: includingUpperBound, requirement: requirement)
    }

    /// (lower, upper]; the upper bound defaults to the largest finite value, so infinity is refused.
    init(name: String, above lower: Value, upTo upper: Value = .greatestFiniteMagnitude, requirement: String) {
        self.init(
            name: name, lowerBound: lower, includesLowerBound: false, upperBound: upper, includesUpperBound: true,
            requirement: requirement)
    }
}
