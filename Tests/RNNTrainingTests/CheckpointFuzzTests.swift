import Foundation
import XCTest
import RNNEngine
@testable import RNNTraining

/// Seeded, bounded fuzz of the checkpoint path every command takes: valid checkpoints of every cell, input kind
/// and head (`CheckpointFixtures.all`) are mutated (bit flips, truncation, header edits to shapes, offsets and
/// dtypes, every metadata key, tensor-level edits that keep the file well-formed) and each result goes through
/// `ValidatedCheckpoint.decode` and the commands' steps (`CheckpointFixtures.exercise`). Each case must end
/// in a one-line error or a success; a trap would end the test process.
///
/// A fixed number of cases (not a time budget), so a slow machine runs the same cases. Longer runs:
/// `RNN_FUZZ_CASES=200000 swift test --filter CheckpointFuzzTests` (`RNN_FUZZ_SEED` picks another seed,
/// `RNN_FUZZ_VERBOSE=1` prints each case before it runs, to find the one that traps).
final class CheckpointFuzzTests: XCTestCase {
    static let defaultCaseCount = 3_000

    func testMutatedCheckpointsEndInAnErrorOrASuccessNeverATrap() throws {
        let environment = ProcessInfo.processInfo.environment
        let caseCount = environment["RNN_FUZZ_CASES"].flatMap { Int($0) } ?? Self.defaultCaseCount
        let seed = environment["RNN_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_201
        let verbose = environment["RNN_FUZZ_VERBOSE"] != nil
        let fixtures = CheckpointFixtures.all.map { (name: $0.name, data: CheckpointFixtures.encode($0.checkpoint), checkpoint: $0.checkpoint) }
        var random = SeededRandom(seed: seed)
        var succeeded: [String: Int] = [:], refused: [String: Int] = [:]
        for index in 0..<caseCount {
            let fixture = fixtures[index % fixtures.count]
            let kind = Mutation.allCases[(index / fixtures.count) % Mutation.allCases.count]
            let (data, description) = kind.apply(to: fixture.data, checkpoint: fixture.checkpoint, round: index, random: &random)
            if verbose { print("fuzz case \(index): \(fixture.name), \(description)") }
            do {
                let validated = try ValidatedCheckpoint.decode(data, source: "case \(index)")
                try CheckpointFixtures.exercise(validated)
                succeeded[kind.rawValue, default: 0] += 1
            } catch {
                let message = "\(error)"
                XCTAssertFalse(message.isEmpty || message.contains("\n"), "case \(index) (\(fixture.name), \(description)): \(message)")
                refused[kind.rawValue, default: 0] += 1
            }
        }
        let total = succeeded.values.reduce(0, +) + refused.values.reduce(0, +)
        XCTAssertEqual(total, caseCount)
        print("checkpoint fuzz: \(caseCount) cases (seed \(seed)); accepted \(succeeded.sorted { $0.key < $1.key }), refused \(refused.sorted { $0.key < $1.key })")
        if caseCount >= 200 {
            // Both outcomes occur, so the cases reach past the parser into validation and the commands' steps.
            XCTAssertGreaterThan(succeeded.values.reduce(0, +), caseCount / 20, "too few mutated checkpoints loaded")
            XCTAssertGreaterThan(refused.values.reduce(0, +), caseCount / 4, "too few mutated checkpoints refused")
            for kind in Mutation.allCases { XCTAssertNotNil(refused[kind.rawValue], "\(kind) never refused") }
        }
    }
}

/// One way to damage a checkpoint file.
enum Mutation: String, CaseIterable {
    case bitFlips, truncation, shapeEdit, offsetEdit, dtypeEdit, metadataEdit, tensorEdit, headerText

