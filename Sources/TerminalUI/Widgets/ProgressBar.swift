/// A horizontal bar: `█` for the part done, `░` for the rest.
public enum ProgressBar {
    /// The bar as text, `width` cells; fractions outside 0…1 are clamped, a non-finite one is 0.
    public static func text(_ fraction: Double, width: Int) -> String {
        let width = max(0, width)
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let done = Int((clamped * Double(width)).rounded(.down))
        return String(repeating: "█", count: done) + String(repeating: "░", count: max(0, width - done))
    }
}
