/// Everything one layer computed for one sequence (batch of one): what `inspect` prints and the gate
/// view draws. T = timesteps, H = hidden size; every array is (T, H) row-major.
public struct LayerTrace: Sendable, Equatable {
    /// Gate activations after their nonlinearity, in the cell's order (LSTM i f g o, GRU r z n, RNN none).
    public var gates: [(name: String, values: [Float])]
    /// h: (T, H) the layer's output at each timestep.
    public var hidden: [Float]
    /// c: (T, H) LSTM cell state; nil for RNN and GRU.
    public var cell: [Float]?

    public init(gates: [(name: String, values: [Float])], hidden: [Float], cell: [Float]?) {
        self.gates = gates
        self.hidden = hidden
        self.cell = cell
    }

    public static func == (lhs: LayerTrace, rhs: LayerTrace) -> Bool {
        lhs.hidden == rhs.hidden && lhs.cell == rhs.cell
            && lhs.gates.map(\.name) == rhs.gates.map(\.name)
            && lhs.gates.map(\.values) == rhs.gates.map(\.values)
    }
}

/// A forward pass over one sequence, kept whole.
public struct ProbeResult: Sendable, Equatable {
    public var timeSteps: Int
    public var hiddenSize: Int
    public var layers: [LayerTrace]
    /// outputs: (T, O) logits (or regression outputs) at every timestep.
    public var outputs: [Float]
    public var outputSize: Int

    public init(timeSteps: Int, hiddenSize: Int, layers: [LayerTrace], outputs: [Float], outputSize: Int) {
        self.timeSteps = timeSteps
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.outputs = outputs
        self.outputSize = outputSize
    }
}
