import Foundation
import RNNEngine
import RNNTraining
import XCTest

/// The insight APIs on models whose answers are known by construction: weights set by hand so a gate sits
/// at a known value, a unit carries the whole output, or W_hh has known eigenvalues.
final class InsightTests: XCTestCase {
    /// A model with every parameter zero except `values` (name → flat values).
    func model(_ config: ModelConfig, _ values: [String: [Float]]) throws -> RecurrentModel {
        let model = RecurrentModel(config: config, seed: 1)
        let tensors = model.namedParameters().map { tensor in
            NamedTensor(name: tensor.name, shape: tensor.shape, values: values[tensor.name] ?? [Float](repeating: 0, count: tensor.values.count))
        }
        try model.loadParameters(tensors)
        return model
    }

    func numericBatch(timeSteps: Int, batchSize: Int, lengths: [Int]? = nil, targets: [Float]? = nil) -> Batch {
        var batch = Batch(timeSteps: timeSteps, batchSize: batchSize,
                          features: (0..<(timeSteps * batchSize)).map { Float(($0 * 7) % 5) / 5 - 0.4 }, targetValues: targets)
        if let lengths {
            batch.mask = (0..<(timeSteps * batchSize)).map { $0 / batchSize < lengths[$0 % batchSize] ? 1 : 0 }
        }
        return batch
    }

    // MARK: - Spectral radius

    func testSpectralRadiusOfKnownMatrices() {
        XCTAssertEqual(GateStatistics.spectralRadius(of: [0.5, 0, 0, 0, -2, 0, 0, 0, 1], size: 3), 2, accuracy: 1e-6)
        // A scaled rotation: eigenvalues 0.9·e^{±iθ}, a complex pair, |λ| = 0.9.
        let angle = 0.7, scale = 0.9
        let rotation: [Float] = [Float(scale * cos(angle)), Float(-scale * sin(angle)), Float(scale * sin(angle)), Float(scale * cos(angle))]
        XCTAssertEqual(GateStatistics.spectralRadius(of: rotation, size: 2), 0.9, accuracy: 1e-5)
        // Non-normal: upper triangular, eigenvalues 0.3 and 0.6 although the norm is larger.
        XCTAssertEqual(GateStatistics.spectralRadius(of: [0.3, 4, 0, 0.6], size: 2), 0.6, accuracy: 1e-3)
        XCTAssertEqual(GateStatistics.spectralRadius(of: [0, 0, 0, 0], size: 2), 0)
    }

    // MARK: - Gate statistics

    func testLSTMGateSaturationAndTimeScales() throws {
        let config = ModelConfig(cell: .lstm, input: .numeric(featureCount: 1), hiddenSize: 2, head: .regressLast, outputSize: 1)
        // Gates (i, f, g, o) × 2 units: f = σ(5) for unit 0, σ(−5) for unit 1; i = σ(0) = 0.5; g = tanh(±3).
        let model = try self.model(config, ["rnn.bias_ih_l0": [0, 0, 5, -5, 3, -3, 0, 0]])
        let batch = numericBatch(timeSteps: 6, batchSize: 3, lengths: [6, 2, 4])
        let statistics = GateStatistics.measure(model: model, batches: [batch])
        XCTAssertEqual(statistics.sequences, 3)
        XCTAssertEqual(statistics.timestepsCounted, 12, "padding must not count")
        let gates = Dictionary(uniqueKeysWithValues: statistics.layers[0].gates.map { ($0.name, $0) })
        XCTAssertEqual(gates["f"]?.rightSaturated, [1, 0])
        XCTAssertEqual(gates["f"]?.leftSaturated, [0, 1])
        XCTAssertEqual(gates["i"]?.rightSaturated, [0, 0])
        XCTAssertEqual(gates["i"]?.leftSaturated, [0, 0])
        // g is tanh: tanh(3) = 0.995 is right-saturated on its range, tanh(−3) left.
        XCTAssertEqual(gates["g"]?.rightSaturated, [1, 0])
        XCTAssertEqual(gates["g"]?.leftSaturated, [0, 1])
        let tau = try XCTUnwrap(statistics.layers[0].timeScales)
        XCTAssertEqual(tau[0], 1 / (1 - 1 / (1 + exp(-5.0))), accuracy: 0.01)
        XCTAssertEqual(tau[1], 1 / (1 - 1 / (1 + exp(5.0))), accuracy: 1e-4)
        XCTAssertNil(statistics.layers[0].spectralRadius)
    }

