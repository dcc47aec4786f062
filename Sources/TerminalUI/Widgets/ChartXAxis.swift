import DisplayFormat

/// What the x axis of a chart counts, and how its tick labels read.
public enum ChartXAxis: Sendable, CaseIterable, Equatable {
    case steps, tokens, time
    /// A sequence's timesteps (gradient flow) or positions (a forecast's windows): not in the cycle.
    case timesteps

    /// The axis name written under the y labels.
    public var title: String {
        switch self {
        case .steps: "steps"
        case .tokens: "tokens"
        case .time: "time"
        case .timesteps: "t"
        }
    }

    /// A tick label: 2.5k steps, 1.2M tokens, 4m12s.
    public func tickLabel(_ value: Double) -> String {
        switch self {
        case .steps: Format.step(value)
        case .tokens: Format.step(value)
        case .time: Format.duration(value)
        case .timesteps: Format.step(value)
        }
    }

    /// The next axis in the cycle steps → tokens → time → steps.
    public var next: ChartXAxis {
        switch self {
        case .steps: .tokens
        case .tokens: .time
        case .time, .timesteps: .steps
        }
    }
}
