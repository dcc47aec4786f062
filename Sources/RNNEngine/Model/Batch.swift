/// One minibatch, time-major. T = `timeSteps`, B = `batchSize`.
///
/// Exactly one of `tokens` / `features` is set, matching the model's `InputEncoding`; exactly one of
/// `targetTokens` / `targetValues` when the batch is used for a loss (matching the head), or neither
/// for a forward pass only.
public struct Batch: Sendable, Equatable {
    public var timeSteps: Int
    public var batchSize: Int
    /// tokens: (T, B) token ids.
    public var tokens: [Int32]?
    /// features: (T, B, D) numeric inputs.
    public var features: [Float]?
    /// targetTokens: (T, B) for `.tokenEveryStep`, (B) for `.classifyLast`.
    public var targetTokens: [Int32]?
    /// targetValues: (T, B, O) for `.regressEveryStep`, (B, O) for `.regressLast` and for
    /// `.multiLabelLast` (1 where a label is present, 0 where absent).
    public var targetValues: [Float]?
    /// mask: (T, B), 1 where a timestep is real and 0 where it is padding. Sequences are right-padded,
    /// so each column is ones then zeros; nil means every step is real.
    public var mask: [Float]?

    public init(
        timeSteps: Int, batchSize: Int,
        tokens: [Int32]? = nil, features: [Float]? = nil,
        targetTokens: [Int32]? = nil, targetValues: [Float]? = nil,
        mask: [Float]? = nil
    ) {
        self.timeSteps = timeSteps
        self.batchSize = batchSize
        self.tokens = tokens
        self.features = features
        self.targetTokens = targetTokens
        self.targetValues = targetValues
        self.mask = mask
    }

    /// lengths: (B) the number of real timesteps of each sequence (T when there is no mask).
    public var lengths: [Int] { (0..<batchSize).map(length(ofColumn:)) }

    /// The number of real timesteps of sequence `column` (T when there is no mask).
    public func length(ofColumn column: Int) -> Int {
        guard let mask else { return timeSteps }
        var length = 0
        for time in 0..<timeSteps where mask[time * batchSize + column] > 0 { length = time + 1 }
        return length
    }
}
