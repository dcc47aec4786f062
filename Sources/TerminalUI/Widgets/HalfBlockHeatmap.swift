/// A dense heatmap: two grid rows per cell, drawn as `▀` with the upper row's colour as foreground and
/// the lower row's as background, so a 16-row area shows 32 rows of values. Which grid rows show, and in
/// what order, is `rows` (two per cell row from the top). The grid is column-major by time like
/// `Heatmap`: value (row, column) is `values[column * rowCount + row]`.
/// Without colour a cell cannot carry two values: under `.none` it draws one row per cell with the shade
/// ramp (`unitsPerCell` says which). The cursor cell is a reversed `╋`. Cost: O(area cells).
public struct HalfBlockHeatmap: Widget {
    public var values: [Float]
    public var rowCount: Int
    /// The grid rows to draw, in order: rows[0] and rows[1] share the first cell row.
    public var rows: [Int]
    public var firstColumn: Int
    public var scale: HeatmapScale
    public var mode: ColorMode
    public var cursor: (row: Int, column: Int)?

    public init(values: [Float], rowCount: Int, rows: [Int], firstColumn: Int = 0, scale: HeatmapScale, mode: ColorMode,
                cursor: (row: Int, column: Int)? = nil) {
        self.values = values
        self.rowCount = rowCount
        self.rows = rows
        self.firstColumn = firstColumn
        self.scale = scale
        self.mode = mode
        self.cursor = cursor
    }

    /// Grid rows per cell row: 2 with colours, 1 without.
    public static func unitsPerCell(_ mode: ColorMode) -> Int { mode == .none ? 1 : 2 }

    /// Cell rows needed for `rows` grid rows.
    public static func cellRows(for rows: Int, mode: ColorMode) -> Int {
        let per = unitsPerCell(mode)
        return (rows + per - 1) / per
    }

    /// Basic colours from low to high (no shade characters: the colour is the value).
    public static let sequential8: [UInt8] = [4, 6, 2, 3, 7]
    public static let diverging8: [UInt8] = [4, 6, 7, 3, 1]

    /// The colour of `value` on the scale (nil for NaN or without colour).
    public static func color(_ value: Float, scale: HeatmapScale, mode: ColorMode) -> TerminalColor? {
        guard let position = scale.position(value) else { return nil }
        func pick<T>(_ ramp: [T]) -> T { ramp[min(ramp.count - 1, max(0, Int((position * Float(ramp.count - 1)).rounded())))] }
        switch mode {
        case .palette256: return .indexed(pick(scale.isDiverging ? HeatmapRamp.diverging256 : HeatmapRamp.sequential256))
        case .basic8: return .basic(pick(scale.isDiverging ? diverging8 : sequential8))
        case .none: return nil
        }
    }

    private func value(row: Int, column: Int) -> Float {
        let index = column * rowCount + row
        return index >= 0 && index < values.count ? values[index] : .nan
    }

    public func render(in area: Rect, into buffer: inout CellBuffer) {
        let per = Self.unitsPerCell(mode)
        for cellRow in 0..<min(area.height, Self.cellRows(for: rows.count, mode: mode)) {
            let upper = rows[cellRow * per]
            let lower = per == 2 && cellRow * 2 + 1 < rows.count ? rows[cellRow * 2 + 1] : nil
            for column in 0..<area.width {
                let gridColumn = firstColumn + column
                var cell: Cell
                if per == 1 {
                    cell = HeatmapRamp.cell(value(row: upper, column: gridColumn), scale: scale, mode: mode)
                } else {
                    let top = Self.color(value(row: upper, column: gridColumn), scale: scale, mode: mode)
                    let bottom = lower.flatMap { Self.color(value(row: $0, column: gridColumn), scale: scale, mode: mode) }
                    cell = Cell(top == nil ? "?" : "▀", style: CellStyle(foreground: top ?? .default, background: bottom ?? .default))
                }
                if let cursor, cursor.column == gridColumn, cursor.row == upper || cursor.row == lower {
                    cell.character = "╋"
                    cell.style.reverse = true
                    cell.style.bold = true
                }
                buffer.set(area.x + column, area.y + cellRow, cell.character, style: cell.style)
            }
        }
    }
}
