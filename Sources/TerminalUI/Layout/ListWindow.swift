/// The rows of a long list that fit in `height` screen rows, scrolled as little as possible to keep the selected one
/// in view, and the list index under a screen row: one function for the screen that draws the list and for the mouse
/// that clicks it (the runs browser's list; any selectable list).
///
///     let window = ListWindow(count: entries.count, selection: selection, top: 3, height: listHeight)
///     for index in window.shown { draw(entries[index], y: window.y(of: index)) }
///     if let index = window.index(atRow: click.y) { selection = index }
public struct ListWindow: Sendable, Equatable {
    /// The first screen row of the list.
    public var top: Int
    /// Screen rows the list has.
    public var height: Int
    /// The index drawn on `top`.
    public var first: Int
    public var count: Int

    /// - selection: kept on screen (the window ends on it when it is below the first page).
    public init(count: Int, selection: Int, top: Int, height: Int) {
        self.count = max(0, count)
        self.top = top
        self.height = max(0, height)
        first = max(0, min(selection - self.height + 1, self.count - self.height))
    }

    /// The indices drawn, top to bottom.
    public var shown: Range<Int> { first..<min(count, first + height) }

    /// The screen row of list index `index` (only meaningful for an index in `shown`).
    public func y(of index: Int) -> Int { top + index - first }

    /// The list index drawn on screen row `y`, nil above, below or past the list's end.
    public func index(atRow y: Int) -> Int? {
        let index = first + y - top
        return y >= top && y < top + height && shown.contains(index) ? index : nil
    }
}
