import DisplayFormat
import Foundation
import RNNEngine

/// Sequence classification from a CSV file with a text column and a label column (`.classifyLast`).
///
/// Labels become class ids in sorted order (numerically when every label is a number). The split is
/// stratified: each class's rows are shuffled by the seed and `validationFraction` of them held out.
/// The vocabulary comes from the training rows: id 0 padding, id 1 unknown, then the most frequent
/// tokens (at most `vocabularyCap`). Token ids are stored flat, one Int32 per token.
///
/// Batches: rows shuffled per epoch; each sequence truncated to `sequenceLength` tokens (its start kept)
/// and right-padded with 0 to the longest in the batch, with a mask. Baseline: the cross-entropy of
/// always predicting the training label distribution (its entropy, nats).
public struct TextClassificationDataset: Dataset {
    public let info: DatasetInfo
    /// tokens[offsets[r] ..< offsets[r + 1]] are row r's token ids.
    let tokens: [Int32]
    let offsets: [Int]
    /// labels: (rows) class ids.
    let labels: [Int32]
    let trainRows: [Int]
    let validationRows: [Int]
    let seed: UInt64

    public init(path: String, name: String? = nil, sequenceLength: Int = 64, options: DatasetOptions) throws {
        let textName = options.textColumn ?? "text"
        let labelName = options.labelColumn ?? "label"
        var textIndex = 0
        var labelIndex = 0
        var interned: [String: Int32] = [:]
        var internedTokens: [String] = []
        var provisionalTokens: [Int32] = []
        var offsets = [0]
        var labelIds: [String: Int32] = [:]
        var labelNames: [String] = []
        var rowLabels: [Int32] = []
        var missingLabels = 0
        var emptyTexts = 0

        try CSVFile.read(path) { file in
            textIndex = try file.columnIndex(textName, purpose: "the text; set --text-column")
            labelIndex = try file.columnIndex(labelName, purpose: "the label; set --label-column")
        } row: { fields, line in
            let label = CSVFile.trimmed(fields[labelIndex])
            if CSVFile.isMissing(label) {
                if options.missingValues == .error {
                    throw DatasetError(
                        "\(path):\(line): missing label in column '\(labelName)'; expected a label, or --missing drop to skip such rows")
                }
                missingLabels += 1
                return
            }
            let words = TextTokenizer.tokens(fields[textIndex], level: options.tokenization)
            if words.isEmpty {
                emptyTexts += 1
                return
            }
            for word in words {
                if let id = interned[word] {
                    provisionalTokens.append(id)
                } else {
                    let id = Int32(internedTokens.count)
                    interned[word] = id
                    internedTokens.append(word)
                    provisionalTokens.append(id)
                }
            }
            offsets.append(provisionalTokens.count)
            if let id = labelIds[label] {
                rowLabels.append(id)
            } else {
                labelIds[label] = Int32(labelNames.count)
                labelNames.append(label)
                rowLabels.append(Int32(labelNames.count - 1))
            }
        }
        interned = [:]
        guard !rowLabels.isEmpty else {
            throw DatasetError("\(path): no usable rows (\(missingLabels) without a label, \(emptyTexts) without text); expected rows with text and a label")
        }
        guard labelNames.count >= 2 else {
            throw DatasetError(
                "\(path): label column '\(labelName)' has one class ('\(labelNames[0])'); classification needs at least two")
        }

        // Class ids in sorted label order.
        let numeric = labelNames.allSatisfy { Double($0) != nil }
        let sortedNames = labelNames.sorted { numeric ? Double($0)! < Double($1)! : $0 < $1 }
        let classOf = labelNames.map { Int32(sortedNames.firstIndex(of: $0)!) }
        let labels = rowLabels.map { classOf[Int($0)] }

        // Stratified split.
        let fraction = min(max(options.validationFraction, 0), 0.9)
        var random = SeededRandom(seed: SeededRandom.mix(options.seed, 0x5791))
        var train: [Int] = []
        var validation: [Int] = []
        for classId in 0..<sortedNames.count {
            var rows = labels.indices.filter { labels[$0] == Int32(classId) }
            rows.shuffle(using: &random)
            let held = min(Int((Double(rows.count) * fraction).rounded()), rows.count - 1)
            validation += rows[..<held]
            train += rows[held...]
        }
        train.sort()
        validation.sort()

        // Vocabulary from the training rows.
        var counts = [Int](repeating: 0, count: internedTokens.count)
        for row in train {
            for position in offsets[row]..<offsets[row + 1] { counts[Int(provisionalTokens[position])] += 1 }
        }
        var ranked = counts.indices.filter { counts[$0] > 0 }
        ranked.sort { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : internedTokens[$0] < internedTokens[$1] }
        var notes: [String] = []
        let cap = max(options.vocabularyCap, 1)
        if ranked.count > cap {
            notes.append("vocabulary capped at \(cap) of \(ranked.count) \(options.tokenization == .word ? "words" : "characters"); the rest map to unknown")
            ranked.removeLast(ranked.count - cap)
        }
        var finalId = [Int32](repeating: 1, count: internedTokens.count)
        for (rank, provisional) in ranked.enumerated() { finalId[provisional] = Int32(rank + 2) }
        let vocabulary = Vocabulary(
            level: options.tokenization == .word ? .word : .character,
            tokens: ["<pad>", "<unk>"] + ranked.map { internedTokens[$0] }, unknownIndex: 1, paddingIndex: 0)
        for position in provisionalTokens.indices {
            provisionalTokens[position] = finalId[Int(provisionalTokens[position])]
        }

        // Baseline: entropy of the training label distribution.
        var classCounts = [Int](repeating: 0, count: sortedNames.count)
        for row in train { classCounts[Int(labels[row])] += 1 }
        var entropy = 0.0
        for count in classCounts where count > 0 {
            let probability = Double(count) / Double(train.count)
            entropy -= probability * log(probability)
        }

        notes.insert(
            "\(labels.count) rows: \(train.count) train, \(validation.count) validation (stratified); classes "
                + zip(sortedNames, classCounts).map { "\($0) \($1)" }.joined(separator: ", ") + " in training", at: 0)
        if missingLabels > 0 { notes.append("dropped \(missingLabels) rows with a missing label") }
        if emptyTexts > 0 { notes.append("dropped \(emptyTexts) rows with no tokens in '\(textName)'") }
        let longer = (0..<labels.count).filter { offsets[$0 + 1] - offsets[$0] > sequenceLength }.count
        if longer > 0 { notes.append("\(longer) sequences longer than \(sequenceLength) tokens are truncated") }

        self.tokens = provisionalTokens
        self.offsets = offsets
        self.labels = labels
        self.trainRows = train
        self.validationRows = validation
        self.seed = options.seed
        info = DatasetInfo(
            name: name ?? path, task: .classification, input: .tokens(vocabularySize: vocabulary.tokens.count),
            head: .classifyLast, outputSize: sortedNames.count, vocabulary: vocabulary, classNames: sortedNames,
            baselineLoss: entropy,
            baselineDescription: "predict the class prior (majority accuracy \(Format.decimal(Double(classCounts.max() ?? 0) / Double(max(train.count, 1)), digits: 2)))",
            statefulBatches: false, trainCount: train.count, validationCount: validation.count, notes: notes)
    }

