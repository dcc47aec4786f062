import DisplayFormat

/// One curve of a line chart.
public struct ChartSeries {
    public var name: String
    /// points: (N) in increasing x.
    public var points: [(x: Double, y: Double)]
    public var style: CellStyle
    /// The dot pattern, so the curve reads apart from others without colour.
    public var line: LineStyle
    /// A character drawn at a few places along the curve and in the legend (for terminals without colour).
    public var mark: Character?

    public init(name: String, points: [(x: Double, y: Double)], style: CellStyle, line: LineStyle = .solid,
                mark: Character? = nil) {
        self.name = name
        self.points = points
        self.style = style
        self.line = line
        self.mark = mark
    }

    public init(name: String, points: [(x: Double, y: Double)], style: CellStyle, dashed: Bool) {
        self.init(name: name, points: points, style: style, line: dashed ? .dashed : .solid)
    }
}

/// A labelled mark at one x of a line chart (where a hyperparameter changed, say): a dotted vertical
/// line and its label under the axis. Marks whose labels would collide merge into "3 changes".
public struct ChartMark: Sendable, Equatable {
    /// In the chart's x units (steps, tokens or seconds).
    public var x: Double
    public var label: String

    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}

/// A horizontal reference line across the plot (a task's no-learning baseline), with its label.
public struct ChartBaseline: Sendable, Equatable {
    public var value: Double
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// A one-row track under the x axis sharing its scale (the learning rate over time): a block per
/// column, scaled logarithmically between the smallest and largest value shown.
public struct ChartTrack {
    public var name: String
    /// points: (N) in increasing x; each value holds until the next point.
    public var points: [(x: Double, y: Double)]
    public var style: CellStyle

    public init(name: String, points: [(x: Double, y: Double)], style: CellStyle) {
        self.name = name
        self.points = points
        self.style = style
    }
}

/// What the x axis of a chart counts, and how its tick labels read.
public enum ChartXAxis: Sendable, CaseIterable, Equatable {
    case steps, tokens, time

    /// The axis name written under the y labels.
    public var title: String {
        switch self {
        case .steps: "steps"
        case .tokens: "tokens"
        case .time: "time"
        }
    }

    /// A tick label: 2.5k steps, 1.2M tokens, 4m12s.
    public func tickLabel(_ value: Double) -> String {
        switch self {
        case .steps: Format.step(value)
        case .tokens: Format.step(value)
        case .time: Format.duration(value)
        }
    }

    /// The next axis in the cycle steps → tokens → time → steps.
    public var next: ChartXAxis {
        switch self {
        case .steps: .tokens
        case .tokens: .time
        case .time: .steps
        }
    }
}
