import Foundation
import RNNEngine
import XCTest

/// Truncated BPTT: a batch that starts from the state the previous batch ended in. The engine's loss must
/// equal the oracle's run from the oracle's own final state of batch 1, and its gradients must equal finite
/// differences of that loss with the carried state held fixed (detached) at the unperturbed parameters.
final class TruncatedBackpropagationTests: XCTestCase {
    func checkCarriedState(_ name: String, _ config: ModelConfig, file: StaticString = #filePath, line: UInt = #line) {
        let model = RecurrentModel(config: config, seed: 11)
        let point = model.namedParameters()
        let first = OracleBatch.make(config, timeSteps: 4, batchSize: 3, seed: 21)
        let second = OracleBatch.make(config, timeSteps: 5, batchSize: 3, seed: 22)

        model.forward(first, carryState: true)
        model.zeroGradients()
        let engineLoss = model.forward(second, carryState: true).loss
        model.backward()

        let reference = ReferenceNetwork(config: config, tensors: point)
        let carried = reference.run(first).finalState
        let oracleLoss = reference.run(second, initialState: carried).loss
        let freshLoss = reference.run(second).loss
        XCTAssertEqual(engineLoss, oracleLoss, accuracy: 1e-5 * max(1, abs(oracleLoss)),
                       "\(name): loss with the carried state", file: file, line: line)
        XCTAssertGreaterThan(abs(oracleLoss - freshLoss), 1e-4, "\(name): the carried state must matter", file: file, line: line)

        let report = GradientChecker().compare(analytic: model.namedGradients(), reference: reference) {
            $0.run(second, initialState: carried).loss
        }
        print("gradient check \(name), carried state: loss \(engineLoss) (oracle \(oracleLoss), from zeros \(freshLoss)); \(report)")
        XCTAssertEqual(report.mismatchCount, 0, report.mismatches.joined(separator: "\n"), file: file, line: line)

        // resetState forgets the carried state: the next carried batch starts from zeros.
        model.resetState()
        XCTAssertEqual(model.forward(second, carryState: true).loss, freshLoss, accuracy: 1e-5 * max(1, abs(freshLoss)),
                       "\(name): after resetState", file: file, line: line)
        // carryState: false neither reads nor disturbs it.
        XCTAssertEqual(model.forward(second).loss, freshLoss, accuracy: 1e-5 * max(1, abs(freshLoss)), file: file, line: line)
    }

    func testLSTMCarriesHiddenAndCell() {
        checkCarriedState("LSTM", ModelConfig(
            cell: .lstm, input: .embedding(vocabularySize: 6, dimension: 3), hiddenSize: 4, layerCount: 2,
            head: .tokenEveryStep, outputSize: 6))
    }

    func testGRUCarriesHidden() {
        checkCarriedState("GRU reset-before", ModelConfig(
            cell: .gru, gruResetAfter: false, input: .numeric(featureCount: 2), hiddenSize: 4, layerCount: 2,
            head: .regressEveryStep, outputSize: 2))
    }

    func testRNNCarriesHidden() {
        checkCarriedState("RNN tanh", ModelConfig(
            cell: .rnn, input: .oneHot(vocabularySize: 5), hiddenSize: 3, layerCount: 2,
            head: .tokenEveryStep, outputSize: 5))
    }

    /// Three consecutive carried batches: the third starts where the second ended, in the engine and the oracle.
    func testStateCarriesAcrossSeveralBatches() {
        let config = ModelConfig(cell: .lstm, input: .numeric(featureCount: 2), hiddenSize: 3, layerCount: 2,
                                 head: .regressLast, outputSize: 1)
        let model = RecurrentModel(config: config, seed: 12)
        let reference = ReferenceNetwork(config: config, tensors: model.namedParameters())
        var state: [ReferenceNetwork.LayerState]? = nil
        for index in 0..<3 {
            let batch = OracleBatch.make(config, timeSteps: 3, batchSize: 2, seed: 30 + UInt64(index))
            let engineLoss = model.forward(batch, carryState: true).loss
            let result = reference.run(batch, initialState: state)
            XCTAssertEqual(engineLoss, result.loss, accuracy: 1e-5 * max(1, result.loss), "batch \(index)")
            state = result.finalState
        }
    }
}
