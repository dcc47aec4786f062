import RNNEngine

/// The validation loss (and accuracy) of a model over some batches, and what unit surgery does to it.
public enum InterventionEvaluation {
    public struct Score: Sendable, Equatable {
        /// Mean loss over every counted position of the batches (as `TrainingSession.evaluate`).
        public var loss: Double
        /// Classification heads: fraction of counted positions predicted right.
        public var accuracy: Double?
    }

    /// The model's score on `batches` (zero state, no dropout) with `intervention` in force (nil: none);
    /// the model's own intervention is restored afterwards. Throws when the intervention does not fit.
    public static func score(model: RecurrentModel, batches: [Batch], intervention: Intervention?) throws -> Score {
        let previous = model.intervention
        try model.setIntervention(intervention)
        defer { try? model.setIntervention(previous) }
        var total = 0.0, counted = 0, correct = 0
        for batch in batches {
            let result = model.forward(batch, training: false, carryState: false)
            total += result.loss * Double(result.counted)
            counted += result.counted
            correct += result.correct
        }
        let loss = counted > 0 ? total / Double(counted) : .nan
        return Score(loss: loss, accuracy: model.config.head.isClassification && counted > 0 ? Double(correct) / Double(counted) : nil)
    }

    /// The score without and with `intervention`: what the notebook shows as Δ.
    public static func compare(model: RecurrentModel, batches: [Batch], intervention: Intervention) throws -> (without: Score, with: Score) {
        (try score(model: model, batches: batches, intervention: nil), try score(model: model, batches: batches, intervention: intervention))
    }
}

/// The importance table: units ordered by how much ablating each one alone (h = 0) raises the loss.
public struct UnitImportance: Sendable, Equatable {
    public var layer: Int
    public var unit: Int
    /// The loss with the unit ablated, and its rise over the unablated loss.
    public var loss: Double
    public var increase: Double

    /// Every unit of `layers` (all layers when nil), ablated one at a time on top of the model's own
    /// intervention, scored on `batches`; largest increase first. Cost: one evaluation of `batches` per
    /// unit (L · H evaluations), so pass a small validation sample.
    public static func table(model: RecurrentModel, batches: [Batch], layers: [Int]? = nil) throws -> [UnitImportance] {
        let base = model.intervention ?? Intervention()
        let baseline = try InterventionEvaluation.score(model: model, batches: batches, intervention: base).loss
        var entries: [UnitImportance] = []
        for layer in layers ?? Array(0..<model.config.layerCount) {
            for unit in 0..<model.config.hiddenSize {
                var lesion = base
                lesion.edits.append(.init(layer: layer, unit: unit, action: .ablate))
                let loss = try InterventionEvaluation.score(model: model, batches: batches, intervention: lesion).loss
                entries.append(UnitImportance(layer: layer, unit: unit, loss: loss, increase: loss - baseline))
            }
        }
        return entries.sorted { $0.increase != $1.increase ? $0.increase > $1.increase : ($0.layer, $0.unit) < ($1.layer, $1.unit) }
    }
}
