/// The recurrent state a model carries from one training batch to the next (truncated BPTT):
/// values (L·S, B, H), S = 2 for LSTM (h then c per layer) and 1 otherwise.
public struct CarriedState: Sendable, Equatable {
    public var batchSize: Int
    public var values: [Float]

    public init(batchSize: Int, values: [Float]) {
        self.batchSize = batchSize
        self.values = values
    }
}

/// What a model keeps between training steps besides its weights, so a run can stop and continue
/// exactly: the dropout generator and the carried state.
extension RecurrentModel {
    /// The dropout mask generator's state (`SeededRandom.stateWord`); setting it continues that stream.
    public var dropoutRandomState: UInt64 {
        get { random.stateWord }
        set { random = SeededRandom(seed: newValue) }
    }

    /// The state the next carried batch would start from, or nil when it would start from zeros.
    /// Cost: one copy of L·S·B·H floats.
    public var carriedRecurrentState: CarriedState? {
        guard hasCarriedState, carriedBatchSize > 0 else { return nil }
        return CarriedState(batchSize: carriedBatchSize, values: carriedState.array())
    }

    /// Keeps a copy of the carried state (a memcpy into a buffer allocated once per size), so a step cut
    /// short after its forward pass can put it back with `restoreKeptCarriedState()`.
    public func keepCarriedState() {
        if keptCarriedState?.values.count != carriedState.count {
            keptCarriedState = (FloatArena(count: carriedState.count), 0, false)
        }
        keptCarriedState!.values.copy(from: carriedState)
        keptCarriedState!.batchSize = carriedBatchSize
        keptCarriedState!.present = hasCarriedState
    }

    /// Puts back the copy `keepCarriedState()` took (nothing when none was taken).
    public func restoreKeptCarriedState() {
        guard let kept = keptCarriedState else { return }
        if carriedState.count != kept.values.count { carriedState = FloatArena(count: kept.values.count) }
        carriedState.copy(from: kept.values)
        carriedBatchSize = kept.batchSize
        hasCarriedState = kept.present
    }

    /// Sets (or, with nil, forgets) the carried state; refuses values of the wrong size.
    public func restoreCarriedState(_ state: CarriedState?) throws {
        guard let state else {
            resetState()
            return
        }
        let perLayer = config.cell == .lstm ? 2 : 1
        let expected = config.layerCount * perLayer * state.batchSize * config.hiddenSize
        guard state.batchSize > 0, state.values.count == expected else {
            throw ModelError("carried state has \(state.values.count) values, expected \(expected) (L·S·B·H for B = \(state.batchSize))")
        }
        let arena = FloatArena(count: expected)
        state.values.withUnsafeBufferPointer { arena.base.update(from: $0.baseAddress!, count: expected) }
        carriedState = arena
        carriedBatchSize = state.batchSize
        hasCarriedState = true
    }
}
