/// Where a run is.
public enum TrainerStatus: Sendable, Equatable {
    case preparing
    case running
    case paused
    /// The run diverged and was rolled back to its last good state; it waits (paused) for a lower
    /// learning rate and `.resume`.
    case diverged(DivergenceReport)
    case finished
    case stopped
    case failed(String)
}
