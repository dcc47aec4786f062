import RNNTraining

/// Bounds of the setup screen's run-length and schedule fields. When `SetupLimits` in RNNTraining
/// covers every hyperparameter, these move there (a duplicate name there fails to compile, on purpose).
extension SetupLimits {
    /// 0 means "until stopped".
    public static let steps = 0...1_000_000_000
    public static let epochs = 0...1_000_000
    public static let evaluationInterval = 1...1_000_000_000
    /// 0 means "no early stopping".
    public static let patience = 0...1_000_000
    public static let decayInterval = 1...1_000_000_000
    /// 0 means "the run's length".
    public static let cosineSteps = 0...1_000_000_000
}
