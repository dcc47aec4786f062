import Foundation
import RNNEngine

/// Where a run stands, as its folder says.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    /// A live process is training it (its pid answers).
    case running
    case finished
    /// Stopped before its end (a key, a signal, a new run), or its process is gone without saying.
    case stopped
    /// The loss became NaN or infinite.
    case diverged
    /// The trainer could not start or failed.
    case failed
}

/// DIR/status.json: what a run is doing and what it is about, so a listing needs no dataset loading:
///
///     {"status": "running", "pid": 4242, "step": 1200, "updated_at": "2026-12-01T23:10:00Z",
///      "dataset": "adding", "task": "regression", "baseline_loss": 0.1667,
///      "baseline": "predict 1", "parameter_count": 67201, "best_step": 1000}
///
/// Written when a run starts, at every save, and when it stops. While `status` is `running` the run holds
/// it only as long as process `pid` on this host is alive; `RunIndex` reads a dead pid as `stopped`.
public struct RunStatusFile: Codable, Sendable, Equatable {
    public static let fileName = "status.json"

    public var status: RunStatus
    public var pid: Int32
    public var host: String
    public var step: Int
    public var updatedAt: Date
    public var dataset: String
    public var task: TaskKind
    public var baselineLoss: Double?
    public var baseline: String
    public var parameterCount: Int
    public var bestStep: Int?
    public var bestValidationLoss: Double?

    enum CodingKeys: String, CodingKey {
        case status, pid, host, step, dataset, task, baseline
        case updatedAt = "updated_at", baselineLoss = "baseline_loss", parameterCount = "parameter_count"
        case bestStep = "best_step", bestValidationLoss = "best_val_loss"
    }

    public static func url(in folder: URL) -> URL { folder.appendingPathComponent(fileName) }

    public func write(in folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try DurableFile.write(try encoder.encode(self), to: Self.url(in: folder))
    }

    public static func read(in folder: URL) throws -> RunStatusFile {
        let url = url(in: folder)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(RunStatusFile.self, from: try Data(contentsOf: url))
        } catch {
            throw TrainingError("\(url.path): \(TrainerState.describe(error))")
        }
    }

    public static var currentHost: String { ProcessInfo.processInfo.hostName }

    /// Whether the process that wrote `running` is still alive (same host, pid answers signal 0).
    public var ownerIsAlive: Bool {
        guard host == Self.currentHost, pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
