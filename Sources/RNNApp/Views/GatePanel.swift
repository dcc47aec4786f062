import RNNEngine
import TerminalUI

/// One heatmap of the gate view: a gate (or c, or h) of one layer. values: (T, H) row-major.
struct GatePanel {
    var name: String
    var title: String
    var values: [Float]
    var scale: HeatmapScale

    /// The panels of one layer, in the order drawn: the gates (LSTM i f g o, GRU r z n), then c, then h.
    /// `ranges` are the layer's value ranges (computed once per snapshot); cost O(panels).
    static func panels(for trace: LayerTrace, ranges: LayerValueRanges) -> [GatePanel] {
        var panels: [GatePanel] = []
        for gate in trace.gates {
            panels.append(GatePanel(name: gate.name, title: title(gate.name), values: gate.values, scale: fixedScale(gate.name)))
        }
        if let cell = trace.cell {
            panels.append(GatePanel(name: "c", title: "cell", values: cell,
                                    scale: .diverging(limit: niceLimit(ranges.cellMagnitude))))
        }
        let hiddenScale: HeatmapScale =
            if ranges.hiddenMagnitude <= 1.0001 { .diverging(limit: 1) }
            else if ranges.hiddenMinimum >= 0 { .sequential(low: 0, high: niceLimit(ranges.hiddenMagnitude)) }
            else { .diverging(limit: niceLimit(ranges.hiddenMagnitude)) }
        panels.append(GatePanel(name: "h", title: "hidden", values: trace.hidden, scale: hiddenScale))
        return panels
    }

    static func panels(for trace: LayerTrace) -> [GatePanel] {
        panels(for: trace, ranges: LayerValueRanges(trace))
    }

    static func title(_ name: String) -> String {
        switch name {
        case "i": "input"
        case "f": "forget"
        case "g": "candidate"
        case "o": "output"
        case "r": "reset"
        case "z": "update"
        case "n": "new"
        case "c": "cell"
        case "h": "hidden"
        default: name
        }
    }

    /// Sigmoid gates live in 0…1; tanh ones (g, n) in ±1.
    static func fixedScale(_ name: String) -> HeatmapScale {
        switch name {
        case "g", "n": .diverging(limit: 1)
        default: .sequential(low: 0, high: 1)
        }
    }

    /// Rounds a range limit up to 1, 2 or 5 × 10^k so the legend reads well (and stays put as values drift).
    static func niceLimit(_ value: Float) -> Float {
        guard value.isFinite, value > 0 else { return 1 }
        var scale: Float = 1
        while scale * 10 < value { scale *= 10 }
        while scale > value { scale /= 10 }
        for factor: Float in [1, 2, 5, 10] where factor * scale >= value { return factor * scale }
        return value
    }
}
