import RNNTraining

/// The insight views' options: the gradient-flow view (source, layer, heatmap page), the gate-statistics
/// view (layer) and the text coloured by a unit (layer, signal, unit, the ranking list, typed text).
public struct InsightViewState: Sendable, Equatable {
    /// Where the gradient-flow view's norms come from.
    public enum GradientSource: Sendable, Equatable {
        /// One probe sequence (with the units × time heatmap).
        case probe
        /// The mean of the norms over a validation sample (less noisy, no heatmap).
        case validation
    }

    public var gradientSource = GradientSource.probe
    public var gradientLayer = 0
    /// First unit row of the |∂L/∂h_t| heatmap.
    public var gradientUnitOffset = 0
    public var statisticsLayer = 0
    public var textLayer = 0
    public var textSignal = UnitSignal.hidden
    public var textUnit = 0
    /// Show the units that vary most on the text instead of the text.
    public var showsRanking = false
    /// Colour the text typed in (`TrainerEvent.textProbe`) instead of the probe.
    public var showsTypedText = false
}

/// The order of the gate view's unit rows.
public enum UnitOrder: Sendable, Equatable, CaseIterable {
    case index
    /// Largest variance over the probe first (of the focused panel's values; h when all show).
    case variance
    /// Most often saturated first (gate values < 0.1 or > 0.9, tanh blocks and h on (a + 1) / 2).
    case saturation

    /// How the info line names the order.
    public var title: String {
        switch self {
        case .index: "index"
        case .variance: "variance"
        case .saturation: "saturation"
        }
    }

    public var next: UnitOrder {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
