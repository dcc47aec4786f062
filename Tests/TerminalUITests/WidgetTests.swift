import DisplayFormat
import XCTest
@testable import TerminalUI

/// Braille plotting, the line chart, sparklines, heatmap ramps and text formatting.
final class WidgetTests: XCTestCase {
    // MARK: Braille

    func testBrailleDotsFollowUnicodeNumbering() {
        var canvas = BrailleCanvas(columns: 1, rows: 1)
        XCTAssertNil(canvas.character(column: 0, row: 0))
        canvas.set(x: 0, y: 0, series: 0)
        XCTAssertEqual(canvas.character(column: 0, row: 0), "⠁")
        canvas.set(x: 1, y: 3, series: 0)
        XCTAssertEqual(canvas.character(column: 0, row: 0), "⢁")
        canvas.set(x: 5, y: 9, series: 0)  // outside: ignored
        XCTAssertEqual(canvas.character(column: 0, row: 0), "⢁")
    }

    func testHorizontalAndDiagonalLinesLightTheExpectedDots() {
        var horizontal = BrailleCanvas(columns: 2, rows: 1)
        horizontal.line(x0: 0, y0: 0, x1: 3, y1: 0, series: 0)
        XCTAssertEqual(horizontal.character(column: 0, row: 0), "⠉")
        XCTAssertEqual(horizontal.character(column: 1, row: 0), "⠉")

        var diagonal = BrailleCanvas(columns: 2, rows: 1)
        diagonal.line(x0: 0, y0: 0, x1: 3, y1: 3, series: 1)
        XCTAssertEqual(diagonal.character(column: 0, row: 0), "⠑")  // dots (0,0) and (1,1)
        XCTAssertEqual(diagonal.character(column: 1, row: 0), "⢄")  // dots (2,2) and (3,3)
        XCTAssertEqual(diagonal.seriesOwning(column: 1, row: 0), 1)

        var vertical = BrailleCanvas(columns: 1, rows: 2)
        vertical.line(x0: 1, y0: 7, x1: 1, y1: 0, series: 0)
        XCTAssertEqual(vertical.character(column: 0, row: 0), "⢸")
        XCTAssertEqual(vertical.character(column: 0, row: 1), "⢸")
    }

    func testHigherSeriesOwnsASharedCell() {
        var canvas = BrailleCanvas(columns: 1, rows: 1)
        canvas.set(x: 0, y: 0, series: 2)
        canvas.set(x: 1, y: 0, series: 1)
        XCTAssertEqual(canvas.seriesOwning(column: 0, row: 0), 2)
    }

    func testAFlatSeriesIsOneRowOfDotsInTheMiddle() {
        let chart = LineChart(series: [ChartSeries(name: "train", points: (0...100).map { (Double($0), 2.0) }, style: .plain)])
        var buffer = CellBuffer(width: 40, height: 12)
        chart.render(in: buffer.area, into: &buffer)
        let plotRows = (1..<10).filter { row in
            (8..<40).contains { column in buffer[column, row].character.unicodeScalars.first!.value >= 0x2800
                && buffer[column, row].character.unicodeScalars.first!.value <= 0x28FF }
        }
        XCTAssertEqual(plotRows.count, 1, buffer.text)
        XCTAssertTrue(buffer.text.contains("train"))
        XCTAssertTrue(buffer.text.contains("100"), "x axis reaches the last step:\n\(buffer.text)")
    }

    func testChartOfALongHistoryIsFast() {
        // What a bounded history of 200,000 steps hands the chart: about 2,000 bucket means.
        let points = (0..<2051).map { index -> (x: Double, y: Double) in
            let step = Double(index) * 97.5
            return (step, 1 / (step + 1))
        }
        let chart = LineChart(series: [ChartSeries(name: "train", points: points, style: .plain)])
        var buffer = CellBuffer(width: 200, height: 60)
        let clock = ContinuousClock()
        let elapsed = clock.measure { for _ in 0..<10 { chart.render(in: buffer.area, into: &buffer) } }
        XCTAssertLessThan(elapsed, .seconds(2), "10 renders of a 200×60 chart took \(elapsed)")
    }

    // MARK: Sparkline

    func testSparklineScalesToTheLargestValue() {
        var buffer = CellBuffer(width: 10, height: 1)
        Sparkline(values: (0...7).map(Double.init), style: .plain, threshold: 6.5, highlightStyle: CellStyle(bold: true))
            .render(in: buffer.area, into: &buffer)
        XCTAssertEqual(buffer.text, "  ▁▂▃▄▅▆▇█")
        XCTAssertTrue(buffer[9, 0].style.bold, "above the clip threshold")
        XCTAssertFalse(buffer[8, 0].style.bold)
        XCTAssertEqual(Sparkline.block(.nan, maximum: 1), "!")
    }

    // MARK: Heatmaps

