import Foundation
import RNNEngine

/// Everything besides the weights that a run needs to continue exactly where it stopped.
///
/// Saved in two files next to `checkpoint.safetensors` (which stays a plain PyTorch `state_dict`):
/// - `trainer-state.json`: the counters below, the setup as it is now (live changes included), and the
///   dropout generator's state;
/// - `trainer-state.safetensors`: `optimizer.first_moment` (N) and `optimizer.second_moment` (N) in the
///   parameter arena's layout (present when the rule keeps them), and `carried_state` (L·S, B, H), the
///   truncated-BPTT state the next batch starts from (S = 2 for LSTM: h then c; 1 otherwise).
/// All three files carry the step (`rnn_tui.step` in the safetensors metadata), so a resume can refuse
/// a set torn by a crash between two writes.
public struct TrainerState: Codable, Sendable, Equatable {
    public static let formatVersion = 1
    public static let stepKey = "rnn_tui.step"
    static let firstMomentName = "optimizer.first_moment"
    static let secondMomentName = "optimizer.second_moment"
    static let carriedStateName = "carried_state"

    public var format = TrainerState.formatVersion
    /// Completed steps, the 0-based epoch and the next batch's index in it (the data position).
    public var step: Int
    public var epoch: Int
    public var batchIndex: Int
    /// nil where the value is not finite (no step yet, no evaluation yet).
    public var lastTrainLoss: Double?
    public var bestValidationLoss: Double?
    public var evaluationsSinceBest: Int
    public var stoppedEarly: Bool
    /// The evaluation due at `step` was cut short by the stop (absent: none pending).
    public var evaluationPending: Bool?
    public var diverged: Bool
    public var elapsedSeconds: Double
    public var smoothedTokensPerSecond: Double
    /// The dropout generator's state as 16 hex digits (JSON numbers lose 64-bit integers in many readers).
    public var dropoutRandomState: String
    public var optimizerStepCount: Int
    /// The rule the optimizer's moments belong to (nil before its first step; a live change of
    /// optimizer starts fresh moments at the next step). Absent in states saved before it was kept.
    public var optimizerKind: OptimizerKind?
    /// The setup as it is now: live changes included, the schedule resolved to its length.
    public var setup: TrainingSetup
    /// Compute threads the run used: results are bit-identical only with the same count.
    public var threadCount: Int
    /// Lines of changes.jsonl this state includes (changes made after the save are dropped on resume).
    public var changesRecorded: Int
    /// The directory the run was started from, so a relative dataset path still resolves on resume.
    public var workingDirectory: String?
    public var savedAt: Date

    /// The safetensors half: optimizer moments and carried state.
    public struct Tensors: Sendable, Equatable {
        public var optimizer: OptimizerState
        public var carried: CarriedState?
    }

    // MARK: - Files

    public static func jsonURL(in folder: URL) -> URL { folder.appendingPathComponent("trainer-state.json") }
    public static func tensorsURL(in folder: URL) -> URL { folder.appendingPathComponent("trainer-state.safetensors") }

    /// The JSON half (pretty, sorted keys, ISO dates).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    public static func read(from folder: URL) throws -> TrainerState {
        let url = jsonURL(in: folder)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError("\(url.path): cannot read the trainer state (\(error.localizedDescription))")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let state: TrainerState
        do { state = try decoder.decode(TrainerState.self, from: data) } catch {
            throw TrainingError("\(url.path): not a trainer state file (\(Self.describe(error)))")
        }
        guard state.format == formatVersion else {
            throw TrainingError("\(url.path): trainer state format \(state.format); this build reads format \(formatVersion)")
        }
        guard UInt64(state.dropoutRandomState, radix: 16) != nil else {
            throw TrainingError("\(url.path): dropoutRandomState \"\(state.dropoutRandomState)\" is not 16 hex digits")
        }
        return state
    }

    /// Encodes the tensor half with the step in its metadata.
    static func encodeTensors(_ tensors: Tensors, step: Int, hiddenSize: Int) -> Data {
        var named: [NamedTensor] = []
        if let first = tensors.optimizer.firstMoment {
            named.append(NamedTensor(name: firstMomentName, shape: [first.count], values: first))
        }
        if let second = tensors.optimizer.secondMoment {
            named.append(NamedTensor(name: secondMomentName, shape: [second.count], values: second))
        }
        if let carried = tensors.carried {
            let slots = carried.values.count / max(1, carried.batchSize * hiddenSize)
            named.append(NamedTensor(name: carriedStateName, shape: [slots, carried.batchSize, hiddenSize], values: carried.values))
        }
        return SafeTensors.encode(named, metadata: [stepKey: "\(step)", "format": "rnn_tui.trainer_state"])
    }

    /// Reads the tensor half; `stepCount` is the optimizer's (kept in the JSON half). Returns the step it
    /// was saved at.
    static func readTensors(from folder: URL, optimizerStepCount: Int) throws -> (tensors: Tensors, step: Int?) {
        let url = tensorsURL(in: folder)
        let (named, metadata) = try SafeTensors.read(contentsOf: url)
        var byName: [String: NamedTensor] = [:]
        for tensor in named { byName[tensor.name] = tensor }
        var carried: CarriedState?
        if let tensor = byName[carriedStateName] {
            guard tensor.shape.count == 3, tensor.shape[1] > 0 else {
                throw TrainingError("\(url.path): \(carriedStateName) has shape \(tensor.shape); expected (L·S, B, H)")
            }
            carried = CarriedState(batchSize: tensor.shape[1], values: tensor.values)
        }
        let optimizer = OptimizerState(
            stepCount: optimizerStepCount, firstMoment: byName[firstMomentName]?.values,
            secondMoment: byName[secondMomentName]?.values)
        return (Tensors(optimizer: optimizer, carried: carried), metadata[stepKey].flatMap { Int($0) })
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
