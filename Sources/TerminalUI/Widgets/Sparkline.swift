/// A one-row bar chart of the newest values with block characters ▁▂▃▄▅▆▇█, scaled from 0 to the
/// largest value shown. Values above `threshold` (a clip norm, say) are drawn in `highlightStyle`.
public struct Sparkline: Widget {
    public static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public var values: [Double]
    public var style: CellStyle
    public var threshold: Double?
    public var highlightStyle: CellStyle

    public init(values: [Double], style: CellStyle, threshold: Double? = nil, highlightStyle: CellStyle) {
        self.values = values
        self.style = style
        self.threshold = threshold
        self.highlightStyle = highlightStyle
    }

    /// Draws the last `area.width` values right-aligned on the area's top row. Cost O(width).
    public func render(in area: Rect, into buffer: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let shown = values.suffix(area.width)
        let maximum = shown.filter(\.isFinite).max() ?? 0
        var column = area.x + area.width - shown.count
        for value in shown {
            buffer.set(column, area.y, Self.block(value, maximum: maximum),
                       style: (threshold.map { value > $0 } ?? false) || !value.isFinite ? highlightStyle : style)
            column += 1
        }
    }

    /// The block for `value` on a 0…maximum scale; `!` for a non-finite value.
    public static func block(_ value: Double, maximum: Double) -> Character {
        guard value.isFinite else { return "!" }
        guard maximum > 0 else { return blocks[0] }
        let level = Int((max(0, value) / maximum * Double(blocks.count - 1)).rounded())
        return blocks[min(blocks.count - 1, level)]
    }
}
