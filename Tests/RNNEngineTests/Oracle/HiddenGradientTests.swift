import Foundation
import RNNEngine
import XCTest

/// The recorded total derivatives ∂L/∂h_t and ∂L/∂c_t against central finite differences of the Double
/// oracle's loss in a perturbation of that one h_t (c_t): every layer, timestep, sequence and unit, for
/// every cell, both GRU conventions, two layers, masks, with and without unit surgery.
final class HiddenGradientTests: XCTestCase {
    let checker = GradientChecker()

    static let cases: [(name: String, config: ModelConfig, lengths: [Int]?)] = [
        ("LSTM, embedding, every step, masked",
         ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 6, dimension: 3), hiddenSize: 4, layerCount: 2,
                     head: .tokenEveryStep, outputSize: 6), [5, 3, 4]),
        ("GRU reset after, one-hot, classify last, masked",
         ModelConfig(cell: .gru, gruResetAfter: true, input: .oneHot(vocabularySize: 5), hiddenSize: 4, layerCount: 2,
                     head: .classifyLast, outputSize: 3), [5, 2, 4]),
        ("GRU reset before, numeric, regress last",
         ModelConfig(cell: .gru, gruResetAfter: false, input: .numeric(featureCount: 2), hiddenSize: 3, layerCount: 2,
                     head: .regressLast, outputSize: 2), nil),
        ("RNN tanh, numeric, regress every step",
         ModelConfig(cell: .rnn, input: .numeric(featureCount: 3), hiddenSize: 4, layerCount: 2,
                     head: .regressEveryStep, outputSize: 2), nil),
        ("RNN relu, one-hot, every step, masked",
         ModelConfig(cell: .rnn, nonlinearity: .relu, input: .oneHot(vocabularySize: 5), hiddenSize: 4, layerCount: 2,
                     head: .tokenEveryStep, outputSize: 5), [5, 4, 2]),
    ]

    /// Compares `recorded` (T, B, H) of `layer` with the oracle's finite differences; returns how many
    /// elements were outside tolerance and the largest |numeric| seen.
    func compare(
        _ recorded: [Float], cell: Bool, layer: Int, reference: ReferenceNetwork, batch: Batch, what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) -> Double {
        let hidden = reference.config.hiddenSize
        XCTAssertEqual(recorded.count, batch.timeSteps * batch.batchSize * hidden, "\(what): count", file: file, line: line)
        var largest = 0.0, failures: [String] = []
        for time in 0..<batch.timeSteps {
            for row in 0..<batch.batchSize {
                for unit in 0..<hidden {
                    var network = reference
                    network.nudge = .init(cell: cell, layer: layer, time: time, row: row, unit: unit, delta: checker.step)
                    let plus = network.run(batch).loss
                    network.nudge!.delta = -checker.step
                    let minus = network.run(batch).loss
                    let numeric = (plus - minus) / (2 * checker.step)
                    let analytic = Double(recorded[(time * batch.batchSize + row) * hidden + unit])
                    largest = max(largest, abs(numeric))
                    if abs(analytic - numeric) > checker.absoluteTolerance + checker.relativeTolerance * abs(numeric) {
                        failures.append("t \(time) row \(row) unit \(unit): recorded \(analytic), numeric \(numeric)")
                    }
                }
            }
        }
        XCTAssertTrue(failures.isEmpty, "\(what): \(failures.count) outside tolerance\n" + failures.prefix(8).joined(separator: "\n"),
                      file: file, line: line)
        return largest
    }

    func check(_ config: ModelConfig, lengths: [Int]?, name: String, intervention: Intervention? = nil) throws {
        let model = RecurrentModel(config: config, seed: 21)
        if let intervention { try model.setIntervention(intervention) }
        let batch = OracleBatch.make(config, timeSteps: 5, batchSize: 3, lengths: lengths, seed: 60)
        var reference = ReferenceNetwork(config: config, tensors: model.namedParameters())
        if let intervention { apply(intervention, to: &reference, cell: config.cell) }
        let before = model.namedGradients()
        let recorded = try XCTUnwrap(model.hiddenGradients(batch))
        XCTAssertEqual(model.namedGradients(), before, "\(name): recording must leave the gradients alone")
        XCTAssertEqual(recorded.loss, reference.run(batch).loss, accuracy: 1e-5, "\(name): loss")
        var largest = 0.0
        for layer in 0..<config.layerCount {
            largest = max(largest, compare(recorded.hidden[layer], cell: false, layer: layer, reference: reference, batch: batch,
                                           what: "\(name) layer \(layer) dh"))
            if config.cell == .lstm {
                let cell = try XCTUnwrap(recorded.cell?[layer])
                largest = max(largest, compare(cell, cell: true, layer: layer, reference: reference, batch: batch,
                                               what: "\(name) layer \(layer) dc"))
            } else {
                XCTAssertNil(recorded.cell, name)
            }
        }
        XCTAssertGreaterThan(largest, 1e-3, "\(name): the gradients vanish, the check proves nothing")
    }

    func apply(_ intervention: Intervention, to reference: inout ReferenceNetwork, cell: CellKind) {
        for edit in intervention.edits {
            switch edit.action {
            case .ablate: reference.ablated.insert([edit.layer, edit.unit])
            case .clamp(let gate, let value): reference.clamps[[edit.layer, gate.blockIndex(in: cell)!, edit.unit]] = Double(value)
            }
        }
    }

    func testEveryCellAgainstFiniteDifferences() throws {
        for testCase in Self.cases { try check(testCase.config, lengths: testCase.lengths, name: testCase.name) }
    }

    func testWithUnitSurgeryAgainstFiniteDifferences() throws {
        for testCase in Self.cases {
            var edits = [Intervention.Edit(layer: 0, unit: 1, action: .ablate), Intervention.Edit(layer: 1, unit: 2, action: .ablate)]
            if let gate = Intervention.Gate.clampable(in: testCase.config.cell).first {
                edits.append(.init(layer: 0, unit: 0, action: .clamp(gate, value: 1)))
                edits.append(.init(layer: 1, unit: 0, action: .clamp(Intervention.Gate.clampable(in: testCase.config.cell).last!, value: 0)))
            }
            try check(testCase.config, lengths: testCase.lengths, name: testCase.name + " with surgery",
                      intervention: Intervention(edits: edits))
        }
    }

    /// A probe (batch of one) records the same dh/dc as the batch API for that sequence alone, and its
    /// loss; without targets it records nothing.
    func testProbeRecordsTheSameAsTheBatchAPI() throws {
        for testCase in Self.cases {
            let model = RecurrentModel(config: testCase.config, seed: 22)
            let batch = OracleBatch.make(testCase.config, timeSteps: 6, batchSize: 1, seed: 61)
            let probe = model.probe(batch)
            let recorded = try XCTUnwrap(model.hiddenGradients(batch))
            XCTAssertEqual(probe.loss, recorded.loss, testCase.name)
            XCTAssertEqual(recorded.sequenceScales, [1], testCase.name)
            for layer in 0..<testCase.config.layerCount {
                XCTAssertEqual(probe.layers[layer].hiddenGradient, recorded.hidden[layer], testCase.name)
                XCTAssertEqual(probe.layers[layer].cellGradient, recorded.cell?[layer], testCase.name)
            }
            var unlabelled = batch
            unlabelled.targetTokens = nil
            unlabelled.targetValues = nil
            let plain = model.probe(unlabelled)
            XCTAssertNil(plain.loss)
            XCTAssertNil(plain.layers[0].hiddenGradient)
            XCTAssertNil(model.hiddenGradients(unlabelled))
        }
    }

    /// sequenceScales turn a batch row into what a probe of that sequence alone records.
    func testSequenceScalesGiveEachSequencesOwnGradient() throws {
        let (name, config, lengths) = Self.cases[0]
        let model = RecurrentModel(config: config, seed: 23)
        let batch = OracleBatch.make(config, timeSteps: 5, batchSize: 3, lengths: lengths, seed: 62)
        let recorded = try XCTUnwrap(model.hiddenGradients(batch))
        let hidden = config.hiddenSize
        for row in 0..<3 {
            let length = lengths![row]
            let single = Batch(
                timeSteps: length, batchSize: 1,
                tokens: (0..<length).map { batch.tokens![$0 * 3 + row] },
                targetTokens: (0..<length).map { batch.targetTokens![$0 * 3 + row] })
            let alone = try XCTUnwrap(model.hiddenGradients(single))
            for layer in 0..<2 {
                for time in 0..<length {
                    for unit in 0..<hidden {
                        let scaled = recorded.hidden[layer][(time * 3 + row) * hidden + unit] * recorded.sequenceScales[row]
                        XCTAssertEqual(scaled, alone.hidden[layer][time * hidden + unit], accuracy: 1e-5,
                                       "\(name) row \(row) layer \(layer) t \(time) unit \(unit)")
                    }
                }
            }
        }
    }

    /// A recording probe between a training forward and its backward changes neither the loss nor the
    /// gradients that backward adds.
    func testRecordingProbeLeavesAPendingTrainingBackwardAlone() throws {
        let (_, config, lengths) = Self.cases[0]
        let batch = OracleBatch.make(config, timeSteps: 5, batchSize: 3, lengths: lengths, seed: 63)
        let probeBatch = OracleBatch.make(config, timeSteps: 7, batchSize: 1, seed: 64)
        var results: [(loss: Double, gradients: [NamedTensor])] = []
        for withProbe in [false, true] {
            let model = RecurrentModel(config: config, seed: 24)
            model.zeroGradients()
            let loss = model.forward(batch, training: true).loss
            if withProbe { XCTAssertNotNil(model.probe(probeBatch).loss) }
            model.backward()
            results.append((loss, model.namedGradients()))
        }
        XCTAssertEqual(results[0].loss, results[1].loss)
        XCTAssertEqual(results[0].gradients, results[1].gradients)
    }
}

