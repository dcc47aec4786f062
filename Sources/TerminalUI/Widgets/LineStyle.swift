/// How the dots of a curve are drawn, so curves read apart without colour: each style lights a
/// different pattern of the dots along a line, counted from the curve's start.
public enum LineStyle: Sendable, CaseIterable, Equatable {
    case solid, dashed, dotted, dashDot, longDash, sparse

    /// Whether the `index`-th dot along the curve is lit.
    public func lights(_ index: Int) -> Bool {
        switch self {
        case .solid: true
        case .dashed: (index / 2) % 2 == 0
        case .dotted: index % 3 == 0
        case .dashDot: [0, 1, 2, 4].contains(index % 6)
        case .longDash: index % 6 < 4
        case .sparse: index % 5 == 0
        }
    }

    /// Two cells drawn before the curve's name in a legend.
    public var legendSample: String {
        switch self {
        case .solid: "──"
        case .dashed: "╴╴"
        case .dotted: "┈┈"
        case .dashDot: "╴·"
        case .longDash: "━╸"
        case .sparse: "··"
        }
    }
}
