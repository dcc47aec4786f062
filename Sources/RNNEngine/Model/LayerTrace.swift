/// Everything one layer computed for one sequence (batch of one): what `inspect` prints and the gate
/// view draws. T = timesteps, H = hidden size; every array is (T, H) row-major.
public struct LayerTrace: Sendable, Equatable {
    /// Gate activations after their nonlinearity, in the cell's order (LSTM i f g o, GRU r z n, RNN none).
    public var gates: [(name: String, values: [Float])]
    /// h: (T, H) the layer's output at each timestep.
    public var hidden: [Float]
    /// c: (T, H) LSTM cell state; nil for RNN and GRU.
    public var cell: [Float]?
    /// dh: (T, H) the total derivative ∂L/∂h_t of the probe's loss — through the head at t, the
    /// recurrence into t+1 and the layer above. nil when the probe had no targets.
    public var hiddenGradient: [Float]?
    /// dc: (T, H) LSTM only: the total derivative ∂L/∂c_t (through h_t and c_{t+1}).
    public var cellGradient: [Float]?

    public init(
        gates: [(name: String, values: [Float])], hidden: [Float], cell: [Float]?,
        hiddenGradient: [Float]? = nil, cellGradient: [Float]? = nil
    ) {
        self.gates = gates
        self.hidden = hidden
        self.cell = cell
        self.hiddenGradient = hiddenGradient
        self.cellGradient = cellGradient
    }

    public static func == (lhs: LayerTrace, rhs: LayerTrace) -> Bool {
        lhs.hidden == rhs.hidden && lhs.cell == rhs.cell
            && lhs.gates.map(\.name) == rhs.gates.map(\.name)
            && lhs.gates.map(\.values) == rhs.gates.map(\.values)
            && lhs.hiddenGradient == rhs.hiddenGradient && lhs.cellGradient == rhs.cellGradient
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
    /// The loss the gradients are of (mean cross-entropy over real timesteps for every-step heads, the
    /// last-step loss otherwise); nil when the probe had no targets.
    public var loss: Double?

    public init(timeSteps: Int, hiddenSize: Int, layers: [LayerTrace], outputs: [Float], outputSize: Int, loss: Double? = nil) {
        self.timeSteps = timeSteps
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.outputs = outputs
        self.outputSize = outputSize
        self.loss = loss
    }
}

/// ∂L/∂h_t (and ∂L/∂c_t) of every layer, timestep and sequence of a batch, from
/// `RecurrentModel.hiddenGradients(_:)`. T = timesteps, B = sequences, H = hidden size.
public struct HiddenGradients: Sendable, Equatable {
    public var timeSteps: Int
    public var batchSize: Int
    public var hiddenSize: Int
    /// hidden[layer]: (T, B, H) ∂L/∂h_t of the batch's mean loss.
    public var hidden: [[Float]]
    /// cell[layer]: (T, B, H) ∂L/∂c_t, LSTM only.
    public var cell: [[Float]]?
    /// The batch's mean loss.
    public var loss: Double
    /// sequenceScales[b]: multiplies sequence b's slice of `hidden`/`cell` into the gradient of that
    /// sequence's OWN mean loss (what a probe of it alone would record): counted positions of the batch
    /// over those of sequence b; 0 for a sequence the loss does not read.
    public var sequenceScales: [Float]

    public init(timeSteps: Int, batchSize: Int, hiddenSize: Int, hidden: [[Float]], cell: [[Float]]?, loss: Double, sequenceScales: [Float]) {
        self.timeSteps = timeSteps
        self.batchSize = batchSize
        self.hiddenSize = hiddenSize
        self.hidden = hidden
        self.cell = cell
        self.loss = loss
        self.sequenceScales = sequenceScales
    }
}

/// The recurrent state of one sequence between `RecurrentModel.continueSequence` calls: per layer h (H)
/// then, for the LSTM, c (H).
public struct SequenceState: Sendable, Equatable {
    public var values: [Float]

    public init(values: [Float]) { self.values = values }
}
