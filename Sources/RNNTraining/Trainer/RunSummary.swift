import RNNEngine

/// What a run is, sent once when it starts.
public struct RunSummary: Sendable {
    public var setup: TrainingSetup
    public var dataset: DatasetInfo
    public var model: ModelConfig
    public var parameterCount: Int
    /// Steps the run will take in all, when bounded.
    public var totalSteps: Int?
    public var stepsPerEpoch: Int
    public var runDirectory: String?

    public init(
        setup: TrainingSetup, dataset: DatasetInfo, model: ModelConfig, parameterCount: Int,
        totalSteps: Int?, stepsPerEpoch: Int, runDirectory: String?
    ) {
        self.setup = setup
        self.dataset = dataset
        self.model = model
        self.parameterCount = parameterCount
        self.totalSteps = totalSteps
        self.stepsPerEpoch = stepsPerEpoch
        self.runDirectory = runDirectory
    }
}
