import Foundation
import RNNEngine

/// One-step-ahead forecasting of a noisy sum of sines. Each sequence is
/// x(t) = 0.6 sin(2πt/23 + φ₁) + 0.3 sin(2πt/37 + φ₂) + 0.15 sin(2πt/11 + φ₃) + ε, ε ~ N(0, 0.05²),
/// with phases drawn per sequence. Input (T, B, 1) is x(0…T−1); the target at every step
/// (`.regressEveryStep`, MSE) is the next value x(t+1).
///
/// Baseline: persistence (predict x(t+1) = x(t)), its MSE measured on the validation split at load.
/// The noise floor (the best any model can do) is 0.05² = 0.0025. Cost per batch: O(T·B).
public struct SineForecastDataset: GeneratedTask {
    static let components: [(amplitude: Double, period: Double)] = [(0.6, 23), (0.3, 37), (0.15, 11)]
    static let noiseDeviation = 0.05

    public private(set) var info: DatasetInfo
    let seed: UInt64

    /// `sequenceLength` ≥ 1.
    public init(name: String = "sine", sequenceLength: Int, options: DatasetOptions) throws {
        guard sequenceLength >= 1 else {
            throw DatasetError("sine: --seq-len \(sequenceLength) is too short; needs at least 1 step")
        }
        seed = options.seed
        let validationCount = max(options.generatedValidationCount, 1)
        var info = DatasetInfo(
            name: name, task: .regression, input: .features(featureCount: 1), head: .regressEveryStep, outputSize: 1,
            baselineLoss: 0, baselineDescription: "persistence: predict the last value", statefulBatches: false,
            trainCount: max(options.generatedTrainCount, 1), validationCount: validationCount,
            notes: ["sum of 3 sines (periods 23, 37, 11) + noise σ 0.05; noise floor MSE 0.0025"]
        )
        self.info = info
        // Persistence MSE over (a sample of at most 256 sequences of) the validation split.
        let batch = makeBatch(split: 1, samples: Array(0..<min(validationCount, 256)), sequenceLength: sequenceLength)
        let inputs = batch.features ?? []
        let targets = batch.targetValues ?? []
        var squaredError = 0.0
        for position in inputs.indices {
            let difference = Double(targets[position] - inputs[position])
            squaredError += difference * difference
        }
        info.baselineLoss = squaredError / Double(max(inputs.count, 1))
        self.info = info
    }

    public func probe(index: Int, sequenceLength: Int) -> (batch: Batch, labels: [String]) {
        let batch = probeBatch(index: index, sequenceLength: sequenceLength)
        return (batch, (batch.features ?? []).map { DisplayLabels.number(Double($0)) })
    }

    /// features: (T, B, 1) x(0…T−1); targetValues: (T, B, 1) x(1…T).
    func makeBatch(split: UInt64, samples: [Int], sequenceLength: Int) -> Batch {
        let timeSteps = max(sequenceLength, 1)
        let batchSize = samples.count
        var features = [Float](repeating: 0, count: timeSteps * batchSize)
        var targets = [Float](repeating: 0, count: timeSteps * batchSize)
        for (column, sample) in samples.enumerated() {
            var random = SeededRandom(seed: SeededRandom.mix(seed, 0x5105, split, UInt64(sample)))
            let phases = Self.components.map { _ in 2 * Double.pi * random.nextUnit() }
            for time in 0...timeSteps {
                var value = Self.noiseDeviation * random.nextGaussian()
                for (component, phase) in zip(Self.components, phases) {
                    value += component.amplitude * sin(2 * Double.pi * Double(time) / component.period + phase)
                }
                if time > 0 { targets[(time - 1) * batchSize + column] = Float(value) }
                if time < timeSteps { features[time * batchSize + column] = Float(value) }
            }
        }
        return Batch(timeSteps: timeSteps, batchSize: batchSize, features: features, targetValues: targets)
    }
}
