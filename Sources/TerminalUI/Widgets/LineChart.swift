import DisplayFormat
import Foundation

/// A braille line chart: a legend on the top row(s), a y axis (labels on the left), an x axis with tick
/// labels (steps, tokens or time), vertical marks at chosen x (merged with a count where their labels
/// would collide), a labelled horizontal baseline and an optional one-row track under the axis.
/// Any number of curves, told apart by style (colour), line pattern and, without colour, marks.
/// Cost: O(points + plot cells): each dot column is drawn as one vertical span plus one joining line.
public struct LineChart: Widget {
    /// The styles of everything but the curves.
    public struct Styles: Sendable {
        public var label: CellStyle
        public var dim: CellStyle
        public var border: CellStyle
        public var marker: CellStyle
        public var baseline: CellStyle

        public init(label: CellStyle, dim: CellStyle, border: CellStyle, marker: CellStyle, baseline: CellStyle = .plain) {
            self.label = label
            self.dim = dim
            self.border = border
            self.marker = marker
            self.baseline = baseline
        }

        public static let plain = Styles(label: .plain, dim: .plain, border: .plain, marker: .plain)
    }

    public var series: [ChartSeries]
    public var markers: [ChartMark] = []
    public var baseline: ChartBaseline?
    public var track: ChartTrack?
    public var xAxis: ChartXAxis = .steps
    public var logScale = false
    /// Dim text after the legend ("log y", "2 runs on other data not shown").
    public var legendSuffix = ""
    public var emptyText = "waiting for the first step…"
    public var styles: Styles
    /// At most this many legend rows; entries that do not fit are counted ("+3 more").
    public var maximumLegendRows = 3

    public init(series: [ChartSeries], markers: [ChartMark] = [], baseline: ChartBaseline? = nil, track: ChartTrack? = nil,
                xAxis: ChartXAxis = .steps, logScale: Bool = false, legendSuffix: String = "",
                emptyText: String = "waiting for the first step…", styles: Styles = .plain) {
        self.series = series
        self.markers = markers
        self.baseline = baseline
        self.track = track
        self.xAxis = xAxis
        self.logScale = logScale
        self.legendSuffix = legendSuffix
        self.emptyText = emptyText
        self.styles = styles
    }

    public static let axisLabelWidth = 7
    /// The character of a change mark's line through the plot.
    public static let markerLine: Character = "┊"
    public static let baselineLine: Character = "╌"

