import RNNEngine

/// The probe sequence's activations at one step: what the gate view draws.
public struct GateSnapshot: Sendable {
    public var step: Int
    public var cell: CellKind
    public var probeIndex: Int
    public var probeCount: Int
    /// labels: (T) one short label per timestep.
    public var labels: [String]
    public var probe: ProbeResult

    public init(step: Int, cell: CellKind, probeIndex: Int, probeCount: Int, labels: [String], probe: ProbeResult) {
        self.step = step
        self.cell = cell
        self.probeIndex = probeIndex
        self.probeCount = probeCount
        self.labels = labels
        self.probe = probe
    }
}
