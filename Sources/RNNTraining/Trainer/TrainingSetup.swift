import RNNEngine

/// Everything that defines a training run: what the setup screen edits and `rnn-tui train` parses.
/// Saved as DIR/config.json.
public struct TrainingSetup: Codable, Sendable, Equatable {
    // Model
    public var cell: CellKind = .lstm
    public var nonlinearity: Nonlinearity = .tanh
    public var gruResetAfter: Bool = true
    public var hiddenSize: Int = 128
    public var layerCount: Int = 1
    /// Token inputs: embedding width; 0 means one-hot input with no embedding table.
    public var embeddingSize: Int = 0
    public var dropout: Float = 0
    public var initScheme: InitScheme = .pytorch
    /// LSTM: start the forget gate's bias at 1 (Keras' unit_forget_bias).
    public var unitForgetBias: Bool = true

    // Optimization
    public var optimizer: OptimizerSettings = OptimizerSettings()
    public var schedule: LearningRateSchedule = .constant
    /// Clip the global gradient norm to this value; nil means no clipping.
    public var clipNorm: Float? = 5
    public var batchSize: Int = 32
    public var sequenceLength: Int = 64
    /// Stop after this many epochs and/or steps (whichever comes first); nil means unbounded.
    public var epochs: Int? = nil
    public var steps: Int? = nil
    /// Stop when validation loss has not improved for this many evaluations; nil disables.
    public var earlyStoppingPatience: Int? = nil
    /// Evaluate on the validation split every this many steps (and at each epoch's end).
    public var evaluationInterval: Int = 100
    /// How many validation sequences an evaluation uses at most.
    public var validationLimit: Int = 512
    /// Carry recurrent state between consecutive batches when the dataset is stateful (truncated BPTT).
    public var truncatedBPTT: Bool = true
    public var seed: UInt64 = 1

    // Data
    public var dataset: String = "samples/corpus.txt"
    public var datasetOptions: DatasetOptions = DatasetOptions()
    /// A checkpoint to start from instead of fresh weights.
    public var initialCheckpoint: String? = nil
    /// Unit surgery (ablated units, clamped gates) set live in the notebook; nil: none.
    public var intervention: Intervention? = nil

    public init() {}
}
