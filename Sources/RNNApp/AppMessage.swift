import RNNTraining
import TerminalUI

/// Everything that can change the app's state: keys, the mouse, the window's size, the trainer's events and time.
/// Background threads only post these; `AppState.update(_:)` is the one place state changes.
public enum AppMessage: Sendable {
    case key(Key)
    /// A click or a wheel notch at a cell of the screen the state last rendered (hit-tested against that layout).
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    /// An event from the trainer of run `runID`; events of an older run update only that run's history.
    case trainer(runID: Int, TrainerEvent)
    /// Monotonic time in seconds, posted about once a frame (notices expire by it).
    case tick(seconds: Double)
}

/// What `update` asks the outside world to do; the app itself never starts threads or touches files.
public enum AppEffect: Sendable, Equatable {
    /// Start a trainer for a new run. Events for it come back as `.trainer(runID:, _)`.
    case startRun(runID: Int, setup: TrainingSetup)
    /// Give a running trainer a command (applied between steps).
    case send(runID: Int, TrainerCommand)
    /// Leave the program (the glue stops trainers and restores the terminal).
    case quit
}