    func testHeatmapRampsAreMonotoneAndEndsDiffer() {
        let low = HeatmapRamp.cell(0, scale: .sequential(low: 0, high: 1), mode: .palette256)
        let high = HeatmapRamp.cell(1, scale: .sequential(low: 0, high: 1), mode: .palette256)
        XCTAssertEqual(low.style.foreground, .indexed(HeatmapRamp.sequential256.first!))
        XCTAssertEqual(high.style.foreground, .indexed(HeatmapRamp.sequential256.last!))
        let middle = HeatmapRamp.cell(0, scale: .diverging(limit: 1), mode: .palette256)
        XCTAssertEqual(middle.style.foreground, .indexed(231), "zero is white on the diverging ramp")
        XCTAssertEqual(HeatmapRamp.cell(-5, scale: .diverging(limit: 1), mode: .none).character, " ")
        XCTAssertEqual(HeatmapRamp.cell(5, scale: .diverging(limit: 1), mode: .none).character, "█")
        XCTAssertEqual(HeatmapRamp.cell(.nan, scale: .diverging(limit: 1), mode: .basic8).character, "?")
    }

    // MARK: Text

    func testFormatting() {
        XCTAssertEqual(Format.count(1_234_567), "1,234,567")
        XCTAssertEqual(Format.compact(48_250), "48.2k")
        XCTAssertEqual(Format.duration(252), "4m12s")
        XCTAssertEqual(Format.duration(7500), "2h05m")
        XCTAssertEqual(Format.axis(0.00337), "0.0034")
        XCTAssertEqual(Format.axis(0.00003), "3e-05")
        XCTAssertEqual(Format.step(2500), "2.5k")
        XCTAssertEqual(DisplayText.sanitized("a\tb\nc\u{1F600}"), "a⇥b↵c·")
        XCTAssertEqual(DisplayText.axisCharacter(" "), "␣")
        // One glyph map for screens and dataset labels.
        XCTAssertEqual(Glyphs.label("\n"), String(DisplayText.cellCharacter("\n")))
        XCTAssertEqual(Glyphs.label("\r"), "↵")
        XCTAssertEqual(Glyphs.label(" "), "␣")
        XCTAssertEqual(Glyphs.label("\u{7}"), "·")
        XCTAssertEqual(Glyphs.label("ab"), "ab", "only one-character labels are replaced")
        XCTAssertEqual(Format.label(0.4213), ".42")
        XCTAssertEqual(Format.label(-25_000), "-3e4")
        XCTAssertEqual(Format.duration(59.6), "1m00s", "durations read the same in the notebook and the CLI")
    }
}

/// The dense heatmap: two rows a cell with colours, one without.
final class HalfBlockHeatmapTests: XCTestCase {
    func testUpperRowIsTheForegroundAndLowerTheBackground() {
        // values: (columns 2, rows 3) column-major.
        let values: [Float] = [0, 0.5, 1, 1, 0.5, 0]
        let heatmap = HalfBlockHeatmap(values: values, rowCount: 3, rows: [2, 0, 1], scale: .sequential(low: 0, high: 1), mode: .palette256)
        var buffer = CellBuffer(width: 2, height: 2)
        buffer.render(heatmap)
        let scale = HeatmapScale.sequential(low: 0, high: 1)
        XCTAssertEqual(buffer[0, 0].character, "▀")
        XCTAssertEqual(buffer[0, 0].style.foreground, HalfBlockHeatmap.color(1, scale: scale, mode: .palette256), "row 2 on top")
        XCTAssertEqual(buffer[0, 0].style.background, HalfBlockHeatmap.color(0, scale: scale, mode: .palette256), "row 0 below")
        XCTAssertNotEqual(buffer[0, 0].style.foreground, buffer[0, 0].style.background)
        XCTAssertEqual(buffer[1, 1].style.background, .default, "an odd last row has no lower half")
        XCTAssertEqual(HalfBlockHeatmap.cellRows(for: 3, mode: .palette256), 2)
    }

    func testEightColoursRunAlongTheBasicRamp() {
        let scale = HeatmapScale.sequential(low: 0, high: 1)
        let colours = stride(from: Float(0), through: 1, by: 0.25).map { HalfBlockHeatmap.color($0, scale: scale, mode: .basic8) }
        XCTAssertEqual(colours, HalfBlockHeatmap.sequential8.map { TerminalColor.basic($0) })
        XCTAssertEqual(HalfBlockHeatmap.color(-1, scale: .diverging(limit: 1), mode: .basic8), .basic(4), "blue end")
        XCTAssertEqual(HalfBlockHeatmap.color(1, scale: .diverging(limit: 1), mode: .basic8), .basic(1), "red end")
        XCTAssertNil(HalfBlockHeatmap.color(.nan, scale: scale, mode: .basic8))
    }

    func testWithoutColourEachRowIsAShadeRow() {
        let values: [Float] = [0, 1, 1, 0]
        let heatmap = HalfBlockHeatmap(values: values, rowCount: 2, rows: [0, 1], scale: .sequential(low: 0, high: 1), mode: .none)
        var buffer = CellBuffer(width: 2, height: 2)
        buffer.render(heatmap)
        XCTAssertEqual(buffer.text, " █\n█ ")
        XCTAssertEqual(HalfBlockHeatmap.cellRows(for: 2, mode: .none), 2)
    }

    func testScatterPutsOneDotPerPoint() {
        var buffer = CellBuffer(width: 12, height: 7)
        buffer.render(ScatterPlot(points: [(x: 0, y: 0), (x: 1, y: 1)], title: "t", xLabel: "x"))
        let rows = buffer.text.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows[1].hasSuffix("⠈"), "(1, 1) at the top right: \(rows[1])")
        XCTAssertTrue(rows[4].contains("⡀"), "(0, 0) at the bottom left: \(rows[4])")
    }
}
