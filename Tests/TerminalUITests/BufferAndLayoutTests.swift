import XCTest
@testable import TerminalUI

/// The buffer diff, layout helpers and the small text widgets, without a terminal.
final class BufferAndLayoutTests: XCTestCase {
    func testDiffListsOnlyChangedCellsAndEverythingAfterASizeChange() {
        var first = CellBuffer(width: 4, height: 2)
        first.write("abcd", x: 0, y: 0)
        var second = first
        second.set(2, 1, "x", style: CellStyle(bold: true))
        second.set(0, 0, "a", style: CellStyle(reverse: true))  // same character, new style: changed
        let changes = BufferDiff.changes(from: first, to: second)
        XCTAssertEqual(changes.map { "\($0.x),\($0.y),\($0.cell.character)" }, ["0,0,a", "2,1,x"])
        XCTAssertEqual(BufferDiff.changes(from: second, to: second).count, 0)
        XCTAssertEqual(BufferDiff.changes(from: nil, to: second).count, 8, "the first frame draws every cell")
        let wider = CellBuffer(width: 5, height: 2)
        XCTAssertEqual(BufferDiff.changes(from: second, to: wider).count, 10, "a new size redraws every cell")
        var visible = 0
        let comparable = BufferDiff.forEachChange(from: nil, to: second, visibleWidth: 3, visibleHeight: 1) { _, _, _ in visible += 1 }
        XCTAssertEqual(visible, 3, "cells past the screen's edge are clipped")
        XCTAssertFalse(comparable)
    }

    func testContainsIsHalfOpenLikeTheCellsARectCovers() {
        let area = Rect(x: 2, y: 1, width: 21, height: 5)
        XCTAssertTrue(area.contains(x: 2, y: 1))
        XCTAssertTrue(area.contains(x: 22, y: 5))
        XCTAssertFalse(area.contains(x: 23, y: 3), "maxX is outside")
        XCTAssertFalse(area.contains(x: 5, y: 6), "maxY is outside")
        XCTAssertFalse(area.contains(x: 1, y: 1))
        XCTAssertFalse(Rect(x: 0, y: 0, width: 0, height: 3).contains(x: 0, y: 0), "an empty rect holds no cell")
    }

    func testSplitGivesFixedPartsTheirLengthAndSharesTheRest() {
        let area = Rect(x: 2, y: 1, width: 21, height: 5)
        let parts = area.split(.horizontal, [.fixed(5), .fill, .fixed(3), .fill])
        XCTAssertEqual(parts.map(\.width), [5, 7, 3, 6])
        XCTAssertEqual(parts.map(\.x), [2, 7, 14, 17])
        XCTAssertEqual(parts.last?.maxX, area.maxX)
        let rows = area.split(.vertical, [.fixed(4), .fixed(4)])
        XCTAssertEqual(rows.map(\.height), [4, 1], "a part past the end gets what is left")
        XCTAssertEqual(area.bottom(2), Rect(x: 2, y: 4, width: 21, height: 2))
        XCTAssertEqual(area.trailing(4), Rect(x: 19, y: 1, width: 4, height: 5))
        XCTAssertEqual(area.inset(horizontal: 1, vertical: 1), Rect(x: 3, y: 2, width: 19, height: 3))
        XCTAssertEqual(area.row(2), Rect(x: 2, y: 3, width: 21, height: 1))
    }

    func testKeyHintBarDropsHintsThatDoNotFitButKeepsTheLastTwo() {
        let hints = ["alpha", "beta", "gamma"].map { KeyHintBar.Hint(key: String($0.first!), action: $0) }
            + [KeyHintBar.Hint(key: "?", action: "help"), KeyHintBar.Hint(key: "q", action: "quit")]
        var buffer = CellBuffer(width: 30, height: 1)
        buffer.render(KeyHintBar(hints, keyStyle: CellStyle(bold: true), actionStyle: .plain))
        XCTAssertEqual(buffer.text, " a alpha  ? help  q quit      ", "beta does not fit once help and quit are counted")
        XCTAssertTrue(buffer[1, 0].style.bold, "keys in the key style")
        var wide = CellBuffer(width: 60, height: 1)
        wide.render(KeyHintBar(hints, keyStyle: .plain, actionStyle: .plain))
        XCTAssertTrue(wide.text.hasPrefix(" a alpha  b beta  g gamma  ? help  q quit"), wide.text)
    }

