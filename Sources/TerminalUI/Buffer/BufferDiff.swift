/// The cells that changed between two frames: what a backend must redraw. A frame of another size
/// (or the first frame) changes every cell. Pure, so it is tested without a terminal.
public enum BufferDiff {
    /// Calls `body(x, y, cell)` for each cell of `current` inside `visible` (the terminal's size, when
    /// it is smaller than the buffer) that differs from `previous`, row by row.
    /// Returns false when `previous` was nil or of another size (the backend should clear first).
    /// Cost: O(visible cells) comparisons.
    @discardableResult
    public static func forEachChange(
        from previous: CellBuffer?, to current: CellBuffer, visibleWidth: Int? = nil, visibleHeight: Int? = nil,
        _ body: (_ x: Int, _ y: Int, _ cell: Cell) -> Void
    ) -> Bool {
        let comparable = previous.map { $0.width == current.width && $0.height == current.height } ?? false
        let width = min(current.width, visibleWidth ?? current.width)
        let height = min(current.height, visibleHeight ?? current.height)
        for row in 0..<max(0, height) {
            for column in 0..<max(0, width) {
                let cell = current[column, row]
                if comparable, let previous, previous[column, row] == cell { continue }
                body(column, row, cell)
            }
        }
        return comparable
    }

    /// The changed cells as a list (for tests and small frames).
    public static func changes(from previous: CellBuffer?, to current: CellBuffer) -> [(x: Int, y: Int, cell: Cell)] {
        var result: [(x: Int, y: Int, cell: Cell)] = []
        forEachChange(from: previous, to: current) { result.append(($0, $1, $2)) }
        return result
    }
}
