/// A dot canvas drawn with braille characters: each cell holds 2 × 4 dots, so a canvas of
/// `columns` × `rows` cells has (2·columns) × (4·rows) dots, (0, 0) at the top left.
/// Each cell also remembers the highest-priority series that lit a dot in it (for its color).
/// Memory: O(columns · rows).
public struct BrailleCanvas {
    public let columns: Int
    public let rows: Int
    /// bits: (rows, columns) braille dot bits per cell.
    public private(set) var bits: [UInt8]
    /// owner: (rows, columns) the series that colors the cell, -1 when empty.
    public private(set) var owner: [Int]

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        bits = Array(repeating: 0, count: self.columns * self.rows)
        owner = Array(repeating: -1, count: self.columns * self.rows)
    }

    public var dotWidth: Int { columns * 2 }
    public var dotHeight: Int { rows * 4 }

    /// The braille bit of dot (dx, dy) inside a cell, dx 0…1, dy 0…3 (Unicode's dot numbering:
    /// left column 1 2 3 7, right column 4 5 6 8).
    public static func bit(dx: Int, dy: Int) -> UInt8 {
        switch (dx, dy) {
        case (0, 0): 0x01
        case (0, 1): 0x02
        case (0, 2): 0x04
        case (0, 3): 0x40
        case (1, 0): 0x08
        case (1, 1): 0x10
        case (1, 2): 0x20
        default: 0x80
        }
    }

    /// Lights dot (x, y) for `series`; dots outside the canvas are ignored. Higher series win a cell's color.
    public mutating func set(x: Int, y: Int, series: Int) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let index = (y / 4) * columns + x / 2
        bits[index] |= Self.bit(dx: x % 2, dy: y % 4)
        owner[index] = max(owner[index], series)
    }

    /// A straight line of dots from (x0, y0) to (x1, y1) inclusive (Bresenham). Cost O(max(|dx|, |dy|)).
    /// dashed: light only every other pair of dots, so a series reads without color.
    public mutating func line(x0: Int, y0: Int, x1: Int, y1: Int, series: Int, dashed: Bool = false) {
        var phase = 0
        line(x0: x0, y0: y0, x1: x1, y1: y1, series: series, style: dashed ? .dashed : .solid, phase: &phase)
    }

    /// A straight line of dots lit by `style`'s pattern; `phase` counts the dots along the whole curve so
    /// the pattern runs on across the pieces of one curve. Cost O(max(|dx|, |dy|)).
    public mutating func line(x0: Int, y0: Int, x1: Int, y1: Int, series: Int, style: LineStyle, phase: inout Int) {
        var x = x0
        var y = y0
        let deltaX = abs(x1 - x0)
        let deltaY = -abs(y1 - y0)
        let stepX = x0 < x1 ? 1 : -1
        let stepY = y0 < y1 ? 1 : -1
        var error = deltaX + deltaY
        while true {
            if style.lights(phase) { set(x: x, y: y, series: series) }
            phase += 1
            if x == x1 && y == y1 { break }
            let doubled = 2 * error
            if doubled >= deltaY { error += deltaY; x += stepX }
            if doubled <= deltaX { error += deltaX; y += stepY }
        }
    }

    /// The character of cell (column, row): a braille pattern, or nil when no dot is lit.
    public func character(column: Int, row: Int) -> Character? {
        let value = bits[row * columns + column]
        guard value != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(value)) else { return nil }
        return Character(scalar)
    }

    public func seriesOwning(column: Int, row: Int) -> Int { owner[row * columns + column] }
}
