import DisplayFormat

/// Titled sections of two-column rows (a key and what it does), stacked down the area with a blank row
/// between sections: the body of a help screen. Rows past the area's bottom are left out. Cost O(rows).
public struct KeyTable: Widget {
    public struct Section: Sendable, Equatable {
        public var title: String
        public var rows: [(key: String, text: String)]

        public init(title: String, rows: [(key: String, text: String)]) {
            self.title = title
            self.rows = rows
        }

        public static func == (lhs: Section, rhs: Section) -> Bool {
            lhs.title == rhs.title && lhs.rows.map(\.key) == rhs.rows.map(\.key) && lhs.rows.map(\.text) == rhs.rows.map(\.text)
        }
    }

    public var sections: [Section]
    public var keyWidth = 10
    public var titleStyle: CellStyle
    public var keyStyle: CellStyle
    public var textStyle: CellStyle

    public init(_ sections: [Section], keyWidth: Int = 10, titleStyle: CellStyle, keyStyle: CellStyle, textStyle: CellStyle) {
        self.sections = sections
        self.keyWidth = keyWidth
        self.titleStyle = titleStyle
        self.keyStyle = keyStyle
        self.textStyle = textStyle
    }

    public func render(in area: Rect, into buffer: inout CellBuffer) {
        var row = area.y
        for section in sections {
            guard row < area.maxY else { return }
            buffer.write(section.title, x: area.x, y: row, style: titleStyle)
            row += 1
            for entry in section.rows where row < area.maxY {
                buffer.write(Format.padded(entry.key, keyWidth), x: area.x, y: row, style: keyStyle)
                buffer.write(entry.text, x: area.x + keyWidth, y: row, style: textStyle, maxWidth: area.width - keyWidth)
                row += 1
            }
            row += 1
        }
    }
}
