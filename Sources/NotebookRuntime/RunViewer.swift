import Dispatch
import Foundation
import RNNApp
import RNNTraining

/// A past run opened in the notebook, off the UI thread: reads its curves from metrics.csv, then loads
/// its dataset and checkpoint (`TrainingSession.resume`, which trains nothing) on a serial queue of its
/// own and answers gate requests with probes of that session. Everything comes back through `post`.
final class RunViewer: @unchecked Sendable {
    private let queue = DispatchQueue(label: "rnn-tui run viewer")
    private let folder: String
    private let post: @Sendable (AppMessage) -> Void
    /// Touched only on `queue`.
    private var session: TrainingSession?

    init(runID: Int, folder: String, post: @escaping @Sendable (AppMessage) -> Void) {
        self.folder = folder
        self.post = post
        queue.async { [self] in load(runID: runID) }
    }

    private func load(runID: Int) {
        let url = URL(fileURLWithPath: folder, isDirectory: true)
        do {
            post(.runHistory(runID: runID, try MetricsHistory.read(from: url.appendingPathComponent("metrics.csv"))))
        } catch {
            post(.notice("\(error)", isError: true))
        }
        guard FileManager.default.fileExists(atPath: TrainerState.jsonURL(in: url).path) else {
            post(.notice("\(url.lastPathComponent): no trainer state, so no gates to show (the curves are from metrics.csv)", isError: false))
            return
        }
        do {
            let session = try TrainingSession.resume(from: try RunFolder(path: folder), threadCount: 1)
            self.session = session
            var summary = session.summary
            summary.runDirectory = folder
            post(.trainer(runID: runID, .started(summary)))
            post(.trainer(runID: runID, .gates(session.gateSnapshot(probeIndex: 0))))
        } catch {
            post(.notice("\(error)", isError: true))
        }
    }

    /// A gate snapshot of probe `index` from the validation split, when the checkpoint has loaded.
    func requestGates(runID: Int, probeIndex: Int) {
        queue.async { [self] in
            guard let session else { return }
            post(.trainer(runID: runID, .gates(session.gateSnapshot(probeIndex: probeIndex))))
        }
    }

    /// Waits for the work queued so far (a test, or the loop before resuming the same folder).
    func wait() { queue.sync {} }
}
