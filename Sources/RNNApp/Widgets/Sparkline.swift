/// A one-row bar chart of the newest values with block characters ▁▂▃▄▅▆▇█, scaled from 0 to the
/// largest value shown. Values above `threshold` (the clip norm) are drawn in `highlightStyle`.
struct Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    var values: [Double]
    var style: CellStyle
    var threshold: Double?
    var highlightStyle: CellStyle

    /// Draws the last `width` values right-aligned at (x, y). Cost O(width).
    func render(x: Int, y: Int, width: Int, into buffer: inout CellBuffer) {
        let shown = values.suffix(width)
        let maximum = shown.filter(\.isFinite).max() ?? 0
        var column = x + width - shown.count
        for value in shown {
            buffer.set(column, y, Self.block(value, maximum: maximum),
                       style: (threshold.map { value > $0 } ?? false) || !value.isFinite ? highlightStyle : style)
            column += 1
        }
    }

    /// The block for `value` on a 0…maximum scale; `!` for a non-finite value.
    static func block(_ value: Double, maximum: Double) -> Character {
        guard value.isFinite else { return "!" }
        guard maximum > 0 else { return blocks[0] }
        let level = Int((max(0, value) / maximum * Double(blocks.count - 1)).rounded())
        return blocks[min(blocks.count - 1, level)]
    }
}
