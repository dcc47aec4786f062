import Foundation
import XCTest
@testable import RNNEngine

/// Checkpoints rebuild the same model (configuration from shapes and metadata, identical weights and
/// outputs) and refuse files whose tensors do not make a model, naming the tensor.
final class CheckpointTests: XCTestCase {
    private func temporaryURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString).safetensors")
    }

    func testRoundTripRebuildsEveryKindOfModel() throws {
        let configs: [ModelConfig] = [
            ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 9, dimension: 4), hiddenSize: 6, layerCount: 2,
                        head: .tokenEveryStep, outputSize: 9),
            ModelConfig(cell: .gru, gruResetAfter: false, input: .oneHot(vocabularySize: 7), hiddenSize: 5,
                        head: .classifyLast, outputSize: 3),
            ModelConfig(cell: .gru, input: .numeric(featureCount: 2), hiddenSize: 4, layerCount: 3,
                        head: .regressLast, outputSize: 1),
            ModelConfig(cell: .rnn, nonlinearity: .relu, input: .numeric(featureCount: 3), hiddenSize: 4,
                        head: .regressEveryStep, outputSize: 2),
            ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 6, dimension: 3), hiddenSize: 4,
                        head: .multiLabelLast, outputSize: 3),
        ]
        for config in configs {
            let model = RecurrentModel(config: config, seed: 11)
            let url = temporaryURL()
            defer { try? FileManager.default.removeItem(at: url) }
            try Checkpoint(model: model, extraMetadata: ["rnn_tui.note": "kept"]).write(to: url)
            let loaded = try Checkpoint.load(from: url)
            XCTAssertEqual(loaded.config, config)
            XCTAssertEqual(loaded.metadata["rnn_tui.note"], "kept")
            XCTAssertEqual(loaded.metadata[Checkpoint.headActivationKey], config.head.activation.rawValue)
            let rebuilt = try loaded.makeModel()
            XCTAssertEqual(rebuilt.namedParameters(), model.namedParameters())
            let batch: Batch
            switch config.input {
            case .numeric(let featureCount):
                batch = Batch(timeSteps: 3, batchSize: 1, features: (0..<(3 * featureCount)).map { Float($0) / 10 })
            default:
                batch = Batch(timeSteps: 3, batchSize: 1, tokens: [1, 2, 0])
            }
            XCTAssertEqual(rebuilt.probe(batch), model.probe(batch))
        }
    }

    func testRefusesTensorsThatDoNotMakeTheModel() throws {
        let model = RecurrentModel(config: ModelConfig(cell: .lstm, input: .oneHot(vocabularySize: 5), hiddenSize: 3,
                                                       head: .tokenEveryStep, outputSize: 5))
        let good = model.namedParameters()
        func refuse(_ tensors: [NamedTensor], _ metadata: [String: String], mentions expected: String, line: UInt = #line) {
            XCTAssertThrowsError(try Checkpoint(tensors: tensors, metadata: metadata), line: line) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains(expected), "\(message) should mention \(expected)", line: line)
                XCTAssertFalse(message.contains("\n"), line: line)
            }
        }
        refuse(good, [:], mentions: "cell")
        refuse(good, ["cell": "transformer"], mentions: "transformer")
        refuse(good, ["cell": "gru"], mentions: "rnn.weight_hh_l0")  // 4H rows are not a GRU's 3H
        refuse(good, ["cell": "lstm", "nonlinearity": "sigmoid"], mentions: "sigmoid")
        refuse(good.filter { $0.name != "head.weight" }, ["cell": "lstm"], mentions: "head.weight")
        refuse(good.filter { $0.name != "rnn.bias_hh_l0" }, ["cell": "lstm"], mentions: "rnn.bias_hh_l0")
        var misshaped = good
        misshaped[misshaped.firstIndex { $0.name == "rnn.bias_ih_l0" }!] = NamedTensor(name: "rnn.bias_ih_l0", shape: [11], values: Array(repeating: 0, count: 11))
        refuse(misshaped, ["cell": "lstm"], mentions: "rnn.bias_ih_l0")
        refuse(good + [NamedTensor(name: "rnn.weight_ih_l0_reverse", shape: [1], values: [0])], ["cell": "lstm"], mentions: "reverse")
        var wrongHead = good
        wrongHead[wrongHead.firstIndex { $0.name == "head.weight" }!] = NamedTensor(name: "head.weight", shape: [5, 4], values: Array(repeating: 0, count: 20))
        refuse(wrongHead, ["cell": "lstm"], mentions: "head.weight")
        XCTAssertNoThrow(try Checkpoint(tensors: good, metadata: ["cell": "LSTM"]))
    }

    /// `head_activation` tells a PyTorch user what to apply; alone with `cell` it makes a multi-label model,
    /// and one that contradicts the head kind is refused.
    func testHeadActivationMetadata() throws {
        let model = RecurrentModel(config: ModelConfig(cell: .gru, input: .oneHot(vocabularySize: 5), hiddenSize: 3,
                                                       head: .multiLabelLast, outputSize: 4))
        let tensors = model.namedParameters()
        XCTAssertEqual(Checkpoint(model: model).metadata["head_activation"], "sigmoid")
        XCTAssertEqual(try Checkpoint(tensors: tensors, metadata: ["cell": "gru", "head_activation": "sigmoid"]).config.head,
                       .multiLabelLast)
        XCTAssertEqual(try Checkpoint(tensors: tensors, metadata: ["cell": "gru"]).config.head, .tokenEveryStep)
        for (metadata, expected) in [
            (["cell": "gru", "head_activation": "tanh"], "tanh"),
            (["cell": "gru", "head_activation": "sigmoid", "rnn_tui.head": "classifyLast"], "does not match head classifyLast"),
            (["cell": "gru", "head_activation": "softmax", "rnn_tui.head": "multiLabelLast"], "does not match head multiLabelLast"),
        ] {
            XCTAssertThrowsError(try Checkpoint(tensors: tensors, metadata: metadata)) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
    }

    func testHeadActivationApply() {
        let sigmoid = HeadActivation.sigmoid.apply([0, 100, -100, 2])
        XCTAssertEqual(sigmoid[0], 0.5, accuracy: 1e-12)
        XCTAssertEqual(sigmoid[1], 1, accuracy: 1e-12)
        XCTAssertEqual(sigmoid[2], 0, accuracy: 1e-12)
        XCTAssertGreaterThan(sigmoid[2], 0)
        XCTAssertEqual(sigmoid[3], 1 / (1 + exp(-2.0)), accuracy: 1e-7)
        let softmax = HeadActivation.softmax.apply([1, 1, 1000])
        XCTAssertEqual(softmax.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(softmax[2], 1, accuracy: 1e-12)
        XCTAssertEqual(HeadActivation.identity.apply([1.5, -2]), [1.5, -2])
    }

    func testMalformedFileNamesThePath() throws {
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([0x10, 0, 0, 0, 0, 0, 0, 0, 0x7B]).write(to: url)
        XCTAssertThrowsError(try Checkpoint.load(from: url)) { error in
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
        }
    }
}
