import Foundation
import RNNEngine
import XCTest

/// `probe` (one sequence, kept whole) against the oracle's per-timestep gates, h, c and head outputs, and
/// the engine's thread count against its single-threaded self.
final class ProbeTests: XCTestCase {
    func checkProbe(_ config: ModelConfig, file: StaticString = #filePath, line: UInt = #line) {
        let model = RecurrentModel(config: config, seed: 13)
        var batch = OracleBatch.make(config, timeSteps: 5, batchSize: 1, seed: 40)
        batch.targetTokens = nil
        batch.targetValues = nil
        let probe = model.probe(batch)
        let oracle = ReferenceNetwork(config: config, tensors: model.namedParameters()).run(batch)
        let label = "\(config.cell) resetAfter \(config.gruResetAfter)"

        XCTAssertEqual(probe.timeSteps, 5, file: file, line: line)
        XCTAssertEqual(probe.hiddenSize, config.hiddenSize, file: file, line: line)
        XCTAssertEqual(probe.outputSize, config.outputSize, file: file, line: line)
        XCTAssertEqual(probe.layers.count, config.layerCount, file: file, line: line)
        for (layer, trace) in probe.layers.enumerated() {
            let expected = oracle.layers[layer]
            XCTAssertEqual(trace.gates.map(\.name), config.cell.gateNames, file: file, line: line)
            for (index, gate) in trace.gates.enumerated() {
                assertClose(gate.values, expected.gates[index], "\(label) layer \(layer) gate \(gate.name)", file: file, line: line)
            }
            assertClose(trace.hidden, expected.hidden, "\(label) layer \(layer) h", file: file, line: line)
            if let cell = expected.cell {
                assertClose(trace.cell ?? [], cell, "\(label) layer \(layer) c", file: file, line: line)
            } else {
                XCTAssertNil(trace.cell, file: file, line: line)
            }
        }
        assertClose(probe.outputs, oracle.outputs, "\(label) outputs", file: file, line: line)
    }

    func assertClose(_ actual: [Float], _ expected: [Double], _ what: String, file: StaticString, line: UInt) {
        XCTAssertEqual(actual.count, expected.count, "\(what): count", file: file, line: line)
        let worst = zip(actual, expected).map { abs(Double($0) - $1) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-5, "\(what): largest difference", file: file, line: line)
    }

    func testLSTMProbe() {
        checkProbe(ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 6, dimension: 3), hiddenSize: 4,
                               layerCount: 2, head: .tokenEveryStep, outputSize: 6))
    }

    func testGRUResetAfterProbe() {
        checkProbe(ModelConfig(cell: .gru, gruResetAfter: true, input: .oneHot(vocabularySize: 5), hiddenSize: 4,
                               layerCount: 2, head: .classifyLast, outputSize: 3))
    }

    func testGRUResetBeforeProbe() {
        checkProbe(ModelConfig(cell: .gru, gruResetAfter: false, input: .numeric(featureCount: 2), hiddenSize: 3,
                               layerCount: 2, head: .regressLast, outputSize: 2))
    }

    func testRNNProbe() {
        checkProbe(ModelConfig(cell: .rnn, nonlinearity: .relu, input: .numeric(featureCount: 3), hiddenSize: 4,
                               layerCount: 2, head: .regressEveryStep, outputSize: 2))
    }

    /// Probing does not disturb training: the next forward/backward gives the same loss and gradients.
    func testProbeLeavesTrainingStateAlone() {
        let config = ModelConfig(cell: .lstm, input: .numeric(featureCount: 2), hiddenSize: 3, layerCount: 2,
                                 head: .regressLast, outputSize: 1)
        let model = RecurrentModel(config: config, seed: 14)
        let batch = OracleBatch.make(config, timeSteps: 4, batchSize: 3, seed: 41)
        model.zeroGradients()
        let loss = model.forward(batch).loss
        var single = OracleBatch.make(config, timeSteps: 6, batchSize: 1, seed: 42)
        single.targetValues = nil
        _ = model.probe(single)
        model.backward()
        let gradientsAfterProbe = model.namedGradients()
        model.zeroGradients()
        XCTAssertEqual(model.forward(batch).loss, loss)
        model.backward()
        XCTAssertEqual(model.namedGradients(), gradientsAfterProbe)
    }

    // MARK: - Threads

    /// threadCount 2 splits rows and products; the result must match one thread to rounding.
    func testTwoThreadsMatchOne() {
        let configs = [
            ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 7, dimension: 4), hiddenSize: 5, layerCount: 2,
                        head: .tokenEveryStep, outputSize: 7),
            ModelConfig(cell: .gru, gruResetAfter: true, input: .oneHot(vocabularySize: 5), hiddenSize: 4, layerCount: 2,
                        head: .classifyLast, outputSize: 3),
            ModelConfig(cell: .gru, gruResetAfter: false, input: .numeric(featureCount: 3), hiddenSize: 4, layerCount: 2,
                        head: .regressEveryStep, outputSize: 2),
            ModelConfig(cell: .rnn, input: .numeric(featureCount: 3), hiddenSize: 6, layerCount: 2,
                        head: .regressLast, outputSize: 2),
        ]
        for config in configs {
            let lengths = config.head == .classifyLast ? [6, 3, 5, 1, 6] : nil
            let batch = OracleBatch.make(config, timeSteps: 6, batchSize: 5, lengths: lengths, seed: 50)
            var results: [(loss: Double, gradients: [NamedTensor])] = []
            for threadCount in [1, 2] {
                let model = RecurrentModel(config: config, seed: 15, threadCount: threadCount)
                model.zeroGradients()
                let loss = model.forward(batch).loss
                model.backward()
                results.append((loss, model.namedGradients()))
            }
            XCTAssertEqual(results[0].loss, results[1].loss, accuracy: 1e-6, "\(config.cell): loss")
            for (one, two) in zip(results[0].gradients, results[1].gradients) {
                let worst = zip(one.values, two.values).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
                XCTAssertLessThan(worst, 1e-6, "\(config.cell) \(one.name): threadCount 2 differs from 1")
            }
        }
    }
}
