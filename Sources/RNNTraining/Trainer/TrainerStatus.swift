/// Where a run is.
public enum TrainerStatus: Sendable, Equatable {
    case preparing
    case running
    case paused
    /// The loss became NaN or infinite; training stopped, weights are those of the last finite step.
    case diverged
    case finished
    case stopped
    case failed(String)
}
