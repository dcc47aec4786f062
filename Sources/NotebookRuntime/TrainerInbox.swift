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


    /// Everything posted since the last drain, oldest first, with all but the newest gate snapshot,
    /// gradient flow and gate statistics of each run dropped (only the newest is ever drawn). Cost O(messages).
    public func drain() -> [AppMessage] {
        let messages = pending.withLock { queue -> [AppMessage] in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        var newest: [HeavyKey: Int] = [:]
        for (index, message) in messages.enumerated() {
            if let key = Self.heavyKey(message) { newest[key] = index }
        }
        return messages.enumerated().compactMap { index, message in
            if let key = Self.heavyKey(message), newest[key] != index { return nil }
            return message
        }
    }

    /// A snapshot that only matters as the newest of its kind for its run.
    private struct HeavyKey: Hashable {
        var runID: Int
        var kind: Int
    }

    private static func heavyKey(_ message: AppMessage) -> HeavyKey? {
        guard case .trainer(let runID, let event) = message else { return nil }
        switch event {
        case .gates: return HeavyKey(runID: runID, kind: 0)
        case .gradientFlow: return HeavyKey(runID: runID, kind: 1)
        case .gateStatistics: return HeavyKey(runID: runID, kind: 2)
        default: return nil
        }
    }
}
