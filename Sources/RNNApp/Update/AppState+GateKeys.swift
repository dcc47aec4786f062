extension AppState {
    var gateLayout: GateLayout {
        let shown = gates.focusedPanel == nil ? max(1, gatePanelCount) : 1
        return GateLayout(width: width, height: height, shownPanels: shown)
    }

    /// Panels per layer without computing them: gates, c (LSTM), h.
    var gatePanelCount: Int {
        guard let snapshot = activeRun?.gateSnapshot, snapshot.probe.layers.indices.contains(gates.layer) else { return 0 }
        let trace = snapshot.probe.layers[gates.layer]
        return trace.gates.count + (trace.cell == nil ? 0 : 1) + 1
    }

    /// Gate-view keys: arrows move the cursor, PgUp/PgDn page units, Home/End jump in time, `[` `]` change
    /// the probe, `<` `>` the layer, `f` focuses one panel. Returns nil for keys it does not own.
    mutating func handleGateKey(_ key: Key) -> [AppEffect]? {
        let snapshot = activeRun?.gateSnapshot
        let hiddenSize = snapshot?.probe.hiddenSize ?? 0
        let timeSteps = snapshot?.probe.timeSteps ?? 0
        let page = gateLayout.unitsPerPanel
        switch key {
        case .up: gates.unit -= 1
        case .down: gates.unit += 1
        case .left: gates.timestep -= 1
        case .right: gates.timestep += 1
        case .pageUp: gates.unit -= page
        case .pageDown: gates.unit += page
        case .home: gates.timestep = 0
        case .end: gates.timestep = timeSteps - 1
        case .character("["), .character("]"):
            guard let run = activeRun, !run.hasEnded else {
                post("the run has ended: probes change only while it runs")
                return []
            }
            let count = max(1, snapshot?.probeCount ?? 1)
            let direction = key == .character("]") ? 1 : -1
            gates.probeIndex = (gates.probeIndex + direction + count) % count
            return [.send(runID: run.runID, .requestGates(probeIndex: gates.probeIndex))]
        case .character("<"), .character(","), .character(">"), .character("."):
            let layers = max(1, snapshot?.probe.layers.count ?? 1)
            let direction = (key == .character(">") || key == .character(".")) ? 1 : -1
            gates.layer = (gates.layer + direction + layers) % layers
            if let focused = gates.focusedPanel, focused >= gatePanelCount { gates.focusedPanel = nil }
        case .character("f"):
            let count = gatePanelCount
            guard count > 1 else { return [] }
            if let focused = gates.focusedPanel {
                gates.focusedPanel = focused + 1 < count ? focused + 1 : nil
            } else {
                gates.focusedPanel = 0
            }
        default:
            return nil
        }
        gates.unit = max(0, min(gates.unit, hiddenSize - 1))
        gates.timestep = max(0, min(gates.timestep, timeSteps - 1))
        keepGateCursorVisible()
        return []
    }

    /// Clamps the cursor into the snapshot and scrolls the viewport so the cursor shows.
    mutating func keepGateCursorVisible() {
        guard let snapshot = activeRun?.gateSnapshot else { return }
        let probe = snapshot.probe
        gates.layer = max(0, min(gates.layer, probe.layers.count - 1))
        gates.unit = max(0, min(gates.unit, probe.hiddenSize - 1))
        gates.timestep = max(0, min(gates.timestep, probe.timeSteps - 1))
        let layout = gateLayout
        gates.unitOffset = layout.unitOffset(for: gates.unit)
        gates.timeOffset = layout.timeOffset(keeping: gates.timestep, current: gates.timeOffset, timeSteps: probe.timeSteps)
    }
}
