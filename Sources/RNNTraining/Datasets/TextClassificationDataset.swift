import DisplayFormat
import Foundation
import RNNEngine

/// Sequence classification from a CSV file with a text column and a label column (`.classifyLast`), or
/// multi-label classification (`.multiLabelLast`) when the label column holds `|`-separated label sets
/// (`news|sport`) or `labelColumns` names several 0/1 columns, one per label.
///
/// Single-label: labels become class ids in sorted order (numerically when every label is a number); the
/// split is stratified: each class's rows are shuffled by the seed and `validationFraction` of them held
/// out. Baseline: the cross-entropy of always predicting the training label distribution (its entropy).
///
/// Multi-label: labels in sorted order (or the `labelColumns` order); the split is a seeded shuffle; targets
/// are (rows, L) of 0/1. Baseline: predicting each label's training frequency p — its binary cross-entropy
/// on the validation rows, and the scores of deciding "present" where p > ½ (`info.baselineLabelMetrics`).
///
/// The vocabulary comes from the training rows: id 0 padding, id 1 unknown, then the most frequent
/// tokens (at most `vocabularyCap`). Token ids are stored flat, one Int32 per token.
///
/// Batches: rows shuffled per epoch; each sequence truncated to `sequenceLength` tokens (its start kept)
/// and right-padded with 0 to the longest in the batch, with a mask.
public struct TextClassificationDataset: Dataset {
    public let info: DatasetInfo
    /// tokens[offsets[r] ..< offsets[r + 1]] are row r's token ids.
    let tokens: [Int32]
    let offsets: [Int]
    /// labels: (rows) class ids (single-label; empty for multi-label).
    let labels: [Int32]
    /// labelTargets: (rows, L) 1 where row r has label l (multi-label; empty for single-label).
    let labelTargets: [Float]
    let trainRows: [Int]
    let validationRows: [Int]
    let seed: UInt64

    var isMultiLabel: Bool { info.head == .multiLabelLast }