    func testGRUTimeScaleReadsTheUpdateGate() throws {
        let config = ModelConfig(cell: .gru, input: .numeric(featureCount: 1), hiddenSize: 2, head: .regressLast, outputSize: 1)
        // (r, z, n) × 2: z = σ(4) for unit 0 (keeps its state ~55 steps), σ(−4) for unit 1.
        let model = try self.model(config, ["rnn.bias_ih_l0": [0, 0, 4, -4, 0, 0]])
        let statistics = GateStatistics.measure(model: model, batches: [numericBatch(timeSteps: 5, batchSize: 2)])
        let tau = try XCTUnwrap(statistics.layers[0].timeScales)
        XCTAssertEqual(tau[0], 1 + exp(4.0), accuracy: 0.05)
        XCTAssertEqual(tau[1], 1 / (1 - 1 / (1 + exp(4.0))), accuracy: 1e-4)
    }

    func testRNNSaturationAndSpectralRadius() throws {
        let config = ModelConfig(cell: .rnn, input: .numeric(featureCount: 1), hiddenSize: 2, head: .regressLast, outputSize: 1)
        // Unit 0: tanh(3 + 0.5 h') > 0.99, saturated; unit 1 stays at 0.
        let model = try self.model(config, ["rnn.bias_ih_l0": [3, 0], "rnn.weight_hh_l0": [0.5, 0, 0, 0.2]])
        let statistics = GateStatistics.measure(model: model, batches: [numericBatch(timeSteps: 4, batchSize: 2)])
        XCTAssertEqual(statistics.layers[0].saturatedFraction ?? -1, 0.5, accuracy: 1e-12)
        XCTAssertEqual(statistics.layers[0].spectralRadius ?? -1, 0.5, accuracy: 1e-6)
        XCTAssertNil(statistics.layers[0].timeScales)
        XCTAssertTrue(statistics.layers[0].gates.isEmpty)
    }

    // MARK: - Gradient flow

    func testGradientFlowOfAProbeAndTheBatchMeanOfIdenticalSequences() throws {
        let config = ModelConfig(cell: .lstm, input: .numeric(featureCount: 1), hiddenSize: 3, layerCount: 2, head: .regressLast, outputSize: 1)
        let model = RecurrentModel(config: config, seed: 4)
        let single = numericBatch(timeSteps: 5, batchSize: 1, targets: [0.7])
        let probe = model.probe(single)
        let flow = try XCTUnwrap(GradientFlow(probe: probe, cell: .lstm, probeIndex: 2, step: 9))
        XCTAssertEqual(flow.source, .probe(index: 2))
        XCTAssertEqual(flow.step, 9)
        let dh = try XCTUnwrap(probe.layers[1].hiddenGradient)
        for time in 0..<5 {
            let expected = (0..<3).map { Double(dh[time * 3 + $0]) * Double(dh[time * 3 + $0]) }.reduce(0, +).squareRoot()
            XCTAssertEqual(flow.layers[1].norms[time], expected, accuracy: 1e-12)
        }
        XCTAssertEqual(flow.layers[1].magnitudes, dh.map { abs($0) })
        XCTAssertEqual(flow.firstToLastRatio(layer: 1) ?? 0, flow.layers[1].norms[0] / flow.layers[1].norms[4], accuracy: 1e-12)
        XCTAssertNotNil(flow.layers[0].cellNorms)

        // Three copies of the sequence in one batch: each row's gradient is a third of the probe's; the
        // scales undo that, so the mean of the per-sequence norms is the probe's.
        let features = single.features!
        let copies = Batch(timeSteps: 5, batchSize: 3, features: (0..<15).map { features[$0 / 3] }, targetValues: [0.7, 0.7, 0.7])
        let recorded = try XCTUnwrap(model.hiddenGradients(copies))
        let mean = GradientFlow(batches: [(recorded, copies.lengths)], cell: .lstm)
        XCTAssertEqual(mean.source, .validation(sequences: 3))
        for layer in 0..<2 {
            for time in 0..<5 { XCTAssertEqual(mean.layers[layer].norms[time], flow.layers[layer].norms[time], accuracy: 1e-6) }
        }
        XCTAssertNil(mean.layers[0].magnitudes)
        XCTAssertNil(GradientFlow(probe: model.probe(Batch(timeSteps: 5, batchSize: 1, features: features)), cell: .lstm, probeIndex: 0),
                     "no targets, no gradient flow")
    }

