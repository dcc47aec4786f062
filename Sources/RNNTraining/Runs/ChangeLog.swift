import Foundation
import RNNEngine

/// One live change and the step it took effect before (1-based: `step` 41 means steps 41, 42… ran with it).
public struct RecordedChange: Sendable, Equatable {
    public var step: Int
    public var change: HyperparameterChange

    public init(step: Int, change: HyperparameterChange) {
        self.step = step
        self.change = change
    }
}

/// DIR/changes.jsonl: every live change of a run, one JSON object a line, appended (and flushed to disk)
/// as it happens:
///
///     {"step":41,"field":"lr","value":0.001}
///     {"step":90,"field":"optimizer","value":"sgd"}
///     {"step":120,"field":"clip","value":null}        (null: clipping off)
///     {"step":150,"field":"batch","value":64}
///     {"step":200,"field":"dropout","value":0.2}
///     {"step":260,"field":"surgery","value":{"edits":[{"layer":0,"unit":5,"action":"ablate"}],"training":true}}
///
/// `--config DIR/config.json` replays the log beside it, so a hand-tuned run can be reproduced.
public enum ChangeLog {
    public static let fileName = "changes.jsonl"

    /// The field names, one per hyperparameter command.
    public enum Field: String, CaseIterable, Sendable {
        case learningRate = "lr"
        case optimizer
        case clip
        case batch
        case dropout
        /// Unit surgery (`ChangeLog+Surgery.swift`): its edits and whether training runs with them, or null.
        case surgery
    }

    public static func url(in folder: URL) -> URL { folder.appendingPathComponent(fileName) }

    /// The line for a change.
    public static func line(for change: RecordedChange) -> String {
        let value: String
        let field: Field
        switch change.change {
        case .learningRate(let rate): (field, value) = (.learningRate, "\(rate)")
        case .optimizer(let kind): (field, value) = (.optimizer, "\"\(kind.rawValue)\"")
        case .clipNorm(let clip): (field, value) = (.clip, clip.map { "\($0)" } ?? "null")
        case .batchSize(let size): (field, value) = (.batch, "\(size)")
        case .dropout(let dropout): (field, value) = (.dropout, "\(dropout)")
        case .intervention(let intervention): (field, value) = (.surgery, surgeryJSON(intervention))
        }
        return "{\"step\":\(change.step),\"field\":\"\(field.rawValue)\",\"value\":\(value)}"
    }

    /// Each change as a label that says what changed ("lr 0.002 → 0.001", "optimizer adam → sgd",
    /// "clip off → 1"), replayed in order over the run's starting `setup`.
    public static func labels(_ changes: [RecordedChange], startingFrom setup: TrainingSetup) -> [(step: Int, label: String)] {
        AppliedChange.replayed(changes, over: setup).map { ($0.step, $0.description) }
    }

    /// Appends one change durably (the file is created on first use).
    public static func append(_ change: RecordedChange, in folder: URL) throws {
        try DurableFile.append(Data((line(for: change) + "\n").utf8), to: url(in: folder))
    }

    /// Reads a change log; a missing file is an empty log. Errors name `file:line`.
    public static func read(from url: URL) throws -> [RecordedChange] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TrainingError("\(url.path): cannot read the change log (\(error.localizedDescription))")
        }
        var changes: [RecordedChange] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            do {
                changes.append(try parse(trimmed))
            } catch let error as TrainingError {
                throw TrainingError("\(url.path):\(number + 1): \(error.description)")
            }
        }
        return changes
    }

    /// Parses one line of the log.
    public static func parse(_ line: String) throws -> RecordedChange {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])) as? [String: Any] else {
            throw TrainingError("not a JSON object")
        }
        guard let step = (object["step"] as? NSNumber)?.intValue, step >= 1 else {
            throw TrainingError("\"step\" must be a positive integer")
        }
        guard let name = object["field"] as? String, let field = Field(rawValue: name) else {
            throw TrainingError("\"field\" must be one of \(Field.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let value = object["value"]
        let number = (value as? NSNumber).map { Float(truncating: $0) }
        let change: HyperparameterChange
        switch field {
        case .learningRate:
            guard let number, number > 0, number.isFinite else { throw TrainingError("lr must be a positive number") }
            change = .learningRate(number)
        case .optimizer:
            guard let name = value as? String, let kind = OptimizerKind(rawValue: name) else {
                throw TrainingError("optimizer must be one of \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            change = .optimizer(kind)
        case .clip:
            if value is NSNull { change = .clipNorm(nil) } else {
                guard let number, number > 0 else { throw TrainingError("clip must be a positive number or null") }
                change = .clipNorm(number)
            }
        case .batch:
            guard let size = (value as? NSNumber)?.intValue, SetupLimits.batchSize.contains(size) else {
                throw TrainingError("batch must be an integer in \(SetupLimits.batchSize.lowerBound)…\(SetupLimits.batchSize.upperBound)")
            }
            change = .batchSize(size)
        case .dropout:
            guard let number, number >= 0, number < 1 else { throw TrainingError("dropout must be in [0, 1)") }
            change = .dropout(number)
        case .surgery:
            change = .intervention(try surgery(from: value))
        }
        return RecordedChange(step: step, change: change)
    }
}