    func testHeatmapDrawsItsWindowAndTheCursor() {
        // values: (columns 3, rows 2): column-major by time.
        let heatmap = Heatmap(values: [0, 1, 0.5, 0.5, 1, 0], rowCount: 2, firstRow: 1, firstColumn: 1,
                              scale: .sequential(low: 0, high: 1), mode: .none, cursor: (row: 1, column: 2))
        var buffer = CellBuffer(width: 3, height: 2)
        buffer.render(heatmap)
        XCTAssertEqual(buffer.text, "▒╋?\n   ", "row 1 from column 1; past the data a ?; the grid has no row 2")
        XCTAssertTrue(buffer[1, 0].style.reverse)
        XCTAssertEqual(heatmap.filledRows(5), 1)
    }

    func testLegendGroupsNamesByScaleAndLeavesOutWhatDoesNotFit() {
        let styles = HeatmapLegend.Styles(prefix: .plain, names: .plain, ends: .plain)
        let legend = HeatmapLegend([("i", .sequential(low: 0, high: 1)), ("g", .diverging(limit: 1)),
                                    ("f", .sequential(low: 0, high: 1))], mode: .none, styles: styles)
        XCTAssertEqual(legend.groups.map(\.names), [["i", "f"], ["g"]])
        var buffer = CellBuffer(width: 40, height: 1)
        buffer.render(legend)
        XCTAssertEqual(buffer.text, " scale i f 0  ░░▒▒▓▓██ 1                ", "the second group does not fit")
    }

    func testParagraphWrapsAndStopsAtTheAreaOrItsLineLimit() {
        let paragraph = Paragraph("one two three four", maximumLines: 2)
        XCTAssertEqual(paragraph.lines(width: 7), ["one two", "three"])
        var buffer = CellBuffer(width: 7, height: 3)
        buffer.render(paragraph)
        XCTAssertEqual(buffer.text, "one two\nthree  \n       ")
        XCTAssertEqual(TextWrap.lines("abcdefgh", width: 3), ["abc", "def", "gh"], "a long word is cut")
        XCTAssertEqual(ProgressBar.text(0.5, width: 4), "██░░")
        XCTAssertEqual(ProgressBar.text(.nan, width: 2), "░░")
    }

    func testRulesDrawAlongTheArea() {
        var buffer = CellBuffer(width: 3, height: 2)
        buffer.render(Rule(.horizontal), in: buffer.area.row(1))
        buffer.render(Rule(.vertical), in: buffer.area.leading(1))
        XCTAssertEqual(buffer.text, "│  \n│──")
    }
}

final class ListWindowTests: XCTestCase {
    func testTheSelectionStaysInViewAndRowsMapBackToIndices() {
        let start = ListWindow(count: 10, selection: 2, top: 3, height: 4)
        XCTAssertEqual(start.shown, 0..<4)
        XCTAssertEqual(start.index(atRow: 3), 0)
        XCTAssertEqual(start.index(atRow: 6), 3)
        XCTAssertNil(start.index(atRow: 2), "above the list")
        XCTAssertNil(start.index(atRow: 7), "below the list")

        let scrolled = ListWindow(count: 10, selection: 7, top: 3, height: 4)
        XCTAssertEqual(scrolled.shown, 4..<8, "ends on the selection")
        XCTAssertEqual(scrolled.index(atRow: 6), 7)
        XCTAssertEqual(scrolled.y(of: 7), 6)
        for index in scrolled.shown { XCTAssertEqual(scrolled.index(atRow: scrolled.y(of: index)), index) }

        let short = ListWindow(count: 2, selection: 1, top: 0, height: 5)
        XCTAssertEqual(short.shown, 0..<2)
        XCTAssertNil(short.index(atRow: 2), "past the list's end")
        XCTAssertEqual(ListWindow(count: 0, selection: 0, top: 1, height: 3).shown, 0..<0)
    }
}
