import DisplayFormat

/// Short labels for the gate view's time axis: one per timestep, a few columns wide. The glyphs and the
/// number rules are `DisplayFormat`'s, the same the screens use.
public enum DisplayLabels {
    /// A character as it should appear on an axis: space `␣`, a line break `↵`, tab `⇥`, other controls `·`.
    public static func character(_ text: String) -> String { Glyphs.label(text) }

    /// A word, cut to `maximumLength` characters with `…`.
    public static func word(_ text: String, maximumLength: Int = 8) -> String {
        text.count <= maximumLength ? text : String(text.prefix(maximumLength - 1)) + "…"
    }

    /// A number in at most 5 columns, trailing zeros dropped: `.42`, `-1.3`, `12.5`, `22`, `1e4`.
    public static func number(_ value: Double) -> String { Format.label(value) }
}
