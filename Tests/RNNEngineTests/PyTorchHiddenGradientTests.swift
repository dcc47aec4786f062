import Foundation
import XCTest
@testable import RNNEngine

/// ∂L/∂h_t and ∂L/∂c_t against PyTorch's: each fixture in Fixtures/pytorch_dh is a state_dict and the
/// `.grad` of every h_t and c_t that a cell-by-cell loop with `retain_grad` kept (scripts/pytorch/
/// make_fixtures.py, GRADIENT_CASES): every cell, both GRU conventions, two layers, masked batches.
final class PyTorchHiddenGradientTests: XCTestCase {
    struct Fixture: Decodable {
        struct Layer: Decodable {
            var dh: [[[Double]]]
            var dc: [[[Double]]]?
        }
        var cell: String
        var head: String
        var steps: Int
        var batch: Int
        var hidden: Int
        var tokens: [[Int32]]
        var mask: [[Double]]
        /// (T, B) for every-step heads, (B) for classification of the last step.
        var targets: Targets
        var loss: Double
        var layers: [Layer]

        enum Targets: Decodable {
            case perStep([[Int32]]), perSequence([Int32])
            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let rows = try? container.decode([[Int32]].self) { self = .perStep(rows) } else { self = .perSequence(try container.decode([Int32].self)) }
            }
            var flat: [Int32] {
                switch self {
                case .perStep(let rows): rows.flatMap { $0 }
                case .perSequence(let values): values
                }
            }
        }
    }

    func testHiddenAndCellGradientsMatchPyTorch() throws {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/pytorch_dh")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 7, "fixtures are missing")
        var cells = Set<String>(), masked = 0
        for name in names {
            let stem = String(name.dropLast(5))
            let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
            let checkpoint = try Checkpoint.load(from: directory.appendingPathComponent(stem + ".safetensors"))
            XCTAssertEqual(checkpoint.config.head.rawValue, fixture.head, stem)
            cells.insert(fixture.cell + (checkpoint.config.cell == .gru ? (checkpoint.config.gruResetAfter ? "-after" : "-before") : ""))
            let model = try checkpoint.makeModel()
            let mask = fixture.mask.flatMap { $0 }.map(Float.init)
            let isMasked = mask.contains(0)
            if isMasked { masked += 1 }
            let batch = Batch(timeSteps: fixture.steps, batchSize: fixture.batch, tokens: fixture.tokens.flatMap { $0 },
                              targetTokens: fixture.targets.flat, mask: isMasked ? mask : nil)
            XCTAssertNoThrow(try model.validate(batch), stem)
            let recorded = try XCTUnwrap(model.hiddenGradients(batch), stem)
            XCTAssertEqual(recorded.loss, fixture.loss, accuracy: 1e-4 * max(1, abs(fixture.loss)), "\(stem) loss")
            XCTAssertEqual(recorded.hidden.count, fixture.layers.count, stem)
            for (layer, expected) in fixture.layers.enumerated() {
                assertClose(recorded.hidden[layer], expected.dh.flatMap { $0.flatMap { $0 } }, "\(stem) layer \(layer) dh")
                if let dc = expected.dc {
                    assertClose(recorded.cell?[layer] ?? [], dc.flatMap { $0.flatMap { $0 } }, "\(stem) layer \(layer) dc")
                } else {
                    XCTAssertNil(recorded.cell, stem)
                }
            }
            if fixture.batch == 1 {
                // The probe records the same numbers.
                let probe = model.probe(batch)
                for (layer, expected) in fixture.layers.enumerated() {
                    assertClose(probe.layers[layer].hiddenGradient ?? [], expected.dh.flatMap { $0.flatMap { $0 } }, "\(stem) probe layer \(layer) dh")
                }
            }
        }
        XCTAssertEqual(cells, ["rnn", "lstm", "gru-after", "gru-before"], "every cell and both GRU conventions")
        XCTAssertGreaterThanOrEqual(masked, 3, "masked batches")
    }

    private func assertClose(_ actual: [Float], _ expected: [Double], _ what: String) {
        guard actual.count == expected.count else {
            return XCTFail("\(what): \(actual.count) values, PyTorch has \(expected.count)")
        }
        var worst = 0.0, worstIndex = 0, largest = 0.0
        for index in actual.indices {
            let error = abs(Double(actual[index]) - expected[index]) / max(1, abs(expected[index]))
            largest = max(largest, abs(expected[index]))
            if error > worst { worst = error; worstIndex = index }
        }
        XCTAssertLessThanOrEqual(worst, 1e-4, "\(what): worst error \(worst) at \(worstIndex)")
        XCTAssertGreaterThan(largest, 1e-3, "\(what): PyTorch's gradients are all ~0; the fixture checks nothing")
    }
}