    func apply(to data: Data, checkpoint: Checkpoint, round: Int, random: inout SeededRandom) -> (Data, String) {
        switch self {
        case .bitFlips:
            var bytes = [UInt8](data)
            let headerEnd = min(bytes.count, 8 + Int(bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }))
            let flips = 1 + random.nextIndex(8)
            var positions: [Int] = []
            for _ in 0..<flips {
                // Mostly inside the header, where a flip changes meaning rather than one weight.
                let position = random.nextIndex(4) == 0 ? random.nextIndex(bytes.count) : random.nextIndex(max(1, headerEnd))
                bytes[position] ^= UInt8(1) << UInt8(random.nextIndex(8))
                positions.append(position)
            }
            return (Data(bytes), "bit flips at \(positions)")
        case .truncation:
            let length = random.nextIndex(data.count)
            return (data.prefix(length), "truncated to \(length) of \(data.count) bytes")
        case .shapeEdit:
            var file = HeaderEditor(data)
            let name = file.randomTensorName(&random)
            var shape = file.tensor(name)["shape"] as? [Int] ?? []
            let choice = random.nextIndex(9)
            switch choice {
            case 0 where !shape.isEmpty: shape[random.nextIndex(shape.count)] = 0
            case 1 where !shape.isEmpty: shape[random.nextIndex(shape.count)] += 1
            case 2 where !shape.isEmpty: shape[random.nextIndex(shape.count)] -= 1
            case 3 where !shape.isEmpty: shape[random.nextIndex(shape.count)] = 1 << 31
            case 4: shape.append(1)
            case 5 where !shape.isEmpty: shape.removeLast()
            case 6: shape.reverse()
            case 7: shape = []
            default: shape = shape.map { $0 * 2 }
            }
            file.setField(name, "shape", shape)
            return (file.data, "\(name) shape → \(shape)")
        case .offsetEdit:
            var file = HeaderEditor(data)
            let name = file.randomTensorName(&random)
            let offsets = file.tensor(name)["data_offsets"] as? [Int] ?? [0, 0]
            let (begin, end) = (offsets.first ?? 0, offsets.last ?? 0)
            let candidates: [[Any]] = [
                [begin + 4, end + 4], [begin - 4, end - 4], [end, begin], [begin, begin], [0, end - begin],
                [begin, Int.max], [-1, end], [begin], [begin, end, end], [Double(begin) + 0.5, end], ["0", end],
                [begin, 1 << 40],
            ]
            let chosen = candidates[random.nextIndex(candidates.count)]
            file.setField(name, "data_offsets", chosen)
            return (file.data, "\(name) data_offsets → \(chosen)")
        case .dtypeEdit:
            var file = HeaderEditor(data)
            let name = file.randomTensorName(&random)
            let candidates: [Any] = ["F16", "BF16", "F64", "I32", "U8", "BOOL", "f32", "", "F32 ", 7, NSNull()]
            let chosen = candidates[random.nextIndex(candidates.count)]
            file.setField(name, "dtype", chosen)
            if random.nextIndex(2) == 0, let text = chosen as? String, text == "F16" || text == "BF16" || text == "F64",
               var shape = file.tensor(name)["shape"] as? [Int], !shape.isEmpty {
                // Keep the byte count consistent so the reinterpreted values reach validation.
                shape[shape.count - 1] = text == "F64" ? shape[shape.count - 1] / 2 : shape[shape.count - 1] * 2
                file.setField(name, "shape", shape)
            }
            return (file.data, "\(name) dtype → \(chosen)")
        case .metadataEdit:
            var file = HeaderEditor(data)
            var metadata = file.metadata
            let keys = MetadataValues.keys
            let key = keys[(round / Mutation.allCases.count) % keys.count]
            let value = MetadataValues.mutated(key: key, current: metadata[key], random: &random)
            metadata[key] = value
            file.metadata = metadata
            return (file.data, "metadata \(key) → \(value.map { String($0.prefix(120)).debugDescription } ?? "removed")")
        case .tensorEdit:
            var tensors = checkpoint.tensors
            var metadata = checkpoint.metadata
            let index = random.nextIndex(tensors.count)
            let name = tensors[index].name
            let description: String
            switch random.nextIndex(8) {
            case 0:
                tensors.remove(at: index)
                description = "removed \(name)"
            case 1:
                let shape = tensors[index].shape.map { _ in random.nextIndex(4) }
                tensors[index] = NamedTensor(name: name, shape: shape, values: Array(repeating: 0.5, count: shape.reduce(1, *)))
                description = "\(name) reshaped to \(shape)"
            case 2:
                let layer = 1 + random.nextIndex(6)
                let renamed = name.replacingOccurrences(of: "_l0", with: "_l\(layer)")
                tensors.append(NamedTensor(name: renamed == name ? name + "_extra" : renamed, shape: tensors[index].shape, values: tensors[index].values))
                description = "copied \(name) as layer \(layer)"
            case 3:
                var values = tensors[index].values
                if !values.isEmpty { values[random.nextIndex(values.count)] = [Float.nan, .infinity, -.infinity][random.nextIndex(3)] }
                tensors[index].values = values
                description = "a non-finite value in \(name)"
            case 4:
                tensors[index].values = tensors[index].values.map { _ in [Float.greatestFiniteMagnitude, -1e30, Float.leastNonzeroMagnitude][random.nextIndex(3)] }
                description = "extreme values in \(name)"
            case 5:
                let rows = random.nextIndex(3)
                for (position, tensor) in tensors.enumerated() where tensor.name.hasPrefix("head.") {
                    var shape = tensor.shape
                    shape[0] = rows
                    tensors[position] = NamedTensor(name: tensor.name, shape: shape, values: Array(repeating: 0.1, count: shape.reduce(1, *)))
                }
                description = "head with \(rows) rows"
            case 6:
                tensors[index].name = ["", "__metadata__x", "rnn.weight_ih_l0_reverse", "embedding.weight", "head.weight"][random.nextIndex(5)]
                description = "\(name) renamed \(tensors[index].name.debugDescription)"
            default:
                metadata["cell"] = CellKind.allCases[random.nextIndex(3)].rawValue
                description = "cell → \(metadata["cell"]!)"
            }
            var unique: [String: NamedTensor] = [:]
            tensors = tensors.filter { unique.updateValue($0, forKey: $0.name) == nil }
            return (SafeTensors.encode(tensors, metadata: metadata), description)
        case .headerText:
            var file = HeaderEditor(data)
            var text = Array(file.headerText.utf8)
            let edits: [(String, ([UInt8]) -> [UInt8])] = [
                ("a quote removed", { bytes in var b = bytes; if let i = b.lastIndex(of: UInt8(ascii: "\"")) { b.remove(at: i) }; return b }),
                ("a brace doubled", { $0 + [UInt8(ascii: "}")] }),
                ("a NUL inserted", { bytes in var b = bytes; b.insert(0, at: bytes.count / 2); return b }),
                ("invalid UTF-8", { bytes in var b = bytes; b.insert(0xC3, at: bytes.count / 3); return b }),
                ("a duplicate key", { bytes in
                    let string = String(decoding: bytes, as: UTF8.self)
                    guard let range = string.range(of: "\"head.bias\"") else { return bytes }
                    return Array(string.replacingCharacters(in: range, with: "\"head.weight\"").utf8)
                }),
                ("nesting", { _ in Array((String(repeating: "[", count: 200) + String(repeating: "]", count: 200)).utf8) }),
                ("empty object", { _ in Array("{}".utf8) }),
            ]
            let (name, edit) = edits[random.nextIndex(edits.count)]
            text = edit(text)
            file.headerText = String(decoding: text, as: UTF8.self)
            file.rawHeader = text
            return (file.data, "header text: \(name)")
        }
    }
}