    // MARK: - Batches

    public func trainBatchCount(batchSize: Int, sequenceLength: Int) -> Int {
        EpochOrder.batchCount(sampleCount: trainRows.count, batchSize: batchSize)
    }

    public func trainBatch(index: Int, epoch: Int, batchSize: Int, sequenceLength: Int) -> Batch {
        let positions = EpochOrder.sampleIndices(
            index: index, epoch: epoch, batchSize: batchSize, sampleCount: trainRows.count, seed: seed)
        return makeBatch(rows: positions.map { trainRows[$0] }, sequenceLength: sequenceLength)
    }

    public func validationBatches(batchSize: Int, sequenceLength: Int, limit: Int) -> [Batch] {
        EpochOrder.validationChunks(sampleCount: validationRows.count, batchSize: batchSize, limit: limit).map {
            makeBatch(rows: Array(validationRows[$0]), sequenceLength: sequenceLength)
        }
    }

    public var probeCount: Int { max(1, min(100, validationRows.count)) }

    public func probe(index: Int, sequenceLength: Int) -> (batch: Batch, labels: [String]) {
        let rows = validationRows.isEmpty ? trainRows : validationRows
        let batch = makeBatch(rows: [rows[index % min(rows.count, probeCount)]], sequenceLength: sequenceLength)
        let names = info.vocabulary?.tokens ?? []
        let level = info.vocabulary?.level ?? .word
        let labels = (batch.tokens ?? []).map { id in
            level == .word ? DisplayLabels.word(names[Int(id)]) : DisplayLabels.character(names[Int(id)])
        }
        return (batch, labels)
    }

    /// tokens: (T, B) right-padded with 0; mask: (T, B); targetTokens: (B) class ids.
    /// T = the longest sequence in the batch, at most `sequenceLength`.
    func makeBatch(rows: [Int], sequenceLength: Int) -> Batch {
        let batchSize = rows.count
        let lengths = rows.map { min(offsets[$0 + 1] - offsets[$0], max(sequenceLength, 1)) }
        let timeSteps = max(lengths.max() ?? 1, 1)
        var inputs = [Int32](repeating: 0, count: timeSteps * batchSize)
        var mask = [Float](repeating: 0, count: timeSteps * batchSize)
        for (column, row) in rows.enumerated() {
            for time in 0..<lengths[column] {
                inputs[time * batchSize + column] = tokens[offsets[row] + time]
                mask[time * batchSize + column] = 1
            }
        }
        return Batch(
            timeSteps: timeSteps, batchSize: batchSize, tokens: inputs,
            targetTokens: rows.map { labels[$0] }, mask: mask)
    }
}
