/// A line across the area: `─` along the top row, or `│` down the left column. Cost O(length).
public struct Rule: Widget {
    public enum Orientation: Sendable { case horizontal, vertical }

    public var orientation: Orientation
    public var style: CellStyle

    public init(_ orientation: Orientation, style: CellStyle = .plain) {
        self.orientation = orientation
        self.style = style
    }

    public func render(in area: Rect, into buffer: inout CellBuffer) {
        guard !area.isEmpty else { return }
        switch orientation {
        case .horizontal:
            for column in area.x..<area.maxX { buffer.set(column, area.y, "─", style: style) }
        case .vertical:
            for row in area.y..<area.maxY { buffer.set(area.x, row, "│", style: style) }
        }
    }
}
