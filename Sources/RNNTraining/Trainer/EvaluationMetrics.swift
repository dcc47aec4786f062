/// Posted after each evaluation on the validation split.
public struct EvaluationMetrics: Sendable, Equatable {
    public var step: Int
    public var validationLoss: Double
    /// Classification (and language models): fraction of correct argmax predictions.
    public var validationAccuracy: Double?
    /// Language models: validation loss in bits per token (loss / ln 2).
    public var bitsPerToken: Double?
    /// Multi-label: per-label and micro/macro F1, Hamming loss, subset accuracy on the validation rows
    /// (`validationAccuracy` is then the subset accuracy).
    public var labelMetrics: MultiLabelMetrics?

    public init(
        step: Int, validationLoss: Double, validationAccuracy: Double?, bitsPerToken: Double?,
        labelMetrics: MultiLabelMetrics? = nil
    ) {
        self.step = step
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.bitsPerToken = bitsPerToken
        self.labelMetrics = labelMetrics
    }
}
