import TerminalUI

extension TerminalColor {
    /// The curses color number for this color on a terminal that shows `mode`; -1 is the terminal's default.
    /// `.palette256`: basic and indexed colors as they are. `.basic8`: indexed colors become the nearest basic color
    /// (`nearestBasicColor`). `.none`: always -1.
    func cursesColorNumber(in mode: ColorMode) -> Int32 {
        switch (self, mode) {
        case (_, .none), (.default, _):
            return -1
        case (.basic(let number), _):
            return Int32(number % 8)
        case (.indexed(let index), .palette256):
            return Int32(index)
        case (.indexed(let index), .basic8):
            return Int32(TerminalColor.nearestBasicColor(toIndex: index))
        }
    }

    /// The xterm-256 palette entry as (red, green, blue) in 0...255.
    static func xtermRGB(ofIndex index: UInt8) -> (red: Int, green: Int, blue: Int) {
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
            (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        let value = Int(index)
        if value < 16 { return basic[value] }
        if value >= 232 {
            let level = 8 + 10 * (value - 232)
            return (level, level, level)
        }
        let cubeLevels = [0, 95, 135, 175, 215, 255]
        let cube = value - 16
        return (cubeLevels[cube / 36], cubeLevels[(cube / 6) % 6], cubeLevels[cube % 6])
    }

    /// The basic color (0 black … 7 white) closest in hue to xterm-256 entry `index`: 0-7 as they are, 8-15 their
    /// dim twins; grays go to black or white by lightness; other colors keep each channel at least half as strong
    /// as the strongest (so dark blue stays blue rather than black). Cost: a few integer operations.
    static func nearestBasicColor(toIndex index: UInt8) -> UInt8 {
        if index < 8 { return index }
        if index < 16 { return index - 8 }
        let (red, green, blue) = xtermRGB(ofIndex: index)
        let strongest = max(red, green, blue)
        let weakest = min(red, green, blue)
        if strongest - weakest < 48 {
            return (red + green + blue) / 3 < 100 ? 0 : 7
        }
        var color: UInt8 = 0
        if red * 2 > strongest { color |= 1 }
        if green * 2 > strongest { color |= 2 }
        if blue * 2 > strongest { color |= 4 }
        return color
    }
}
