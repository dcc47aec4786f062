import DisplayFormat
import XCTest
@testable import TerminalUI

/// The line chart's comparison features: many curves, patterns, marks, the baseline, merged change
/// marks, the x axis kinds and the track under the axis.
final class LineChartTests: XCTestCase {
    private func falling(_ scale: Double, count: Int = 200) -> [(x: Double, y: Double)] {
        (1...count).map { (Double($0), 0.1 + scale * exp(-Double($0) / 50)) }
    }

    private func render(_ chart: LineChart, width: Int = 120, height: Int = 30) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        chart.render(in: buffer.area, into: &buffer)
        return buffer
    }

    func testLineStylesLightDifferentPatterns() {
        let patterns = LineStyle.allCases.map { style in (0..<30).map { style.lights($0) } }
        XCTAssertEqual(Set(patterns).count, LineStyle.allCases.count, "every style lights its own pattern")
        XCTAssertEqual(Set(LineStyle.allCases.map(\.legendSample)).count, LineStyle.allCases.count)
    }

    func testSixCurvesAllShowInTheLegendAndThePlot() {
        let series = (0..<6).map { index in
            ChartSeries(name: "run \(index + 1) GRU 64", points: falling(Double(index + 1)),
                        style: CellStyle(foreground: .indexed(UInt8(100 + index))), line: LineStyle.allCases[index])
        }
        let buffer = render(LineChart(series: series))
        for index in 1...6 { XCTAssertTrue(buffer.text.contains("run \(index) GRU 64"), buffer.text) }
        // Every curve owns some cells in its own colour.
        var colours = Set<TerminalColor>()
        for row in 0..<buffer.height {
            for column in 0..<buffer.width where (0x2800...0x28FF).contains(buffer[column, row].character.unicodeScalars.first!.value) {
                colours.insert(buffer[column, row].style.foreground)
            }
        }
        XCTAssertEqual(colours.count, 6)
    }

    func testLegendThatDoesNotFitCountsWhatItLeftOut() {
        let series = (0..<12).map { ChartSeries(name: "a long legend name \($0)", points: falling(1), style: .plain) }
        let buffer = render(LineChart(series: series), width: 80, height: 24)
        XCTAssertTrue(buffer.text.contains("more"), buffer.text)
        let shown = (0..<12).filter { buffer.text.contains("a long legend name \($0) ") || buffer.text.contains("a long legend name \($0)\n") }
        XCTAssertGreaterThan(shown.count, 3)
        XCTAssertTrue(buffer.text.contains("+\(12 - shown.count) more"), buffer.text)
    }

    func testMarksOfEachCurveAppearAlongIt() {
        let series = [ChartSeries(name: "a", points: falling(1), style: .plain, line: .dotted, mark: "○"),
                      ChartSeries(name: "b", points: falling(2), style: .plain, line: .solid, mark: "■")]
        let text = render(LineChart(series: series)).text
        let plot = text.split(separator: "\n").dropFirst().joined()
        XCTAssertGreaterThanOrEqual(plot.filter { $0 == "○" }.count, 3, text)
        XCTAssertGreaterThanOrEqual(plot.filter { $0 == "■" }.count, 3, text)
        XCTAssertTrue(text.contains("┈○ a"), "the legend shows the pattern and the mark:\n\(text)")
    }

    func testBaselineIsALabelledLine() {
        let chart = LineChart(series: [ChartSeries(name: "train", points: falling(0.3), style: .plain)],
                              baseline: ChartBaseline(value: 0.167, label: "baseline 0.167"))
        let buffer = render(chart)
        let rows = buffer.text.split(separator: "\n")
        let baselineRows = rows.filter { $0.contains("baseline 0.167") }
        XCTAssertEqual(baselineRows.count, 1, buffer.text)
        XCTAssertTrue(baselineRows[0].contains("╌╌╌"), buffer.text)
        // The baseline widens the range when every value lies above it.
        let above = LineChart(series: [ChartSeries(name: "train", points: (1...50).map { (Double($0), 5.0) }, style: .plain)],
                              baseline: ChartBaseline(value: 1, label: "baseline 1"))
        XCTAssertTrue(render(above).text.contains("baseline 1"))
    }

    func testCollidingMarksMergeIntoOneLabelWithACount() {
        let close = LineChart.markClusters([(10, "lr 0.004"), (12, "clip 1"), (14, "batch 64"), (60, "adam→sgd")], width: 100)
        XCTAssertEqual(close.map(\.text), ["3 changes", "adam→sgd"])
        XCTAssertEqual(close[0].columns, [10, 12, 14])
        let apart = LineChart.markClusters([(5, "lr 0.004"), (30, "clip 1")], width: 100)
        XCTAssertEqual(apart.map(\.text), ["lr 0.004", "clip 1"])
        // Near the right edge labels shift left and still do not overlap.
        let edge = LineChart.markClusters([(90, "lr 0.004"), (99, "dropout 0.2")], width: 100)
        for (first, second) in zip(edge, edge.dropFirst()) { XCTAssertLessThan(first.start + first.text.count, second.start) }
        for cluster in edge { XCTAssertLessThanOrEqual(cluster.start + cluster.text.count, 100) }

        let chart = LineChart(series: [ChartSeries(name: "train", points: falling(1), style: .plain)],
                              markers: [ChartMark(x: 100, label: "lr 0.004"), ChartMark(x: 101, label: "clip 1")])
        let text = render(chart).text
        XCTAssertTrue(text.contains("2 changes"), text)
        XCTAssertFalse(text.contains("lr 0.004"), text)
    }

    func testXAxisSaysWhatItCountsAndLabelsTime() {
        let points = (1...300).map { (Double($0), 1.0 / Double($0)) }
        let chart = LineChart(series: [ChartSeries(name: "train", points: points, style: .plain)], xAxis: .time)
        let text = render(chart).text
        XCTAssertTrue(text.contains("time 0"), text)
        XCTAssertTrue(text.contains("5m00s"), text)
        XCTAssertEqual(ChartXAxis.steps.next.next.next, .steps)
        XCTAssertEqual(ChartXAxis.tokens.tickLabel(2_500_000), "2.5M")
    }

    func testTrackShowsTheValueInForceAtEachColumn() {
        let track = ChartTrack(name: "lr", points: [(1, 0.002), (100, 0.002), (101, 0.001), (200, 0.001)], style: .plain)
        let chart = LineChart(series: [ChartSeries(name: "train", points: falling(1), style: .plain)], track: track)
        let buffer = render(chart, width: 80, height: 24)
        let row = buffer.text.split(separator: "\n").first { $0.hasPrefix("    lr ") }
        XCTAssertNotNil(row, buffer.text)
        let blocks = row!.dropFirst(LineChart.axisLabelWidth + 1).trimmingCharacters(in: .whitespaces)
        XCTAssertEqual(blocks.first, "█")
        XCTAssertEqual(blocks.last, "▁")
        XCTAssertEqual(Set(blocks), ["█", "▁"])
    }
}