    // MARK: - Units, predictions, importance

    func testUnitRankingOrdersByVariance() {
        // (T = 4, H = 3): unit 2 swings most, unit 0 is constant.
        let hidden: [Float] = [0.1, 0.0, -1, 0.1, 0.2, 1, 0.1, 0.0, -1, 0.1, 0.2, 1]
        let probe = ProbeResult(timeSteps: 4, hiddenSize: 3, layers: [LayerTrace(gates: [], hidden: hidden, cell: nil)], outputs: [], outputSize: 0)
        let ranking = UnitRanking.mostVarying(in: probe, layer: 0)
        XCTAssertEqual(ranking.map(\.unit), [2, 1, 0])
        XCTAssertEqual(ranking[0].variance, 1, accuracy: 1e-6)
        XCTAssertEqual(ranking[2].variance, 0, accuracy: 1e-6)
        XCTAssertEqual(ranking[0].minimum, -1)
        XCTAssertTrue(UnitRanking.mostVarying(in: probe, layer: 0, signal: .cell).isEmpty, "an RNN has no c")
        XCTAssertTrue(UnitRanking.mostVarying(in: probe, layer: 3).isEmpty)
    }

    func testPredictionsInTheDatasTerms() {
        let vocabulary = Vocabulary(level: .character, tokens: ["a", "b", "c"], unknownIndex: nil)
        // T = 2, O = 3 logits.
        let probe = ProbeResult(timeSteps: 2, hiddenSize: 0, layers: [], outputs: [0, 2, 1, 3, 0, 0], outputSize: 3)
        let batch = Batch(timeSteps: 2, batchSize: 1, tokens: [0, 1], targetTokens: [2, 0])
        let language = PredictionReader.prediction(at: 0, probe: probe, batch: batch, context: PredictionContext(head: .tokenEveryStep, vocabulary: vocabulary), top: 2)
        guard case .nextToken(let top, let trueToken, let rank) = language else { return XCTFail("\(language)") }
        XCTAssertEqual(top.map(\.label), ["b", "c"])
        let total = exp(0.0) + exp(2.0) + exp(1.0)
        XCTAssertEqual(top[0].probability, exp(2.0) / total, accuracy: 1e-12)
        XCTAssertEqual(trueToken?.label, "c")
        XCTAssertEqual(rank, 2)

        let classes = PredictionReader.prediction(at: 1, probe: probe, batch: nil, context: PredictionContext(head: .classifyLast, classNames: ["x", "y", "z"]))
        guard case .classes(let list) = classes else { return XCTFail("\(classes)") }
        XCTAssertEqual(list.map(\.label), ["x", "y", "z"])
        XCTAssertEqual(list[0].probability, exp(3.0) / (exp(3.0) + 2), accuracy: 1e-12)
        XCTAssertEqual(PredictionReader.classTrajectory(probe: probe).count, 2)

        let normalization = FeatureNormalization(columns: ["temp", "load"], means: [10, 50], standardDeviations: [2, 5], targetColumn: "load")
        let forecastProbe = ProbeResult(timeSteps: 2, hiddenSize: 0, layers: [], outputs: [0.5, -1], outputSize: 1)
        let forecast = PredictionReader.prediction(
            at: 1, probe: forecastProbe, batch: Batch(timeSteps: 2, batchSize: 1, features: [0, 0, 0, 0], targetValues: [0.25]),
            context: PredictionContext(head: .regressLast, normalization: normalization))
        XCTAssertEqual(forecast, .values(predicted: [45], target: [51.25]))
    }

