/// One curve of a line chart.
public struct ChartSeries {
    public var name: String
    /// points: (N) in increasing x.
    public var points: [(x: Double, y: Double)]
    public var style: CellStyle
    /// The dot pattern, so the curve reads apart from others without colour.
    public var line: LineStyle
    /// A character drawn at a few places along the curve and in the legend (for terminals without colour).
    public var mark: Character?

    public init(name: String, points: [(x: Double, y: Double)], style: CellStyle, line: LineStyle = .solid,
                mark: Character? = nil) {
        self.name = name
        self.points = points
        self.style = style
        self.line = line
        self.mark = mark
    }

    public init(name: String, points: [(x: Double, y: Double)], style: CellStyle, dashed: Bool) {
        self.init(name: name, points: points, style: style, line: dashed ? .dashed : .solid)
    }
}
