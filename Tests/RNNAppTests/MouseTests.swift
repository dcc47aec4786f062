import RNNEngine
import RNNTraining
import TerminalUI
import XCTest
@testable import RNNApp

/// Clicks and wheel notches, aimed at what the screen rendered (positions are found in the rendered buffer, not
/// computed from the layout), at 80×24 and 120×40; the mouse does what the matching keys do.
final class MouseTests: XCTestCase {
    static let sizes = [(width: 80, height: 24), (width: 120, height: 40)]

    // MARK: Reading the rendered screen

    private func rows(_ buffer: CellBuffer) -> [[Character]] {
        buffer.text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    }

    /// The first (x, y) where `text` starts on row y, scanning rows from the top and columns in `columns`.
    private func position(of text: String, in buffer: CellBuffer, columns: Range<Int> = 0..<Int.max,
                          rows range: Range<Int> = 0..<Int.max) -> (x: Int, y: Int)? {
        let needle = Array(text)
        for (y, row) in rows(buffer).enumerated() where range.contains(y) {
            guard row.count >= needle.count else { continue }
            for x in 0...(row.count - needle.count) where columns.contains(x) && Array(row[x..<(x + needle.count)]) == needle {
                return (x, y)
            }
        }
        return nil
    }

    private func text(_ buffer: CellBuffer, y: Int, columns: Range<Int>) -> String {
        String(rows(buffer)[y][columns]).trimmingCharacters(in: .whitespaces)
    }

    private func click(_ state: inout AppState, _ x: Int, _ y: Int, _ button: MouseEvent.Button = .left) -> [AppEffect] {
        state.update(.mouse(MouseEvent(x: x, y: y, button: button)))
    }

