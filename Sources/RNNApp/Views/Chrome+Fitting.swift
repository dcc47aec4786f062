extension Chrome {
    /// `parts` joined by `separator`, keeping whole parts from the first while they fit in `width`
    /// columns, so an info line loses its last facts instead of being cut mid-number.
    static func fitting(_ parts: [String], width: Int, separator: String = " · ", prefix: String = " ") -> String {
        var text = prefix
        for (index, part) in parts.enumerated() {
            let addition = (index == 0 ? "" : separator) + part
            guard text.count + addition.count <= width else { break }
            text += addition
        }
        return text
    }
}
