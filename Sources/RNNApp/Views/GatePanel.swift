import RNNEngine

/// How a heatmap maps values to colors.
public enum HeatmapScale: Sendable, Equatable {
    /// low…high on a sequential ramp (sigmoid gates: 0…1).
    case sequential(low: Float, high: Float)
    /// −limit…+limit on a diverging ramp centred on 0 (tanh values: ±1; the cell state: its largest |c|).
    case diverging(limit: Float)

    /// The value's position on the ramp, 0…1 (clamped); nil for NaN.
    func position(_ value: Float) -> Float? {
        guard !value.isNaN else { return nil }
        switch self {
        case .sequential(let low, let high):
            let span = high - low
            return span > 0 ? min(1, max(0, (value - low) / span)) : 0.5
        case .diverging(let limit):
            return limit > 0 ? min(1, max(0, (value / limit + 1) / 2)) : 0.5
        }
    }
}

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

/// Where the gate view puts things for a window size: shared by `render` and the cursor keys.
struct GateLayout {
    static let sidePanelWidth = 24
    /// "i  1023 ": gate name, unit index, a gap.
    static let labelWidth = 7
    static let bodyTop = 2

    var bodyRows: Int
    var unitsPerPanel: Int
    var visibleTimesteps: Int
    var heatmapX: Int { Self.labelWidth }

    /// shownPanels: how many heatmaps are stacked (1 when one is focused). A blank row separates panels.
    init(width: Int, height: Int, shownPanels: Int) {
        // header, info | body | time characters, time numbers, legend, notice, footer
        bodyRows = max(1, height - Self.bodyTop - 5)
        let panels = max(1, shownPanels)
        unitsPerPanel = max(1, (bodyRows - (panels - 1)) / panels)
        visibleTimesteps = max(1, width - Self.sidePanelWidth - Self.labelWidth - 1)
    }

    /// The first unit of the page holding `unit`.
    func unitOffset(for unit: Int) -> Int { unit - unit % unitsPerPanel }

    /// The first timestep shown: `current` moved as little as possible to keep `timestep` visible.
    func timeOffset(keeping timestep: Int, current: Int, timeSteps: Int) -> Int {
        var offset = current
        if timestep < offset { offset = timestep }
        if timestep >= offset + visibleTimesteps { offset = timestep - visibleTimesteps + 1 }
        return max(0, min(offset, max(0, timeSteps - visibleTimesteps)))
    }
}
