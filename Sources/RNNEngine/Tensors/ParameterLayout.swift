/// A named region of an arena: `count` floats from `offset`, viewed as `shape` row-major.
public struct TensorView: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var offset: Int
    public var count: Int { shape.reduce(1, *) }
}

/// Where each parameter of a model lives. The parameter arena, the gradient arena and every optimizer
/// moment arena share this one layout, so an optimizer step is a flat loop and a checkpoint is a walk
/// over `views`. Names are PyTorch's for a module with `embedding`, `rnn` and `head` attributes.
public struct ParameterLayout: Sendable, Equatable {
    public private(set) var views: [TensorView] = []
    public private(set) var totalCount = 0

    /// Builds the layout for `config`:
    /// `embedding.weight (V, E)` when embedded; per layer k `rnn.weight_ih_l{k} (G*H, in_k)`,
    /// `rnn.weight_hh_l{k} (G*H, H)`, `rnn.bias_ih_l{k} (G*H)`, `rnn.bias_hh_l{k} (G*H)`;
    /// then `head.weight (O, H)`, `head.bias (O)`.
    public init(config: ModelConfig) {
        let gateWidth = config.cell.gateCount * config.hiddenSize
        if case .embedding(let vocabularySize, let dimension) = config.input {
            append("embedding.weight", [vocabularySize, dimension])
        }
        for layer in 0..<config.layerCount {
            append("rnn.weight_ih_l\(layer)", [gateWidth, config.layerInputSize(layer)])
            append("rnn.weight_hh_l\(layer)", [gateWidth, config.hiddenSize])
            append("rnn.bias_ih_l\(layer)", [gateWidth])
            append("rnn.bias_hh_l\(layer)", [gateWidth])
        }
        append("head.weight", [config.outputSize, config.hiddenSize])
        append("head.bias", [config.outputSize])
    }

    private mutating func append(_ name: String, _ shape: [Int]) {
        // Keep every tensor 16-float (64-byte) aligned for the vector kernels.
        let view = TensorView(name: name, shape: shape, offset: totalCount)
        views.append(view)
        totalCount += (view.count + 15) / 16 * 16
    }

    public func view(named name: String) -> TensorView? { views.first { $0.name == name } }

    /// The offset of a tensor that the layout is known to have.
    public func offset(of name: String) -> Int {
        guard let view = view(named: name) else { preconditionFailure("no parameter named \(name)") }
        return view.offset
    }
}
