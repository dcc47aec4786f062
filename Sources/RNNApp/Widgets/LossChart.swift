import Foundation

/// One curve of the loss chart.
struct ChartSeries {
    var name: String
    /// points: (N) in increasing x.
    var points: [(x: Double, y: Double)]
    var style: CellStyle
    /// Drawn with gaps, so it reads apart from a solid curve without color.
    var dashed = false
}

/// A braille line chart with a y axis (labels on the left), an x axis of steps with tick labels, a
/// legend on the top row and vertical marks at the steps where hyperparameters changed.
/// Cost: O(points + plot cells): each dot column is drawn as one vertical span plus one joining line.
struct LossChart {
    var series: [ChartSeries]
    var markers: [ChartMarker] = []
    var logScale = false
    var legendSuffix = ""
    var emptyText = "waiting for the first step…"

    static let axisLabelWidth = 7

    func render(in rect: Rect, into buffer: inout CellBuffer, theme: Theme) {
        guard rect.width > Self.axisLabelWidth + 4, rect.height >= 5 else { return }
        drawLegend(x: rect.x, y: rect.y, width: rect.width, into: &buffer, theme: theme)

        let axisX = rect.x + Self.axisLabelWidth
        let plot = Rect(x: axisX + 1, y: rect.y + 1, width: rect.maxX - axisX - 1, height: rect.height - 3)
        let transformed = series.map { $0.points.compactMap { point -> (x: Double, y: Double)? in
            guard let y = transform(point.y) else { return nil }
            return (point.x, y)
        } }
        let allPoints = transformed.joined()
        guard let yRange = Self.range(allPoints.map(\.y), clampAtZero: !logScale),
              let lastX = allPoints.map(\.x).max() else {
            drawAxes(plot: plot, axisX: axisX, xHigh: 1, yRange: nil, into: &buffer, theme: theme)
            buffer.write(emptyText, x: plot.x + max(0, (plot.width - emptyText.count) / 2), y: plot.y + plot.height / 2,
                         style: theme.dim, maxWidth: plot.width)
            return
        }
        let xHigh = max(1, lastX, Double(markers.map(\.step).max() ?? 0))
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        for (index, points) in transformed.enumerated() {
            draw(points, series: index, dashed: series[index].dashed, xHigh: xHigh, yRange: yRange, on: &canvas)
        }
        drawAxes(plot: plot, axisX: axisX, xHigh: xHigh, yRange: yRange, into: &buffer, theme: theme)
        let markerColumns = Set(markers.map { column(forStep: Double($0.step), xHigh: xHigh, width: plot.width) })
        for row in 0..<plot.height {
            for column in 0..<plot.width {
                if let character = canvas.character(column: column, row: row) {
                    let owner = canvas.seriesOwning(column: column, row: row)
                    buffer.set(plot.x + column, plot.y + row, character, style: series[owner].style)
                } else if markerColumns.contains(column) {
                    buffer.set(plot.x + column, plot.y + row, "┊", style: theme.marker)
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
    static func range(_ values: [Double], clampAtZero: Bool) -> ClosedRange<Double>? {
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

    private func drawLegend(x: Int, y: Int, width: Int, into buffer: inout CellBuffer, theme: Theme) {
        var column = x + 1
        for entry in series.reversed() {
            let sample = entry.dashed ? "╴╴" : "──"
            column += buffer.write(sample, x: column, y: y, style: entry.style, maxWidth: x + width - column)
            column += buffer.write(" " + entry.name + "  ", x: column, y: y, style: theme.label, maxWidth: x + width - column)
        }
        if !legendSuffix.isEmpty {
            buffer.write(legendSuffix, x: column, y: y, style: theme.dim, maxWidth: x + width - column)
        }
    }

    private func drawAxes(plot: Rect, axisX: Int, xHigh: Double, yRange: ClosedRange<Double>?,
                          into buffer: inout CellBuffer, theme: Theme) {
        let axisRow = plot.maxY
        let labelRow = axisRow + 1
        // y axis with labels on rows spread every ~4 rows.
        let labelEvery = max(1, (plot.height - 1) / max(1, plot.height / 4))
        for row in 0..<plot.height {
            let isLabelled = row == 0 || row == plot.height - 1 || (row % labelEvery == 0 && plot.height - 1 - row >= 2)
            buffer.set(axisX, plot.y + row, isLabelled ? "┤" : "│", style: theme.border)
            guard isLabelled, let yRange else { continue }
            let fraction = plot.height > 1 ? Double(row) / Double(plot.height - 1) : 0
            let value = untransform(yRange.upperBound - fraction * (yRange.upperBound - yRange.lowerBound))
            buffer.write(Format.rightAligned(Format.axis(value), Self.axisLabelWidth - 1), x: plot.x - Self.axisLabelWidth - 1,
                         y: plot.y + row, style: theme.label)
        }
        // x axis line, then marker labels, then step tick labels where there is room.
        buffer.set(axisX, axisRow, "└", style: theme.border)
        for column in 0..<plot.width { buffer.set(plot.x + column, axisRow, "─", style: theme.border) }
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
            buffer.set(plot.x + column, axisRow, "┼", style: theme.marker)
            place(marker.label, at: column, style: theme.marker)
        }
        buffer.write("0", x: axisX, y: labelRow, style: theme.label)
        let tickCount = max(1, plot.width / 16)
        for tick in 1...tickCount {
            let step = xHigh * Double(tick) / Double(tickCount)
            let column = column(forStep: step, xHigh: xHigh, width: plot.width)
            if buffer[plot.x + min(column, plot.width - 1), axisRow].character == "─" {
                buffer.set(plot.x + min(column, plot.width - 1), axisRow, "┬", style: theme.border)
            }
            place(Format.step(step), at: column, style: theme.label)
        }
    }
}
