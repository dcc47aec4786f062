import Foundation
import RNNEngine

/// One run folder as the runs browser and `rnn-tui runs` show it, derived from its files alone.
public struct RunEntry: Sendable {
    public var path: String
    /// The folder's name.
    public var name: String
    /// A person's label (label.txt), if any.
    public var label: String?
    /// The setup it started with (config.json); nil when that file is missing or damaged.
    public var setup: TrainingSetup?
    public var status: RunStatus
    /// Steps taken (the furthest of status.json, trainer-state.json and metrics.csv).
    public var steps: Int
    public var bestValidationLoss: Double?
    public var baselineLoss: Double?
    public var baselineDescription: String?
    public var task: TaskKind?
    /// The newest write into the folder (metrics, status, checkpoint).
    public var updatedAt: Date
    /// trainer-state.json is there: `train --resume` can continue it exactly.
    public var isResumable: Bool
    public var hasCheckpoint: Bool
    /// Why the folder is listed as damaged (nil when it reads fine).
    public var problem: String?

    public init(
        path: String, name: String, label: String? = nil, setup: TrainingSetup?, status: RunStatus, steps: Int,
        bestValidationLoss: Double? = nil, baselineLoss: Double? = nil, baselineDescription: String? = nil,
        task: TaskKind? = nil, updatedAt: Date, isResumable: Bool = false, hasCheckpoint: Bool = false, problem: String? = nil
    ) {
        self.path = path
        self.name = name
        self.label = label
        self.setup = setup
        self.status = status
        self.steps = steps
        self.bestValidationLoss = bestValidationLoss
        self.baselineLoss = baselineLoss
        self.baselineDescription = baselineDescription
        self.task = task
        self.updatedAt = updatedAt
        self.isResumable = isResumable
        self.hasCheckpoint = hasCheckpoint
        self.problem = problem
    }

    /// The label, or the folder's name.
    public var displayName: String { label ?? name }
    public var dataset: String? { setup?.dataset }
    /// The files a browser opens: curves, weights, the best weights.
    public var metricsURL: URL { URL(fileURLWithPath: path).appendingPathComponent("metrics.csv") }
    public var checkpointURL: URL { URL(fileURLWithPath: path).appendingPathComponent("checkpoint.safetensors") }
    public var bestCheckpointURL: URL { URL(fileURLWithPath: path).appendingPathComponent(RunRecorder.bestCheckpointName) }
}

/// The runs under one folder (by default `runs/`), each a subfolder holding config.json, metrics.csv,
/// checkpoints, status.json, the change log and the trainer state. Everything is read from the folders,
/// so runs trained headless appear like the notebook's. Folders with none of a run's files are skipped;
/// a run folder whose files do not read is listed with `problem` set. Never traps.
public struct RunIndex: Sendable {
    public static let labelFileName = "label.txt"
    /// metrics.csv files up to this size are scanned for the best validation loss; of larger ones only the
    /// tail is read (for the last step), the best loss coming from status.json and trainer-state.json.
    static let metricsScanLimit = 4 << 20

    public let directory: URL

    public init(directory: String = "runs") {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
    }

    /// Every run, the most recently active first. A missing directory is an empty list.
    public func list() -> [RunEntry] {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { !$0.hasPrefix(".") }.compactMap { name in
            var isFolder: ObjCBool = false
            let url = directory.appendingPathComponent(name, isDirectory: true)
            guard fileManager.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else { return nil }
            return Self.entry(at: url)
        }
        .sorted { ($0.updatedAt, $0.name) > ($1.updatedAt, $1.name) }
    }

