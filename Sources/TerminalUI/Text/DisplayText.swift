import DisplayFormat

/// Makes outside text (dataset labels, paths, trainer messages) safe for one-column-per-character cells,
/// with the stand-ins of `Glyphs`.
public enum DisplayText {
    /// Replaces control characters, wide (East Asian, emoji) and combining characters with a visible
    /// one-column stand-in, so each Character takes exactly one cell.
    public static func sanitized(_ text: String) -> String {
        String(text.map(cellCharacter))
    }

    /// A one-column character for any Character: the `Glyphs` stand-in of a line break, tab or control,
    /// `·` for a wide or combining one.
    public static func cellCharacter(_ character: Character) -> Character {
        if let standIn = Glyphs.standIn(for: character) { return standIn }
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else {
            return Glyphs.other
        }
        if isWide(scalar.value) || scalar.properties.generalCategory == .nonspacingMark { return Glyphs.other }
        return character
    }

    /// The first character of a timestep label as it stands on the time axis (space shows as `␣`).
    public static func axisCharacter(_ label: String) -> Character {
        guard let first = label.first else { return " " }
        if first == " " { return Glyphs.visibleSpace }
        return cellCharacter(first)
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            true
        default:
            false
        }
    }
}
