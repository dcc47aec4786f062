/// A window onto a grid of values, one cell per value, colored by `HeatmapRamp` on `scale`. The grid is
/// stored column-major by time as the engine traces it: values: (columns, rowCount), so value (row, column)
/// is `values[column * rowCount + row]`. The window starts at (`firstRow`, `firstColumn`) and is as large
/// as the area (fewer rows when the grid ends). A missing value draws as `?`; the cursor cell as a
/// reversed `╋`. Cost: O(area cells).
public struct Heatmap: Widget {
    public var values: [Float]
    public var rowCount: Int
    public var firstRow: Int
    public var firstColumn: Int
    public var scale: HeatmapScale
    public var mode: ColorMode
    public var cursor: (row: Int, column: Int)?
    /// The grid rows in display order (nil: 0..<rowCount); `firstRow` is a position in it.
    public var rowOrder: [Int]?

    public init(values: [Float], rowCount: Int, firstRow: Int = 0, firstColumn: Int = 0, scale: HeatmapScale,
                mode: ColorMode, cursor: (row: Int, column: Int)? = nil, rowOrder: [Int]? = nil) {
        self.rowOrder = rowOrder
        self.values = values
        self.rowCount = rowCount
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.scale = scale
        self.mode = mode
        self.cursor = cursor
    }

    /// How many rows of the window hold values, at most `rows`.
    public func filledRows(_ rows: Int) -> Int { max(0, min(rows, rowCount - firstRow)) }

    public func render(in area: Rect, into buffer: inout CellBuffer) {
        for row in 0..<filledRows(area.height) {
            let gridRow = rowOrder.map { $0[firstRow + row] } ?? firstRow + row
            for column in 0..<area.width {
                let gridColumn = firstColumn + column
                let index = gridColumn * rowCount + gridRow
                let value = index < values.count ? values[index] : .nan
                var cell = HeatmapRamp.cell(value, scale: scale, mode: mode)
                if let cursor, cursor.row == gridRow, cursor.column == gridColumn {
                    cell.character = "╋"
                    cell.style.reverse = true
                    cell.style.bold = true
                }
                buffer.set(area.x + column, area.y + row, cell.character, style: cell.style)
            }
        }
    }
}