    /// Reads one run folder; nil when it holds none of a run's files.
    public static func entry(at url: URL) -> RunEntry? {
        let fileManager = FileManager.default
        let folder = url.path
        func file(_ name: String) -> URL { url.appendingPathComponent(name) }
        let marks = ["config.json", "metrics.csv", RunStatusFile.fileName, "checkpoint.safetensors", "trainer-state.json"]
        guard marks.contains(where: { fileManager.fileExists(atPath: file($0).path) }) else { return nil }

        var problems: [String] = []
        var setup: TrainingSetup?
        do { setup = try TrainingSetup.read(configAt: file("config.json").path) } catch { problems.append("\(error)") }
        let statusFile: RunStatusFile?
        if fileManager.fileExists(atPath: RunStatusFile.url(in: url).path) {
            do { statusFile = try RunStatusFile.read(in: url) } catch { statusFile = nil; problems.append("\(error)") }
        } else {
            statusFile = nil
        }
        let state = try? TrainerState.read(from: url)
        let metrics = MetricsSummary(url: file("metrics.csv"))

        var steps = max(statusFile?.step ?? 0, state?.step ?? 0, metrics.lastStep ?? 0)
        if steps < 0 { steps = 0 }
        // status.json and trainer-state.json hold full precision but only as of the last save; metrics.csv
        // (6 digits) may be newer.
        var best = statusFile?.bestValidationLoss ?? state?.bestValidationLoss
        if let logged = metrics.bestValidationLoss, logged < (best ?? .infinity) * (1 - 1e-5) { best = logged }
        let status: RunStatus
        if let statusFile {
            status = statusFile.status == .running && !statusFile.ownerIsAlive ? .stopped : statusFile.status
        } else if metrics.lastTrainLossIsNonFinite {
            status = .diverged
        } else if let bound = setup?.steps, steps >= bound {
            status = .finished
        } else {
            status = .stopped
        }
        let dates = ["metrics.csv", RunStatusFile.fileName, "checkpoint.safetensors", "config.json", "trainer-state.json"]
            .compactMap { (try? fileManager.attributesOfItem(atPath: file($0).path))?[.modificationDate] as? Date }
        let label = (try? String(contentsOf: file(labelFileName), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return RunEntry(
            path: folder, name: url.lastPathComponent, label: label?.isEmpty == false ? label : nil, setup: setup,
            status: status, steps: steps, bestValidationLoss: best,
            baselineLoss: statusFile?.baselineLoss, baselineDescription: statusFile?.baseline, task: statusFile?.task,
            updatedAt: dates.max() ?? .distantPast,
            isResumable: fileManager.fileExists(atPath: TrainerState.jsonURL(in: url).path),
            hasCheckpoint: fileManager.fileExists(atPath: file("checkpoint.safetensors").path),
            problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// Sets (or with nil or "", removes) a run's label.
    public func label(_ path: String, as text: String?) throws {
        let url = try runURL(path).appendingPathComponent(Self.labelFileName)
        let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty {
            try? FileManager.default.removeItem(at: url)
        } else {
            try DurableFile.write(Data((trimmed + "\n").utf8), to: url)
        }
    }

    /// Deletes a run folder (the caller asks for confirmation). Refuses a folder outside this index, one
    /// that is not a run, and a run that is training now.
    public func delete(_ path: String) throws {
        let url = try runURL(path)
        guard let entry = Self.entry(at: url) else { throw TrainingError("\(path): not a run folder; not deleting it") }
        guard entry.status != .running else { throw TrainingError("\(path): the run is training now; stop it first") }
        do { try FileManager.default.removeItem(at: url) } catch {
            throw TrainingError("\(path): cannot delete (\(error.localizedDescription))")
        }
    }

    /// `path` as a folder directly inside `directory`, or an error.
    private func runURL(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        guard url.deletingLastPathComponent().standardizedFileURL.path == directory.standardizedFileURL.path else {
            throw TrainingError("\(path): not a run inside \(directory.path)")
        }
        return url
    }
}

/// What a listing needs from metrics.csv: the last step, the best validation loss, and whether the last
/// training loss was not finite.
struct MetricsSummary {
    var lastStep: Int?
    var bestValidationLoss: Double?
    var lastTrainLossIsNonFinite = false

    init(url: URL) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let size = attributes[.size] as? Int, let handle = try? FileHandle(forReadingFrom: url) else { return }
        defer { try? handle.close() }
        let tailBytes = 64 << 10
        let headerLine = (try? handle.read(upToCount: 4096)).flatMap { String(data: $0, encoding: .utf8) }?
            .split(separator: "\n").first.map(String.init)
        var lines: [Substring]
        if size <= RunIndex.metricsScanLimit {
            try? handle.seek(toOffset: 0)
            guard let data = try? handle.readToEnd(), let text = String(data: data, encoding: .utf8) else { return }
            lines = Array(text.split(separator: "\n").dropFirst())
        } else {
            try? handle.seek(toOffset: UInt64(size - tailBytes))
            guard let data = try? handle.readToEnd() else { return }
            lines = Array(String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst())  // the first is cut
        }
        guard let header = headerLine?.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
              let stepColumn = header.firstIndex(of: "step") else { return }
        let validationColumn = header.firstIndex(of: "val_loss"), trainColumn = header.firstIndex(of: "train_loss")
        let scanned = size <= RunIndex.metricsScanLimit
        for line in lines {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == header.count, let step = Int(cells[stepColumn]) else { continue }
            lastStep = max(lastStep ?? step, step)
            if scanned, let validationColumn, let loss = Double(cells[validationColumn]), loss.isFinite {
                bestValidationLoss = min(bestValidationLoss ?? loss, loss)
            }
            if let trainColumn, !cells[trainColumn].isEmpty {
                lastTrainLossIsNonFinite = !(Double(cells[trainColumn])?.isFinite ?? false)
            }
        }
    }
}
