import Foundation
import RNNEngine
import XCTest

/// Every element of every parameter gradient of the Float engine against central finite differences of the
/// Double oracle (`ReferenceNetwork`), for each cell, input encoding and head, with masks, both init
/// schemes and truncated BPTT.
final class GradientCheckTests: XCTestCase {
    struct Case {
        var name: String
        var config: ModelConfig
        var timeSteps: Int
        var batchSize: Int
        var lengths: [Int]? = nil
        var initScheme: InitScheme = .pytorch
        var unitForgetBias = true
        var seed: UInt64 = 7
    }

    let checker = GradientChecker()

    /// Builds the engine model for `testCase`, checks its parameter names and shapes, its loss against the
    /// oracle's and every gradient element; returns the report.
    @discardableResult
    func check(_ testCase: Case, file: StaticString = #filePath, line: UInt = #line) -> GradientChecker.Report {
        let config = testCase.config
        let model = RecurrentModel(
            config: config, initScheme: testCase.initScheme, unitForgetBias: testCase.unitForgetBias, seed: testCase.seed)
        let point = model.namedParameters()
        let expected = ReferenceNetwork.expectedShapes(config)
        XCTAssertEqual(point.map(\.name), expected.map(\.name), "parameter names", file: file, line: line)
        XCTAssertEqual(point.map(\.shape), expected.map(\.shape), "parameter shapes", file: file, line: line)

        let batch = OracleBatch.make(
            config, timeSteps: testCase.timeSteps, batchSize: testCase.batchSize, lengths: testCase.lengths,
            seed: testCase.seed &+ 100)
        XCTAssertNoThrow(try model.validate(batch), file: file, line: line)
        model.zeroGradients()
        let engineLoss = model.forward(batch).loss
        model.backward()

        let reference = ReferenceNetwork(config: config, tensors: point)
        let oracleLoss = reference.run(batch).loss
        XCTAssertEqual(engineLoss, oracleLoss, accuracy: 1e-5 * max(1, abs(oracleLoss)),
                       "\(testCase.name): engine loss vs oracle loss", file: file, line: line)
        let report = checker.compare(analytic: model.namedGradients(), reference: reference) { $0.run(batch).loss }
        print("gradient check \(testCase.name): loss \(engineLoss) (oracle \(oracleLoss)); \(report)")
        XCTAssertEqual(report.mismatchCount, 0, "\(testCase.name):\n" + report.mismatches.joined(separator: "\n"),
                       file: file, line: line)
        XCTAssertGreaterThan(report.largestGradient, 1e-3, "\(testCase.name): gradients vanish", file: file, line: line)
        return report
    }

    // MARK: - Vanilla RNN

    func testRNNTanhEmbeddingTokenEveryStepMasked() {
        check(Case(
            name: "RNN tanh, embedding, token every step, masked",
            config: ModelConfig(cell: .rnn, nonlinearity: .tanh, input: .embedding(vocabularySize: 6, dimension: 4),
                                hiddenSize: 4, layerCount: 2, head: .tokenEveryStep, outputSize: 6),
            timeSteps: 5, batchSize: 3, lengths: [5, 3, 4]))
    }

    func testRNNReluNumericRegressEveryStep() {
        check(Case(
            name: "RNN relu, numeric, regress every step",
            config: ModelConfig(cell: .rnn, nonlinearity: .relu, input: .numeric(featureCount: 3),
                                hiddenSize: 5, layerCount: 2, head: .regressEveryStep, outputSize: 2),
            timeSteps: 4, batchSize: 2))
    }

    func testRNNTanhOneHotRegressLastMasked() {
        check(Case(
            name: "RNN tanh, one-hot, regress last, masked",
            config: ModelConfig(cell: .rnn, input: .oneHot(vocabularySize: 5),
                                hiddenSize: 3, layerCount: 2, head: .regressLast, outputSize: 2),
            timeSteps: 4, batchSize: 3, lengths: [2, 4, 3]))
    }

    // MARK: - LSTM

    func testLSTMOneHotClassifyLastMasked() {
        check(Case(
            name: "LSTM, one-hot, classify last, masked",
            config: ModelConfig(cell: .lstm, input: .oneHot(vocabularySize: 5),
                                hiddenSize: 4, layerCount: 2, head: .classifyLast, outputSize: 3),
            timeSteps: 5, batchSize: 3, lengths: [5, 2, 4], unitForgetBias: false))
    }

