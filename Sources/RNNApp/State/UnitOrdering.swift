import RNNEngine
import RNNTraining

/// The units of one layer in a `UnitOrder`. H = hidden size, T = timesteps.
enum UnitOrdering {
    /// Every unit 0..<H of `layer` of `probe` in `order` (ties by index). `signal` is what variance is
    /// measured on. Cost O(T · H · gates).
    static func units(_ order: UnitOrder, probe: ProbeResult, layer: Int, signal: UnitSignal) -> [Int] {
        let hidden = probe.hiddenSize
        guard probe.layers.indices.contains(layer), hidden > 0 else { return Array(0..<hidden) }
        switch order {
        case .index:
            return Array(0..<hidden)
        case .variance:
            let ranked = UnitRanking.mostVarying(in: probe, layer: layer, signal: signal).map(\.unit)
            return ranked.count == hidden ? ranked : Array(0..<hidden)
        case .saturation:
            let fractions = saturation(probe: probe, layer: layer)
            return (0..<hidden).sorted { fractions[$0] != fractions[$1] ? fractions[$0] > fractions[$1] : $0 < $1 }
        }
    }

    /// saturation[u]: (H) the fraction of (timestep, gate) values of unit u beyond 0.1 / 0.9 (the
    /// thresholds of `GateStatistics`); for a cell without gates, of h with |h| > 0.8.
    static func saturation(probe: ProbeResult, layer: Int) -> [Double] {
        let hidden = probe.hiddenSize, timeSteps = probe.timeSteps
        let trace = probe.layers[layer]
        var counts = [Double](repeating: 0, count: hidden)
        var signals: [(values: [Float], isTanh: Bool)] = trace.gates.map { ($0.values, $0.name == "g" || $0.name == "n") }
        if signals.isEmpty { signals = [(trace.hidden, true)] }
        for signal in signals {
            for index in 0..<min(signal.values.count, timeSteps * hidden) {
                let raw = Double(signal.values[index])
                let value = signal.isTanh ? (raw + 1) / 2 : raw
                if value < GateStatistics.leftThreshold || value > GateStatistics.rightThreshold { counts[index % hidden] += 1 }
            }
        }
        let total = Double(max(1, timeSteps * signals.count))
        return counts.map { $0 / total }
    }
}
