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
