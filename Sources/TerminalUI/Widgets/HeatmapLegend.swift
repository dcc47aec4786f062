/// One row that explains the colors: after `prefix`, for each scale in use the names drawn on it, the low
/// end, a short ramp and the high end ("i f o 0 ▕████▏ 1"). Groups that do not fit are left out whole.
/// Cost: O(width).
public struct HeatmapLegend: Widget {
    public struct Styles: Sendable {
        public var prefix: CellStyle
        public var names: CellStyle
        public var ends: CellStyle

        public init(prefix: CellStyle, names: CellStyle, ends: CellStyle) {
            self.prefix = prefix
            self.names = names
            self.ends = ends
        }
    }

    /// The scales in first-use order, each with the names of the maps drawn on it.
    public var groups: [(scale: HeatmapScale, names: [String])]
    public var mode: ColorMode
    public var styles: Styles
    public var prefix = " scale "
    public var rampWidth = 9

    /// Groups `entries` (a map's name and its scale) by scale, keeping first-use order.
    public init(_ entries: [(name: String, scale: HeatmapScale)], mode: ColorMode, styles: Styles) {
        var groups: [(scale: HeatmapScale, names: [String])] = []
        for entry in entries {
            if let index = groups.firstIndex(where: { $0.scale == entry.scale }) {
                groups[index].names.append(entry.name)
            } else {
                groups.append((entry.scale, [entry.name]))
            }
        }
        self.groups = groups
        self.mode = mode
        self.styles = styles
    }

    public func render(in area: Rect, into buffer: inout CellBuffer) {
        guard !area.isEmpty else { return }
        let y = area.y
        var x = area.x + buffer.write(prefix, x: area.x, y: y, style: styles.prefix)
        for group in groups {
            let ends = group.scale.endLabels
            let names = group.names.joined(separator: " ")
            let needed = names.count + ends.low.count + ends.high.count + rampWidth + 6
            guard x + needed < area.maxX else { break }
            x += buffer.write(names + " ", x: x, y: y, style: styles.names)
            x += buffer.write(ends.low + " ", x: x, y: y, style: styles.ends)
            for index in 0..<rampWidth {
                let position = Float(index) / Float(rampWidth - 1)
                let cell = HeatmapRamp.cell(position: position, diverging: group.scale.isDiverging, mode: mode)
                buffer.set(x, y, cell.character, style: cell.style)
                x += 1
            }
            x += buffer.write(" " + ends.high + "   ", x: x, y: y, style: styles.ends)
        }
    }
}
