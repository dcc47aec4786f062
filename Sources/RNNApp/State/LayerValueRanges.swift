import RNNEngine

/// The ranges of one layer's unbounded values (c, h) that fix their heatmap scales.
public struct LayerValueRanges: Sendable, Equatable {
    /// Largest finite |c| (0 without a cell state).
    public var cellMagnitude: Float = 0
    /// Largest finite |h| and the smallest finite h.
    public var hiddenMagnitude: Float = 0
    public var hiddenMinimum: Float = 0

    /// One pass over c and h: O(T·H).
    public init(_ trace: LayerTrace) {
        if let cell = trace.cell {
            for value in cell where value.isFinite { cellMagnitude = max(cellMagnitude, abs(value)) }
        }
        for value in trace.hidden where value.isFinite {
            hiddenMagnitude = max(hiddenMagnitude, abs(value))
            hiddenMinimum = min(hiddenMinimum, value)
        }
    }
}
