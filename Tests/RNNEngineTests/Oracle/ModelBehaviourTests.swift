import Foundation
import RNNEngine
import XCTest

/// Whole-model behaviour: it learns, it is repeatable, dropout acts only in training (and backpropagates
/// through its mask), and bad input or parameters are refused with a message.
final class ModelBehaviourTests: XCTestCase {
    // MARK: - Learning

    /// A delay-one copy task on one batch: target_t = token_{t−1}. Needs memory, and a tiny network
    /// memorises it: the loss falls by more than 90% in 300 Adam steps.
    func testEachCellOverfitsOneBatch() {
        for cell in CellKind.allCases {
            let config = ModelConfig(cell: cell, input: .embedding(vocabularySize: 6, dimension: 8), hiddenSize: 16,
                                     layerCount: 1, head: .tokenEveryStep, outputSize: 6)
            var batch = OracleBatch.make(config, timeSteps: 8, batchSize: 4, seed: 60)
            let tokens = batch.tokens!
            batch.targetTokens = (0..<tokens.count).map { $0 < 4 ? 0 : tokens[$0 - 4] }
            let model = RecurrentModel(config: config, seed: 61)
            let optimizer = Optimizer(parameterCount: model.parameters.count)
            let settings = OptimizerSettings(kind: .adam, learningRate: 0.02)
            var first = 0.0, last = 0.0
            for step in 0..<300 {
                model.zeroGradients()
                let loss = model.forward(batch).loss
                if step == 0 { first = loss }
                last = loss
                model.backward()
                optimizer.step(parameters: model.parameters, gradients: model.gradients, settings: settings)
            }
            print("overfit \(cell): loss \(first) → \(last)")
            XCTAssertLessThan(last, 0.1 * first, "\(cell): loss \(first) → \(last)")
        }
    }

    // MARK: - Repeatability and dropout

