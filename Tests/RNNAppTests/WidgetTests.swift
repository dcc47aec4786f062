import RNNEngine
import TerminalUI
import XCTest
@testable import RNNApp

/// Bounded histories, and the product's colors and gate-panel scales on whole screens.
final class WidgetTests: XCTestCase {
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
