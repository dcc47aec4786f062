/// A horizontal reference line across the plot (a task's no-learning baseline), with its label.
public struct ChartBaseline: Sendable, Equatable {
    public var value: Double
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}
