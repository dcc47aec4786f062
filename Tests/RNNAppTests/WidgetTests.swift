import RNNEngine
import XCTest
@testable import RNNApp

/// Braille plotting, sparklines, bounded histories and colors.
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
        let chart = LossChart(series: [ChartSeries(name: "train", points: (0...100).map { (Double($0), 2.0) }, style: .plain)])
        var buffer = CellBuffer(width: 40, height: 12)
        chart.render(in: buffer.area, into: &buffer, theme: Theme(mode: .none))
        let plotRows = (1..<10).filter { row in
            (8..<40).contains { column in buffer[column, row].character.unicodeScalars.first!.value >= 0x2800
                && buffer[column, row].character.unicodeScalars.first!.value <= 0x28FF }
        }
        XCTAssertEqual(plotRows.count, 1, buffer.text)
        XCTAssertTrue(buffer.text.contains("train"))
        XCTAssertTrue(buffer.text.contains("100"), "x axis reaches the last step:\n\(buffer.text)")
    }

    func testChartOfALongHistoryIsFast() {
        var series = BoundedSeries()
        for step in 0..<200_000 { series.append(x: Double(step), y: 1 / Double(step + 1)) }
        let chart = LossChart(series: [ChartSeries(name: "train", points: series.plotPoints, style: .plain)])
        var buffer = CellBuffer(width: 200, height: 60)
        let clock = ContinuousClock()
        let elapsed = clock.measure { for _ in 0..<10 { chart.render(in: buffer.area, into: &buffer, theme: Theme(mode: .palette256)) } }
        XCTAssertLessThan(elapsed, .seconds(2), "10 renders of a 200×60 chart took \(elapsed)")
    }

    // MARK: Sparkline

    func testSparklineScalesToTheLargestValue() {
        var buffer = CellBuffer(width: 10, height: 1)
        Sparkline(values: (0...7).map(Double.init), style: .plain, threshold: 6.5, highlightStyle: CellStyle(bold: true))
            .render(x: 0, y: 0, width: 10, into: &buffer)
        XCTAssertEqual(buffer.text, "  ▁▂▃▄▅▆▇█")
        XCTAssertTrue(buffer[9, 0].style.bold, "above the clip threshold")
        XCTAssertFalse(buffer[8, 0].style.bold)
        XCTAssertEqual(Sparkline.block(.nan, maximum: 1), "!")
    }

    // MARK: Bounded series

    func testBoundedSeriesStaysBoundedOverAMillionPoints() {
        var series = BoundedSeries(capacity: 2048)
        var sum = 0.0
        for step in 1...1_000_000 {
            let y = Double(step % 1000) / 1000
            sum += y
            series.append(x: Double(step), y: y)
        }
        XCTAssertLessThanOrEqual(series.buckets.count, 2048)
        XCTAssertGreaterThanOrEqual(series.buckets.count, 1024)
        XCTAssertLessThanOrEqual(series.plotPoints.count, 2048 + 3)
        XCTAssertEqual(series.appendedCount, 1_000_000)
        XCTAssertEqual(series.first?.x, 1)
        XCTAssertEqual(series.last?.x, 1_000_000)
        XCTAssertEqual(series.last?.y, 0)
        XCTAssertEqual(series.buckets.map(\.minimum).min(), 0)
        XCTAssertEqual(series.buckets.map(\.maximum).max(), 0.999)
        // The buckets' weighted mean is the mean of everything appended.
        let bucketed = series.buckets + (series.pending.map { [$0] } ?? [])
        let weightedSum = bucketed.reduce(0.0) { $0 + $1.y * Double($1.count) }
        XCTAssertEqual(bucketed.reduce(0) { $0 + $1.count }, 1_000_000)
        XCTAssertEqual(weightedSum / 1_000_000, sum / 1_000_000, accuracy: 1e-9)
        let xs = series.plotPoints.map(\.x)
        XCTAssertEqual(xs, xs.sorted(), "points stay in step order")
    }

    func testBoundedSeriesDropsNonFiniteValuesAndKeepsShortHistoriesExact() {
        var series = BoundedSeries(capacity: 8)
        series.append(x: 1, y: 3)
        series.append(x: 2, y: .nan)
        series.append(x: 3, y: .infinity)
        series.append(x: 4, y: 1)
        XCTAssertEqual(series.plotPoints.map(\.x), [1, 4])
        XCTAssertEqual(series.plotPoints.map(\.y), [3, 1])
    }

    func testRecentValuesKeepsTheNewest() {
        var values = RecentValues(capacity: 3)
        for value in 1...5 { values.append(Double(value)) }
        XCTAssertEqual(values.suffix(10), [3, 4, 5])
        XCTAssertEqual(values.suffix(2), [4, 5])
        XCTAssertEqual(values.last, 5)
    }

    // MARK: Colors

    func testHeatmapColorsFollowTheColorMode() {
        for (mode, check) in [
            (ColorMode.palette256, { (cell: Cell) in if case .indexed = cell.style.foreground { return true }; return false }),
            (ColorMode.basic8, { (cell: Cell) in if case .basic = cell.style.foreground { return true }; return false }),
            (ColorMode.none, { (cell: Cell) in cell.style.foreground == .default && cell.style.background == .default }),
        ] {
            let buffer = Fixtures.rendered(Fixtures.gateState(cell: .lstm, colorMode: mode))
            // Row 2 is unit 4 of the i gate; column 7 its first timestep.
            XCTAssertTrue(check(buffer[7, 2]), "\(mode): \(buffer[7, 2])")
            XCTAssertTrue(check(buffer[20, 3]), "\(mode): \(buffer[20, 3])")
            if mode == .none {
                XCTAssertTrue(buffer.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default },
                              "no color anywhere under NO_COLOR")
            }
        }
    }

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

    func testCurvesAreColoredByMode() {
        let colored = Fixtures.rendered(Fixtures.trainingState(.languageModel, colorMode: .palette256))
        let braille = colored.cells.filter { (0x2800...0x28FF).contains($0.character.unicodeScalars.first!.value) }
        XCTAssertTrue(braille.contains { $0.style.foreground == .indexed(39) }, "train curve in 256-color blue")
        XCTAssertTrue(braille.contains { $0.style.foreground == .indexed(214) }, "validation curve in 256-color orange")
        let basic = Fixtures.rendered(Fixtures.trainingState(.languageModel, colorMode: .basic8))
        XCTAssertTrue(basic.cells.contains { $0.style.foreground == .basic(6) })
    }

    func testGatePanelScales() {
        XCTAssertEqual(GatePanel.niceLimit(2.4), 5)
        XCTAssertEqual(GatePanel.niceLimit(0.7), 1)
        XCTAssertEqual(GatePanel.niceLimit(13), 20)
        let trace = LayerTrace(gates: [("i", [0.5]), ("g", [-0.5])], hidden: [3], cell: [-1.5])
        let panels = GatePanel.panels(for: trace)
        XCTAssertEqual(panels.map(\.name), ["i", "g", "c", "h"])
        XCTAssertEqual(panels.map(\.scale), [.sequential(low: 0, high: 1), .diverging(limit: 1), .diverging(limit: 2),
                                             .sequential(low: 0, high: 5)])
    }

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
    }
}

/// Whole frames stay cheap: the app renders up to 30 times a second.
final class RenderSpeedTests: XCTestCase {
    func testFramesRenderQuicklyAfterALongRun() {
        var training = Fixtures.trainingState(.languageModel, width: 200, height: 60, steps: 20_000)
        _ = training.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: .lstm, timeSteps: 128, hiddenSize: 512))))
        var gates = training
        _ = gates.update(.key(.character("g")))
        let clock = ContinuousClock()
        for (name, state) in [("loss", training), ("gates", gates)] {
            var buffer = CellBuffer(width: state.width, height: state.height)
            var best = Duration.seconds(100)
            for _ in 0..<5 {
                let elapsed = clock.measure { render(state, into: &buffer) }
                best = min(best, elapsed)
            }
            print("render \(name) 200×60: best of 5 \(best)")
            XCTAssertLessThan(best, .milliseconds(100), "\(name) frame took \(best) in a debug build")
        }
    }
}
