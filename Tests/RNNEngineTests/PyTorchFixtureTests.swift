import Foundation
import XCTest
@testable import RNNEngine

/// Holds the engine to PyTorch's own numbers: each fixture is a module's state_dict saved by
/// `safetensors.torch.save_file` (F32, F16, BF16 or F64) and the h, c, gates, logits, loss and gradients
/// PyTorch computed for one sequence (scripts/pytorch/make_fixtures.py). Tolerance 1e-4.
final class PyTorchFixtureTests: XCTestCase {
    struct Fixture: Decodable {
        struct Layer: Decodable {
            var h: [[Double]]
            var c: [[Double]]?
            var gates: [String: [[Double]]]
        }
        var cell: String
        var tokens: [Int32]?
        var targets: [Int32]?
        var layers: [Layer]
        var logits: [[Double]]
        var loss: Double
        var grads: [String: [Double]]
    }

    static var fixtureDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/pytorch")
    }

    func testEveryFixtureMatchesPyTorch() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtureDirectory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 6, "fixtures are missing")
        for name in names {
            let stem = String(name.dropLast(5))
            let fixture = try JSONDecoder().decode(
                Fixture.self, from: Data(contentsOf: Self.fixtureDirectory.appendingPathComponent(name)))
            guard let tokens = fixture.tokens else { continue }
            let checkpoint = try Checkpoint.load(from: Self.fixtureDirectory.appendingPathComponent(stem + ".safetensors"))
            XCTAssertEqual(checkpoint.config.cell.rawValue, fixture.cell, stem)
            let model = try checkpoint.makeModel()
            // Half-precision files hold rounded weights; PyTorch computed in that precision's float32 upcast.
            let tolerance = 1e-4
            let probe = model.probe(Batch(timeSteps: tokens.count, batchSize: 1, tokens: tokens))
            XCTAssertEqual(probe.layers.count, fixture.layers.count, stem)
            for (index, (layer, expected)) in zip(probe.layers, fixture.layers).enumerated() {
                assertClose(layer.hidden, expected.h.flatMap { $0 }, tolerance, "\(stem) layer \(index) h")
                if let c = expected.c { assertClose(layer.cell ?? [], c.flatMap { $0 }, tolerance, "\(stem) layer \(index) c") }
                XCTAssertEqual(Set(layer.gates.map(\.name)), Set(expected.gates.keys), "\(stem) gate names")
                for gate in layer.gates {
                    assertClose(gate.values, expected.gates[gate.name]?.flatMap { $0 } ?? [], tolerance, "\(stem) layer \(index) gate \(gate.name)")
                }
            }
            assertClose(probe.outputs, fixture.logits.flatMap { $0 }, tolerance, "\(stem) logits")

            guard let targets = fixture.targets else { continue }
            model.zeroGradients()
            let result = model.forward(Batch(timeSteps: tokens.count, batchSize: 1, tokens: tokens, targetTokens: targets), training: false)
            XCTAssertEqual(result.loss, fixture.loss, accuracy: tolerance * max(1, abs(fixture.loss)), "\(stem) loss")
            model.backward()
            for gradient in model.namedGradients() {
                guard let expected = fixture.grads[gradient.name] else {
                    XCTFail("\(stem): PyTorch has no gradient for \(gradient.name)")
                    continue
                }
                assertClose(gradient.values, expected, tolerance, "\(stem) d\(gradient.name)")
            }
        }
    }

    /// The multi-label fixtures: a sigmoid head at the last step, held to `nn.BCEWithLogitsLoss` (loss and every
    /// gradient); `head_activation: sigmoid` alone in the metadata makes the loaded model multi-label.
    func testMultiLabelFixturesMatchBCEWithLogitsLoss() throws {
        struct MultiLabelFixture: Decodable {
            var tokens: [Int32]
            var labelTargets: [Float]
            var loss: Double
            var grads: [String: [Double]]
            enum CodingKeys: String, CodingKey {
                case tokens, loss, grads
                case labelTargets = "label_targets"
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtureDirectory.path)
            .filter { $0.hasPrefix("multilabel_") && $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(names.count, 2, "multi-label fixtures are missing")
        let tolerance = 1e-4
        for name in names {
            let stem = String(name.dropLast(5))
            let fixture = try JSONDecoder().decode(
                MultiLabelFixture.self, from: Data(contentsOf: Self.fixtureDirectory.appendingPathComponent(name)))
            let checkpoint = try Checkpoint.load(from: Self.fixtureDirectory.appendingPathComponent(stem + ".safetensors"))
            XCTAssertEqual(checkpoint.config.head, .multiLabelLast, stem)
            XCTAssertEqual(checkpoint.config.outputSize, fixture.labelTargets.count, stem)
            let model = try checkpoint.makeModel()
            let batch = Batch(timeSteps: fixture.tokens.count, batchSize: 1, tokens: fixture.tokens,
                              targetValues: fixture.labelTargets)
            XCTAssertNoThrow(try model.validate(batch), stem)
            model.zeroGradients()
            let result = model.forward(batch, training: false)
            XCTAssertEqual(result.loss, fixture.loss, accuracy: tolerance * max(1, abs(fixture.loss)), "\(stem) loss")
            model.backward()
            for gradient in model.namedGradients() {
                guard let expected = fixture.grads[gradient.name] else {
                    XCTFail("\(stem): PyTorch has no gradient for \(gradient.name)")
                    continue
                }
                assertClose(gradient.values, expected, tolerance, "\(stem) d\(gradient.name)")
            }
        }
    }

    private func assertClose(_ actual: [Float], _ expected: [Double], _ tolerance: Double, _ what: String) {
        guard actual.count == expected.count else {
            XCTFail("\(what): \(actual.count) values, PyTorch has \(expected.count)")
            return
        }
        var worst = 0.0, worstIndex = 0
        for index in actual.indices {
            let error = abs(Double(actual[index]) - expected[index]) / max(1, abs(expected[index]))
            if error > worst { worst = error; worstIndex = index }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, "\(what): worst error \(worst) at \(worstIndex)")
    }
}
