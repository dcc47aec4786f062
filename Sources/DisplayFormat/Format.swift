import Foundation

/// The one home of number and duration formatting: the notebook's screens, the toolkit's axes, the
/// headless commands' progress lines and the datasets' labels all use these rules (short, fixed,
/// locale-independent).
public enum Format {
    /// 1234567 → "1,234,567".
    public static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// 12345 → "12.3k", 2_500_000 → "2.5M", 950 → "950".
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let magnitude = abs(value)
        if magnitude >= 1e9 { return decimal(value / 1e9, digits: 1) + "G" }
        if magnitude >= 1e6 { return decimal(value / 1e6, digits: 1) + "M" }
        if magnitude >= 1e4 { return decimal(value / 1e3, digits: 1) + "k" }
        if magnitude >= 100 { return String(Int(value.rounded())) }
        return significant(value)
    }

    /// A step count on an axis: 0, 500, 2.5k, 10k, 1.2M.
    public static func step(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e6 { return trimmed(value / 1e6, digits: 1) + "M" }
        if magnitude >= 1e3 { return trimmed(value / 1e3, digits: 1) + "k" }
        return String(Int(value.rounded()))
    }

    /// Fixed decimals.
    public static func decimal(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.\(digits)f", value)
    }

    /// Fixed decimals without trailing zeros: 2.50 → "2.5", 3.0 → "3".
    public static func trimmed(_ value: Double, digits: Int) -> String {
        var text = decimal(value, digits: digits)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// Three significant digits, plain or scientific: 0.002, 1.23, 123, 1.2e-05.
    public static func significant(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.3g", value)
    }

    /// A loss or metric value: 4 significant digits in a short form.
    public static func loss(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let magnitude = abs(value)
        if magnitude == 0 { return "0" }
        if magnitude >= 1000 { return String(format: "%.3g", value) }
        if magnitude >= 100 { return decimal(value, digits: 1) }
        if magnitude >= 10 { return decimal(value, digits: 2) }
        if magnitude >= 0.01 { return decimal(value, digits: 3) }
        return String(format: "%.2e", value)
    }

    public static func learningRate(_ value: Float) -> String { String(format: "%.3g", Double(value)) }

    /// Seconds as "45s", "4m12s", "2h05m".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "—" }
        if seconds >= 100 * 3600 { return ">99h" }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" + String(format: "%02d", total % 60) + "s" }
        return "\(total / 3600)h" + String(format: "%02d", (total % 3600) / 60) + "m"
    }

    /// A fraction as a percentage: 0.8123 → "81.2%".
    public static func percent(_ fraction: Double) -> String { decimal(fraction * 100, digits: 1) + "%" }

    /// A fraction as a whole percentage: 0.243 → "24%".
    public static func wholePercent(_ fraction: Double) -> String {
        fraction.isFinite ? String(Int((min(10, max(0, fraction)) * 100).rounded(.down))) + "%" : "—"
    }

    /// An axis label in at most 6 columns: 4.41, 0.075, 0.0034, 3e-05, 12.5, 1.2k.
    public static func axis(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : "inf" }
        let magnitude = abs(value)
        if magnitude == 0 { return "0" }
        if magnitude >= 1000 { return compact(value) }
        if magnitude >= 100 { return decimal(value, digits: 0) }
        if magnitude >= 10 { return decimal(value, digits: 1) }
        if magnitude >= 1 { return decimal(value, digits: 2) }
        if magnitude >= 0.01 { return decimal(value, digits: 3) }
        if magnitude >= 0.001 { return decimal(value, digits: 4) }
        return String(format: "%.0e", value)
    }

    /// A number in at most 5 columns for a timestep label, trailing zeros and a leading zero dropped:
    /// `.42`, `-1.3`, `12.5`, `22`, `1e4`.
    public static func label(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        let magnitude = abs(value)
        if magnitude >= 1000 {
            var exponent = 0
            var scaled = magnitude
            while scaled >= 10 { scaled /= 10; exponent += 1 }
            return (value < 0 ? "-" : "") + "\(Int(scaled.rounded()))e\(exponent)"
        }
        var text = trimmed(value, digits: magnitude >= 100 ? 0 : (magnitude >= 10 ? 1 : 2))
        if text == "-0" { text = "0" }
        if text.hasPrefix("0.") { text.removeFirst() } else if text.hasPrefix("-0.") { text.remove(at: text.index(after: text.startIndex)) }
        return text
    }

    /// `text` padded with spaces (or cut) to exactly `width` columns.
    public static func padded(_ text: String, _ width: Int) -> String {
        let width = max(0, width)
        if text.count >= width { return String(text.prefix(width)) }
        return text + String(repeating: " ", count: width - text.count)
    }

    /// `text` right-aligned in `width` columns (cut from the left when too long).
    public static func rightAligned(_ text: String, _ width: Int) -> String {
        let width = max(0, width)
        if text.count >= width { return String(text.suffix(width)) }
        return String(repeating: " ", count: width - text.count) + text
    }
}
