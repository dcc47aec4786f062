/// What a live change did, read from the trainer's words for it ("lr 0.002 → 0.004",
/// "optimizer adam → sgd", "clip off → 1", "batch 32 → 64", "dropout 0 → 0.2").
///
/// The ONE place that reads the change representation: when the trainer posts a typed change
/// instead of a string, only `init(description:)` changes.
public struct ChangeLabel: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case learningRate = "lr", optimizer, clip, batch, dropout, other
    }

    public var kind: Kind
    public var oldValue: String
    public var newValue: String

    public init(kind: Kind, oldValue: String, newValue: String) {
        self.kind = kind
        self.oldValue = oldValue
        self.newValue = newValue
    }

    /// Splits "NAME OLD → NEW"; anything else becomes `.other` with the whole text as the new value.
    public init(description: String) {
        let parts = description.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 4, parts[2] == "→" else {
            self.init(kind: .other, oldValue: "", newValue: description)
            return
        }
        let kind: Kind = switch parts[0] {
        case "lr", "learning-rate": .learningRate
        case "optimizer": .optimizer
        case "clip": .clip
        case "batch": .batch
        case "dropout": .dropout
        default: .other
        }
        self.init(kind: kind, oldValue: parts[1], newValue: kind == .other ? parts[0] + " " + parts[3] : parts[3])
    }

    /// The chart mark's label: the new value with its name (`lr 0.004`, `clip 1`, `batch 64`,
    /// `dropout 0.2`), or the switch for an optimizer (`adam→sgd`).
    public var markLabel: String {
        switch kind {
        case .optimizer: oldValue + "→" + newValue
        case .other: newValue
        default: kind.rawValue + " " + newValue
        }
    }

    /// The batch size the change set, if it set one.
    public var newBatchSize: Int? { kind == .batch ? Int(newValue) : nil }
}
