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

    /// Reads `url`; a missing file is an empty history, a file without the `step` column an error naming it.
    public static func read(from url: URL) throws -> MetricsHistory {
        guard FileManager.default.fileExists(atPath: url.path) else { return MetricsHistory() }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TrainingError("\(url.path): cannot read the metrics (\(error.localizedDescription))")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else { return MetricsHistory() }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let stepColumn = header.firstIndex(of: "step") else {
            throw TrainingError("\(url.path):1: no step column in the header")
        }
        let trainColumn = header.firstIndex(of: "train_loss"), validationColumn = header.firstIndex(of: "val_loss")
        var history = MetricsHistory()
        for line in lines {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == header.count, let step = Int(cells[stepColumn]), step >= 0 else { continue }
            if let trainColumn, !cells[trainColumn].isEmpty, let loss = Double(cells[trainColumn]) {
                history.trainLoss.append((step, loss))
            }
            if let validationColumn, !cells[validationColumn].isEmpty, let loss = Double(cells[validationColumn]) {
                history.validationLoss.append((step, loss))
            }
        }
        return history
    }

    public static func == (lhs: MetricsHistory, rhs: MetricsHistory) -> Bool {
        lhs.trainLoss.elementsEqual(rhs.trainLoss) { $0.step == $1.step && $0.loss.bitPattern == $1.loss.bitPattern }
            && lhs.validationLoss.elementsEqual(rhs.validationLoss) { $0.step == $1.step && $0.loss.bitPattern == $1.loss.bitPattern }
    }
}
