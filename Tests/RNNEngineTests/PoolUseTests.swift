@testable import RNNEngine
import XCTest

/// A model given two threads splits a step across them only when the step is big enough to gain from it,
/// and gives the same bits either way.
final class PoolUseTests: XCTestCase {
    func batch(for config: ModelConfig, timeSteps: Int, batchSize: Int) -> Batch {
        var state: UInt64 = 5
        func token(_ limit: Int) -> Int32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            return Int32((state >> 33) % UInt64(limit))
        }
        let tokens = (0..<(timeSteps * batchSize)).map { _ in token(config.input.inputSize > 0 ? 32 : 1) }
        let targetCount = config.head.isEveryStep ? timeSteps * batchSize : batchSize
        let targets = (0..<targetCount).map { _ in token(config.outputSize) }
        return Batch(timeSteps: timeSteps, batchSize: batchSize, tokens: tokens, targetTokens: targets)
    }

    func testTinyStepsStayOnOneThreadAndBigOnesSplit() {
        let tiny = ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 32, dimension: 16), hiddenSize: 16,
                               head: .classifyLast, outputSize: 2)
        let tinyModel = RecurrentModel(config: tiny, seed: 1, threadCount: 2)
        tinyModel.forward(batch(for: tiny, timeSteps: 24, batchSize: 32))
        XCTAssertFalse(tinyModel.splitsWork, "the textbook classifier's step runs on one thread")

        let big = ModelConfig(cell: .gru, input: .oneHot(vocabularySize: 32), hiddenSize: 96,
                              head: .tokenEveryStep, outputSize: 32)
        let bigModel = RecurrentModel(config: big, seed: 1, threadCount: 2)
        bigModel.forward(batch(for: big, timeSteps: 16, batchSize: 32))
        XCTAssertTrue(bigModel.splitsWork, "a step of ~100 MFLOP splits across the pool")

        let single = RecurrentModel(config: big, seed: 1, threadCount: 1)
        single.forward(batch(for: big, timeSteps: 16, batchSize: 32))
        XCTAssertFalse(single.splitsWork, "one thread has nothing to split")
    }

    func testSplitAndSerialStepsGiveTheSameBits() {
        for config in [
            ModelConfig(cell: .gru, input: .oneHot(vocabularySize: 32), hiddenSize: 96, head: .tokenEveryStep, outputSize: 32),
            ModelConfig(cell: .lstm, input: .embedding(vocabularySize: 32, dimension: 16), hiddenSize: 16, head: .classifyLast,
                        outputSize: 2),
        ] {
            let data = batch(for: config, timeSteps: 16, batchSize: 32)
            var results: [(loss: Double, gradients: [UInt32])] = []
            for threads in [1, 2] {
                let model = RecurrentModel(config: config, seed: 3, threadCount: threads)
                model.zeroGradients()
                let loss = model.forward(data).loss
                model.backward()
                results.append((loss, model.gradients.array().map(\.bitPattern)))
            }
            XCTAssertEqual(results[0].loss, results[1].loss, "\(config.cell) loss")
            XCTAssertEqual(results[0].gradients, results[1].gradients, "\(config.cell) gradients")
        }
    }
}
