/// Something that draws itself into a rectangle of a cell buffer: every chart, map, table and text block
/// of the toolkit, and every screen built from them. A widget draws only inside `area` (cells outside the
/// buffer are ignored by `CellBuffer.set`), keeps no terminal state and is cheap to build once per frame.
public protocol Widget {
    /// Draws into `area` of `buffer`. Cost is the widget's to document; most are O(area cells).
    func render(in area: Rect, into buffer: inout CellBuffer)
}

extension CellBuffer {
    /// Renders `widget` into `area` (the whole buffer when omitted).
    public mutating func render(_ widget: some Widget, in area: Rect? = nil) {
        widget.render(in: area ?? self.area, into: &self)
    }
}
