/// Where the setup screen puts its form: the group headings and one row per visible field, scrolled so the focused
/// field shows, and the marker, label and value columns. One home for that geometry, built from the form and the
/// screen's height by `SetupView.render` and by the mouse (`AppState.handleSetupMouse`), so a click lands on the
/// field that was drawn there.
///
///     x: 1 group heading · 2 "▸" · 3 label (labelWidth) · valueX value (valueWidth, a choice as "◂ value ▸")
struct SetupLayout {
    static let labelWidth = 18
    /// Columns of the form; the side panel starts two columns to its right.
    static let formWidth = 50
    static let formTop = 1
    static let headingX = 1
    static let markerX = 2
    static let labelX = 3
    static let valueX = labelX + labelWidth + 1
    /// The value's columns; the form's last column holds the ▲ ▼ scroll marks.
    static let valueWidth = formWidth - valueX - 1
    /// Columns at the value's left that step a choice back (its "◂ "); the rest of the value steps it forward.
    static let decreaseWidth = 2

    /// One row of the form: a group heading or a field.
    enum Row: Equatable {
        case heading(String)
        case field(SetupField)
    }

    /// Every row of the form: a heading above the first visible field of each group, then the field.
    let rows: [Row]
    /// Rows the screen has for the form (between the header and the description lines).
    let height: Int
    /// The first row shown: the focused field sits in the window (centred when the form is taller than the window).
    let scrollOffset: Int

    /// - screenHeight: the whole screen's rows (the form gets all but the header and the 4 lines at the bottom).
    init(form: SetupForm, screenHeight: Int) {
        var rows: [Row] = []
        var group = ""
        for field in form.visibleFields {
            if field.group != group {
                group = field.group
                rows.append(.heading(group))
            }
            rows.append(.field(field))
        }
        self.rows = rows
        height = max(0, screenHeight - 4 - Self.formTop)
        if rows.count > height, let index = rows.firstIndex(of: .field(form.focus)) {
            scrollOffset = min(rows.count - height, max(0, index - height / 2))
        } else {
            scrollOffset = 0
        }
    }

    /// The rows drawn, with their screen row.
    var shownRows: [(y: Int, row: Row)] {
        rows.dropFirst(scrollOffset).prefix(height).enumerated().map { (Self.formTop + $0.offset, $0.element) }
    }

    /// Rows are scrolled off above (▲) or below (▼).
    var hasRowsAbove: Bool { scrollOffset > 0 }
    var hasRowsBelow: Bool { scrollOffset + height < rows.count }

    /// What a click at (x, y) points at on the form.
    enum Target: Equatable {
        /// The field's row (its marker, label, or the value of a field whose arrows are not shown).
        case field(SetupField)
        /// The "◂ " of the focused choice: one step back.
        case previousChoice(SetupField)
        /// The rest of the focused choice's value, "▸" included: one step forward.
        case nextChoice(SetupField)
    }

    /// The form row under (x, y), nil outside the form (headings, scroll marks, side panel, the lines at the bottom).
    /// - showsArrows: whether a field is drawn as "◂ value ▸" (`SetupForm.showsChoiceArrows`).
    func target(x: Int, y: Int, showsArrows: (SetupField) -> Bool) -> Target? {
        let index = y - Self.formTop
        guard (0..<height).contains(index), rows.indices.contains(scrollOffset + index),
              case .field(let field) = rows[scrollOffset + index],
              (Self.markerX..<(Self.valueX + Self.valueWidth)).contains(x) else { return nil }
        guard x >= Self.valueX, showsArrows(field) else { return .field(field) }
        return x < Self.valueX + Self.decreaseWidth ? .previousChoice(field) : .nextChoice(field)
    }
}
