import DisplayFormat
import Foundation
import RNNEngine

/// One live change and the step it took effect before (1-based: `step` 41 means steps 41, 42… ran with it).
public struct RecordedChange: Sendable, Equatable {
    public var step: Int
    /// A hyperparameter change: `.setLearningRate`, `.setOptimizer`, `.setClipNorm`, `.setBatchSize`
    /// or `.setDropout`.
    public var command: TrainerCommand

    public init(step: Int, command: TrainerCommand) {
        self.step = step
        self.command = command
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
    }

    public static func url(in folder: URL) -> URL { folder.appendingPathComponent(fileName) }

    /// The line for a change, or nil when the command is not a hyperparameter change.
    public static func line(for change: RecordedChange) -> String? {
        let value: String
        let field: Field
        switch change.command {
        case .setLearningRate(let rate): (field, value) = (.learningRate, "\(rate)")
        case .setOptimizer(let kind): (field, value) = (.optimizer, "\"\(kind.rawValue)\"")
        case .setClipNorm(let clip): (field, value) = (.clip, clip.map { "\($0)" } ?? "null")
        case .setBatchSize(let size): (field, value) = (.batch, "\(size)")
        case .setDropout(let dropout): (field, value) = (.dropout, "\(dropout)")
        default: return nil
        }
        return "{\"step\":\(change.step),\"field\":\"\(field.rawValue)\",\"value\":\(value)}"
    }

    /// Each change as a label that says what changed ("lr 0.002 → 0.001", "optimizer adam → sgd",
    /// "clip off → 1"), replayed in order over the run's starting `setup`.
    public static func labels(_ changes: [RecordedChange], startingFrom setup: TrainingSetup) -> [(step: Int, label: String)] {
        var setup = setup
        func rate(_ value: Float) -> String { Format.learningRate(value) }
        func clip(_ value: Float?) -> String { value.map(rate) ?? "off" }
        return changes.compactMap { change in
            let label: String
            switch change.command {
            case .setLearningRate(let value):
                label = "lr \(rate(setup.optimizer.learningRate)) → \(rate(value))"
                setup.optimizer.learningRate = value
            case .setOptimizer(let kind):
                label = "optimizer \(setup.optimizer.kind.rawValue) → \(kind.rawValue)"
                setup.optimizer.kind = kind
            case .setClipNorm(let value):
                label = "clip \(clip(setup.clipNorm)) → \(clip(value))"
                setup.clipNorm = value
            case .setBatchSize(let size):
                label = "batch \(setup.batchSize) → \(size)"
                setup.batchSize = size
            case .setDropout(let value):
                label = "dropout \(rate(setup.dropout)) → \(rate(value))"
                setup.dropout = value
            default:
                return nil
            }
            return (change.step, label)
        }
    }

    /// Appends one change durably (the file is created on first use).
    public static func append(_ change: RecordedChange, in folder: URL) throws {
        guard let line = line(for: change) else { return }
        try DurableFile.append(Data((line + "\n").utf8), to: url(in: folder))
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
        let command: TrainerCommand
        switch field {
        case .learningRate:
            guard let number, number > 0, number.isFinite else { throw TrainingError("lr must be a positive number") }
            command = .setLearningRate(number)
        case .optimizer:
            guard let name = value as? String, let kind = OptimizerKind(rawValue: name) else {
                throw TrainingError("optimizer must be one of \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            command = .setOptimizer(kind)
        case .clip:
            if value is NSNull { command = .setClipNorm(nil) } else {
                guard let number, number > 0 else { throw TrainingError("clip must be a positive number or null") }
                command = .setClipNorm(number)
            }
        case .batch:
            guard let size = (value as? NSNumber)?.intValue, SetupLimits.batchSize.contains(size) else {
                throw TrainingError("batch must be an integer in \(SetupLimits.batchSize.lowerBound)…\(SetupLimits.batchSize.upperBound)")
            }
            command = .setBatchSize(size)
        case .dropout:
            guard let number, number >= 0, number < 1 else { throw TrainingError("dropout must be in [0, 1)") }
            command = .setDropout(number)
        }
        return RecordedChange(step: step, command: command)
    }
}
