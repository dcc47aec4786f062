import DisplayFormat
import Foundation

/// One curve of a line chart.
public struct ChartSeries {
    public var name: String
    /// points: (N) in increasing x.
    public var points: [(x: Double, y: Double)]
    public var style: CellStyle
    /// Drawn with gaps, so it reads apart from a solid curve without color.
    public var dashed = false
    /// false: drawn but not named in the legend (the second and later pieces of one broken curve).
    public var inLegend = true

    public init(name: String, points: [(x: Double, y: Double)], style: CellStyle, dashed: Bool = false, inLegend: Bool = true) {
        self.name = name
        self.points = points
        self.style = style
        self.dashed = dashed
        self.inLegend = inLegend
    }
}

/// A labelled mark at one x (a step) of a line chart: a dotted vertical line and a label under the axis.
public struct ChartMark: Sendable, Equatable {
    public var step: Int
    public var label: String

    public init(step: Int, label: String) {
        self.step = step
        self.label = label
    }
}

/// A braille line chart with a y axis (labels on the left), an x axis of steps with tick labels, a
/// legend on the top row and vertical marks at chosen steps (where hyperparameters changed, say).
/// Cost: O(points + plot cells): each dot column is drawn as one vertical span plus one joining line.
public struct LineChart: Widget {
    /// The styles of everything but the curves.
    public struct Styles: Sendable {
        public var label: CellStyle
        public var dim: CellStyle
        public var border: CellStyle
        public var marker: CellStyle

        public init(label: CellStyle, dim: CellStyle, border: CellStyle, marker: CellStyle) {
            self.label = label
            self.dim = dim
            self.border = border
            self.marker = marker
        }

        public static let plain = Styles(label: .plain, dim: .plain, border: .plain, marker: .plain)
    }

    public var series: [ChartSeries]
    public var markers: [ChartMark] = []
    public var logScale = false
    public var legendSuffix = ""
    public var emptyText = "waiting for the first step…"
    public var styles: Styles

    public init(series: [ChartSeries], markers: [ChartMark] = [], logScale: Bool = false, legendSuffix: String = "",
                emptyText: String = "waiting for the first step…", styles: Styles = .plain) {
        self.series = series
        self.markers = markers
        self.logScale = logScale
        self.legendSuffix = legendSuffix
        self.emptyText = emptyText
        self.styles = styles
    }

    public static let axisLabelWidth = 7

    public func render(in rect: Rect, into buffer: inout CellBuffer) {
        guard rect.width > Self.axisLabelWidth + 4, rect.height >= 5 else { return }
        drawLegend(x: rect.x, y: rect.y, width: rect.width, into: &buffer)

        let axisX = rect.x + Self.axisLabelWidth
        let plot = Rect(x: axisX + 1, y: rect.y + 1, width: rect.maxX - axisX - 1, height: rect.height - 3)
        let transformed = series.map { $0.points.compactMap { point -> (x: Double, y: Double)? in
            guard let y = transform(point.y) else { return nil }
            return (point.x, y)
        } }
        let allPoints = transformed.joined()
        guard let yRange = Self.range(allPoints.map(\.y), clampAtZero: !logScale),
              let lastX = allPoints.map(\.x).max() else {
            drawAxes(plot: plot, axisX: axisX, xHigh: 1, yRange: nil, into: &buffer)
            buffer.write(emptyText, x: plot.x + max(0, (plot.width - emptyText.count) / 2), y: plot.y + plot.height / 2,
                         style: styles.dim, maxWidth: plot.width)
            return
        }
        let xHigh = max(1, lastX, Double(markers.map(\.step).max() ?? 0))
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        for (index, points) in transformed.enumerated() {
            draw(points, series: index, dashed: series[index].dashed, xHigh: xHigh, yRange: yRange, on: &canvas)
        }
        drawAxes(plot: plot, axisX: axisX, xHigh: xHigh, yRange: yRange, into: &buffer)
        let markerColumns = Set(markers.map { column(forStep: Double($0.step), xHigh: xHigh, width: plot.width) })
        for row in 0..<plot.height {
            for column in 0..<plot.width {
                if let character = canvas.character(column: column, row: row) {
                    let owner = canvas.seriesOwning(column: column, row: row)
                    buffer.set(plot.x + column, plot.y + row, character, style: series[owner].style)
                } else if markerColumns.contains(column) {
                    buffer.set(plot.x + column, plot.y + row, "┊", style: styles.marker)
                }
            }
        }
    }

    /// The y value as plotted: log10 on a log scale (nil for values ≤ 0 there).
    private func transform(_ y: Double) -> Double? {
        guard y.isFinite else { return nil }
        if logScale { return y > 0 ? log10(y) : nil }
        return y
    }

    private func untransform(_ y: Double) -> Double { logScale ? pow(10, y) : y }

    /// low…high padded by 5 % (and at least a little when flat); clamped at 0 for losses.
    public static func range(_ values: [Double], clampAtZero: Bool) -> ClosedRange<Double>? {
        guard var low = values.min(), var high = values.max() else { return nil }
        let span = high - low
        let padding = span > 0 ? span * 0.05 : max(abs(high) * 0.1, 0.5)
        low -= padding
        high += padding
        if clampAtZero, values.allSatisfy({ $0 >= 0 }) { low = max(0, low) }
        return low...high
    }

