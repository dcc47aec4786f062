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
