/// Where the setup screen puts its form: the group headings and one row per field, the marker, label and value
/// columns. One home for that geometry, read by `SetupView.render` and by the mouse (`AppState.handleSetupMouse`),
/// so a click lands on the field that was drawn there.
///
///     x: 1 group heading · 2 "▸" · 3 label (labelWidth) · valueX value (valueWidth, a choice as "◂ value ▸")
enum SetupLayout {
    static let labelWidth = 18
    /// Columns of the form; the side panel starts two columns to its right.
    static let formWidth = 50
    static let formTop = 1
    static let headingX = 1
    static let markerX = 2
    static let labelX = 3
    static let valueX = labelX + labelWidth + 1
    static let valueWidth = formWidth - valueX
    /// Columns at the value's left that step a choice back (its "◂ "); the rest of the value steps it forward.
    static let decreaseWidth = 2

    enum Row: Equatable {
        case heading(String)
        case field(SetupField)
    }

    /// Every row of the form from `formTop` down: a heading above the first field of each group, then the field.
    static let rows: [Row] = {
        var rows: [Row] = []
        var group = ""
        for field in SetupField.allCases {
            if field.group != group {
                group = field.group
                rows.append(.heading(group))
            }
            rows.append(.field(field))
        }
        return rows
    }()

    /// The screen row of `field`.
    static func y(of field: SetupField) -> Int {
        formTop + (rows.firstIndex(of: .field(field)) ?? 0)
    }

    /// What a click at (x, y) points at on the form.
    enum Target: Equatable {
        /// The field's row (its marker, label, or the value of a field whose arrows are not shown).
        case field(SetupField)
        /// The "◂ " of the focused choice: one step back.
        case previousChoice(SetupField)
        /// The rest of the focused choice's value, "▸" included: one step forward.
        case nextChoice(SetupField)
    }

    /// The form row under (x, y), nil outside the form (headings, side panel, the lines at the bottom).
    /// - showsArrows: whether a field is drawn as "◂ value ▸" (`SetupForm.showsChoiceArrows`).
    static func target(x: Int, y: Int, showsArrows: (SetupField) -> Bool) -> Target? {
        let index = y - formTop
        guard rows.indices.contains(index), case .field(let field) = rows[index],
              (markerX..<formWidth).contains(x) else { return nil }
        guard x >= valueX, showsArrows(field) else { return .field(field) }
        return x < valueX + decreaseWidth ? .previousChoice(field) : .nextChoice(field)
    }
}
