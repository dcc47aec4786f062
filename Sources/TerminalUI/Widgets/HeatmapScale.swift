import DisplayFormat

/// How a heatmap maps values to colors.
public enum HeatmapScale: Sendable, Equatable {
    /// low…high on a sequential ramp (sigmoid gates: 0…1).
    case sequential(low: Float, high: Float)
    /// −limit…+limit on a diverging ramp centred on 0 (tanh values: ±1).
    case diverging(limit: Float)

    /// The value's position on the ramp, 0…1 (clamped); nil for NaN.
    public func position(_ value: Float) -> Float? {
        guard !value.isNaN else { return nil }
        switch self {
        case .sequential(let low, let high):
            let span = high - low
            return span > 0 ? min(1, max(0, (value - low) / span)) : 0.5
        case .diverging(let limit):
            return limit > 0 ? min(1, max(0, (value / limit + 1) / 2)) : 0.5
        }
    }

    public var isDiverging: Bool {
        if case .diverging = self { return true }
        return false
    }

    /// The two ends as a legend writes them.
    public var endLabels: (low: String, high: String) {
        switch self {
        case .sequential(let low, let high): (Format.trimmed(Double(low), digits: 2), Format.trimmed(Double(high), digits: 2))
        case .diverging(let limit): ("-" + Format.trimmed(Double(limit), digits: 2), "+" + Format.trimmed(Double(limit), digits: 2))
        }
    }
}
