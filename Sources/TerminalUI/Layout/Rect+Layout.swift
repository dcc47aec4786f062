/// Carving a rectangle into parts, so screens say "the bottom 3 rows" instead of adding offsets by hand.
extension Rect {
    /// The rectangle shrunk by `horizontal` columns on each side and `vertical` rows top and bottom.
    public func inset(horizontal: Int = 0, vertical: Int = 0) -> Rect {
        Rect(x: x + horizontal, y: y + vertical, width: width - 2 * horizontal, height: height - 2 * vertical)
    }

    /// The first `count` rows (all of them when there are fewer).
    public func top(_ count: Int) -> Rect { Rect(x: x, y: y, width: width, height: min(height, count)) }

    /// The last `count` rows.
    public func bottom(_ count: Int) -> Rect {
        let rows = min(height, max(0, count))
        return Rect(x: x, y: maxY - rows, width: width, height: rows)
    }

    /// The first `count` columns.
    public func leading(_ count: Int) -> Rect { Rect(x: x, y: y, width: min(width, count), height: height) }

    /// The last `count` columns.
    public func trailing(_ count: Int) -> Rect {
        let columns = min(width, max(0, count))
        return Rect(x: maxX - columns, y: y, width: columns, height: height)
    }

    /// One row, `offset` rows down from the top.
    public func row(_ offset: Int) -> Rect { Rect(x: x, y: y + offset, width: width, height: 1) }

    /// Splits the rectangle along `axis` by `constraints`, in order: fixed lengths first, then the rest
    /// shared evenly by the `.fill` parts (ratatui's `Layout`). Parts past the end are empty.
    public func split(_ axis: Axis, _ constraints: [LayoutConstraint]) -> [Rect] {
        let total = axis == .horizontal ? width : height
        let fixed = constraints.reduce(0) { sum, constraint in
            if case .fixed(let length) = constraint { return sum + max(0, length) }
            return sum
        }
        let fillCount = constraints.filter { $0 == .fill }.count
        let spare = max(0, total - fixed)
        var offset = 0
        var fillsSeen = 0
        return constraints.map { constraint in
            var length: Int
            switch constraint {
            case .fixed(let value):
                length = max(0, value)
            case .fill:
                length = spare / max(1, fillCount) + (fillsSeen < spare % max(1, fillCount) ? 1 : 0)
                fillsSeen += 1
            }
            length = max(0, min(length, total - offset))
            defer { offset += length }
            return axis == .horizontal
                ? Rect(x: x + offset, y: y, width: length, height: height)
                : Rect(x: x, y: y + offset, width: width, height: length)
        }
    }

    public enum Axis: Sendable { case horizontal, vertical }
}

/// How much of a split a part takes.
public enum LayoutConstraint: Sendable, Equatable {
    /// Exactly this many columns (or rows), if there is room.
    case fixed(Int)
    /// An even share of what the fixed parts leave.
    case fill
}
