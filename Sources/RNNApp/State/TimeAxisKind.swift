import RNNTraining

/// What the gate view's time axis shows for the run's inputs.
enum TimeAxisKind: Equatable {
    /// One character per timestep (character models, and anything unknown).
    case characters
    /// Whole words where there is room (word models).
    case words
    /// Numeric inputs: their values as a bar row of their own, and (`marked`) a row of the `*` markers
    /// (the adding problem), so a value of 1 is not read as a marker.
    case numbers(marked: Bool)

    init(dataset: DatasetInfo?, labels: [String]) {
        guard let dataset else { self = .characters; return }
        switch dataset.input {
        case .features: self = .numbers(marked: labels.contains { $0.hasPrefix("*") })
        case .tokens: self = dataset.vocabulary?.level == .word ? .words : .characters
        }
    }

    /// Rows beyond the usual one.
    var extraRows: Int {
        if case .numbers(marked: true) = self { return 1 }
        return 0
    }
}
