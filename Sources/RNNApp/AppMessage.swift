import Foundation
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
    /// The run folders under the runs directory (`RunIndex.list()`), read at `date`.
    case runsListed([RunEntry], at: Date)
    /// The stored curves of a past run opened as `runID` (read from its metrics.csv off the UI thread).
    case runHistory(runID: Int, MetricsHistory)
    /// A line for the notice row from the glue (a failed label or deletion).
    case notice(String, isError: Bool)
}

/// What `update` asks the outside world to do; the app itself never starts threads or touches files.
public enum AppEffect: Sendable, Equatable {
    /// Start a trainer for a new run. Events for it come back as `.trainer(runID:, _)`.
    case startRun(runID: Int, setup: TrainingSetup)
    /// Give a running trainer a command (applied between steps).
    case send(runID: Int, TrainerCommand)
    /// Start a trainer for a new run in the folder `folderName` under the runs directory (a compared run).
    case startNamedRun(runID: Int, setup: TrainingSetup, folderName: String)
    /// Read the run folders again; the listing comes back as `.runsListed`.
    case listRuns
    /// Load a past run's curves (`.runHistory`) and, from its checkpoint, its gates on a validation probe
    /// (`.trainer(runID:, .started/.gates)`), off the UI thread. Later `.send(runID:, .requestGates)` probe it.
    case openRun(runID: Int, path: String)
    /// Continue the run saved in `path` with a trainer (`TrainerThread(resuming:)`), posting as `runID`.
    case resumeRun(runID: Int, path: String)
    /// Write (or, when empty, remove) a run's label, then list again.
    case labelRun(path: String, label: String)
    /// Delete a run folder (confirmed by the person), then list again.
    case deleteRun(path: String)
    /// Leave the program (the glue stops trainers and restores the terminal).
    case quit
}
