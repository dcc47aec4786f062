import CNcursesw
import TerminalUI

/// Curses color pairs allocated on first use and cached by (foreground, background) color numbers.
///
/// Pair 0 is the terminal's default colors. When the terminal's pairs run out (`COLOR_PAIRS`, 65536 under
/// xterm-256color, 64 under xterm) further combinations draw with pair 0. Under `.basic8` two fixes keep text
/// readable: a foreground that only became black by approximation (indexed dark grays) uses the default foreground,
/// and a foreground equal to its background flips to black or white.
struct ColorPairTable {
    let mode: ColorMode
    /// Whether -1 (the terminal's default color) is allowed in a pair (`use_default_colors` succeeded).
    let defaultColorsAvailable: Bool
    /// Pairs 1..<pairLimit may be allocated.
    let pairLimit: Int32

    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1

    private struct PairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    init(mode: ColorMode, defaultColorsAvailable: Bool, colorPairCount: Int32) {
        self.mode = mode
        self.defaultColorsAvailable = defaultColorsAvailable
        self.pairLimit = min(max(colorPairCount, 1), 65536)
    }

    /// The pair for `style`'s colors, allocating it on first use; 0 under `.none`. Cost: one hash lookup.
    mutating func pair(for style: CellStyle) -> Int32 {
        if mode == .none { return 0 }
        var foreground = style.foreground.cursesColorNumber(in: mode)
        var background = style.background.cursesColorNumber(in: mode)
        if mode == .basic8 {
            if case .indexed = style.foreground, foreground == 0 { foreground = -1 }
            if foreground == background, foreground >= 0 { foreground = background == 0 ? 7 : 0 }
        }
        if !defaultColorsAvailable {
            if foreground < 0 { foreground = 7 }
            if background < 0 { background = 0 }
        }
        if foreground < 0 && background < 0 { return 0 }
        let key = PairKey(foreground: foreground, background: background)
        if let pair = pairs[key] { return pair }
        guard nextPair < pairLimit else { return 0 }
        let pair = nextPair
        let allocated = init_extended_pair(pair, foreground, background) != ERR
        if allocated { nextPair += 1 }
        pairs[key] = allocated ? pair : 0
        return allocated ? pair : 0
    }
}

extension CellStyle {
    /// The curses attributes (bold, reverse, underline, dim) of this style; kept in every color mode.
    var cursesAttributes: attr_t {
        var attributes = cn_attribute_normal()
        if bold { attributes |= cn_attribute_bold() }
        if reverse { attributes |= cn_attribute_reverse() }
        if underline { attributes |= cn_attribute_underline() }
        if dim { attributes |= cn_attribute_dim() }
        return attributes
    }
}
