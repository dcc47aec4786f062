import Foundation

/// A run's curves as its metrics.csv holds them: the train loss of every step and the validation loss of
/// every evaluation, in step order, for a browser to draw a past run. Rows that do not read (a cut last
/// line, a damaged cell) are skipped. Cost: one read of the file, O(rows).
public struct MetricsHistory: Sendable, Equatable {
    /// (step, train loss), non-finite losses kept (a diverged run's last step).
    public var trainLoss: [(step: Int, loss: Double)] = []
    /// (step, validation loss, validation accuracy when the task has one).
    public var validationLoss: [(step: Int, loss: Double)] = []

    public init() {}

    /// Reads `url` through `MetricsLog.read` (which skips a cut last line and rows that do not read); a
    /// missing file is an empty history, a file without metrics.csv's header an error naming it.
    public static func read(from url: URL) throws -> MetricsHistory {
        guard FileManager.default.fileExists(atPath: url.path) else { return MetricsHistory() }
        var history = MetricsHistory()
        for row in try MetricsLog.read(url) {
            if let loss = row.trainLoss { history.trainLoss.append((row.step, loss)) }
            if let loss = row.validationLoss { history.validationLoss.append((row.step, loss)) }
        }
        return history
    }

    public static func == (lhs: MetricsHistory, rhs: MetricsHistory) -> Bool {
        lhs.trainLoss.elementsEqual(rhs.trainLoss) { $0.step == $1.step && $0.loss.bitPattern == $1.loss.bitPattern }
            && lhs.validationLoss.elementsEqual(rhs.validationLoss) { $0.step == $1.step && $0.loss.bitPattern == $1.loss.bitPattern }
    }
}
