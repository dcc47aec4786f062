import Foundation
import RNNEngine

/// A run's folder: DIR/config.json (the TrainingSetup), DIR/checkpoint.safetensors, DIR/metrics.csv.
///
/// Consistency rules, kept here and nowhere else:
/// - every file is written through `DurableFile` (temporary file, fsync, rename, fsync of the folder);
/// - temporary files left by a killed writer are removed when the folder is opened and at every save;
/// - config.json and checkpoint.safetensors always describe the same model: `claim` refuses a folder
///   that holds another model's run, and `save` writes the checkpoint and then the config beside it;
/// - metrics.csv is appended to, never truncated (`MetricsLog`).
public struct RunFolder: Sendable {
    public let url: URL

    /// Opens the folder (creating it) and removes stale temporary files.
    public init(path: String) throws {
        url = URL(fileURLWithPath: path, isDirectory: true)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw TrainingError("\(path): is a file, not a run folder")
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw TrainingError("\(path): cannot create the run folder (\(error.localizedDescription))")
        }
        DurableFile.removeStaleTemporaryFiles(in: url)
    }

    public static let configName = "config.json"
    public static let checkpointName = "checkpoint.safetensors"
    public static let metricsName = "metrics.csv"

    public var configURL: URL { url.appendingPathComponent(Self.configName) }
    public var checkpointURL: URL { url.appendingPathComponent(Self.checkpointName) }
    public var metricsURL: URL { url.appendingPathComponent(Self.metricsName) }

    /// Takes the folder for a run of `setup`: refuses one whose config.json describes another model
    /// (so the checkpoint beside it can never be mistaken for this run's), then writes config.json.
    public func claim(for setup: TrainingSetup) throws {
        if let existing = try existingSetup() {
            let old = ModelIdentity(existing), new = ModelIdentity(setup)
            guard old == new else {
                throw TrainingError(
                    "\(url.path): holds a run of another model (\(old); this run is \(new)); choose another folder or delete it")
            }
        } else if FileManager.default.fileExists(atPath: checkpointURL.path) {
            throw TrainingError(
                "\(url.path): holds a checkpoint without config.json, so it cannot be told apart from this run; choose another folder or delete it")
        }
        try writeConfig(setup)
    }

    /// The setup in config.json, when there is one; an unreadable one is an error naming the file.
    public func existingSetup() throws -> TrainingSetup? {
        guard FileManager.default.fileExists(atPath: configURL.path) else { return nil }
        do {
            return try JSONDecoder().decode(TrainingSetup.self, from: Data(contentsOf: configURL))
        } catch {
            throw TrainingError("\(configURL.path): is not a run configuration this version can read; choose another folder or delete it")
        }
    }

    public func writeConfig(_ setup: TrainingSetup) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(setup)
        } catch {
            throw TrainingError("\(configURL.path): cannot encode the setup (\(error.localizedDescription))")
        }
        do {
            try DurableFile.write(data, to: configURL)
        } catch {
            throw TrainingError(error.description)
        }
    }

    /// The one save path of a run: removes stale temporary files, writes `checkpoint` durably as
    /// `name`, then config.json with the setup it was trained with. Returns the checkpoint's URL.
    /// Later run files (trainer state, a best-validation checkpoint) belong here too.
    @discardableResult
    public func save(_ checkpoint: Checkpoint, setup: TrainingSetup, name: String = RunFolder.checkpointName) throws -> URL {
        DurableFile.removeStaleTemporaryFiles(in: url)
        let target = url.appendingPathComponent(name)
        try checkpoint.write(to: target)
        try writeConfig(setup)
        return target
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

/// What makes two runs' checkpoints interchangeable: the architecture and the data it was sized for.
struct ModelIdentity: Equatable, CustomStringConvertible {
    var cell: CellKind
    var nonlinearity: Nonlinearity?
    var gruResetAfter: Bool?
    var hiddenSize: Int
    var layerCount: Int
    var embeddingSize: Int
    var dataset: String

    init(_ setup: TrainingSetup) {
        cell = setup.cell
        nonlinearity = setup.cell == .rnn ? setup.nonlinearity : nil
        gruResetAfter = setup.cell == .gru ? setup.gruResetAfter : nil
        hiddenSize = setup.hiddenSize
        layerCount = setup.layerCount
        embeddingSize = setup.embeddingSize
        dataset = setup.dataset
    }

    var description: String {
        "\(cell.rawValue) H=\(hiddenSize) ×\(layerCount)\(embeddingSize > 0 ? " embedding \(embeddingSize)" : "") on \(dataset)"
    }
}
