import DisplayFormat
import RNNEngine

/// A hyperparameter a run takes while it trains, with its new value: what a key asks for, what the
/// trainer applies between steps and what it reports back (as `AppliedChange`, with the old value).
public enum HyperparameterChange: Sendable, Equatable {
    case learningRate(Float)
    case optimizer(OptimizerKind)
    /// nil turns clipping off.
    case clipNorm(Float?)
    case batchSize(Int)
    case dropout(Float)
    /// Unit surgery (nil releases it): applies to evaluation, probes and samples, and to training when
    /// the intervention says so.
    case intervention(Intervention?)

    /// What is changed, in a word ("lr", "optimizer", "clip", "batch", "dropout").
    public var name: String {
        switch self {
        case .learningRate: "lr"
        case .optimizer: "optimizer"
        case .clipNorm: "clip"
        case .batchSize: "batch"
        case .dropout: "dropout"
        case .intervention: "surgery"
        }
    }

    /// `setup` with this change made.
    public func applied(to setup: TrainingSetup) -> TrainingSetup {
        var setup = setup
        switch self {
        case .learningRate(let rate): setup.optimizer.learningRate = rate
        case .optimizer(let kind): setup.optimizer.kind = kind
        case .clipNorm(let clip): setup.clipNorm = clip
        case .batchSize(let size): setup.batchSize = size
        case .dropout(let dropout): setup.dropout = dropout
        case .intervention(let intervention): setup.intervention = intervention
        }
        return setup
    }

    /// The same hyperparameter's value in `setup` (what this change replaces).
    public func current(in setup: TrainingSetup) -> HyperparameterChange {
        switch self {
        case .learningRate: .learningRate(setup.optimizer.learningRate)
        case .optimizer: .optimizer(setup.optimizer.kind)
        case .clipNorm: .clipNorm(setup.clipNorm)
        case .batchSize: .batchSize(setup.batchSize)
        case .dropout: .dropout(setup.dropout)
        case .intervention: .intervention(setup.intervention)
        }
    }
}

/// A change that took effect before step `step` (1-based): the hyperparameter's old and new value
/// (always the same case).
public struct AppliedChange: Sendable, Equatable {
    public var step: Int
    public var old: HyperparameterChange
    public var new: HyperparameterChange

    public init(step: Int, old: HyperparameterChange, new: HyperparameterChange) {
        self.step = step
        self.old = old
        self.new = new
    }
}

extension HyperparameterChange {
    /// The value in words: "0.002", "adam", "off", "64".
    public var valueText: String {
        switch self {
        case .learningRate(let rate): Format.learningRate(rate)
        case .optimizer(let kind): kind.rawValue
        case .clipNorm(let clip): clip.map(Format.learningRate) ?? "off"
        case .batchSize(let size): String(size)
        case .dropout(let dropout): Format.learningRate(dropout)
        case .intervention(let intervention): intervention?.summary ?? "none"
        }
    }
}

extension AppliedChange: CustomStringConvertible {
    /// "lr 0.002 → 0.001", "optimizer adam → sgd", "clip off → 1".
    public var description: String { "\(new.name) \(old.valueText) → \(new.valueText)" }

    /// `changes` (in step order) replayed over a run's starting `setup`: each with the value it replaced.
    public static func replayed(_ changes: [RecordedChange], over setup: TrainingSetup) -> [AppliedChange] {
        var setup = setup
        return changes.map { change in
            let old = change.change.current(in: setup)
            setup = change.change.applied(to: setup)
            return AppliedChange(step: change.step, old: old, new: change.change)
        }
    }
}
