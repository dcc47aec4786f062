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
    /// The time axis under the heatmaps: each timestep's input character on this row, timestep numbers on the next.
    var timeAxisRow: Int { Self.bodyTop + bodyRows }

    /// shownPanels: how many heatmaps are stacked (1 when one is focused). A blank row separates panels.
    /// extraAxisRows: rows the time axis needs beyond one (numeric inputs' marker row).
    init(width: Int, height: Int, shownPanels: Int, extraAxisRows: Int = 0) {
        // header, info | body | time characters, time numbers, legend, notice, footer
        bodyRows = max(1, height - Self.bodyTop - 5 - extraAxisRows)
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
