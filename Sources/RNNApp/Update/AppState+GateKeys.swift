import RNNTraining
import TerminalUI

extension AppState {
    var gateLayout: GateLayout {
        let shown = gates.focusedPanel == nil ? max(1, gatePanelCount) : 1
        let snapshot = activeRun?.gateSnapshot
        let axis = TimeAxisKind(dataset: activeRun?.summary?.dataset, labels: snapshot?.labels ?? [])
        var layout = GateLayout(width: width, height: height, shownPanels: shown, extraAxisRows: axis.extraRows)
        if gates.glance, let glance = glanceLayout(bodyRows: layout.bodyRows) {
            layout.visibleTimesteps = glance.visibleTimesteps
            layout.unitsPerPanel = glance.unitsPerPage
        }
        return layout
    }

    /// The glance tiles for the current snapshot and cursor (nil without a snapshot).
    func glanceLayout(bodyRows: Int) -> GlanceLayout? {
        guard let probe = activeRun?.gateSnapshot?.probe, probe.layers.indices.contains(gates.layer) else { return nil }
        let order = gateUnitOrder
        let position = order.firstIndex(of: gates.unit) ?? 0
        let focused = gates.focusedPanel.flatMap { $0 < gatePanelCount ? $0 : nil }
        return GlanceLayout(width: width, bodyRows: bodyRows, panels: gatePanelCount, focused: focused,
                            hiddenSize: probe.hiddenSize, unitsPerCell: HalfBlockHeatmap.unitsPerCell(colorMode), position: position)
    }

    /// The gate view's units in the chosen order (variance of the focused panel's values, h when all show).
    var gateUnitOrder: [Int] {
        guard let probe = activeRun?.gateSnapshot?.probe, probe.layers.indices.contains(gates.layer) else { return [] }
        let trace = probe.layers[gates.layer]
        var signal = UnitSignal.hidden
        if let focused = gates.focusedPanel {
            if focused < trace.gates.count { signal = .gate(trace.gates[focused].name) }
            else if focused == trace.gates.count, trace.cell != nil { signal = .cell }
        }
        return UnitOrdering.units(gates.unitOrder, probe: probe, layer: gates.layer, signal: signal)
    }

    /// Panels per layer without computing them: gates, c (LSTM), h.
    var gatePanelCount: Int {
        guard let snapshot = activeRun?.gateSnapshot, snapshot.probe.layers.indices.contains(gates.layer) else { return 0 }
        let trace = snapshot.probe.layers[gates.layer]
        return trace.gates.count + (trace.cell == nil ? 0 : 1) + 1
    }

    /// Gate-view actions: move the cursor, page units, jump in time, change the probe or the layer, focus
    /// one panel.
    mutating func handleGateAction(_ action: KeyAction) -> [AppEffect] {
        let snapshot = activeRun?.gateSnapshot
        let hiddenSize = snapshot?.probe.hiddenSize ?? 0
        let timeSteps = snapshot?.probe.timeSteps ?? 0
        let page = gateLayout.unitsPerPanel
        switch action {
        case .cursorUp: moveGateUnit(by: -1)
        case .cursorDown: moveGateUnit(by: 1)
        case .cursorLeft: gates.timestep -= 1
        case .cursorRight: gates.timestep += 1
        case .pageUnitsUp: moveGateUnit(by: -page)
        case .pageUnitsDown: moveGateUnit(by: page)
        case .toggleGlance: gates.glance.toggle()
        case .nextUnitOrder: gates.unitOrder = gates.unitOrder.next
        case .firstTimestep: gates.timestep = 0
        case .lastTimestep: gates.timestep = timeSteps - 1
        case .previousProbe, .nextProbe:
            // A past run opened from the browser is probed from its checkpoint.
            guard let run = activeRun, !run.hasEnded || run.isPastRun else {
                post("the run has ended: probes change only while it runs")
                return []
            }
            let count = max(1, snapshot?.probeCount ?? 1)
            let direction = action == .nextProbe ? 1 : -1
            gates.probeIndex = (gates.probeIndex + direction + count) % count
            return [.send(runID: run.runID, .requestGates(probeIndex: gates.probeIndex))]
        case .previousLayer, .nextLayer:
            let layers = max(1, snapshot?.probe.layers.count ?? 1)
            let direction = action == .nextLayer ? 1 : -1
            gates.layer = (gates.layer + direction + layers) % layers
            if let focused = gates.focusedPanel, focused >= gatePanelCount { gates.focusedPanel = nil }
        case .focusPanel:
            let count = gatePanelCount
            guard count > 1 else { return [] }
            if let focused = gates.focusedPanel {
                gates.focusedPanel = focused + 1 < count ? focused + 1 : nil
            } else {
                gates.focusedPanel = 0
            }
        default:
            return []
        }
        gates.unit = max(0, min(gates.unit, hiddenSize - 1))
        gates.timestep = max(0, min(gates.timestep, timeSteps - 1))
        keepGateCursorVisible()
        return []
    }

    /// Moves the unit cursor `offset` places along the unit order (clamped to its ends).
    private mutating func moveGateUnit(by offset: Int) {
        let order = gateUnitOrder
        guard !order.isEmpty else { return }
        let position = order.firstIndex(of: gates.unit) ?? 0
        gates.unit = order[max(0, min(order.count - 1, position + offset))]
    }

    /// Clamps the cursor into the snapshot and scrolls the time axis so the cursor shows (the unit page
    /// follows from the cursor: `GateLayout.unitOffset(for:)`).
    mutating func keepGateCursorVisible() {
        guard let snapshot = activeRun?.gateSnapshot else { return }
        let probe = snapshot.probe
        gates.layer = max(0, min(gates.layer, probe.layers.count - 1))
        gates.unit = max(0, min(gates.unit, probe.hiddenSize - 1))
        gates.timestep = max(0, min(gates.timestep, probe.timeSteps - 1))
        gates.timeOffset = gateLayout.timeOffset(keeping: gates.timestep, current: gates.timeOffset, timeSteps: probe.timeSteps)
    }
}
