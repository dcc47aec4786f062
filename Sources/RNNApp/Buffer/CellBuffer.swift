/// A terminal color as the views ask for it; the backend maps it onto what the terminal has
/// (256 colors, 8 colors, or none under NO_COLOR).
public enum TerminalColor: Sendable, Hashable {
    case `default`
    /// One of the 8 basic colors: 0 black, 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan, 7 white.
    case basic(UInt8)
    /// xterm-256 palette index.
    case indexed(UInt8)
}

/// How one cell is drawn.
public struct CellStyle: Sendable, Hashable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    public init(
        foreground: TerminalColor = .default, background: TerminalColor = .default,
        bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    public static let plain = CellStyle()
}

/// One screen cell: a single-column character and its style.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: CellStyle

    public init(_ character: Character = " ", style: CellStyle = .plain) {
        self.character = character
        self.style = style
    }
}

/// A rectangle of cells, origin top-left.
public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
}

/// The in-memory screen every view renders into; the terminal backend is the only code that turns it
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