/// Interesting values for every metadata key the project writes or reads.
enum MetadataValues {
    static let keys = [
        "cell", "nonlinearity", "gru_reset_after", Checkpoint.headKey, Checkpoint.inputKey,
        CheckpointMetadata.vocabularyKey, CheckpointMetadata.classNamesKey, CheckpointMetadata.normalizationKey,
        CheckpointMetadata.setupKey, CheckpointMetadata.datasetKey, CheckpointMetadata.taskKey,
    ]

    static func mutated(key: String, current: String?, random: inout SeededRandom) -> String? {
        var choices: [String?] = [nil, "", "garbage", "{", "null", "[]", "{}", "\u{0}", String(repeating: "x", count: 5000)]
        switch key {
        case "cell": choices += ["rnn", "lstm", "gru", "LSTM", "transformer"]
        case "nonlinearity": choices += ["tanh", "relu", "sigmoid"]
        case "gru_reset_after": choices += ["true", "false", "TRUE", "yes"]
        case Checkpoint.headKey: choices += HeadKind.allCases.map(\.rawValue)
        case Checkpoint.inputKey: choices += ["embedding", "one_hot", "numeric", "tokens"]
        case CheckpointMetadata.taskKey: choices += ["languageModel", "classification", "regression", "poetry"]
        default: break
        }
        if let current, let json = try? JSONSerialization.jsonObject(with: Data(current.utf8), options: [.fragmentsAllowed]) {
            // Structured edits: change one leaf, drop or grow an array, delete a field.
            for _ in 0..<4 {
                let edited = mutate(json, random: &random)
                if let data = try? JSONSerialization.data(withJSONObject: edited, options: [.fragmentsAllowed]) {
                    choices.append(String(decoding: data, as: UTF8.self))
                }
            }
        }
        return choices[random.nextIndex(choices.count)]
    }

