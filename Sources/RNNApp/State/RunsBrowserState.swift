import Foundation
import RNNTraining

/// The runs browser: the run folders under the runs directory (newest first, as `RunIndex` lists them),
/// the row under the cursor, the rows marked to compare and a deletion waiting for its confirmation.
public struct RunsBrowserState: Sendable {
    public internal(set) var entries: [RunEntry] = []
    /// Index into `entries` of the row under the cursor.
    public internal(set) var selection = 0
    /// Folders (paths) marked to overlay on the loss chart.
    public internal(set) var marked: Set<String> = []
    /// When `entries` was read: ages are measured from it, so a frame never reads the clock.
    public internal(set) var listedAt: Date?
    /// The folder `y` would delete, while the confirmation shows.
    public internal(set) var pendingDeletion: String?
    /// The browser opened by itself once, as the first screen (it does not again after a run starts).
    var hasOpenedOnce = false

    public var selected: RunEntry? { entries.indices.contains(selection) ? entries[selection] : nil }

    /// Replaces the listing, keeping the cursor on the same folder when it is still there.
    mutating func replace(_ newEntries: [RunEntry], at date: Date) {
        let selectedPath = selected?.path
        entries = newEntries
        listedAt = date
        selection = selectedPath.flatMap { path in newEntries.firstIndex { $0.path == path } } ?? min(selection, max(0, newEntries.count - 1))
        marked = marked.filter { path in newEntries.contains { $0.path == path } }
    }

    mutating func moveSelection(by offset: Int) {
        guard !entries.isEmpty else { return }
        selection = min(max(0, selection + offset), entries.count - 1)
    }
}

extension RunStatus {
    /// A folder's status as a trainer status, for a past run opened in the notebook.
    /// `step`: where the folder's run stopped (a diverged one was saved with its rolled-back weights).
    func trainerStatus(step: Int) -> TrainerStatus {
        switch self {
        case .running: .running
        case .finished: .finished
        case .stopped: .stopped
        case .diverged: .diverged(DivergenceReport(step: step, cause: .nonFiniteLoss, loss: .nan, rolledBackToStep: step))
        case .failed: .failed("the run failed")
        }
    }
}
