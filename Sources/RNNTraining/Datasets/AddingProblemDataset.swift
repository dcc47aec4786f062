import RNNEngine

/// The adding problem (Le et al. 2015; Arjovsky et al. 2016). Each timestep has two input channels:
/// a value uniform in [0, 1] and a 0/1 marker. Exactly two steps are marked, one in each half of the
/// sequence; the target is the sum of the two marked values, regressed at the last step (MSE).
/// Baseline: always answering 1 (the mean of the sum) scores Var(U + U') = 2/12 = 1/6 ≈ 0.167.
///
/// Sequences are generated on demand from (seed, split, sample index), so nothing is stored and any
/// batch can be rebuilt alone. Cost per batch: O(T·B).
public struct AddingProblemDataset: GeneratedTask {
    public let info: DatasetInfo
    let seed: UInt64
    let defaultSequenceLength: Int

    /// `sequenceLength` ≥ 2 (one step per half at least).
    public init(name: String = "adding", sequenceLength: Int, options: DatasetOptions) throws {
        guard sequenceLength >= 2 else {
            throw DatasetError("adding: --seq-len \(sequenceLength) is too short; the adding problem needs at least 2 steps")
        }
        seed = options.seed
        defaultSequenceLength = sequenceLength
        info = DatasetInfo(
            name: name, task: .regression, input: .features(featureCount: 2), head: .regressLast, outputSize: 1,
            baselineLoss: 1.0 / 6.0, baselineDescription: "always predict 1 (MSE 1/6)", statefulBatches: false,
            trainCount: max(options.generatedTrainCount, 1), validationCount: max(options.generatedValidationCount, 1),
            notes: ["\(sequenceLength) steps; markers at one step in each half; target = sum of the two marked values"]
        )
    }

    public func probe(index: Int, sequenceLength: Int) -> (batch: Batch, labels: [String]) {
        let batch = probeBatch(index: index, sequenceLength: sequenceLength)
        let features = batch.features ?? []
        let labels = (0..<batch.timeSteps).map { time in
            let value = DisplayLabels.number(Double(features[time * 2]))
            return features[time * 2 + 1] > 0 ? "*" + value : value
        }
        return (batch, labels)
    }

    /// features: (T, B, 2) [value, marker]; targetValues: (B, 1).
    func makeBatch(split: UInt64, samples: [Int], sequenceLength: Int) -> Batch {
        let timeSteps = max(sequenceLength, 2)
        let batchSize = samples.count
        var features = [Float](repeating: 0, count: timeSteps * batchSize * 2)
        var targets = [Float](repeating: 0, count: batchSize)
        let firstHalf = timeSteps / 2
        for (column, sample) in samples.enumerated() {
            var random = SeededRandom(seed: SeededRandom.mix(seed, 0xADD, split, UInt64(sample)))
            for time in 0..<timeSteps {
                features[(time * batchSize + column) * 2] = Float(random.nextUnit())
            }
            let firstMarker = random.nextIndex(firstHalf)
            let secondMarker = firstHalf + random.nextIndex(timeSteps - firstHalf)
            var sum: Float = 0
            for marker in [firstMarker, secondMarker] {
                let offset = (marker * batchSize + column) * 2
                features[offset + 1] = 1
                sum += features[offset]
            }
            targets[column] = sum
        }
        return Batch(timeSteps: timeSteps, batchSize: batchSize, features: features, targetValues: targets)
    }
}
