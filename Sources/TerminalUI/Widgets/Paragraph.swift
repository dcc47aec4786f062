/// Text wrapped at spaces to the area's width, one line per row, at most `maximumLines` (and the area's
/// height). `renderedLineCount` tells a caller stacking blocks how many rows it used. Cost O(text).
public struct Paragraph: Widget {
    public var text: String
    public var style: CellStyle
    public var maximumLines: Int

    public init(_ text: String, style: CellStyle = .plain, maximumLines: Int = .max) {
        self.text = text
        self.style = style
        self.maximumLines = maximumLines
    }

    /// The lines as drawn in `width` columns.
    public func lines(width: Int) -> [String] { Array(TextWrap.lines(text, width: width).prefix(maximumLines)) }

    /// How many rows `render(in:)` fills in `area`.
    public func renderedLineCount(in area: Rect) -> Int { min(area.height, lines(width: area.width).count) }

    public func render(in area: Rect, into buffer: inout CellBuffer) {
        for (offset, line) in lines(width: area.width).prefix(area.height).enumerated() {
            buffer.write(line, x: area.x, y: area.y + offset, style: style)
        }
    }
}
