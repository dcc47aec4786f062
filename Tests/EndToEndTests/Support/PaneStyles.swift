/// The colors of every visible character in a `tmux capture-pane -e` screen, read from its SGR escapes.
///
/// Colors are kept as tmux writes them: `basic(n)` for 30-37/40-47, `bright(n)` for 90-97/100-107, `indexed(n)`
/// for 38;5;n / 48;5;n, `rgb` for 38;2;r;g;b. Bold (1) and reverse (7) are recorded too.
struct PaneStyles {
    enum Color: Hashable {
        case basic(Int)
        case bright(Int)
        case indexed(Int)
        case rgb(Int, Int, Int)
    }

    struct StyledCharacter {
        let character: Character
        let row: Int
        let foreground: Color?
        let background: Color?
        let bold: Bool
        let reverse: Bool
    }

    /// Every non-space character (and every space with a background color), in screen order.
    private(set) var characters: [StyledCharacter] = []
    /// Number of SGR sequences seen.
    private(set) var sequenceCount = 0

    init(capture: String) {
        var foreground: Color?
        var background: Color?
        var bold = false
        var reverse = false
        var row = 0
        let scalars = Array(capture.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}", index + 1 < scalars.count, scalars[index + 1] == "[" {
                var end = index + 2
                while end < scalars.count, !(0x40...0x7E).contains(scalars[end].value) { end += 1 }
                if end < scalars.count, scalars[end] == "m" {
                    sequenceCount += 1
                    let text = String(String.UnicodeScalarView(scalars[(index + 2)..<end]))
                    var parameters = text.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                    if parameters.isEmpty { parameters = [0] }
                    var position = 0
                    while position < parameters.count {
                        let code = parameters[position]
                        switch code {
                        case 0: foreground = nil; background = nil; bold = false; reverse = false
                        case 1: bold = true
                        case 22: bold = false
                        case 7: reverse = true
                        case 27: reverse = false
                        case 30...37: foreground = .basic(code - 30)
                        case 39: foreground = nil
                        case 40...47: background = .basic(code - 40)
                        case 49: background = nil
                        case 90...97: foreground = .bright(code - 90)
                        case 100...107: background = .bright(code - 100)
                        case 38, 48:
                            var color: Color?
                            if position + 2 < parameters.count, parameters[position + 1] == 5 {
                                color = .indexed(parameters[position + 2])
                                position += 2
                            } else if position + 4 < parameters.count, parameters[position + 1] == 2 {
                                color = .rgb(parameters[position + 2], parameters[position + 3], parameters[position + 4])
                                position += 4
                            }
                            if code == 38 { foreground = color } else { background = color }
                        default: break
                        }
                        position += 1
                    }
                }
                index = end + 1
                continue
            }
            if scalar == "\n" {
                row += 1
            } else if scalar != " " || background != nil {
                characters.append(StyledCharacter(
                    character: Character(scalar), row: row, foreground: foreground, background: background,
                    bold: bold, reverse: reverse))
            }
            index += 1
        }
    }

    /// Foreground colors used on `row`.
    func foregrounds(onRow row: Int) -> Set<Color> {
        Set(characters.filter { $0.row == row }.compactMap(\.foreground))
    }

    /// Characters drawn in the same foreground and background color (invisible).
    var invisibleCharacters: [StyledCharacter] {
        characters.filter { $0.character != " " && $0.foreground != nil && $0.foreground == $0.background }
    }

    /// Whether any character has a color at all.
    var hasColors: Bool { characters.contains { $0.foreground != nil || $0.background != nil } }
}