    private func column(forStep step: Double, xHigh: Double, width: Int) -> Int {
        let scaled = step / xHigh * Double(width * 2 - 1)
        guard scaled.isFinite else { return 0 }
        return Int(min(Double(width * 2 - 1), max(0, scaled)).rounded()) / 2
    }

    /// Plots one series: per dot column a vertical span from its lowest to highest point, joined to the
    /// next column by a line, so thousands of points cost one pass.
    private func draw(_ points: [(x: Double, y: Double)], series: Int, dashed: Bool, xHigh: Double,
                      yRange: ClosedRange<Double>, on canvas: inout BrailleCanvas) {
        let maximumX = Double(canvas.dotWidth - 1)
        let maximumY = Double(canvas.dotHeight - 1)
        let ySpan = yRange.upperBound - yRange.lowerBound
        var column: (x: Int, minimum: Int, maximum: Int, first: Int, last: Int)?
        func flush() {
            guard let column else { return }
            canvas.line(x0: column.x, y0: column.minimum, x1: column.x, y1: column.maximum, series: series, dashed: dashed)
        }
        for point in points {
            let scaledX = max(0, point.x) / xHigh * maximumX
            let scaledY = (yRange.upperBound - point.y) / ySpan * maximumY
            guard scaledX.isFinite, scaledY.isFinite else { continue }
            let dotX = Int(min(maximumX, scaledX).rounded())
            let dotY = Int(min(maximumY, max(0, scaledY)).rounded())
            if var current = column, current.x == dotX {
                current.minimum = min(current.minimum, dotY)
                current.maximum = max(current.maximum, dotY)
                current.last = dotY
                column = current
            } else {
                flush()
                if let previous = column {
                    canvas.line(x0: previous.x, y0: previous.last, x1: dotX, y1: dotY, series: series, dashed: dashed)
                }
                column = (dotX, dotY, dotY, dotY, dotY)
            }
        }
        flush()
    }

    private func drawLegend(x: Int, y: Int, width: Int, into buffer: inout CellBuffer) {
        var column = x + 1
        for entry in series.reversed() where entry.inLegend {
            let sample = entry.dashed ? "╴╴" : "──"
            column += buffer.write(sample, x: column, y: y, style: entry.style, maxWidth: x + width - column)
            column += buffer.write(" " + entry.name + "  ", x: column, y: y, style: styles.label, maxWidth: x + width - column)
        }
        if !legendSuffix.isEmpty {
            buffer.write(legendSuffix, x: column, y: y, style: styles.dim, maxWidth: x + width - column)
        }
    }

    private func drawAxes(plot: Rect, axisX: Int, xHigh: Double, yRange: ClosedRange<Double>?,
                          into buffer: inout CellBuffer) {
        let axisRow = plot.maxY
        let labelRow = axisRow + 1
        // y axis with labels on rows spread every ~4 rows.
        let labelEvery = max(1, (plot.height - 1) / max(1, plot.height / 4))
        for row in 0..<plot.height {
            let isLabelled = row == 0 || row == plot.height - 1 || (row % labelEvery == 0 && plot.height - 1 - row >= 2)
            buffer.set(axisX, plot.y + row, isLabelled ? "┤" : "│", style: styles.border)
            guard isLabelled, let yRange else { continue }
            let fraction = plot.height > 1 ? Double(row) / Double(plot.height - 1) : 0
            let value = untransform(yRange.upperBound - fraction * (yRange.upperBound - yRange.lowerBound))
            buffer.write(Format.rightAligned(Format.axis(value), Self.axisLabelWidth - 1), x: plot.x - Self.axisLabelWidth - 1,
                         y: plot.y + row, style: styles.label)
        }
        // x axis line, then marker labels, then step tick labels where there is room.
        buffer.set(axisX, axisRow, "└", style: styles.border)
        for column in 0..<plot.width { buffer.set(plot.x + column, axisRow, "─", style: styles.border) }
        guard yRange != nil else { return }
        var occupied = Array(repeating: false, count: plot.width + 1)
        func place(_ text: String, at column: Int, style: CellStyle) {
            let start = max(0, min(column - text.count / 2, plot.width - text.count))
            let end = start + text.count
            guard end <= plot.width, !occupied[max(0, start - 1)..<min(plot.width, end + 1)].contains(true) else { return }
            buffer.write(text, x: plot.x + start, y: labelRow, style: style)
            for index in start..<end { occupied[index] = true }
        }
        for marker in markers.suffix(16).reversed() {
            let column = column(forStep: Double(marker.step), xHigh: xHigh, width: plot.width)
            buffer.set(plot.x + column, axisRow, "┼", style: styles.marker)
            place(marker.label, at: column, style: styles.marker)
        }
        buffer.write("0", x: axisX, y: labelRow, style: styles.label)
        let tickCount = max(1, plot.width / 16)
        for tick in 1...tickCount {
            let step = xHigh * Double(tick) / Double(tickCount)
            let column = column(forStep: step, xHigh: xHigh, width: plot.width)
            if buffer[plot.x + min(column, plot.width - 1), axisRow].character == "─" {
                buffer.set(plot.x + min(column, plot.width - 1), axisRow, "┬", style: styles.border)
            }
            place(Format.step(step), at: column, style: styles.label)
        }
    }
}
