/// Where the gate view's glance mode (`GateViewState.glance`) puts its tiles: every panel of a layer as a
/// dense half-block heatmap (two units per row with colours), the panels in the grid of columns that
/// shows at least 32 units each (or as many as possible) with the widest time axis; with one panel
/// focused, that panel's units in blocks side by side so a layer of up to 128 units shows at once at
/// 120×40. Positions index the unit order, not unit numbers.
struct GlanceLayout {
    struct Tile: Equatable {
        var panel: Int
        /// First position (in the unit order) of the tile's top row.
        var firstPosition: Int
        var units: Int
        /// The heatmap's area; its unit labels sit in the `labelWidth` columns to its left.
        var x: Int
        var y: Int
        var width: Int
        var rows: Int
    }

    /// " i  12": a gate name or unit number, then a space.
    static let labelWidth = 6
    static let minimumTileWidth = 12
    static let wantedUnits = 32

    var tiles: [Tile]
    var visibleTimesteps: Int
    /// Units moved by a page (all tiles of one page together).
    var unitsPerPage: Int

    /// - panels: panels drawn (all of the layer, or the focused one: `focused`); unitsPerCell 2 (colour)
    ///   or 1 (no colour); position: the cursor's position in the unit order.
    init(width: Int, bodyRows: Int, panels: Int, focused: Int?, hiddenSize: Int, unitsPerCell: Int, position: Int) {
        let bodyTop = GateLayout.bodyTop
        let bodyWidth = max(1, width - GateLayout.sidePanelWidth)
        let hidden = max(1, hiddenSize)
        func tileWidth(columns: Int) -> Int { (bodyWidth - columns * Self.labelWidth - (columns - 1)) / columns }
        if let focused {
            let units = max(1, bodyRows * unitsPerCell)
            let fitting = max(1, (bodyWidth + 1) / (Self.labelWidth + Self.minimumTileWidth + 1))
            let blocks = max(1, min(fitting, (hidden + units - 1) / units))
            let page = blocks * units
            let start = position - position % page
            let width = tileWidth(columns: blocks)
            tiles = (0..<blocks).compactMap { block in
                let first = start + block * units
                guard first < hidden || block == 0 else { return nil }
                return Tile(panel: focused, firstPosition: first, units: units,
                            x: block * (width + Self.labelWidth + 1) + Self.labelWidth, y: bodyTop, width: width, rows: bodyRows)
            }
            visibleTimesteps = max(1, width)
            unitsPerPage = page
            return
        }
        let count = max(1, panels)
        var best: (columns: Int, rows: Int, units: Int, width: Int)?
        for columns in 1...count {
            let rows = (count + columns - 1) / columns
            let tileRows = (bodyRows - (rows - 1)) / rows
            let width = tileWidth(columns: columns)
            guard tileRows > 0, width >= Self.minimumTileWidth || columns == 1 else { continue }
            let units = min(hidden, tileRows * unitsPerCell)
            let candidate = (columns, rows, units, width)
            guard let current = best else { best = candidate; continue }
            let enough = min(hidden, Self.wantedUnits)
            let better = (units >= enough && current.units >= enough) ? width > current.width : units > current.units
            if better { best = candidate }
        }
        let chosen = best ?? (1, count, 1, tileWidth(columns: 1))
        let tileRows = max(1, (bodyRows - (chosen.rows - 1)) / chosen.rows)
        let units = tileRows * unitsPerCell
        let start = position - position % units
        tiles = (0..<count).map { panel in
            let column = panel % chosen.columns, row = panel / chosen.columns
            return Tile(panel: panel, firstPosition: start, units: units,
                        x: column * (chosen.width + Self.labelWidth + 1) + Self.labelWidth,
                        y: bodyTop + row * (tileRows + 1), width: chosen.width, rows: tileRows)
        }
        visibleTimesteps = max(1, chosen.width)
        unitsPerPage = units
    }
}