    /// Trains a 2-layer model with dropout 0.3 for a few steps; returns the losses and final parameters.
    func trainWithDropout(seed: UInt64) -> (losses: [Double], parameters: [NamedTensor]) {
        let config = ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 6, dimension: 4), hiddenSize: 8,
                                 layerCount: 2, dropout: 0.3, head: .tokenEveryStep, outputSize: 6)
        let batch = OracleBatch.make(config, timeSteps: 6, batchSize: 3, seed: 62)
        let model = RecurrentModel(config: config, seed: seed)
        let optimizer = Optimizer(parameterCount: model.parameters.count)
        let settings = OptimizerSettings(kind: .adam, learningRate: 0.01)
        var losses: [Double] = []
        for _ in 0..<6 {
            model.zeroGradients()
            losses.append(model.forward(batch, carryState: true).loss)
            model.backward()
            optimizer.step(parameters: model.parameters, gradients: model.gradients, settings: settings)
        }
        return (losses, model.namedParameters())
    }

    func testSameSeedSameRun() {
        let first = trainWithDropout(seed: 5), second = trainWithDropout(seed: 5)
        XCTAssertEqual(first.losses, second.losses)
        XCTAssertEqual(first.parameters, second.parameters)
        let other = trainWithDropout(seed: 6)
        XCTAssertNotEqual(first.losses, other.losses, "a different seed gives a different run")
    }

    func testDropoutActsOnlyInTraining() {
        let config = ModelConfig(cell: .gru, input: .numeric(featureCount: 3), hiddenSize: 6, layerCount: 2,
                                 dropout: 0.3, head: .regressEveryStep, outputSize: 2)
        let model = RecurrentModel(config: config, seed: 63)
        let batch = OracleBatch.make(config, timeSteps: 5, batchSize: 3, seed: 64)
        let trainingLosses = (0..<3).map { _ in model.forward(batch, training: true).loss }
        XCTAssertEqual(Set(trainingLosses).count, 3, "each training pass draws new masks: \(trainingLosses)")
        let evaluation = model.forward(batch, training: false).loss
        XCTAssertEqual(model.forward(batch, training: false).loss, evaluation)
        XCTAssertFalse(trainingLosses.contains(evaluation))
        // Without dropout the network is the oracle's.
        let oracle = ReferenceNetwork(config: config, tensors: model.namedParameters()).run(batch).loss
        XCTAssertEqual(evaluation, oracle, accuracy: 1e-5 * max(1, oracle))
        model.dropout = 0
        XCTAssertEqual(model.forward(batch, training: true).loss, evaluation, accuracy: 1e-9)
    }

    /// Backward through dropout: the first training pass of two models with the same seed draws the same
    /// masks, so the directional derivative of that pass's loss (central differences in Float along the
    /// normalised gradient and along a random direction) must match gradient · direction.
    func testDropoutGradientMatchesDirectionalDifference() {
        let config = ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 5, dimension: 4), hiddenSize: 6,
                                 layerCount: 3, dropout: 0.4, head: .tokenEveryStep, outputSize: 5)
        let batch = OracleBatch.make(config, timeSteps: 5, batchSize: 3, seed: 65)
        let model = RecurrentModel(config: config, seed: 66)
        let point = model.namedParameters()
        model.zeroGradients()
        let loss = model.forward(batch).loss
        model.backward()
        let gradient = model.namedGradients()
        let evaluation = model.forward(batch, training: false).loss
        XCTAssertNotEqual(loss, evaluation, "dropout must be active")

        func firstTrainingLoss(_ tensors: [NamedTensor]) -> Double {
            let fresh = RecurrentModel(config: config, seed: 66)
            XCTAssertNoThrow(try fresh.loadParameters(tensors))
            return fresh.forward(batch).loss
        }
        XCTAssertEqual(firstTrainingLoss(point), loss, "same seed, same masks")

        // Only tensors below the top dropout boundary get their gradient through a mask.
        let below = gradient.map { $0.name == "embedding.weight" || $0.name.hasSuffix("_l0") || $0.name.hasSuffix("_l1") }
        var random = SeededRandom(seed: 67)
        let gradientNorm = zip(gradient, below).filter(\.1).flatMap(\.0.values)
            .reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        let alongGradient = zip(gradient, below).map { tensor, used in
            tensor.values.map { used ? Float(Double($0) / gradientNorm) : 0 }
        }
        let randomDirection = zip(gradient, below).map { tensor, used in
            tensor.values.map { _ in used ? Float(random.uniform(-1, 1)) : 0 }
        }
        for direction in [alongGradient, randomDirection] {
            let step = 1e-2
            func moved(_ sign: Double) -> [NamedTensor] {
                zip(point, direction).map { tensor, offsets in
                    var tensor = tensor
                    for index in tensor.values.indices { tensor.values[index] += Float(sign * step) * offsets[index] }
                    return tensor
                }
            }
            let numeric = (firstTrainingLoss(moved(1)) - firstTrainingLoss(moved(-1))) / (2 * step)
            let analytic = zip(gradient, direction).reduce(0.0) { sum, pair in
                sum + zip(pair.0.values, pair.1).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            }
            print("dropout directional derivative: analytic \(analytic), numeric \(numeric)")
            XCTAssertEqual(analytic, numeric, accuracy: 1e-2 * max(gradientNorm, abs(numeric)), "directional derivative")
        }
    }

    // MARK: - Refusing bad input

    func assertRefused(_ model: RecurrentModel, _ batch: Batch, mentioning words: [String],
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try model.validate(batch), file: file, line: line) { error in
            let message = String(describing: error)
            XCTAssertFalse(message.contains("\n"), "one line: \(message)", file: file, line: line)
            for word in words {
                XCTAssertTrue(message.contains(word), "'\(message)' should mention '\(word)'", file: file, line: line)
            }
        }
    }

    func testValidateRefusesBadBatches() {
        let tokenConfig = ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 5, dimension: 3), hiddenSize: 3,
                                      head: .tokenEveryStep, outputSize: 5)
        let model = RecurrentModel(config: tokenConfig)
        let good = OracleBatch.make(tokenConfig, timeSteps: 3, batchSize: 2, seed: 70)
        XCTAssertNoThrow(try model.validate(good))

        var batch = good
        batch.tokens![4] = 5
        assertRefused(model, batch, mentioning: ["5", "vocabulary"])
        batch.tokens![4] = -1
        assertRefused(model, batch, mentioning: ["-1"])
        batch = good
        batch.tokens!.removeLast()
        assertRefused(model, batch, mentioning: ["6"])
        batch = good
        batch.tokens = nil
        assertRefused(model, batch, mentioning: ["token"])
        batch = good
        batch.mask = [1, 1, 1]
        assertRefused(model, batch, mentioning: ["mask", "6"])
        batch = good
        batch.targetTokens![0] = 9
        assertRefused(model, batch, mentioning: ["9"])
        batch = good
        batch.targetTokens = [0, 1]
        assertRefused(model, batch, mentioning: ["6"])
        batch = good
        batch.targetTokens = nil
        batch.targetValues = [0, 0, 0, 0, 0, 0]
        assertRefused(model, batch, mentioning: ["classifier"])
        batch = good
        batch.timeSteps = 0
        assertRefused(model, batch, mentioning: ["empty"])

        let numericConfig = ModelConfig(cell: .gru, input: .numeric(featureCount: 2), hiddenSize: 3,
                                        head: .regressLast, outputSize: 2)
        let numeric = RecurrentModel(config: numericConfig)
        let goodNumeric = OracleBatch.make(numericConfig, timeSteps: 3, batchSize: 2, seed: 71)
        XCTAssertNoThrow(try numeric.validate(goodNumeric))
        batch = goodNumeric
        batch.features!.append(0)
        assertRefused(numeric, batch, mentioning: ["2 features"])
        batch = goodNumeric
        batch.targetValues = [1, 2, 3]
        assertRefused(numeric, batch, mentioning: ["4"])
        batch = goodNumeric
        batch.targetTokens = [0, 1]
        assertRefused(numeric, batch, mentioning: ["regression"])
    }

    // MARK: - Loading parameters

    func testLoadParametersRefusesMismatchesAndRoundTrips() {
        let config = ModelConfig(cell: .gru, input: .oneHot(vocabularySize: 4), hiddenSize: 3, layerCount: 2,
                                 head: .classifyLast, outputSize: 2)
        let source = RecurrentModel(config: config, seed: 1), target = RecurrentModel(config: config, seed: 2)
        let tensors = source.namedParameters()
        let before = target.namedParameters()
        XCTAssertNotEqual(tensors, before)

        func assertLoadRefused(_ tensors: [NamedTensor], mentioning name: String, line: UInt = #line) {
            XCTAssertThrowsError(try target.loadParameters(tensors), line: line) { error in
                XCTAssertTrue(String(describing: error).contains(name), "\(error) should name \(name)", line: line)
            }
            XCTAssertEqual(target.namedParameters(), before, "a refused load changes nothing", line: line)
        }
        assertLoadRefused(tensors.filter { $0.name != "rnn.bias_hh_l1" }, mentioning: "rnn.bias_hh_l1")
        assertLoadRefused(tensors + [NamedTensor(name: "rnn.weight_ih_l2", shape: [9, 3], values: .init(repeating: 0, count: 27))],
                          mentioning: "rnn.weight_ih_l2")
        var misshaped = tensors
        let index = misshaped.firstIndex { $0.name == "rnn.weight_hh_l0" }!
        misshaped[index].shape = [3, 9]
        assertLoadRefused(misshaped, mentioning: "rnn.weight_hh_l0")
        misshaped = tensors
        misshaped[index].values.removeLast()
        assertLoadRefused(misshaped, mentioning: "rnn.weight_hh_l0")

        XCTAssertNoThrow(try target.loadParameters(tensors.reversed()))
        XCTAssertEqual(target.namedParameters(), tensors)
        let batch = OracleBatch.make(config, timeSteps: 4, batchSize: 2, seed: 72)
        XCTAssertEqual(target.forward(batch).loss, source.forward(batch).loss)
    }
}
