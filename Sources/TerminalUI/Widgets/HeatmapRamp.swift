/// Turns a heatmap value into a cell for the terminal's colors:
/// - 256 colors: `█` on a perceptual ramp (viridis-like for 0…1 gates, blue–white–red for ±values);
/// - 8 colors: a short ramp of basic colors with shade characters;
/// - no color: the shades ` ░▒▓█` from low to high.
public enum HeatmapRamp {
    /// Viridis-like: dark purple → blue → teal → green → yellow (xterm-256 indices).
    public static let sequential256: [UInt8] = [53, 54, 55, 61, 25, 31, 37, 36, 72, 77, 113, 149, 184, 220, 226]
    /// Blue → white → red, symmetric around the middle entry (231, white).
    public static let diverging256: [UInt8] = [19, 21, 27, 33, 75, 117, 153, 189, 231, 224, 217, 210, 203, 196, 160, 124, 88]
    public static let sequential8: [(color: UInt8, character: Character)] = [
        (4, "░"), (4, "▒"), (4, "▓"), (6, "▓"), (2, "▓"), (2, "█"), (3, "▓"), (3, "█"),
    ]
    public static let diverging8: [(color: UInt8, character: Character)] = [
        (4, "█"), (4, "▓"), (4, "▒"), (4, "░"), (7, "·"), (1, "░"), (1, "▒"), (1, "▓"), (1, "█"),
    ]
    public static let shades: [Character] = [" ", "░", "▒", "▓", "█"]

    /// The cell for `value` on `scale`; NaN shows as `?`.
    public static func cell(_ value: Float, scale: HeatmapScale, mode: ColorMode) -> Cell {
        guard let position = scale.position(value) else { return Cell("?") }
        return cell(position: position, diverging: scale.isDiverging, mode: mode)
    }

    /// The cell at `position` (0…1) along the ramp.
    public static func cell(position: Float, diverging: Bool, mode: ColorMode) -> Cell {
        func index(_ count: Int) -> Int { min(count - 1, max(0, Int((position * Float(count - 1)).rounded()))) }
        switch mode {
        case .palette256:
            let ramp = diverging ? diverging256 : sequential256
            return Cell("█", style: CellStyle(foreground: .indexed(ramp[index(ramp.count)])))
        case .basic8:
            let ramp = diverging ? diverging8 : sequential8
            let entry = ramp[index(ramp.count)]
            return Cell(entry.character, style: CellStyle(foreground: .basic(entry.color)))
        case .none:
            return Cell(shades[index(shades.count)])
        }
    }
}