    func testLSTMKerasInitUnitForgetBiasEmbeddingTokenEveryStep() {
        check(Case(
            name: "LSTM keras init + unit forget bias, embedding, token every step",
            config: ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 7, dimension: 3),
                                hiddenSize: 4, layerCount: 2, head: .tokenEveryStep, outputSize: 7),
            timeSteps: 4, batchSize: 2, initScheme: .keras, unitForgetBias: true))
    }

    func testLSTMNumericRegressLast() {
        check(Case(
            name: "LSTM, numeric, regress last",
            config: ModelConfig(cell: .lstm, input: .numeric(featureCount: 2),
                                hiddenSize: 3, layerCount: 2, head: .regressLast, outputSize: 2),
            timeSteps: 6, batchSize: 2))
    }

    /// A row with no real step counts for nothing (the mean is over the other rows).
    func testLSTMNumericClassifyLastWithAnEmptyRow() {
        check(Case(
            name: "LSTM, numeric, classify last, one empty row",
            config: ModelConfig(cell: .lstm, input: .numeric(featureCount: 3),
                                hiddenSize: 3, layerCount: 2, head: .classifyLast, outputSize: 3),
            timeSteps: 4, batchSize: 3, lengths: [4, 0, 2]))
    }

    // MARK: - GRU

    func testGRUResetAfterEmbeddingTokenEveryStep() {
        check(Case(
            name: "GRU reset-after, embedding, token every step",
            config: ModelConfig(cell: .gru, gruResetAfter: true, input: .embedding(vocabularySize: 7, dimension: 3),
                                hiddenSize: 5, layerCount: 2, head: .tokenEveryStep, outputSize: 7),
            timeSteps: 6, batchSize: 2))
    }

    func testGRUResetAfterOneHotRegressEveryStepMasked() {
        check(Case(
            name: "GRU reset-after, one-hot, regress every step, masked",
            config: ModelConfig(cell: .gru, gruResetAfter: true, input: .oneHot(vocabularySize: 5),
                                hiddenSize: 4, layerCount: 2, head: .regressEveryStep, outputSize: 3),
            timeSteps: 4, batchSize: 3, lengths: [4, 1, 3]))
    }

    func testGRUResetBeforeNumericRegressLast() {
        check(Case(
            name: "GRU reset-before, numeric, regress last",
            config: ModelConfig(cell: .gru, gruResetAfter: false, input: .numeric(featureCount: 2),
                                hiddenSize: 3, layerCount: 2, head: .regressLast, outputSize: 2),
            timeSteps: 4, batchSize: 3))
    }

    func testGRUResetBeforeOneHotClassifyLastMasked() {
        check(Case(
            name: "GRU reset-before, one-hot, classify last, masked",
            config: ModelConfig(cell: .gru, gruResetAfter: false, input: .oneHot(vocabularySize: 6),
                                hiddenSize: 4, layerCount: 2, head: .classifyLast, outputSize: 4),
            timeSteps: 5, batchSize: 3, lengths: [3, 5, 1]))
    }

    func testGRUResetBeforeEmbeddingTokenEveryStepMasked() {
        check(Case(
            name: "GRU reset-before, embedding, token every step, masked",
            config: ModelConfig(cell: .gru, gruResetAfter: false, input: .embedding(vocabularySize: 5, dimension: 4),
                                hiddenSize: 4, layerCount: 2, head: .tokenEveryStep, outputSize: 5),
            timeSteps: 4, batchSize: 2, lengths: [4, 2]))
    }

    // MARK: - Multi-label (sigmoid + binary cross-entropy at the last step)

    func testLSTMEmbeddingMultiLabelMasked() {
        check(Case(
            name: "LSTM, embedding, multi-label, masked",
            config: ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 6, dimension: 3),
                                hiddenSize: 4, layerCount: 2, head: .multiLabelLast, outputSize: 3),
            timeSteps: 5, batchSize: 3, lengths: [5, 2, 4]))
    }

    func testGRUResetBeforeOneHotMultiLabelWithAnEmptyRow() {
        check(Case(
            name: "GRU reset-before, one-hot, multi-label, one empty row",
            config: ModelConfig(cell: .gru, gruResetAfter: false, input: .oneHot(vocabularySize: 5),
                                hiddenSize: 3, layerCount: 2, head: .multiLabelLast, outputSize: 4),
            timeSteps: 4, batchSize: 3, lengths: [4, 0, 3]))
    }

    func testRNNNumericMultiLabel() {
        check(Case(
            name: "RNN tanh, numeric, multi-label",
            config: ModelConfig(cell: .rnn, input: .numeric(featureCount: 2),
                                hiddenSize: 4, layerCount: 1, head: .multiLabelLast, outputSize: 2),
            timeSteps: 4, batchSize: 2))
    }

    /// A loss that stays finite and a gradient that stays exact for logits far from 0, and soft targets.
    func testMultiLabelLossIsStableForLargeLogitsAndSoftTargets() {
        let config = ModelConfig(cell: .gru, input: .numeric(featureCount: 2), hiddenSize: 3, layerCount: 1,
                                 head: .multiLabelLast, outputSize: 2)
        let model = RecurrentModel(config: config, seed: 11)
        var tensors = model.namedParameters()
        let bias = tensors.firstIndex { $0.name == "head.bias" }!
        tensors[bias].values = [40, -40]
        XCTAssertNoThrow(try model.loadParameters(tensors))
        var batch = OracleBatch.make(config, timeSteps: 3, batchSize: 2, seed: 12)
        batch.targetValues = [0, 1, 0.25, 0.75]
        model.zeroGradients()
        let loss = model.forward(batch).loss
        model.backward()
        XCTAssertTrue(loss.isFinite)
        // Each row: ≈ 40·(1 − y₀) + 40·y₁ (the rest is below Float resolution).
        XCTAssertEqual(loss, (40 + 40 + 40 * 0.75 + 40 * 0.75) / 4, accuracy: 0.1)
        let reference = ReferenceNetwork(config: config, tensors: model.namedParameters())
        let report = checker.compare(analytic: model.namedGradients(), reference: reference) { $0.run(batch).loss }
        XCTAssertEqual(report.mismatchCount, 0, report.mismatches.joined(separator: "\n"))
    }

    // MARK: - The check itself can fail

    /// The engine's reset-after GRU against a reset-before oracle (same parameters): the two differ only in
    /// where r multiplies, so the checker must see it.
    func testCheckerRejectsTheOtherGRUVariant() {
        let config = ModelConfig(cell: .gru, gruResetAfter: true, input: .numeric(featureCount: 2),
                                 hiddenSize: 3, layerCount: 2, head: .regressLast, outputSize: 2)
        let model = RecurrentModel(config: config, seed: 3)
        let batch = OracleBatch.make(config, timeSteps: 4, batchSize: 2, seed: 4)
        model.zeroGradients()
        model.forward(batch)
        model.backward()
        var otherConfig = config
        otherConfig.gruResetAfter = false
        let reference = ReferenceNetwork(config: otherConfig, tensors: model.namedParameters())
        let report = checker.compare(analytic: model.namedGradients(), reference: reference) { $0.run(batch).loss }
        XCTAssertGreaterThan(report.mismatchCount, 0, "a reset-before oracle must disagree with a reset-after engine")
    }

    /// A gradient that is off by a tenth of a percent of the tensor's scale in one element is caught.
    func testCheckerRejectsASmallError() {
        let config = ModelConfig(cell: .lstm, input: .numeric(featureCount: 2),
                                 hiddenSize: 3, layerCount: 1, head: .regressLast, outputSize: 1)
        let model = RecurrentModel(config: config, seed: 5)
        let batch = OracleBatch.make(config, timeSteps: 3, batchSize: 2, seed: 6)
        model.zeroGradients()
        model.forward(batch)
        model.backward()
        var gradients = model.namedGradients()
        let reference = ReferenceNetwork(config: config, tensors: model.namedParameters())
        XCTAssertEqual(checker.compare(analytic: gradients, reference: reference) { $0.run(batch).loss }.mismatchCount, 0)
        let index = gradients.firstIndex { $0.name == "rnn.weight_hh_l0" }!
        let largest = gradients[index].values.map(abs).max()!
        gradients[index].values[4] += max(5e-5, 2e-3 * largest)
        XCTAssertEqual(checker.compare(analytic: gradients, reference: reference) { $0.run(batch).loss }.mismatchCount, 1)
    }
}
