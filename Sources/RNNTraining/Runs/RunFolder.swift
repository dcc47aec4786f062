import Foundation
import RNNEngine

/// A run's folder: DIR/config.json (the TrainingSetup), DIR/checkpoint.safetensors, DIR/metrics.csv.
public struct RunFolder: Sendable {
    public let url: URL

    public init(path: String) throws {
        url = URL(fileURLWithPath: path, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw TrainingError("\(path): cannot create the run folder (\(error.localizedDescription))")
        }
    }

    public var configURL: URL { url.appendingPathComponent("config.json") }
    public var checkpointURL: URL { url.appendingPathComponent("checkpoint.safetensors") }
    public var metricsURL: URL { url.appendingPathComponent("metrics.csv") }

    public func writeConfig(_ setup: TrainingSetup) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(setup).write(to: configURL, options: .atomic)
        } catch {
            throw TrainingError("\(configURL.path): cannot write (\(error.localizedDescription))")
        }
    }

    /// A fresh folder name under `runs/`: runs/YYYYMMDD-HHMMSS-cell[-n].
    public static func defaultPath(cell: CellKind, base: String = "runs") -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let stem = "\(base)/\(formatter.string(from: Date()))-\(cell.rawValue)"
        var candidate = stem
        var suffix = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(stem)-\(suffix)"
            suffix += 1
        }
        return candidate
    }
}
