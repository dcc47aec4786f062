import TerminalUI

/// What the gate view shows for a cursor and a window size, and where: the first unit and timestep shown and the
/// rectangle of each stacked heatmap. Built by `GateView.render` and by the mouse (`AppState.gateViewport`) from the
/// same inputs, so a click maps to the cell that was drawn there. Cost: O(shown panels).
struct GateViewport {
    var layout: GateLayout
    /// The unit in each heatmap's top row (the cursor's page).
    var unitOffset: Int
    /// The timestep in each heatmap's left column.
    var timeOffset: Int
    /// Timestep columns drawn (fewer than `layout.visibleTimesteps` near the probe's end).
    var visibleTimes: Int
    /// Each shown panel's heatmap, top to bottom: row r is unit `unitOffset + r`, column c timestep `timeOffset + c`.
    var heatmapAreas: [Rect]

    /// - panelCount: the layer's panels (gates, c, h); one is shown when `cursor.focusedPanel` is one of them.
    init(width: Int, height: Int, cursor: GateViewState, hiddenSize: Int, timeSteps: Int, panelCount: Int) {
        let shownPanels = Self.focusedPanel(cursor, panelCount: panelCount) == nil ? max(1, panelCount) : 1
        let layout = GateLayout(width: width, height: height, shownPanels: shownPanels)
        let unitOffset = layout.unitOffset(for: cursor.unit)
        let timeOffset = layout.timeOffset(keeping: cursor.timestep, current: cursor.timeOffset, timeSteps: timeSteps)
        let visibleTimes = min(layout.visibleTimesteps, max(0, timeSteps - timeOffset))
        let bodyBottom = GateLayout.bodyTop + layout.bodyRows
        let unitsLeft = max(0, hiddenSize - unitOffset)
        heatmapAreas = (0..<shownPanels).map { panelNumber in
            let top = GateLayout.bodyTop + panelNumber * (layout.unitsPerPanel + 1)
            let rows = max(0, min(layout.unitsPerPanel, bodyBottom - top, unitsLeft))
            return Rect(x: layout.heatmapX, y: top, width: visibleTimes, height: rows)
        }
        self.layout = layout
        self.unitOffset = unitOffset
        self.timeOffset = timeOffset
        self.visibleTimes = visibleTimes
    }

    /// The panel shown alone, nil when all are stacked (or the focused index is not one of this layer's panels).
    static func focusedPanel(_ cursor: GateViewState, panelCount: Int) -> Int? {
        cursor.focusedPanel.flatMap { (0..<panelCount).contains($0) ? $0 : nil }
    }

    /// The timestep under (x, y) on the time axis (its input characters or its numbers), nil elsewhere.
    func timestep(onTimeAxisAtX x: Int, y: Int) -> Int? {
        let axis = Rect(x: layout.heatmapX, y: layout.timeAxisRow, width: visibleTimes, height: 2)
        return axis.contains(x: x, y: y) ? timeOffset + x - axis.x : nil
    }

    /// The heatmap cell under (x, y): which shown panel, unit and timestep; nil between and outside the heatmaps.
    func cell(atX x: Int, y: Int) -> (panel: Int, unit: Int, timestep: Int)? {
        for (panel, area) in heatmapAreas.enumerated() where area.contains(x: x, y: y) {
            return (panel, unitOffset + y - area.y, timeOffset + x - area.x)
        }
        return nil
    }
}
