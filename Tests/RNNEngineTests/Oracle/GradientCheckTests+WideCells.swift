import RNNEngine
import XCTest

/// The cells' fused 8-wide loops run only for hidden sizes of 8 and more; these cases use H = 11 (one
/// 8-wide block and 3 leftover units) so both the vector loop and its scalar tail meet the oracle.
extension GradientCheckTests {
    func testGRUResetAfterWideHiddenEmbeddingClassifyLast() {
        check(Case(
            name: "GRU reset-after, H 11, embedding, classify last",
            config: ModelConfig(cell: .gru, gruResetAfter: true, input: .embedding(vocabularySize: 7, dimension: 5),
                                hiddenSize: 11, layerCount: 1, head: .classifyLast, outputSize: 3),
            timeSteps: 4, batchSize: 3, lengths: [4, 2, 3]))
    }

    func testGRUResetAfterWideHiddenOneHotTwoLayers() {
        check(Case(
            name: "GRU reset-after, H 11, one-hot, 2 layers, token every step",
            config: ModelConfig(cell: .gru, gruResetAfter: true, input: .oneHot(vocabularySize: 5),
                                hiddenSize: 11, layerCount: 2, head: .tokenEveryStep, outputSize: 5),
            timeSteps: 3, batchSize: 2))
    }

    func testGRUResetBeforeWideHiddenNumeric() {
        check(Case(
            name: "GRU reset-before, H 11, numeric, regress last",
            config: ModelConfig(cell: .gru, gruResetAfter: false, input: .numeric(featureCount: 2),
                                hiddenSize: 11, layerCount: 1, head: .regressLast, outputSize: 2),
            timeSteps: 4, batchSize: 2))
    }

    func testLSTMWideHiddenOneHotTokenEveryStep() {
        check(Case(
            name: "LSTM, H 11, one-hot, token every step",
            config: ModelConfig(cell: .lstm, input: .oneHot(vocabularySize: 5),
                                hiddenSize: 11, layerCount: 1, head: .tokenEveryStep, outputSize: 5),
            timeSteps: 4, batchSize: 3))
    }

    func testRNNWideHiddenEmbeddingClassifyLast() {
        check(Case(
            name: "RNN tanh, H 11, embedding, classify last",
            config: ModelConfig(cell: .rnn, input: .embedding(vocabularySize: 6, dimension: 3),
                                hiddenSize: 11, layerCount: 1, head: .classifyLast, outputSize: 3),
            timeSteps: 4, batchSize: 3, lengths: [4, 3, 1]))
    }
}
