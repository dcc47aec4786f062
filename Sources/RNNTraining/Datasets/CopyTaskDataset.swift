import Foundation
import RNNEngine

/// The copy (memory) task, after Arjovsky et al. 2016, with total length T = `sequenceLength`.
///
/// Vocabulary: 0 blank `_`, 1…8 data symbols `A`…`H`, 9 delimiter `>`. With K = min(10, (T − 1) / 2)
/// symbols to remember, the input is K random symbols, blanks, the delimiter at step T − K − 1, then K
/// blanks; the target at every step (`.tokenEveryStep`, no mask) is blank for the first T − K steps and
/// the K symbols for the last K.
///
/// Baseline (no memory): a predictor that knows the layout but not the symbols says blank with certainty
/// for the first T − K steps (loss 0) and uniform over the 8 symbols for the last K (ln 8 each), so its
/// mean cross-entropy per step is K·ln 8 / T — the "10 log 8 / (T + 20)" of Arjovsky et al. Cost per batch: O(T·B).
public struct CopyTaskDataset: GeneratedTask {
    public static let symbolCount = 8
    public static let blank: Int32 = 0
    public static let delimiter: Int32 = 9

    public let info: DatasetInfo
    let seed: UInt64

    /// `sequenceLength` ≥ 3 (one symbol, the delimiter, one answer).
    public init(name: String = "copy", sequenceLength: Int, options: DatasetOptions) throws {
        guard sequenceLength >= 3 else {
            throw DatasetError("copy: --seq-len \(sequenceLength) is too short; the copy task needs at least 3 steps")
        }
        seed = options.seed
        let remembered = Self.rememberedCount(sequenceLength: sequenceLength)
        let baseline = Double(remembered) * log(Double(Self.symbolCount)) / Double(sequenceLength)
        let tokens = ["_"] + (0..<Self.symbolCount).map { String(UnicodeScalar(UInt8(65 + $0))) } + [">"]
        info = DatasetInfo(
            name: name, task: .languageModel, input: .tokens(vocabularySize: tokens.count), head: .tokenEveryStep,
            outputSize: tokens.count,
            vocabulary: Vocabulary(level: .character, tokens: tokens, unknownIndex: nil),
            baselineLoss: baseline,
            baselineDescription: "no memory: blanks known, \(remembered) symbols guessed (\(remembered)·ln 8 / \(sequenceLength))",
            statefulBatches: false,
            trainCount: max(options.generatedTrainCount, 1), validationCount: max(options.generatedValidationCount, 1),
            notes: ["remember \(remembered) symbols over \(sequenceLength - 2 * remembered - 1) blanks; targets at every step"]
        )
    }

    /// K: how many symbols a sequence of `sequenceLength` steps asks to remember.
    public static func rememberedCount(sequenceLength: Int) -> Int {
        max(1, min(10, (sequenceLength - 1) / 2))
    }

    public func probe(index: Int, sequenceLength: Int) -> (batch: Batch, labels: [String]) {
        let batch = probeBatch(index: index, sequenceLength: sequenceLength)
        let tokens = info.vocabulary?.tokens ?? []
        return (batch, (batch.tokens ?? []).map { tokens[Int($0)] })
    }

    /// tokens: (T, B); targetTokens: (T, B).
    func makeBatch(split: UInt64, samples: [Int], sequenceLength: Int) -> Batch {
        let timeSteps = max(sequenceLength, 3)
        let remembered = Self.rememberedCount(sequenceLength: timeSteps)
        let batchSize = samples.count
        var inputs = [Int32](repeating: Self.blank, count: timeSteps * batchSize)
        var targets = [Int32](repeating: Self.blank, count: timeSteps * batchSize)
        for (column, sample) in samples.enumerated() {
            var random = SeededRandom(seed: SeededRandom.mix(seed, 0xC0B7, split, UInt64(sample)))
            for position in 0..<remembered {
                let symbol = Int32(1 + random.nextIndex(Self.symbolCount))
                inputs[position * batchSize + column] = symbol
                targets[(timeSteps - remembered + position) * batchSize + column] = symbol
            }
            inputs[(timeSteps - remembered - 1) * batchSize + column] = Self.delimiter
        }
        return Batch(timeSteps: timeSteps, batchSize: batchSize, tokens: inputs, targetTokens: targets)
    }
}