/// `continueSequence` carries one sequence's state across calls: two halves give what one pass gives.
final class ContinueSequenceTests: XCTestCase {
    func testTwoHalvesEqualOnePassAndTheCarriedStateIsUntouched() {
        for (name, config, _) in HiddenGradientTests.cases {
            let model = RecurrentModel(config: config, seed: 25)
            var whole = OracleBatch.make(config, timeSteps: 6, batchSize: 1, seed: 65)
            whole.targetTokens = nil
            whole.targetValues = nil
            func part(_ range: Range<Int>) -> Batch {
                var batch = Batch(timeSteps: range.count, batchSize: 1)
                if let tokens = whole.tokens { batch.tokens = Array(tokens[range]) }
                if let features = whole.features {
                    let width = features.count / 6
                    batch.features = Array(features[(range.lowerBound * width)..<(range.upperBound * width)])
                }
                return batch
            }
            let training = OracleBatch.make(config, timeSteps: 4, batchSize: 2, seed: 66)
            let carriedBefore = model.forward(training, training: false, carryState: true).loss
            let (oneOutputs, oneState) = model.continueSequence(whole, from: nil)
            let (_, firstState) = model.continueSequence(part(0..<2), from: nil)
            let (twoOutputs, twoState) = model.continueSequence(part(2..<6), from: firstState)
            let probe = model.probe(whole)
            let outputSize = config.outputSize
            for (output, expected) in zip(oneOutputs, probe.outputs[(5 * outputSize)...]) {
                XCTAssertEqual(output, expected, accuracy: 1e-6, name)
            }
            for (one, two) in zip(oneOutputs + oneState.values, twoOutputs + twoState.values) {
                XCTAssertEqual(one, two, accuracy: 1e-6, name)
            }
            XCTAssertEqual(oneState.values.count, config.layerCount * config.hiddenSize * (config.cell == .lstm ? 2 : 1))
            // The carried training state is what the training batch left: the next carried batch sees it.
            let reference = RecurrentModel(config: config, seed: 25)
            reference.forward(training, training: false, carryState: true)
            XCTAssertEqual(model.forward(training, training: false, carryState: true).loss,
                           reference.forward(training, training: false, carryState: true).loss, name)
            XCTAssertTrue(carriedBefore.isFinite)
        }
    }
}
