import RNNEngine

/// A K-step forecast over a validation sample against the truth, in original units: every K-th window's
/// K predictions (a "fan" starting where the window ends) over the actual series, with RMSE and MAE over
/// every window and every step ahead next to the persistence baseline's (the last observed value,
/// repeated K times).
public struct ForecastFan: Sendable, Equatable {
    /// One window's forecast: `values[k]` predicts `actual[origin + k]`.
    public struct Fan: Sendable, Equatable {
        public var origin: Int
        public var values: [Double]
    }

    public var horizon: Int
    public var target: String?
    /// The target over the validation range: actual[i] is the first value window i predicts; windows
    /// are consecutive, so window i's K targets are actual[i ..< i + K].
    public var actual: [Double]
    /// Windows 0, K, 2K, … (fans that do not overlap).
    public var fans: [Fan]
    public var rootMeanSquaredError: Double
    public var meanAbsoluteError: Double
    public var persistenceRootMeanSquaredError: Double?
    public var persistenceMeanAbsoluteError: Double?

    /// Runs `batches` (consecutive validation windows of a regress-last head with K = outputSize outputs)
    /// with the intervention in force. Cost: one forward pass.
    public static func measure(model: RecurrentModel, batches: [Batch], context: PredictionContext) -> ForecastFan {
        let horizon = max(1, model.config.outputSize)
        let featureCount = model.config.input.inputSize
        let targetFeature = context.targetColumn ?? (featureCount == 1 ? 0 : nil)
        var actual: [Double] = [], fans: [Fan] = []
        var squared = 0.0, absolute = 0.0, persistenceSquared = 0.0, persistenceAbsolute = 0.0, count = 0
        var hasPersistence = targetFeature != nil
        var window = 0
        var lastTargets: [Double] = []
        for batch in batches {
            guard let targets = batch.targetValues, model.config.head == .regressLast else { continue }
            model.forward(Batch(timeSteps: batch.timeSteps, batchSize: batch.batchSize, features: batch.features, mask: batch.mask),
                          training: false, carryState: false)
            let outputs = model.lastOutputs()
            for row in 0..<batch.batchSize {
                let length = batch.length(ofColumn: row)
                guard length > 0 else { continue }
                let predicted = (0..<horizon).map { context.denormalizedOutput(Double(outputs[row * horizon + $0])) }
                let truth = (0..<horizon).map { context.denormalizedOutput(Double(targets[row * horizon + $0])) }
                var lastObserved: Double?
                if let targetFeature, let features = batch.features {
                    let value = Double(features[((length - 1) * batch.batchSize + row) * featureCount + targetFeature])
                    lastObserved = context.targetColumn != nil ? context.denormalizedOutput(value) : value
                } else {
                    hasPersistence = false
                }
                for ahead in 0..<horizon {
                    let error = predicted[ahead] - truth[ahead]
                    squared += error * error
                    absolute += abs(error)
                    if let lastObserved {
                        persistenceSquared += (lastObserved - truth[ahead]) * (lastObserved - truth[ahead])
                        persistenceAbsolute += abs(lastObserved - truth[ahead])
                    }
                }
                count += horizon
                actual.append(truth[0])
                lastTargets = truth
                if window % horizon == 0 { fans.append(Fan(origin: window, values: predicted)) }
                window += 1
            }
        }
        actual += lastTargets.dropFirst()
        let total = Double(max(1, count))
        return ForecastFan(
            horizon: horizon, target: context.normalization?.targetColumn, actual: actual, fans: fans,
            rootMeanSquaredError: (squared / total).squareRoot(), meanAbsoluteError: absolute / total,
            persistenceRootMeanSquaredError: hasPersistence && count > 0 ? (persistenceSquared / total).squareRoot() : nil,
            persistenceMeanAbsoluteError: hasPersistence && count > 0 ? persistenceAbsolute / total : nil)
    }
}
