import RNNEngine

/// What a unit's value is read from in a probe: its h, its LSTM c, or one of its gates.
public enum UnitSignal: Sendable, Hashable {
    case hidden
    case cell
    /// A gate by its name ("i", "f", "g", "o"; "r", "z", "n").
    case gate(String)

    /// The (T, H) values of `signal` in `trace`, nil when the cell has no such signal.
    public func values(in trace: LayerTrace) -> [Float]? {
        switch self {
        case .hidden: trace.hidden
        case .cell: trace.cell
        case .gate(let name): trace.gates.first { $0.name == name }?.values
        }
    }
}

/// The units that vary most over a text ("text coloured by a unit": the interesting ones first).
public enum UnitRanking {
    public struct Entry: Sendable, Equatable {
        public var unit: Int
        /// Variance of the signal over the probe's timesteps.
        public var variance: Double
        public var minimum: Float
        public var maximum: Float
    }

    /// Every unit of `layer`, ordered by the variance of `signal` over the probe's T timesteps, largest
    /// first (ties by unit index). Empty when the layer or signal does not exist. Cost: O(T · H).
    public static func mostVarying(in probe: ProbeResult, layer: Int, signal: UnitSignal = .hidden) -> [Entry] {
        guard probe.layers.indices.contains(layer), let values = signal.values(in: probe.layers[layer]) else { return [] }
        let hidden = probe.hiddenSize, timeSteps = probe.timeSteps
        guard timeSteps > 0 else { return [] }
        let entries = (0..<hidden).map { unit -> Entry in
            var sum = 0.0, squares = 0.0
            var low = Float.infinity, high = -Float.infinity
            for time in 0..<timeSteps {
                let value = values[time * hidden + unit]
                sum += Double(value)
                squares += Double(value) * Double(value)
                low = min(low, value)
                high = max(high, value)
            }
            let mean = sum / Double(timeSteps)
            return Entry(unit: unit, variance: max(0, squares / Double(timeSteps) - mean * mean), minimum: low, maximum: high)
        }
        return entries.sorted { $0.variance != $1.variance ? $0.variance > $1.variance : $0.unit < $1.unit }
    }
}
