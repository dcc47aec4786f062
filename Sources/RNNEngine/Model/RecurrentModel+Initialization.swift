import Foundation

extension RecurrentModel {
    /// Fills the parameter arena.
    /// - `.pytorch`: embedding N(0, 1); every rnn weight and bias uniform(±1/√H); head weight and bias
    ///   uniform(±1/√H) (nn.Linear's default).
    /// - `.keras`: embedding uniform(±0.05); W_ih Glorot-uniform over (in, G·H); W_hh with orthonormal
    ///   columns (Keras' orthogonal on its (H, G·H) kernel); biases zero; head Glorot-uniform, bias zero.
    /// `unitForgetBias` (LSTM) then sets the forget block of b_ih to 1 and of b_hh to 0, so f starts near σ(1).
    func initializeParameters(scheme: InitScheme, unitForgetBias: Bool) {
        let hidden = config.hiddenSize, gateWidth = config.cell.gateCount * hidden
        let bound = 1 / Float(hidden).squareRoot()
        for view in layout.views {
            let values = parameters.base + view.offset
            switch (scheme, view.name) {
            case (.pytorch, "embedding.weight"):
                for index in 0..<view.count { values[index] = Float(random.nextGaussian()) }
            case (.keras, "embedding.weight"):
                for index in 0..<view.count { values[index] = random.uniform(-0.05, 0.05) }
            case (.pytorch, _):
                for index in 0..<view.count { values[index] = random.uniform(-bound, bound) }
            case (.keras, let name) where name.hasPrefix("rnn.weight_ih") || name == "head.weight":
                let limit = (6 / Float(view.shape[0] + view.shape[1])).squareRoot()
                for index in 0..<view.count { values[index] = random.uniform(-limit, limit) }
            case (.keras, let name) where name.hasPrefix("rnn.weight_hh"):
                fillOrthonormalColumns(values, rows: gateWidth, columns: hidden)
            case (.keras, _):
                values.update(repeating: 0, count: view.count)
            }
        }
        if unitForgetBias && config.cell == .lstm {
            for layer in 0..<config.layerCount {
                let inputBias = parameters.base + layout.layers[layer].biasIH
                let hiddenBias = parameters.base + layout.layers[layer].biasHH
                (inputBias + hidden).update(repeating: 1, count: hidden)
                (hiddenBias + hidden).update(repeating: 0, count: hidden)
            }
        }
    }

    /// values: (rows, columns) with rows ≥ columns, filled so its columns are orthonormal
    /// (Gram–Schmidt on a Gaussian matrix, in Double).
    private func fillOrthonormalColumns(_ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        var matrix = (0..<(rows * columns)).map { _ in random.nextGaussian() }
        for column in 0..<columns {
            for previous in 0..<column {
                var dot = 0.0
                for row in 0..<rows { dot += matrix[row * columns + column] * matrix[row * columns + previous] }
                for row in 0..<rows { matrix[row * columns + column] -= dot * matrix[row * columns + previous] }
            }
            var norm = 0.0
            for row in 0..<rows { norm += matrix[row * columns + column] * matrix[row * columns + column] }
            norm = max(norm.squareRoot(), 1e-12)
            for row in 0..<rows { matrix[row * columns + column] /= norm }
        }
        for index in 0..<(rows * columns) { values[index] = Float(matrix[index]) }
    }
}
