/// Points in the unit square on a braille canvas (2 × 4 dots a cell) inside a frame: y up, x right, the
/// frame's corners labelled 0 and 1. Every point lights one dot, so 128 units read as 128 dots.
/// Cost: O(points + area cells).
public struct ScatterPlot: Widget {
    /// points: (N) x and y in 0…1 (clamped).
    public var points: [(x: Double, y: Double)]
    public var pointStyle: CellStyle
    public var frameStyle: CellStyle
    /// The title row (name the y axis there) and the x axis's name.
    public var title: String
    public var xLabel: String

    public init(points: [(x: Double, y: Double)], title: String, xLabel: String,
                pointStyle: CellStyle = .plain, frameStyle: CellStyle = .plain) {
        self.points = points
        self.title = title
        self.xLabel = xLabel
        self.pointStyle = pointStyle
        self.frameStyle = frameStyle
    }

    public func render(in area: Rect, into buffer: inout CellBuffer) {
        guard area.width >= 8, area.height >= 4 else { return }
        // Title row, plot rows with "1│" / "0│" on the left, then "└───" and the x labels.
        buffer.write(title, x: area.x, y: area.y, style: pointStyle, maxWidth: area.width)
        let plot = Rect(x: area.x + 2, y: area.y + 1, width: area.width - 2, height: area.height - 3)
        guard plot.width > 0, plot.height > 0 else { return }
        for row in 0..<plot.height {
            buffer.set(area.x + 1, plot.y + row, "│", style: frameStyle)
        }
        buffer.write("1", x: area.x, y: plot.y, style: frameStyle)
        buffer.write("0", x: area.x, y: plot.maxY - 1, style: frameStyle)
        buffer.set(area.x + 1, plot.maxY, "└", style: frameStyle)
        for column in 0..<plot.width { buffer.set(plot.x + column, plot.maxY, "─", style: frameStyle) }
        let axisRow = plot.maxY + 1
        buffer.write("0", x: plot.x, y: axisRow, style: frameStyle)
        let name = xLabel + " → 1"
        buffer.write(name, x: max(plot.x + 2, plot.maxX - name.count), y: axisRow, style: frameStyle, maxWidth: plot.width - 2)
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        for point in points where point.x.isFinite && point.y.isFinite {
            let x = Int((min(1, max(0, point.x)) * Double(canvas.dotWidth - 1)).rounded())
            let y = Int(((1 - min(1, max(0, point.y))) * Double(canvas.dotHeight - 1)).rounded())
            canvas.set(x: x, y: y, series: 0)
        }
        for row in 0..<plot.height {
            for column in 0..<plot.width {
                if let character = canvas.character(column: column, row: row) {
                    buffer.set(plot.x + column, plot.y + row, character, style: pointStyle)
                }
            }
        }
    }
}
