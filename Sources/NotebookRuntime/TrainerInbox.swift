import RNNApp
import RNNTraining
import Synchronization

/// Messages posted by trainer threads, waiting for the UI thread to drain them once per frame.
/// Any thread may post; one thread drains.
public final class TrainerInbox: Sendable {
    private let pending = Mutex<[AppMessage]>([])

    public init() {}

    public func post(runID: Int, _ event: TrainerEvent) {
        pending.withLock { $0.append(.trainer(runID: runID, event)) }
    }

    /// Any other message from a background thread (a listing of the runs, a past run's curves).
    public func post(_ message: AppMessage) {
        pending.withLock { $0.append(message) }
    }

    /// Everything posted since the last drain, oldest first, with all but the newest gate snapshot of
    /// each run dropped (only the newest one is ever drawn). Cost O(messages).
    public func drain() -> [AppMessage] {
        let messages = pending.withLock { queue -> [AppMessage] in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        var newestGates: [Int: Int] = [:]
        for (index, message) in messages.enumerated() {
            if case .trainer(let runID, .gates) = message { newestGates[runID] = index }
        }
        return messages.enumerated().compactMap { index, message in
            if case .trainer(let runID, .gates) = message, newestGates[runID] != index { return nil }
            return message
        }
    }
}