    func testImportanceFindsTheUnitTheHeadReads() throws {
        let config = ModelConfig(cell: .rnn, input: .numeric(featureCount: 1), hiddenSize: 3, head: .regressLast, outputSize: 1)
        // h = tanh(W_ih x + b): every unit is alive; only unit 1 reaches the output.
        let model = try self.model(config, ["rnn.weight_ih_l0": [1, -1, 0.5], "rnn.bias_ih_l0": [0.2, 0.4, -0.3], "head.weight": [0, 1, 0]])
        var batch = numericBatch(timeSteps: 3, batchSize: 2)
        let outputs = model.probe(GateStatisticsTestSupport.row(0, of: batch), gradients: false).outputs
        let second = model.probe(GateStatisticsTestSupport.row(1, of: batch), gradients: false).outputs
        batch.targetValues = [outputs[2], second[2]]  // a perfect fit: baseline loss 0
        let table = try UnitImportance.table(model: model, batches: [batch])
        XCTAssertEqual(table.count, 3)
        XCTAssertEqual(table[0].unit, 1)
        XCTAssertGreaterThan(table[0].increase, 1e-3)
        XCTAssertEqual(table[1].increase, 0, accuracy: 1e-9)
        XCTAssertEqual(table[2].increase, 0, accuracy: 1e-9)
        XCTAssertNil(model.intervention, "the table leaves the model's intervention as it was")
        let (without, with) = try InterventionEvaluation.compare(model: model, batches: [batch], intervention: .ablating([1], layer: 0))
        XCTAssertEqual(without.loss, 0, accuracy: 1e-9)
        XCTAssertEqual(with.loss, table[0].loss, accuracy: 1e-9)
    }

    func testVocabularyEncodesWordsAndCharacters() throws {
        let words = Vocabulary(level: .word, tokens: ["<pad>", "<unk>", "hello", "world", "don't"], unknownIndex: 1, paddingIndex: 0)
        XCTAssertEqual(try words.encode("Hello, WORLD! Don't panic"), [2, 3, 4, 1])
        let characters = Vocabulary(level: .character, tokens: ["a", "b"], unknownIndex: nil)
        XCTAssertEqual(try characters.encode("abba"), [0, 1, 1, 0])
        XCTAssertThrowsError(try characters.encode("abc")) { error in
            XCTAssertTrue("\(error)".contains("character \"c\" is not in the checkpoint's vocabulary"), "\(error)")
        }
        let brokenUnknown = Vocabulary(level: .character, tokens: ["a"], unknownIndex: 1 << 40)
        XCTAssertThrowsError(try brokenUnknown.encode("z"), "an unknown index outside the vocabulary is refused, not trapped")
    }
}

enum GateStatisticsTestSupport {
    /// Sequence `row` of a numeric batch as a batch of one.
    static func row(_ row: Int, of batch: Batch) -> Batch {
        let width = batch.features!.count / (batch.timeSteps * batch.batchSize)
        var features: [Float] = []
        for time in 0..<batch.timeSteps {
            let start = (time * batch.batchSize + row) * width
            features += batch.features![start..<(start + width)]
        }
        return Batch(timeSteps: batch.timeSteps, batchSize: 1, features: features)
    }
}
