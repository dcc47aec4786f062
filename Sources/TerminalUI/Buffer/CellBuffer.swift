/// The in-memory screen every widget renders into; the terminal backend is the only code that turns it
/// into ncurses calls. cells: (height, width) row-major.
public struct CellBuffer: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Sets one cell; positions outside the buffer are ignored (views may draw past small windows).
    public mutating func set(_ x: Int, _ y: Int, _ character: Character, style: CellStyle = .plain) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        cells[y * width + x] = Cell(character, style: style)
    }

    /// Writes `text` from (x, y) to the right, clipped at `maxWidth` columns and at the buffer's edge.
    /// Returns the number of columns written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: CellStyle = .plain, maxWidth: Int? = nil) -> Int {
        let limit = min(maxWidth ?? Int.max, width - x)
        var column = 0
        for character in text {
            if column >= limit { break }
            set(x + column, y, character, style: style)
            column += 1
        }
        return max(0, column)
    }

    /// Fills a rectangle with one character and style.
    public mutating func fill(_ rect: Rect, _ character: Character = " ", style: CellStyle = .plain) {
        for row in rect.y..<rect.maxY {
            for column in rect.x..<rect.maxX { set(column, row, character, style: style) }
        }
    }

    /// The characters alone, one line per row, trailing spaces kept: what snapshot files hold.
    public var text: String {
        (0..<height).map { row in
            String((0..<width).map { cells[row * width + $0].character })
        }.joined(separator: "\n")
    }
}
