import RNNEngine

/// Multi-label classification scores, accumulated row by row from decisions (a label is predicted when its
/// probability is above ½, i.e. its logit above 0) against the true label sets.
///
/// - per-label F1 = 2·TP / (2·TP + FP + FN); 0 when the label is neither present nor predicted
///   (scikit-learn's `zero_division=0`), macro F1 = their mean, micro F1 = the same formula over all labels'
///   counts together;
/// - Hamming loss = wrong decisions / (rows · labels);
/// - subset accuracy = rows whose predicted set equals the true set / rows.
public struct MultiLabelMetrics: Sendable, Equatable, Codable {
    public var labels: [String]
    /// (L) per-label counts of true positives, false positives and false negatives.
    public private(set) var truePositives: [Int]
    public private(set) var falsePositives: [Int]
    public private(set) var falseNegatives: [Int]
    public private(set) var rowCount = 0
    public private(set) var exactRowCount = 0

    public init(labels: [String]) {
        self.labels = labels
        truePositives = Array(repeating: 0, count: labels.count)
        falsePositives = truePositives
        falseNegatives = truePositives
    }

    /// Adds one row: predicted (L) decisions and truth (L) values (≥ ½ means present).
    public mutating func add(predicted: (Int) -> Bool, truth: (Int) -> Float) {
        var exact = true
        for label in labels.indices {
            let guess = predicted(label), actual = truth(label) >= 0.5
            switch (guess, actual) {
            case (true, true): truePositives[label] += 1
            case (true, false): falsePositives[label] += 1; exact = false
            case (false, true): falseNegatives[label] += 1; exact = false
            case (false, false): break
            }
        }
        rowCount += 1
        if exact { exactRowCount += 1 }
    }

    /// Adds every counted row of a batch from the head's outputs: logits (B, L) and targets (B, L).
    /// Rows with no real timestep (`lengths[b] == 0`) are skipped, as the loss skips them.
    public mutating func add(logits: [Float], targets: [Float], lengths: [Int]) {
        let labelCount = labels.count
        for row in lengths.indices where lengths[row] > 0 {
            add(predicted: { logits[row * labelCount + $0] > 0 }, truth: { targets[row * labelCount + $0] })
        }
    }

    public var perLabelF1: [Double] {
        labels.indices.map { Self.f1(truePositives[$0], falsePositives[$0], falseNegatives[$0]) }
    }

    public var macroF1: Double {
        labels.isEmpty ? 0 : perLabelF1.reduce(0, +) / Double(labels.count)
    }

    public var microF1: Double {
        Self.f1(truePositives.reduce(0, +), falsePositives.reduce(0, +), falseNegatives.reduce(0, +))
    }

    public var hammingLoss: Double {
        let decisions = rowCount * labels.count
        guard decisions > 0 else { return 0 }
        return Double(falsePositives.reduce(0, +) + falseNegatives.reduce(0, +)) / Double(decisions)
    }

    public var subsetAccuracy: Double { rowCount > 0 ? Double(exactRowCount) / Double(rowCount) : 0 }

    static func f1(_ truePositives: Int, _ falsePositives: Int, _ falseNegatives: Int) -> Double {
        let denominator = 2 * truePositives + falsePositives + falseNegatives
        return denominator > 0 ? Double(2 * truePositives) / Double(denominator) : 0
    }
}

/// Per-label probabilities from a multi-label head's outputs, for `inspect`, `predict` and the notebook.
public enum LabelProbabilities {
    /// logits: (L) one row of the head's outputs → each label's name with its probability σ(logit), in the
    /// head's order. `labels` shorter than the logits (a checkpoint without names) fills in `label k`.
    public static func named(logits: [Float], labels: [String]?) -> [(label: String, probability: Double)] {
        let probabilities = HeadActivation.sigmoid.apply(logits)
        return probabilities.enumerated().map { index, probability in
            let name = labels.flatMap { index < $0.count ? $0[index] : nil } ?? "label \(index)"
            return (name, probability)
        }
    }
}