    private func setupState(width: Int, height: Int) -> AppState {
        var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256, setup: Fixtures.setup(.languageModel))
        _ = state.update(.resize(width: width, height: height))
        return state
    }

    // MARK: Setup

    /// The row of `field`'s label on the rendered form (its label starts the row after the marker column).
    private func labelPosition(_ field: SetupField, in buffer: CellBuffer) -> (x: Int, y: Int)? {
        position(of: " " + field.label + " ", in: buffer, columns: 3..<4)
    }

    func testClickingAFieldsLabelFocusesThatField() throws {
        for size in Self.sizes {
            var state = setupState(width: size.width, height: size.height)
            // From the last field up (↑ from the first wraps to it): at 80×24 the form scrolls, and the field
            // above the focused one is always on screen.
            _ = state.update(.key(.up))
            let fields = state.form.visibleFields
            XCTAssertEqual(state.form.focus, fields.last)
            for field in fields.reversed() {
                let before = Fixtures.rendered(state)
                let label = try XCTUnwrap(labelPosition(field, in: before), "\(field.label) at \(size):\n\(before.text)")
                XCTAssertEqual(click(&state, label.x + 3, label.y), [])
                XCTAssertEqual(state.form.focus, field, "click on '\(field.label)' at \(size)")
                let after = Fixtures.rendered(state)
                let marked = try XCTUnwrap(position(of: "▸ " + field.label.trimmingCharacters(in: .whitespaces) + " ",
                                                    in: after, columns: 0..<30), "the marker is on the clicked field")
                XCTAssertLessThanOrEqual(marked.x, 5)
            }
        }
    }

    func testClicksOnAScrolledFormHitTheRowsDrawn() throws {
        var state = setupState(width: 80, height: 24)
        _ = state.update(.key(.up))  // the last field: the form scrolls to its end
        let rendered = Fixtures.rendered(state)
        let above = try XCTUnwrap(position(of: "▲", in: rendered), rendered.text)
        // The first row under the header is a field scrolled into view, not the form's first field.
        let shown = text(rendered, y: above.y, columns: 3..<22)
        XCTAssertNotEqual(shown, SetupField.cell.label)
        let heading = try XCTUnwrap(position(of: "Optimization", in: rendered))
        _ = click(&state, heading.x + 2, heading.y)
        XCTAssertEqual(state.form.focus, state.form.visibleFields.last, "a heading is not a field")
        _ = click(&state, 8, above.y)
        XCTAssertEqual(state.form.focus.label.trimmingCharacters(in: .whitespaces), shown, "the first field row drawn")
    }

    func testClickingTheArrowsOfTheFocusedChoiceStepsItAsTheArrowKeysDo() throws {
        for size in Self.sizes {
            for field in [SetupField.optimizer, .cell, .outliers, .nonlinearity, .schedule] {
                var state = setupState(width: size.width, height: size.height)
                while state.form.focus != field { _ = state.update(.key(.down)) }
                let focused = Fixtures.rendered(state)
                let label = try XCTUnwrap(labelPosition(field, in: focused), "\(field.label) at \(size)")
                let previous = try XCTUnwrap(position(of: "◂", in: focused, rows: label.y..<(label.y + 1)))
                let next = try XCTUnwrap(position(of: "▸", in: focused, columns: (previous.x + 1)..<size.width,
                                                  rows: label.y..<(label.y + 1)))

                var byKey = state
                _ = byKey.update(.key(.right))
                _ = click(&state, next.x, next.y)
                XCTAssertEqual(state.form.setup, byKey.form.setup, "▸ of \(field.label) at \(size) is →")
                XCTAssertNotEqual(state.form.setup, Fixtures.setup(.languageModel), "the value changed")

                // The value's own text steps forward too; "◂" steps back like ←. (A new schedule shows its own
                // fields: the row is found again.)
                let value = Fixtures.rendered(state)
                let row = try XCTUnwrap(labelPosition(field, in: value))
                let arrow = try XCTUnwrap(position(of: "◂ ", in: value, rows: row.y..<(row.y + 1)))
                _ = byKey.update(.key(.right))
                _ = click(&state, arrow.x + 3, arrow.y)
                XCTAssertEqual(state.form.setup, byKey.form.setup, "value text of \(field.label) at \(size)")
                _ = byKey.update(.key(.left))
                let stepped = Fixtures.rendered(state)
                let again = try XCTUnwrap(labelPosition(field, in: stepped))
                _ = click(&state, arrow.x, again.y)
                XCTAssertEqual(state.form.setup, byKey.form.setup, "◂ of \(field.label) at \(size) is ←")
                XCTAssertEqual(state.form.focus, field)
            }
        }
    }

    func testClickingTheValueOfANumberOnlyFocusesIt() throws {
        var state = setupState(width: 80, height: 24)
        let row = try XCTUnwrap(labelPosition(.hiddenSize, in: Fixtures.rendered(state)))
        let value = try XCTUnwrap(position(of: "128", in: Fixtures.rendered(state), rows: row.y..<(row.y + 1)))
        _ = click(&state, value.x, value.y)
        _ = click(&state, value.x + 1, value.y)
        XCTAssertEqual(state.form.focus, .hiddenSize)
        XCTAssertEqual(state.form.setup, Fixtures.setup(.languageModel))
    }

    func testATypedValueIsAppliedWhenAnotherFieldIsClicked() throws {
        var state = setupState(width: 120, height: 40)
        let hidden = try XCTUnwrap(labelPosition(.hiddenSize, in: Fixtures.rendered(state)))
        _ = click(&state, hidden.x + 3, hidden.y)
        for character in "48" { _ = state.update(.key(.character(character))) }
        let layers = try XCTUnwrap(labelPosition(.layerCount, in: Fixtures.rendered(state)))
        _ = click(&state, layers.x + 3, layers.y)
        XCTAssertEqual(state.form.focus, .layerCount)
        XCTAssertEqual(state.form.setup.hiddenSize, 48)
        XCTAssertNil(state.form.typedValue)
    }

    func testClicksBesideTheFieldsChangeNothing() throws {
        for size in Self.sizes {
            var state = setupState(width: size.width, height: size.height)
            let rendered = Fixtures.rendered(state)
            let heading = try XCTUnwrap(position(of: "Optimization", in: rendered))
            let sidePanel = try XCTUnwrap(position(of: "Dataset", in: rendered))
            let footer = try XCTUnwrap(position(of: "Enter start", in: rendered))
            for (x, y) in [(heading.x, heading.y), (sidePanel.x + 2, sidePanel.y + 1), (footer.x, footer.y),
                           (0, 0), (size.width - 1, size.height - 1), (0, 2)] {
                _ = click(&state, x, y)
                _ = click(&state, x, y, .right)
            }
            XCTAssertEqual(state.form, setupState(width: size.width, height: size.height).form, "at \(size)")
        }
    }

    func testTheWheelMovesBetweenFieldsAsUpAndDown() {
        var state = setupState(width: 80, height: 24)
        _ = click(&state, 60, 10, .wheelDown)
        _ = click(&state, 60, 10, .wheelDown)
        XCTAssertEqual(state.form.focus, .nonlinearity)
        _ = click(&state, 5, 5, .wheelUp)
        XCTAssertEqual(state.form.focus, .gruConvention)
    }

    // MARK: Gate view

    /// Rows of the rendered gate view that hold a heatmap row: (row, the unit printed in its label column).
    private func heatmapRows(_ buffer: CellBuffer) -> [(y: Int, unit: Int)] {
        rows(buffer).enumerated().compactMap { y, row in
            guard y > 1, row.count > 7, let unit = Int(String(row[2..<6]).trimmingCharacters(in: .whitespaces)),
                  row[7] != " " else { return nil }
            return (y, unit)
        }
    }

    func testClickingAHeatmapCellPutsTheCursorThere() throws {
        for size in Self.sizes {
            // All panels stacked, one panel focused (f), and the time axis scrolled to its end (End: at 80×24 the
            // first column is then t 12).
            for variant in ["stacked", "focused", "scrolled"] {
                var state = Fixtures.gateState(cell: .lstm, width: size.width, height: size.height)
                if variant == "focused" { _ = state.update(.key(.character("f"))) }
                if variant == "scrolled" { _ = state.update(.key(.end)) }
                let before = Fixtures.rendered(state)
                let heatmap = heatmapRows(before)
                XCTAssertGreaterThan(heatmap.count, 1, "\(size)")
                // The last heatmap row (the lowest panel's last unit shown), three columns right of the axis's
                // "30" (or "50").
                let target = try XCTUnwrap(heatmap.last)
                let axis = try XCTUnwrap(position(of: "t ", in: before, columns: 0..<1))
                let mark = variant == "scrolled" ? 50 : 30
                let label = try XCTUnwrap(position(of: " \(mark) ", in: before, rows: axis.y..<(axis.y + 1)))
                let x = label.x + 1 + 3
                let what = "at \(size), \(variant)"

                XCTAssertEqual(click(&state, x, target.y), [])
                XCTAssertEqual(state.gates.unit, target.unit, "unit " + what)
                XCTAssertEqual(state.gates.timestep, mark + 3, "timestep " + what)

                let after = Fixtures.rendered(state)
                XCTAssertNotNil(position(of: "unit \(target.unit) of 24", in: after), after.text)
                XCTAssertNotNil(position(of: "t \(mark + 3) of 60", in: after), after.text)
                XCTAssertEqual(after[x, target.y].character, "╋", "the cursor is drawn where the click was " + what)
                XCTAssertEqual(heatmapRows(after).map(\.unit), heatmap.map(\.unit), "the page did not move " + what)
                let labelAfter = position(of: " \(mark) ", in: after, rows: axis.y..<(axis.y + 1))
                XCTAssertEqual(labelAfter?.x, label.x, "the time axis did not scroll " + what)
            }
        }
    }

    func testClickingTheTimeAxisMovesTheCursorInTimeOnly() throws {
        for size in Self.sizes {
            for scrolled in [false, true] {
                var state = Fixtures.gateState(cell: .gru, width: size.width, height: size.height)
                if scrolled { _ = state.update(.key(.end)) }
                let unit = state.gates.unit
                let before = Fixtures.rendered(state)
                let numbers = try XCTUnwrap(position(of: "t ", in: before, columns: 0..<1))
                let characters = try XCTUnwrap(position(of: "input ", in: before, columns: 0..<1))
                let forty = try XCTUnwrap(position(of: " 40 ", in: before, rows: numbers.y..<(numbers.y + 1)))
                _ = click(&state, forty.x + 1, numbers.y)
                XCTAssertEqual(state.gates.timestep, 40, "numbers row at \(size)")
                // The input character of timestep 45 is Fixtures.probeText's 46th.
                _ = click(&state, forty.x + 6, characters.y)
                XCTAssertEqual(state.gates.timestep, 45, "characters row at \(size)")
                XCTAssertEqual(state.gates.unit, unit)
                let after = Fixtures.rendered(state)
                XCTAssertEqual(after[forty.x + 6, numbers.y].character, "4", "the cursor's timestep is numbered there")
                XCTAssertEqual(after[forty.x + 7, numbers.y].character, "5")
            }
        }
    }

    func testClicksOffTheHeatmapsDoNotMoveTheCursor() throws {
        for size in Self.sizes {
            var state = Fixtures.gateState(cell: .gru, width: size.width, height: size.height)
            let before = state.gates
            let rendered = Fixtures.rendered(state)
            let heatmap = heatmapRows(rendered)
            let separator = try XCTUnwrap(heatmap.first { row in !heatmap.contains { $0.y == row.y + 1 } }).y + 1
            let sidePanel = try XCTUnwrap(position(of: "cursor", in: rendered))
            let legend = try XCTUnwrap(position(of: "scale", in: rendered))
            for (x, y) in [(10, separator), (sidePanel.x, sidePanel.y + 1), (3, heatmap[0].y), (legend.x + 8, legend.y),
                           (10, 0), (10, 1), (size.width - 1, heatmap[0].y)] {
                _ = click(&state, x, y)
            }
            XCTAssertEqual(state.gates, before, "at \(size)")
        }
    }

    func testTheWheelPagesUnitsAsPageUpAndPageDown() {
        for size in Self.sizes {
            var byMouse = Fixtures.gateState(cell: .lstm, width: size.width, height: size.height)
            var byKey = byMouse
            let firstUnit = heatmapRows(Fixtures.rendered(byMouse)).first?.unit
            _ = click(&byMouse, 30, 5, .wheelDown)
            _ = byKey.update(.key(.pageDown))
            XCTAssertEqual(byMouse.gates, byKey.gates)
            XCTAssertNotEqual(heatmapRows(Fixtures.rendered(byMouse)).first?.unit, firstUnit, "the units scrolled at \(size)")
            _ = click(&byMouse, 30, 5, .wheelUp)
            _ = byKey.update(.key(.pageUp))
            XCTAssertEqual(byMouse.gates, byKey.gates)
            XCTAssertEqual(heatmapRows(Fixtures.rendered(byMouse)).first?.unit, firstUnit)
        }
    }

    // MARK: Where the mouse does nothing

    func testTheMouseIsIgnoredOverHelpAPromptATooSmallWindowAndTheLossView() {
        var help = Fixtures.gateState(cell: .lstm)
        _ = help.update(.key(.character("?")))
        let helpBefore = help.gates
        _ = click(&help, 20, 3)
        _ = click(&help, 20, 3, .wheelDown)
        XCTAssertEqual(help.gates, helpBefore)
        XCTAssertTrue(help.isShowingHelp)

        var prompt = Fixtures.gateState(cell: .lstm)
        _ = prompt.update(.key(.character("=")))
        XCTAssertNotNil(prompt.prompt)
        let promptBefore = prompt.gates
        if let row = heatmapRows(Fixtures.rendered(prompt)).last { _ = click(&prompt, 12, row.y) }
        _ = click(&prompt, 20, 3, .wheelDown)
        XCTAssertEqual(prompt.gates, promptBefore, "a click does not interrupt typing a learning rate")
        XCTAssertNotNil(prompt.prompt)

        var small = setupState(width: 79, height: 24)
        _ = click(&small, 10, 10)
        _ = click(&small, 10, 10, .wheelDown)
        XCTAssertEqual(small.form.focus, .cell)

        var training = Fixtures.trainingState(.languageModel)
        let screen = training.screen
        XCTAssertEqual(click(&training, 10, 10), [])
        XCTAssertEqual(click(&training, 10, 10, .wheelDown), [])
        XCTAssertEqual(training.screen, screen)
    }
}
