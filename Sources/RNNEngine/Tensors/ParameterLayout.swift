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
    /// Where one recurrent layer's tensors start: `rnn.weight_ih_l{k}`, `rnn.weight_hh_l{k}`,
    /// `rnn.bias_ih_l{k}`, `rnn.bias_hh_l{k}`.
    public struct LayerOffsets: Sendable, Equatable {
        public var weightIH = 0
        public var weightHH = 0
        public var biasIH = 0
        public var biasHH = 0
    }

    /// Where the output head's tensors start: `head.weight (O, H)`, `head.bias (O)`.
    public struct HeadOffsets: Sendable, Equatable {
        public var weight = 0
        public var bias = 0
    }

    public private(set) var views: [TensorView] = []
    public private(set) var totalCount = 0
    /// Typed offsets, so the passes never look a tensor up by its name: layers (layerCount).
    public private(set) var layers: [LayerOffsets] = []
    public private(set) var head = HeadOffsets()
    /// The offset of `embedding.weight (V, E)`, nil without an embedding.
    public private(set) var embeddingWeight: Int?

    /// Builds the layout for `config`:
    /// `embedding.weight (V, E)` when embedded; per layer k `rnn.weight_ih_l{k} (G*H, in_k)`,
    /// `rnn.weight_hh_l{k} (G*H, H)`, `rnn.bias_ih_l{k} (G*H)`, `rnn.bias_hh_l{k} (G*H)`;
    /// then `head.weight (O, H)`, `head.bias (O)`.
    public init(config: ModelConfig) {
        let gateWidth = config.cell.gateCount * config.hiddenSize
        if case .embedding(let vocabularySize, let dimension) = config.input {
            embeddingWeight = append("embedding.weight", [vocabularySize, dimension])
        }
        for layer in 0..<config.layerCount {
            var offsets = LayerOffsets()
            offsets.weightIH = append("rnn.weight_ih_l\(layer)", [gateWidth, config.layerInputSize(layer)])
            offsets.weightHH = append("rnn.weight_hh_l\(layer)", [gateWidth, config.hiddenSize])
            offsets.biasIH = append("rnn.bias_ih_l\(layer)", [gateWidth])
            offsets.biasHH = append("rnn.bias_hh_l\(layer)", [gateWidth])
            layers.append(offsets)
        }
        head.weight = append("head.weight", [config.outputSize, config.hiddenSize])
        head.bias = append("head.bias", [config.outputSize])
    }

    /// Adds a tensor and returns its offset.
    private mutating func append(_ name: String, _ shape: [Int]) -> Int {
        // Keep every tensor 16-float (64-byte) aligned for the vector kernels.
        let view = TensorView(name: name, shape: shape, offset: totalCount)
        views.append(view)
        totalCount += (view.count + 15) / 16 * 16
        return view.offset
    }

    public func view(named name: String) -> TensorView? { views.first { $0.name == name } }

    /// The offset of a tensor that the layout is known to have, by name (for names known only at run
    /// time; the passes use `layers`, `head` and `embeddingWeight`).
    public func offset(of name: String) -> Int {
        guard let view = view(named: name) else { preconditionFailure("no parameter named \(name)") }
        return view.offset
    }
}
