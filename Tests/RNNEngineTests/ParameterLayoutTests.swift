import XCTest
@testable import RNNEngine

/// The typed offsets the passes use point at the same tensors as their PyTorch names.
final class ParameterLayoutTests: XCTestCase {
    func testTypedOffsetsMatchTheNamedViews() {
        for (cell, input) in [(CellKind.lstm, InputEncoding.embedding(vocabularySize: 11, dimension: 5)),
                              (.gru, .oneHot(vocabularySize: 7)), (.rnn, .numeric(featureCount: 3))] {
            let config = ModelConfig(cell: cell, input: input, hiddenSize: 6, layerCount: 3, head: .tokenEveryStep, outputSize: 4)
            let layout = ParameterLayout(config: config)
            func offset(_ name: String) -> Int? { layout.view(named: name)?.offset }
            XCTAssertEqual(layout.layers.count, 3)
            for (layer, offsets) in layout.layers.enumerated() {
                XCTAssertEqual(offsets.weightIH, offset("rnn.weight_ih_l\(layer)"), "\(cell) layer \(layer)")
                XCTAssertEqual(offsets.weightHH, offset("rnn.weight_hh_l\(layer)"))
                XCTAssertEqual(offsets.biasIH, offset("rnn.bias_ih_l\(layer)"))
                XCTAssertEqual(offsets.biasHH, offset("rnn.bias_hh_l\(layer)"))
            }
            XCTAssertEqual(layout.head.weight, offset("head.weight"))
            XCTAssertEqual(layout.head.bias, offset("head.bias"))
            XCTAssertEqual(layout.embeddingWeight, offset("embedding.weight"), "\(cell): present only with an embedding")
        }
    }
}