    public func render(in rect: Rect, into buffer: inout CellBuffer) {
        guard rect.width > Self.axisLabelWidth + 4, rect.height >= 5 else { return }
        let legendRows = drawLegend(in: rect, into: &buffer)
        let trackRows = track != nil && rect.height - legendRows >= 10 ? 1 : 0
        let axisX = rect.x + Self.axisLabelWidth
        let plot = Rect(x: axisX + 1, y: rect.y + legendRows, width: rect.maxX - axisX - 1,
                        height: rect.height - legendRows - 2 - trackRows)
        let transformed = series.map { $0.points.compactMap { point -> (x: Double, y: Double)? in
            guard let y = transform(point.y) else { return nil }
            return (point.x, y)
        } }
        let allPoints = transformed.joined()
        let baselineY = baseline.flatMap { transform($0.value) }
        guard let yRange = Self.range(allPoints.map(\.y) + (allPoints.isEmpty ? [] : baselineY.map { [$0] } ?? []),
                                      clampAtZero: !logScale),
              let lastX = allPoints.map(\.x).max() else {
            drawAxes(plot: plot, axisX: axisX, xHigh: 1, yRange: nil, into: &buffer)
            buffer.write(emptyText, x: plot.x + max(0, (plot.width - emptyText.count) / 2), y: plot.y + plot.height / 2,
                         style: styles.dim, maxWidth: plot.width)
            return
        }
        let xHigh = max(1, lastX, markers.map(\.x).max() ?? 0)
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        var curveRows: [[Int?]] = []
        for (index, points) in transformed.enumerated() {
            curveRows.append(draw(points, series: index, line: series[index].line, xHigh: xHigh, yRange: yRange, on: &canvas))
        }
        drawAxes(plot: plot, axisX: axisX, xHigh: xHigh, yRange: yRange, into: &buffer)
        let markerColumns = Set(markers.map { column(forX: $0.x, xHigh: xHigh, width: plot.width) })
        for row in 0..<plot.height {
            for column in 0..<plot.width {
                if let character = canvas.character(column: column, row: row) {
                    let owner = canvas.seriesOwning(column: column, row: row)
                    buffer.set(plot.x + column, plot.y + row, character, style: series[owner].style)
                } else if markerColumns.contains(column) {
                    buffer.set(plot.x + column, plot.y + row, Self.markerLine, style: styles.marker)
                }
            }
        }
        drawSeriesMarks(curveRows, plot: plot, into: &buffer)
        if let baseline, let baselineY {
            drawBaseline(baseline, y: baselineY, yRange: yRange, plot: plot, canvas: canvas, into: &buffer)
        }
        if let track, trackRows > 0 {
            drawTrack(track, row: plot.maxY + 2, plot: plot, xHigh: xHigh, into: &buffer)
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

    private func column(forX x: Double, xHigh: Double, width: Int) -> Int {
        let scaled = x / xHigh * Double(width * 2 - 1)
        guard scaled.isFinite else { return 0 }
        return Int(min(Double(width * 2 - 1), max(0, scaled)).rounded()) / 2
    }

    /// The plot row (0 at the top) of a transformed y value.
    private func row(forY y: Double, yRange: ClosedRange<Double>, height: Int) -> Int {
        let scaled = (yRange.upperBound - y) / (yRange.upperBound - yRange.lowerBound) * Double(height * 4 - 1)
        guard scaled.isFinite else { return 0 }
        return Int(min(Double(height * 4 - 1), max(0, scaled)).rounded()) / 4
    }

    /// Plots one series: per dot column a vertical span from its lowest to highest point, joined to the
    /// next column by a line, so thousands of points cost one pass. Returns, per cell column, the row
    /// of the curve's last point there (nil where the curve has no point).
    private func draw(_ points: [(x: Double, y: Double)], series: Int, line: LineStyle, xHigh: Double,
                      yRange: ClosedRange<Double>, on canvas: inout BrailleCanvas) -> [Int?] {
        let maximumX = Double(canvas.dotWidth - 1)
        let maximumY = Double(canvas.dotHeight - 1)
        let ySpan = yRange.upperBound - yRange.lowerBound
        var rows = [Int?](repeating: nil, count: canvas.columns)
        var phase = 0
        var column: (x: Int, minimum: Int, maximum: Int, first: Int, last: Int)?
        func flush() {
            guard let column else { return }
            canvas.line(x0: column.x, y0: column.minimum, x1: column.x, y1: column.maximum, series: series, style: line,
                        phase: &phase)
        }
        for point in points {
            let scaledX = max(0, point.x) / xHigh * maximumX
            let scaledY = (yRange.upperBound - point.y) / ySpan * maximumY
            guard scaledX.isFinite, scaledY.isFinite else { continue }
            let dotX = Int(min(maximumX, scaledX).rounded())
            let dotY = Int(min(maximumY, max(0, scaledY)).rounded())
            rows[dotX / 2] = dotY / 4
            if var current = column, current.x == dotX {
                current.minimum = min(current.minimum, dotY)
                current.maximum = max(current.maximum, dotY)
                current.last = dotY
                column = current
            } else {
                flush()
                if let previous = column {
                    canvas.line(x0: previous.x, y0: previous.last, x1: dotX, y1: dotY, series: series, style: line,
                                phase: &phase)
                }
                column = (dotX, dotY, dotY, dotY, dotY)
            }
        }
        flush()
        return rows
    }

    /// Each series' mark (if it has one) at evenly spaced columns along its curve, offset per series so
    /// overlapping curves still show each mark, and at its last point.
    private func drawSeriesMarks(_ curveRows: [[Int?]], plot: Rect, into buffer: inout CellBuffer) {
        let spacing = max(6, plot.width / 6)
        for (index, rows) in curveRows.enumerated() {
            guard let mark = series[index].mark else { continue }
            var columns = Array(stride(from: (index * 3) % spacing + spacing / 2, to: plot.width, by: spacing))
            if let last = rows.lastIndex(where: { $0 != nil }) { columns.append(last) }
            for column in columns {
                guard let row = rows[column] else { continue }
                buffer.set(plot.x + column, plot.y + row, mark, style: series[index].style)
            }
        }
    }

    /// The baseline as a dashed row through the empty cells, its label where the row is emptiest
    /// (left, middle or right), so a curve lying on the baseline stays visible.
    private func drawBaseline(_ baseline: ChartBaseline, y: Double, yRange: ClosedRange<Double>, plot: Rect,
                              canvas: BrailleCanvas, into buffer: inout CellBuffer) {
        let row = row(forY: y, yRange: yRange, height: plot.height)
        let isEmpty = (0..<plot.width).map { column in
            canvas.character(column: column, row: row) == nil && buffer[plot.x + column, plot.y + row].character == " "
        }
        for column in 0..<plot.width where isEmpty[column] {
            buffer.set(plot.x + column, plot.y + row, Self.baselineLine, style: styles.baseline)
        }
        let text = " " + baseline.label + " "
        guard text.count <= plot.width else { return }
        let candidates = [plot.width - text.count, (plot.width - text.count) / 2, 0]
        let best = candidates.min { first, second in
            let occupied = { (start: Int) in (start..<(start + text.count)).filter { !isEmpty[$0] }.count }
            return occupied(first) < occupied(second)
        } ?? 0
        buffer.write(text, x: plot.x + best, y: plot.y + row, style: styles.baseline)
    }

    /// The track under the axis: each column shows the value holding at the column's x, on a log scale.
    private func drawTrack(_ track: ChartTrack, row: Int, plot: Rect, xHigh: Double, into buffer: inout CellBuffer) {
        buffer.write(Format.rightAligned(track.name, Self.axisLabelWidth - 1), x: plot.x - Self.axisLabelWidth - 1, y: row,
                     style: styles.label)
        let points = track.points.filter { $0.y.isFinite && $0.y > 0 }
        guard !points.isEmpty else { return }
        var values = [Double?](repeating: nil, count: plot.width)
        var index = 0
        var current: Double?
        let lastColumn = column(forX: points.last!.x, xHigh: xHigh, width: plot.width)
        for column in 0...lastColumn {
            while index < points.count, self.column(forX: points[index].x, xHigh: xHigh, width: plot.width) <= column {
                current = points[index].y
                index += 1
            }
            values[column] = current
        }
        let logs = values.compactMap { $0.map(log10) }
        guard let low = logs.min(), let high = logs.max() else { return }
        for (column, value) in values.enumerated() {
            guard let value else { continue }
            let level = high - low > 1e-6 ? (log10(value) - low) / (high - low) : 0.5
            let block = Sparkline.blocks[min(Sparkline.blocks.count - 1, Int((level * Double(Sparkline.blocks.count - 1)).rounded()))]
            buffer.set(plot.x + column, row, block, style: track.style)
        }
    }

    /// The legend entries (the last series first) laid out in rows across the width, with a count of
    /// those that did not fit, then the suffix. Returns the rows used (at least 1).
    private func drawLegend(in rect: Rect, into buffer: inout CellBuffer) -> Int {
        let width = rect.width - 1
        let entries = series.reversed().map { entry -> (sample: String, name: String, style: CellStyle) in
            let sample = entry.mark.map { String(entry.line.legendSample.first!) + String($0) } ?? entry.line.legendSample
            return (sample, entry.name, entry.style)
        }
        let rowLimit = max(1, min(maximumLegendRows, (rect.height - 5) / 4))
        var rows: [[Int]] = [[]]
        var used = 0
        var shown = 0
        for (index, entry) in entries.enumerated() {
            let length = entry.sample.count + 1 + entry.name.count + 2
            if used + length > width, !rows[rows.count - 1].isEmpty {
                guard rows.count < rowLimit else { break }
                rows.append([])
                used = 0
            }
            rows[rows.count - 1].append(index)
            used += length
            shown += 1
        }
        // Make room for "+N more" on the last row by dropping entries from its end.
        let hidden = { entries.count - shown }
        var moreText: String { hidden() > 0 ? "+\(hidden()) more" : "" }
        func lastRowLength() -> Int {
            rows[rows.count - 1].reduce(0) { $0 + entries[$1].sample.count + entries[$1].name.count + 3 }
        }
        while hidden() > 0, lastRowLength() + moreText.count > width, !rows[rows.count - 1].isEmpty {
            rows[rows.count - 1].removeLast()
            shown -= 1
        }
        for (offset, row) in rows.enumerated() {
            var column = rect.x + 1
            let y = rect.y + offset
            for index in row {
                let entry = entries[index]
                column += buffer.write(entry.sample, x: column, y: y, style: entry.style, maxWidth: rect.maxX - column)
                column += buffer.write(" " + entry.name + "  ", x: column, y: y, style: styles.label, maxWidth: rect.maxX - column)
            }
            if offset == rows.count - 1 {
                let tail = [moreText, legendSuffix].filter { !$0.isEmpty }.joined(separator: "  ")
                if !tail.isEmpty, column + tail.count <= rect.maxX {
                    buffer.write(tail, x: column, y: y, style: styles.dim)
                } else if !tail.isEmpty, rows.count < rowLimit {
                    buffer.write(tail, x: rect.x + 1, y: y + 1, style: styles.dim, maxWidth: width)
                    return rows.count + 1
                }
            }
        }
        return rows.count
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
        // x axis line, then marker labels, then tick labels where there is room.
        buffer.set(axisX, axisRow, "└", style: styles.border)
        for column in 0..<plot.width { buffer.set(plot.x + column, axisRow, "─", style: styles.border) }
        guard yRange != nil else { return }
        buffer.write(Format.rightAligned(xAxis.title, Self.axisLabelWidth - 1), x: plot.x - Self.axisLabelWidth - 1,
                     y: labelRow, style: styles.dim)
        var occupied = Array(repeating: false, count: plot.width + 1)
        func place(_ text: String, at column: Int, style: CellStyle) {
            let start = max(0, min(column - text.count / 2, plot.width - text.count))
            let end = start + text.count
            guard end <= plot.width, !occupied[max(0, start - 1)..<min(plot.width, end + 1)].contains(true) else { return }
            buffer.write(text, x: plot.x + start, y: labelRow, style: style)
            for index in start..<end { occupied[index] = true }
        }
        for cluster in Self.markClusters(markers.map { (column(forX: $0.x, xHigh: xHigh, width: plot.width), $0.label) },
                                         width: plot.width) {
            for column in cluster.columns { buffer.set(plot.x + column, axisRow, "┼", style: styles.marker) }
            buffer.write(cluster.text, x: plot.x + cluster.start, y: labelRow, style: styles.marker)
            for index in cluster.start..<min(plot.width, cluster.start + cluster.text.count) { occupied[index] = true }
        }
        buffer.write("0", x: axisX, y: labelRow, style: styles.label)
        let tickCount = max(1, plot.width / 16)
        for tick in 1...tickCount {
            let x = xHigh * Double(tick) / Double(tickCount)
            let column = column(forX: x, xHigh: xHigh, width: plot.width)
            if buffer[plot.x + min(column, plot.width - 1), axisRow].character == "─" {
                buffer.set(plot.x + min(column, plot.width - 1), axisRow, "┬", style: styles.border)
            }
            place(xAxis.tickLabel(x), at: column, style: styles.label)
        }
    }
}
