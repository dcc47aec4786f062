/// The activations and backward buffers of one batch shape (T timesteps, B rows), all regions of one
/// arena planned up front so a training step allocates nothing. Re-planned only when (T, B) changes.
///
/// Per layer k (H hidden, GH = gates·H, I_k = layer input width):
///   input   (T, B, I_k)   layer 0: embedded or numeric input; k ≥ 1: dropout(h of layer k−1)
///   gates   (T, B, GH)    input projection, then activated gates in place
///   hidden  (T+1, B, H)   slot 0 = initial state, slot t+1 = h_t
///   cell    (T+1, B, H)   LSTM c, same slots            tanhCell (T, B, H)  LSTM tanh(c_t)
///   reset   (T, B, H)     GRU: W_hn h' + b_hn (reset after) or r ⊙ h' (reset before)
///   dropout (T, B, H)     k ≥ 1: the inverted-dropout mask (0 or 1/(1−p))
/// Shared: dGates / dGatesHidden (T, B, GH), dTop / dBelow (T, B, max(H, I_0)), dhNext / dcNext (B, H),
/// scratch (B, GH), outputs / dOutputs (T, B, O), gathered / dGathered (B, H), combinedBias (GH),
/// oneHotTable (V, GH) for one-hot input.
final class Workspace {
    struct LayerRegions {
        var input = 0, gates = 0, hidden = 0, cell = 0, tanhCell = 0, reset = 0, dropout = 0
    }

    private(set) var timeSteps = 0
    private(set) var batchSize = 0
    private(set) var arena = FloatArena(count: 0)
    private(set) var layers: [LayerRegions] = []
    private(set) var dGates = 0, dGatesHidden = 0, dTop = 0, dBelow = 0, dhNext = 0, dcNext = 0, scratch = 0
    private(set) var outputs = 0, dOutputs = 0, gathered = 0, dGathered = 0
    /// combinedBias: (GH) b_ih + the additive part of b_hh for the layer being computed.
    /// oneHotTable: (V, GH) one-hot input: W_ih transposed (forward) or dW_ihᵀ (backward).
    private(set) var combinedBias = 0, oneHotTable = 0
    /// rowLosses: (rows, 2) each head row's loss and whether its argmax was right.
    private(set) var rowLosses = 0
    /// lengths: (B) real timesteps per row of the current batch; set by the forward pass.
    private(set) var lengths: [Int] = []

    /// Fills `lengths` from the batch's mask (T when there is none), reusing the array's storage.
    func setLengths(from batch: Batch) {
        if lengths.count != batch.batchSize {
            lengths = Array(repeating: batch.timeSteps, count: batch.batchSize)
        }
        for column in 0..<batch.batchSize { lengths[column] = batch.length(ofColumn: column) }
    }
    /// Whether layers ≥ 1 read a dropout-masked copy of the layer below (training with dropout > 0).
    var dropoutActive = false

    let config: ModelConfig
    /// Floats the current plan needs; `allocates == false` plans without allocating (memory estimates).
    private(set) var plannedFloatCount = 0
    var allocates = true

    init(config: ModelConfig) { self.config = config }

    /// Makes room for a (T, B) batch; allocates only when the shape needs more than the arena has.
    func plan(timeSteps: Int, batchSize: Int) {
        guard timeSteps != self.timeSteps || batchSize != self.batchSize else { return }
        let hidden = config.hiddenSize, gateWidth = config.cell.gateCount * hidden
        let positions = timeSteps * batchSize
        var total = 0
        func take(_ count: Int) -> Int {
            let offset = total
            total += (count + 15) / 16 * 16
            return offset
        }
        layers = (0..<config.layerCount).map { layer in
            var regions = LayerRegions()
            regions.input = take(positions * config.layerInputSize(layer))
            regions.gates = take(positions * gateWidth)
            regions.hidden = take((timeSteps + 1) * batchSize * hidden)
            if config.cell == .lstm {
                regions.cell = take((timeSteps + 1) * batchSize * hidden)
                regions.tanhCell = take(positions * hidden)
            }
            if config.cell == .gru { regions.reset = take(positions * hidden) }
            if layer > 0 { regions.dropout = take(positions * hidden) }
            return regions
        }
        let widest = max(hidden, config.input.inputSize)
        dGates = take(positions * gateWidth)
        dGatesHidden = config.cell == .gru ? take(positions * gateWidth) : dGates
        dTop = take(positions * widest)
        dBelow = take(positions * widest)
        dhNext = take(batchSize * hidden)
        dcNext = take(batchSize * hidden)
        scratch = take(batchSize * gateWidth)
        outputs = take(positions * config.outputSize)
        dOutputs = take(positions * config.outputSize)
        gathered = take(batchSize * hidden)
        dGathered = take(batchSize * hidden)
        combinedBias = take(gateWidth)
        rowLosses = take(2 * positions)
        if case .oneHot(let vocabularySize) = config.input { oneHotTable = take(vocabularySize * gateWidth) }
        plannedFloatCount = total
        if allocates && total > arena.count { arena = FloatArena(count: total) }
        self.timeSteps = timeSteps
        self.batchSize = batchSize
    }

    @inline(__always) func pointer(_ offset: Int) -> UnsafeMutablePointer<Float> { arena.base + offset }
}
