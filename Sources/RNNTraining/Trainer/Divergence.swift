import Foundation
import RNNEngine

/// Why a run was judged diverged.
public enum DivergenceCause: Sendable, Equatable {
    case nonFiniteLoss
    case nonFiniteGradient
    case nonFiniteWeights
    /// The loss stayed above `threshold` for `DivergenceRule.consecutiveSteps` steps.
    case runawayLoss(threshold: Double)

    public var description: String {
        switch self {
        case .nonFiniteLoss: "the loss is not finite"
        case .nonFiniteGradient: "the gradient is not finite"
        case .nonFiniteWeights: "a weight is not finite"
        case .runawayLoss(let threshold):
            "the loss stayed above \(String(format: "%.4g", threshold)) (\(Int(DivergenceRule.lossFactor))× max(initial loss, baseline)) for \(DivergenceRule.consecutiveSteps) steps"
        }
    }
}

/// A divergence caught at `step` and undone: the weights and optimizer state are back to those of
/// `rolledBackToStep` (the step counter keeps counting, so logs and charts never go back).
public struct DivergenceReport: Sendable, Equatable {
    public var step: Int
    public var cause: DivergenceCause
    public var loss: Double
    public var rolledBackToStep: Int

    public init(step: Int, cause: DivergenceCause, loss: Double, rolledBackToStep: Int) {
        self.step = step
        self.cause = cause
        self.loss = loss
        self.rolledBackToStep = rolledBackToStep
    }

    /// "diverged at step 57 (the loss is not finite; loss nan) — rolled back to step 0"
    public var description: String {
        let lossText = loss.isNaN ? "nan" : loss.isInfinite ? (loss > 0 ? "inf" : "-inf") : String(format: "%.4g", loss)
        return "diverged at step \(step) (\(cause.description); loss \(lossText)) — rolled back to step \(rolledBackToStep)"
    }
}

/// When a run counts as diverged. Any non-finite loss, gradient or weight diverges at once. A runaway
/// loss diverges when `consecutiveSteps` training losses in a row all exceed `lossFactor` × the
/// reference, max(the run's first loss, the task's baseline): a single noisy batch, or the early phase
/// where the loss wobbles around its start, never reaches ten times it for ten steps in a row.
public struct DivergenceRule: Sendable, Equatable {
    public static let lossFactor = 10.0
    public static let consecutiveSteps = 10

    /// max(first finite loss, baseline); nil until the first loss is seen.
    public private(set) var reference: Double?
    private let baseline: Double
    /// Steps in a row above the threshold.
    public private(set) var streak = 0

    public init(baseline: Double) {
        self.baseline = baseline.isFinite && baseline > 0 ? baseline : 0
    }

    public var threshold: Double? { reference.map { $0 * Self.lossFactor } }

    /// Takes one step's training loss; returns the cause when this step makes the run diverged.
    public mutating func observe(loss: Double) -> DivergenceCause? {
        guard loss.isFinite else { return .nonFiniteLoss }
        if reference == nil {
            let candidate = max(loss, baseline)
            reference = candidate > 0 ? candidate : 1
        }
        guard let threshold, loss > threshold else {
            streak = 0
            return nil
        }
        streak += 1
        return streak >= Self.consecutiveSteps ? .runawayLoss(threshold: threshold) : nil
    }

    /// Whether `loss` would count as healthy now (finite, not above the threshold, no streak running).
    public func isHealthy(_ loss: Double) -> Bool {
        loss.isFinite && streak == 0 && (threshold.map { loss <= $0 } ?? true)
    }

    /// After a rollback: start counting again (the reference stays).
    public mutating func restart() { streak = 0 }
}

/// The trainer's last good state: a copy of the parameters and the optimizer's state (moments, step
/// count) at `step`, refreshed by memcpy into arenas allocated once. Taken only from weights whose
/// loss on the next batch was just seen to be healthy.
final class LastGoodState {
    /// Refreshed at least every this many steps…
    static let stepInterval = 100
    /// …or this many seconds, whichever comes first.
    static let secondsInterval = 30.0

    let parameters: FloatArena
    let optimizerState = OptimizerStateCopy()
    private(set) var step = -1
    private var takenAt: UInt64 = 0

    init(parameterCount: Int) { parameters = FloatArena(count: parameterCount) }

    var isEmpty: Bool { step < 0 }

    func isDue(step current: Int, now: UInt64) -> Bool {
        isEmpty || current - step >= Self.stepInterval || Double(now &- takenAt) / 1e9 >= Self.secondsInterval
    }

    func take(from model: RecurrentModel, optimizer: Optimizer, step: Int, now: UInt64) {
        parameters.copy(from: model.parameters)
        optimizer.copyState(into: optimizerState)
        self.step = step
        takenAt = now
    }

    func restore(into model: RecurrentModel, optimizer: Optimizer) {
        model.parameters.copy(from: parameters)
        optimizer.restoreState(from: optimizerState)
        model.resetState()
    }
}
