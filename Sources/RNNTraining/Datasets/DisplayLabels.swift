/// Short labels for the gate view's time axis: one per timestep, a few columns wide.
public enum DisplayLabels {
    /// A character as it should appear on an axis: space `␣`, newline `⏎`, tab `⇥`, other controls `·`.
    public static func character(_ text: String) -> String {
        switch text {
        case " ": "␣"
        case "\n", "\r\n": "⏎"
        case "\r": "␍"
        case "\t": "⇥"
        default:
            if let scalar = text.unicodeScalars.first, text.unicodeScalars.count == 1,
                scalar.value < 0x20 || scalar.value == 0x7F
            {
                "·"
            } else {
                text
            }
        }
    }

    /// A word, cut to `maximumLength` characters with `…`.
    public static func word(_ text: String, maximumLength: Int = 8) -> String {
        text.count <= maximumLength ? text : String(text.prefix(maximumLength - 1)) + "…"
    }

    /// A number in at most 5 columns, trailing zeros dropped: `.42`, `-1.3`, `12.5`, `22`, `1e4`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        let magnitude = abs(value)
        if magnitude >= 1000 {
            let exponent = Int((magnitude).log10Floor)
            let mantissa = Int((magnitude / pow10(exponent)).rounded())
            return (value < 0 ? "-" : "") + "\(mantissa)e\(exponent)"
        }
        let decimals = magnitude >= 100 ? 0 : (magnitude >= 10 ? 1 : 2)
        var text = fixed(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text.hasPrefix("0.") { text.removeFirst() } else if text.hasPrefix("-0.") { text.remove(at: text.index(after: text.startIndex)) }
        return text
    }

    /// `value` with exactly `decimals` digits after the point, without Foundation's formatter.
    static func fixed(_ value: Double, decimals: Int) -> String {
        let scale = pow10(decimals)
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled) - whole * Int(scale)
        var text = (value < 0 && scaled > 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return text
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}

extension Double {
    /// ⌊log10(self)⌋ for self ≥ 1.
    fileprivate var log10Floor: Double {
        var exponent = 0.0
        var value = self
        while value >= 10 { value /= 10; exponent += 1 }
        return exponent
    }
}
