import DisplayFormat
import Foundation
import RNNEngine

/// A character language model over a UTF-8 text file (`.tokenEveryStep`, targets shifted by one).
///
/// The text's tail (`validationFraction` of its characters) is the validation split. The vocabulary is
/// the training split's characters (Unicode scalars) in code-point order, at most `vocabularyCap` of
/// them (most frequent kept), plus an unknown symbol `�` for everything else. The corpus is held as one
/// id per character (1 byte while the vocabulary fits in a byte, else 2), read through a memory map:
/// three linear passes (validate and count, histogram, encode), memory ≈ the file's character count.
///
/// Batches (stateful, truncated BPTT): the training split is cut into B parallel streams of
/// S = N_train / B characters; batch i takes the window [i·T, (i+1)·T) of each stream and the targets one
/// character later, so batch i + 1 continues batch i column by column. Validation is laid out the same way.
/// Baseline: the unigram entropy of the training split — the loss of a model that knows only frequencies.
public struct CharacterCorpusDataset: Dataset {
    public let info: DatasetInfo
    let corpus: TokenStore
    /// Characters [0, trainLength) train, [trainLength, corpus.count) validate.
    let trainLength: Int
    let loadSequenceLength: Int

    public init(path: String, name: String? = nil, sequenceLength: Int = 64, options: DatasetOptions) throws {
        loadSequenceLength = max(sequenceLength, 1)
        let data = try FileBytes.read(path)
        let loaded = try data.withUnsafeBytes { bytes in
            try Self.encode(bytes: bytes, path: path, options: options)
        }
        corpus = loaded.corpus
        trainLength = loaded.trainLength
        let validationLength = corpus.count - trainLength
        var notes = [
            "\(corpus.count) characters: \(trainLength) train, \(validationLength) validation; \(loaded.vocabulary.tokens.count) symbols"
        ]
        notes += loaded.notes
        info = DatasetInfo(
            name: name ?? path, task: .languageModel, input: .tokens(vocabularySize: loaded.vocabulary.tokens.count),
            head: .tokenEveryStep, outputSize: loaded.vocabulary.tokens.count, vocabulary: loaded.vocabulary,
            baselineLoss: loaded.unigramEntropy,
            baselineDescription: String(
                "unigram entropy (character frequencies only): \(Format.decimal(loaded.unigramEntropy / log(2), digits: 2)) bits/char"),
            statefulBatches: true, trainCount: trainLength, validationCount: validationLength, notes: notes
        )
    }

    // MARK: - Batches

    public func trainBatchCount(batchSize: Int, sequenceLength: Int) -> Int {
        let streamLength = trainLength / max(batchSize, 1)
        return max(1, (streamLength - 1) / max(sequenceLength, 1))
    }

    public func trainBatch(index: Int, epoch: Int, batchSize: Int, sequenceLength: Int) -> Batch {
        let batchSize = max(batchSize, 1)
        let timeSteps = max(sequenceLength, 1)
        let streamLength = max(trainLength / batchSize, 1)
        let window = index % trainBatchCount(batchSize: batchSize, sequenceLength: timeSteps)
        let starts = (0..<batchSize).map { $0 * streamLength + window * timeSteps }
        return makeBatch(starts: starts, timeSteps: timeSteps, region: 0..<trainLength)
    }

    /// Consecutive validation batches continue each other's streams, like training batches.
    public func validationBatches(batchSize: Int, sequenceLength: Int, limit: Int) -> [Batch] {
        let region = trainLength..<corpus.count
        guard region.count >= 2 else { return [] }
        let timeSteps = min(max(sequenceLength, 1), region.count - 1)
        let streams = min(max(batchSize, 1), max(1, region.count / (timeSteps + 1)), max(limit, 1))
        let streamLength = region.count / streams
        let windows = min((streamLength - 1) / timeSteps, max(1, limit / streams))
        return (0..<windows).map { window in
            let starts = (0..<streams).map { region.lowerBound + $0 * streamLength + window * timeSteps }
            return makeBatch(starts: starts, timeSteps: timeSteps, region: region)
        }
    }

    /// Windows of the load-time sequence length in the validation text (at most 100).
    public var probeCount: Int {
        max(1, min(100, (probeRegion.count - 1) / loadSequenceLength))
    }

    public func probe(index: Int, sequenceLength: Int) -> (batch: Batch, labels: [String]) {
        let region = probeRegion
        let timeSteps = min(max(sequenceLength, 1), region.count - 1)
        let windows = max(1, (region.count - 1) / timeSteps)
        let start = region.lowerBound + (index % windows) * timeSteps
        let batch = makeBatch(starts: [start], timeSteps: timeSteps, region: region)
        let tokens = info.vocabulary?.tokens ?? []
        return (batch, (batch.tokens ?? []).map { DisplayLabels.character(tokens[Int($0)]) })
    }

    /// The validation split, or the training split when there is too little validation text.
    private var probeRegion: Range<Int> {
        corpus.count - trainLength >= 2 ? trainLength..<corpus.count : 0..<trainLength
    }

    /// tokens: (T, B) the characters at `starts[b] + t`; targetTokens: (T, B) one character later.
    /// Positions past the region wrap around inside it (only for corpora smaller than one batch).
    func makeBatch(starts: [Int], timeSteps: Int, region: Range<Int>) -> Batch {
        let batchSize = starts.count
        let span = region.count - 1
        var inputs = [Int32](repeating: 0, count: timeSteps * batchSize)
        var targets = [Int32](repeating: 0, count: timeSteps * batchSize)
        for (column, start) in starts.enumerated() {
            for time in 0..<timeSteps {
                let position = region.lowerBound + (start - region.lowerBound + time) % span
                inputs[time * batchSize + column] = corpus[position]
                targets[time * batchSize + column] = corpus[position + 1]
            }
        }
        return Batch(timeSteps: timeSteps, batchSize: batchSize, tokens: inputs, targetTokens: targets)
    }
}
