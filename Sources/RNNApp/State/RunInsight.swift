import RNNEngine
import RNNTraining

/// The newest answers of a run's trainer to the open view's requests (`TrainerEvent.insight`), one of
/// each part, and the unit surgery the notebook asked for. Bounded: one value per part.
public struct RunInsight: Sendable, Equatable {
    public internal(set) var cursor: InsightSnapshot.CursorPrediction?
    public internal(set) var sample: InsightSnapshot.Sample?
    /// The step the newest sample was drawn at.
    public internal(set) var sampleStep: Int?
    public internal(set) var sentence: InsightSnapshot.Sentence?
    public internal(set) var classification: ClassificationReport?
    public internal(set) var forecast: ForecastReport?
    public internal(set) var forecastFan: ForecastFan?
    public internal(set) var surgery: InsightSnapshot.Surgery?
    public internal(set) var importance: [UnitImportance]?
    public internal(set) var importanceStep: Int?
    /// The step of the newest task report.
    public internal(set) var reportStep: Int?
    /// The intervention sent to the trainer (what `a`, `z`, `x`, `A` change next); nil for none.
    public internal(set) var intervention: Intervention?
    /// Surgery applies during training steps too (`A`), not only to evaluation, probes and samples.
    public internal(set) var alsoTraining = false

    /// Keeps the parts `snapshot` carries; the others stay as they were.
    mutating func merge(_ snapshot: InsightSnapshot) {
        if let value = snapshot.cursor { cursor = value }
        if let value = snapshot.sample {
            sample = value
            sampleStep = snapshot.step
        }
        if let value = snapshot.sentence { sentence = value }
        if snapshot.classification != nil || snapshot.forecast != nil || snapshot.forecastFan != nil { reportStep = snapshot.step }
        if let value = snapshot.classification { classification = value }
        if let value = snapshot.forecast { forecast = value }
        if let value = snapshot.forecastFan { forecastFan = value }
        if snapshot.surgeryReleased { surgery = nil }
        if let value = snapshot.surgery { surgery = value }
        if let value = snapshot.importance {
            importance = value
            importanceStep = snapshot.step
        }
    }

    /// The edit on `unit` of `layer`, if any.
    public func edit(layer: Int, unit: Int) -> Intervention.Edit? {
        intervention?.edits.first { $0.layer == layer && $0.unit == unit }
    }
}

/// The task output view's own settings: sampling temperature, the prime, the typed sentence.
public struct OutputViewState: Sendable, Equatable {
    public static let temperatures: [Double] = [0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 1.0, 1.2, 1.5, 2.0]
    public var temperature = 0.8
    public var prime = ""
    /// The sentence typed for a classifier, nil before one is typed.
    public var sentence: String?
    public static let sampleLength = 240
}