    private static func mutate(_ value: Any, random: inout SeededRandom) -> Any {
        let numbers: [Any] = [0, -1, 1, 2, 1 << 31, Int(Int32.max), Int.max, 1 << 40, 0.5, -0.0, 1e308, 1e-300]
        switch value {
        case var object as [String: Any]:
            guard !object.isEmpty else { return ["extra": 1] }
            let keys = object.keys.sorted()
            let key = keys[random.nextIndex(keys.count)]
            switch random.nextIndex(4) {
            case 0: object[key] = nil
            case 1: object[key] = NSNull()
            default: object[key] = mutate(object[key]!, random: &random)
            }
            return object
        case var array as [Any]:
            switch random.nextIndex(5) {
            case 0: return []
            case 1: if !array.isEmpty { array.removeLast() }
            case 2: array += array.prefix(3)
            case 3: array.append(numbers[random.nextIndex(numbers.count)])
            default: if !array.isEmpty { let i = random.nextIndex(array.count); array[i] = mutate(array[i], random: &random) }
            }
            return array
        case is String:
            return ["", "x", "\n", "€", String(repeating: "y", count: 300), 7][random.nextIndex(6)]
        case is NSNumber:
            return numbers[random.nextIndex(numbers.count)]
        default:
            return numbers[random.nextIndex(numbers.count)]
        }
    }
}

/// A safetensors file opened for header edits: the JSON header as objects, the data after it untouched.
struct HeaderEditor {
    var header: [String: Any]
    var body: Data
    var headerText: String
    /// Set to write these exact header bytes instead of re-serialising `header`.
    var rawHeader: [UInt8]?

    init(_ data: Data) {
        let bytes = [UInt8](data)
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let headerBytes = Array(bytes[8..<min(bytes.count, 8 + length)])
        headerText = String(decoding: headerBytes, as: UTF8.self)
        header = (try? JSONSerialization.jsonObject(with: Data(headerBytes))) as? [String: Any] ?? [:]
        body = Data(bytes[min(bytes.count, 8 + length)...])
    }

    var metadata: [String: String] {
        get { header["__metadata__"] as? [String: String] ?? [:] }
        set { header["__metadata__"] = newValue }
    }

    func tensor(_ name: String) -> [String: Any] { header[name] as? [String: Any] ?? [:] }

    func randomTensorName(_ random: inout SeededRandom) -> String {
        let names = header.keys.filter { $0 != "__metadata__" }.sorted()
        return names.isEmpty ? "head.weight" : names[random.nextIndex(names.count)]
    }

    mutating func setField(_ tensor: String, _ field: String, _ value: Any) {
        var entry = self.tensor(tensor)
        entry[field] = value
        header[tensor] = entry
    }

    var data: Data {
        var json = rawHeader ?? [UInt8]((try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data("{}".utf8))
        json += repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
        var file = Data((0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) })
        file.append(contentsOf: json)
        file.append(body)
        return file
    }
}
