import ArgumentParser
import Foundation
import RNNTraining

/// `rnn-tui runs`: the runs under the runs folder, most recently active first, read from their folders.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs under the runs folder: cell and sizes, dataset, steps, best validation loss next to the baseline, status and age."
    )

    @Option(help: "The folder holding one folder per run.")
    var dir: String = "runs"
    @Flag(help: "Print a JSON array (path, name, label, cell, hidden, layers, dataset, steps, best_val_loss, baseline_loss, status, …).")
    var json = false

    func run() throws {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir, isDirectory: &isFolder) || !isFolder.boolValue {
            guard json else { throw CLIError("--dir \(dir): no such folder (runs are written under runs/ by default)") }
        }
        let entries = RunIndex(directory: dir).list()
        let now = Date()
        if json {
            let objects = entries.map { Self.jsonObject($0, now: now) }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        guard !entries.isEmpty else {
            print("no runs in \(dir)")
            return
        }
        let header = ["NAME", "MODEL", "DATASET", "STEPS", "BEST VAL (BASELINE)", "STATUS", "AGE"]
        let rows = entries.map { entry -> [String] in
            [entry.displayName, Self.model(entry), entry.dataset ?? "?", "\(entry.steps)", Self.best(entry),
             entry.problem == nil ? entry.status.rawValue : "damaged", Self.age(now.timeIntervalSince(entry.updatedAt))]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces))
        }
        for entry in entries { if let problem = entry.problem { print("  \(entry.name): \(problem)") } }
    }

    /// "lstm H128×2" (and the embedding when there is one).
    static func model(_ entry: RunEntry) -> String {
        guard let setup = entry.setup else { return "?" }
        let embedding = setup.embeddingSize > 0 ? " E\(setup.embeddingSize)" : ""
        return "\(setup.cell.rawValue) H\(setup.hiddenSize)×\(setup.layerCount)\(embedding)"
    }

    static func best(_ entry: RunEntry) -> String {
        let best = entry.bestValidationLoss.map { Format.number($0) } ?? "-"
        guard let baseline = entry.baselineLoss else { return best }
        return "\(best) (\(Format.number(baseline)))"
    }

    /// "42s", "7m", "3h", "12d".
    static func age(_ seconds: TimeInterval) -> String {
        let whole = max(0, Int(seconds))
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m" }
        if whole < 86_400 { return "\(whole / 3600)h" }
        return "\(whole / 86_400)d"
    }

    static func jsonObject(_ entry: RunEntry, now: Date) -> [String: Any] {
        func value(_ optional: Any?) -> Any { optional ?? NSNull() }
        let formatter = ISO8601DateFormatter()
        return [
            "path": entry.path, "name": entry.name, "label": value(entry.label),
            "cell": value(entry.setup?.cell.rawValue), "hidden": value(entry.setup?.hiddenSize),
            "layers": value(entry.setup?.layerCount), "embedding": value(entry.setup?.embeddingSize),
            "dataset": value(entry.dataset), "task": value(entry.task?.rawValue), "steps": entry.steps,
            "best_val_loss": value(entry.bestValidationLoss), "baseline_loss": value(entry.baselineLoss),
            "baseline": value(entry.baselineDescription), "status": entry.status.rawValue,
            "updated_at": entry.updatedAt == .distantPast ? NSNull() : formatter.string(from: entry.updatedAt),
            "age_seconds": max(0, Int(now.timeIntervalSince(entry.updatedAt))), "resumable": entry.isResumable,
            "has_checkpoint": entry.hasCheckpoint, "problem": value(entry.problem),
        ]
    }
}
