/// Posted after every training step.
public struct StepMetrics: Sendable, Equatable {
    /// 1-based count of completed optimizer steps.
    public var step: Int
    /// 0-based epoch and the fraction of it done.
    public var epoch: Int
    public var epochProgress: Double
    public var trainLoss: Double
    public var learningRate: Float
    /// Global gradient norm before clipping.
    public var gradientNorm: Double
    public var tokensPerSecond: Double
    public var elapsedSeconds: Double
    public var totalSteps: Int?

    public init(
        step: Int, epoch: Int, epochProgress: Double, trainLoss: Double, learningRate: Float,
        gradientNorm: Double, tokensPerSecond: Double, elapsedSeconds: Double, totalSteps: Int?
    ) {
        self.step = step
        self.epoch = epoch
        self.epochProgress = epochProgress
        self.trainLoss = trainLoss
        self.learningRate = learningRate
        self.gradientNorm = gradientNorm
        self.tokensPerSecond = tokensPerSecond
        self.elapsedSeconds = elapsedSeconds
        self.totalSteps = totalSteps
    }
}