    public init(path: String, name: String? = nil, sequenceLength: Int = 64, options: DatasetOptions) throws {
        let textName = options.textColumn ?? "text"
        let labelName = options.labelColumn ?? "label"
        var textIndex = 0
        var labelIndex = 0
        var labelColumnIndices: [Int] = []
        var labelColumnNames: [String] = []
        var interned: [String: Int32] = [:]
        var internedTokens: [String] = []
        var provisionalTokens: [Int32] = []
        var offsets = [0]
        var labelIds: [String: Int32] = [:]
        var labelNames: [String] = []
        // Each kept row's label ids (in first-seen order): rowLabelIds[rowLabelOffsets[r] ..< rowLabelOffsets[r + 1]].
        var rowLabelIds: [Int32] = []
        var rowLabelOffsets = [0]
        var sawSeparator = false
        var missingLabels = 0
        var emptyTexts = 0

        try CSVFile.read(path) { file in
            textIndex = try file.columnIndex(textName, purpose: "the text; set --text-column")
            if let columns = options.labelColumns {
                guard !columns.isEmpty else {
                    throw DatasetError("--label-columns is empty; expected the 0/1 label columns, such as news,sport,tech")
                }
                for column in columns {
                    let index = try file.columnIndex(column, purpose: "a 0/1 label column of --label-columns")
                    guard !labelColumnIndices.contains(index) else {
                        throw DatasetError("--label-columns names column '\(file.columns[index])' twice; expected each label once")
                    }
                    labelColumnIndices.append(index)
                    labelColumnNames.append(file.columns[index])
                }
            } else {
                labelIndex = try file.columnIndex(labelName, purpose: "the label; set --label-column")
            }
        } row: { fields, line in
            // This row's label names, before anything is kept.
            var names: [String] = []
            func missing(_ column: String) throws {
                if options.missingValues == .error {
                    throw DatasetError(
                        "\(path):\(line): missing label in column '\(column)'; expected a label, or --missing drop to skip such rows")
                }
                missingLabels += 1
            }
            if !labelColumnIndices.isEmpty {
                for (position, index) in labelColumnIndices.enumerated() {
                    let cell = CSVFile.trimmed(fields[index])
                    if CSVFile.isMissing(cell) { return try missing(labelColumnNames[position]) }
                    switch cell.lowercased() {
                    case "1", "1.0", "true": names.append(labelColumnNames[position])
                    case "0", "0.0", "false": break
                    default:
                        throw DatasetError(
                            "\(path):\(line): column '\(labelColumnNames[position])' holds '\(cell)'; --label-columns expects 0 (label absent) or 1 (present)")
                    }
                }
            } else {
                let label = CSVFile.trimmed(fields[labelIndex])
                if CSVFile.isMissing(label) { return try missing(labelName) }
                if label.contains("|") {
                    sawSeparator = true
                    for piece in label.split(separator: "|", omittingEmptySubsequences: false) {
                        let trimmed = piece.trimmingCharacters(in: .whitespaces)
                        guard !trimmed.isEmpty else {
                            throw DatasetError(
                                "\(path):\(line): empty label in '\(label)' (column '\(labelName)'); expected labels separated by |, such as news|sport")
                        }
                        if !names.contains(trimmed) { names.append(trimmed) }
                    }
                } else {
                    names = [label]
                }
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
            for label in names {
                if let id = labelIds[label] {
                    rowLabelIds.append(id)
                } else {
                    labelIds[label] = Int32(labelNames.count)
                    labelNames.append(label)
                    rowLabelIds.append(Int32(labelNames.count - 1))
                }
            }
            rowLabelOffsets.append(rowLabelIds.count)
        }
        interned = [:]
        let rowCount = offsets.count - 1
        guard rowCount > 0 else {
            throw DatasetError("\(path): no usable rows (\(missingLabels) without a label, \(emptyTexts) without text); expected rows with text and a label")
        }
        let multiLabel = options.labelColumns != nil || sawSeparator
        let fraction = min(max(options.validationFraction, 0), 0.9)
        var random = SeededRandom(seed: SeededRandom.mix(options.seed, 0x5791))
        var notes: [String] = []
        var train: [Int] = []
        var validation: [Int] = []
        var sortedNames: [String]
        var labels: [Int32] = []
        var labelTargets: [Float] = []

        if multiLabel {
            // Label order: the --label-columns order, else sorted; every label must occur.
            sortedNames = options.labelColumns != nil ? labelColumnNames : labelNames.sorted()
            let present = Set(labelNames)
            if let absent = sortedNames.first(where: { !present.contains($0) }) {
                throw DatasetError(
                    "\(path): label column '\(absent)' is 0 in every row; expected each label of --label-columns to occur at least once")
            }
            guard sortedNames.count >= 2 else {
                let source = options.labelColumns != nil ? "--label-columns gives" : "label column '\(labelName)' has"
                throw DatasetError(
                    "\(path): \(source) one label overall ('\(sortedNames.first ?? "")'); multi-label classification needs at least two labels (a yes/no task is a label column with two classes)")
            }
            let position = labelNames.map { Int(sortedNames.firstIndex(of: $0)!) }
            let labelCount = sortedNames.count
            labelTargets = [Float](repeating: 0, count: rowCount * labelCount)
            var emptySets = 0
            for row in 0..<rowCount {
                if rowLabelOffsets[row] == rowLabelOffsets[row + 1] { emptySets += 1 }
                for id in rowLabelIds[rowLabelOffsets[row]..<rowLabelOffsets[row + 1]] {
                    labelTargets[row * labelCount + position[Int(id)]] = 1
                }
            }
            if emptySets > 0 { notes.append("\(emptySets) rows have none of the labels") }
            var rows = Array(0..<rowCount)
            rows.shuffle(using: &random)
            let held = min(Int((Double(rowCount) * fraction).rounded()), rowCount - 1)
            validation = rows[..<held].sorted()
            train = rows[held...].sorted()
        } else {
            guard labelNames.count >= 2 else {
                throw DatasetError(
                    "\(path): label column '\(labelName)' has one class ('\(labelNames[0])'); classification needs at least two")
            }
            // Class ids in sorted label order.
            let numeric = labelNames.allSatisfy { Double($0) != nil }
            sortedNames = labelNames.sorted { numeric ? Double($0)! < Double($1)! : $0 < $1 }
            let classOf = labelNames.map { Int32(sortedNames.firstIndex(of: $0)!) }
            labels = rowLabelIds.map { classOf[Int($0)] }

            // Stratified split.
            for classId in 0..<sortedNames.count {
                var rows = labels.indices.filter { labels[$0] == Int32(classId) }
                rows.shuffle(using: &random)
                let held = min(Int((Double(rows.count) * fraction).rounded()), rows.count - 1)
                validation += rows[..<held]
                train += rows[held...]
            }
            train.sort()
            validation.sort()
        }

        // Vocabulary from the training rows.
        var counts = [Int](repeating: 0, count: internedTokens.count)
        for row in train {
            for position in offsets[row]..<offsets[row + 1] { counts[Int(provisionalTokens[position])] += 1 }
        }
        var ranked = counts.indices.filter { counts[$0] > 0 }
        ranked.sort { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : internedTokens[$0] < internedTokens[$1] }
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

        let baselineLoss: Double
        let baselineDescription: String
        var baselineLabelMetrics: MultiLabelMetrics?
        if multiLabel {
            let baseline = Self.frequencyBaseline(
                targets: labelTargets, labelNames: sortedNames, train: train, evaluated: validation.isEmpty ? train : validation)
            baselineLoss = baseline.loss
            baselineLabelMetrics = baseline.metrics
            baselineDescription = "predict each label's training frequency (macro F1 \(Format.decimal(baseline.metrics.macroF1, digits: 2)))"
            let labelCount = sortedNames.count
            let perLabel = sortedNames.indices.map { label in
                train.reduce(0) { $0 + Int(labelTargets[$1 * labelCount + label]) }
            }
            let mean = Double(perLabel.reduce(0, +)) / Double(max(train.count, 1))
            notes.insert(
                "\(rowCount) rows: \(train.count) train, \(validation.count) validation; \(labelCount) labels "
                    + zip(sortedNames, perLabel).map { "\($0) \($1)" }.joined(separator: ", ")
                    + " in training (\(Format.decimal(mean, digits: 2)) per row)", at: 0)
        } else {
            // Baseline: entropy of the training label distribution.
            var classCounts = [Int](repeating: 0, count: sortedNames.count)
            for row in train { classCounts[Int(labels[row])] += 1 }
            var entropy = 0.0
            for count in classCounts where count > 0 {
                let probability = Double(count) / Double(train.count)
                entropy -= probability * log(probability)
            }
            baselineLoss = entropy
            baselineDescription = "predict the class prior (majority accuracy \(Format.decimal(Double(classCounts.max() ?? 0) / Double(max(train.count, 1)), digits: 2)))"
            notes.insert(
                "\(rowCount) rows: \(train.count) train, \(validation.count) validation (stratified); classes "
                    + zip(sortedNames, classCounts).map { "\($0) \($1)" }.joined(separator: ", ") + " in training", at: 0)
        }
        if missingLabels > 0 { notes.append("dropped \(missingLabels) rows with a missing label") }
        if emptyTexts > 0 { notes.append("dropped \(emptyTexts) rows with no tokens in '\(textName)'") }
        let longer = (0..<rowCount).filter { offsets[$0 + 1] - offsets[$0] > sequenceLength }.count
        if longer > 0 { notes.append("\(longer) sequences longer than \(sequenceLength) tokens are truncated") }

        self.tokens = provisionalTokens
        self.offsets = offsets
        self.labels = labels
        self.labelTargets = labelTargets
        self.trainRows = train
        self.validationRows = validation
        self.seed = options.seed
        var info = DatasetInfo(
            name: name ?? path, task: multiLabel ? .multiLabel : .classification,
            input: .tokens(vocabularySize: vocabulary.tokens.count),
            head: multiLabel ? .multiLabelLast : .classifyLast, outputSize: sortedNames.count, vocabulary: vocabulary,
            classNames: sortedNames, baselineLoss: baselineLoss, baselineDescription: baselineDescription,
            statefulBatches: false, trainCount: train.count, validationCount: validation.count, notes: notes)
        info.baselineLabelMetrics = baselineLabelMetrics
        self.info = info
    }

    /// The baseline that predicts each label's training frequency p_l for every row: its mean binary
    /// cross-entropy over `evaluated` rows × labels (p clamped to [1e-6, 1 − 1e-6]) and the scores of
    /// deciding "present" where p_l > ½. targets: (rows, L).
    static func frequencyBaseline(
        targets: [Float], labelNames: [String], train: [Int], evaluated: [Int]
    ) -> (loss: Double, metrics: MultiLabelMetrics) {
        let labelCount = labelNames.count
        let frequencies = (0..<labelCount).map { label in
            min(max(train.reduce(0.0) { $0 + Double(targets[$1 * labelCount + label]) } / Double(max(train.count, 1)), 1e-6), 1 - 1e-6)
        }
        var metrics = MultiLabelMetrics(labels: labelNames)
        var total = 0.0
        for row in evaluated {
            for label in 0..<labelCount {
                let target = Double(targets[row * labelCount + label])
                total -= target * log(frequencies[label]) + (1 - target) * log(1 - frequencies[label])
            }
            metrics.add(predicted: { frequencies[$0] > 0.5 }, truth: { targets[row * labelCount + $0] })
        }
        return (total / Double(max(evaluated.count * labelCount, 1)), metrics)
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

    /// tokens: (T, B) right-padded with 0; mask: (T, B); targetTokens: (B) class ids, or for multi-label
    /// targetValues: (B, L) 0/1. T = the longest sequence in the batch, at most `sequenceLength`.
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
        if isMultiLabel {
            let labelCount = info.outputSize
            return Batch(
                timeSteps: timeSteps, batchSize: batchSize, tokens: inputs,
                targetValues: rows.flatMap { labelTargets[($0 * labelCount)..<(($0 + 1) * labelCount)] }, mask: mask)
        }
        return Batch(
            timeSteps: timeSteps, batchSize: batchSize, tokens: inputs,
            targetTokens: rows.map { labels[$0] }, mask: mask)
    }
}
