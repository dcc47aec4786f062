import Foundation
import RNNKernels

/// Applies an update rule to a parameter arena from its gradient arena, with PyTorch's formulations.
/// Moments live in arenas with the parameters' layout, so each step is one flat loop.
///
/// The optimizer holds only its state (moments, step count, the rule they belong to). The settings,
/// learning rate included, live with the caller (`TrainingSetup.optimizer`) and come with every step,
/// so the rate has one home. A step with another `kind` than the moments' starts fresh moments.
public final class Optimizer {
    /// The rule the moments belong to; nil before the first step.
    public internal(set) var kind: OptimizerKind?
    /// Steps taken with the current rule (Adam's bias correction counts from 1).
    public internal(set) var stepCount = 0
    let count: Int
    var firstMoment: FloatArena?
    var secondMoment: FloatArena?

    public init(parameterCount: Int) {
        self.count = parameterCount
    }

    /// Forgets moments and the step count.
    public func resetState() {
        firstMoment = nil
        secondMoment = nil
        stepCount = 0
        kind = nil
    }

    /// One update by `settings`' rule at rate `settings.learningRate × rateFactor` (the schedule's factor
    /// for this step). Cost: a few flops per parameter.
    public func step(parameters: FloatArena, gradients: FloatArena, settings: OptimizerSettings, rateFactor: Float = 1) {
        precondition(parameters.count == count && gradients.count == count, "arena sizes differ")
        if kind != settings.kind {
            resetState()
            kind = settings.kind
        }
        let learningRate = settings.learningRate * rateFactor
        stepCount += 1
        let p = parameters.base, g = gradients.base
        let decay = settings.weightDecay
        switch settings.kind {
        case .sgd:
            for index in 0..<count { p[index] -= learningRate * (g[index] + decay * p[index]) }
        case .momentum:
            let velocity = moment(&firstMoment).base
            let momentum = settings.momentum
            let first = stepCount == 1
            for index in 0..<count {
                let gradient = g[index] + decay * p[index]
                velocity[index] = first ? gradient : momentum * velocity[index] + gradient
                let direction = settings.nesterov ? gradient + momentum * velocity[index] : velocity[index]
                p[index] -= learningRate * direction
            }
        case .rmsprop:
            let square = moment(&secondMoment).base
            let alpha = settings.rmspropAlpha, epsilon = settings.epsilon
            for index in 0..<count {
                let gradient = g[index] + decay * p[index]
                square[index] = alpha * square[index] + (1 - alpha) * gradient * gradient
                p[index] -= learningRate * gradient / (square[index].squareRoot() + epsilon)
            }
        case .adam, .adamw:
            let m = moment(&firstMoment).base, v = moment(&secondMoment).base
            let beta1 = settings.beta1, beta2 = settings.beta2, epsilon = settings.epsilon
            let correction1 = 1 - Float(Foundation.pow(Double(beta1), Double(stepCount)))
            let correction2 = 1 - Float(Foundation.pow(Double(beta2), Double(stepCount)))
            let stepSize = learningRate / correction1
            let decoupled = settings.kind == .adamw
            let shrink = decoupled ? 1 - learningRate * decay : 1
            let coupledDecay = decoupled ? 0 : decay
            // 8 lanes at a time (the same arithmetic per element as the scalar tail).
            let vectorEnd = count - count % 8
            var index = 0
            while index < vectorEnd {
                let parameter = load8(p + index)
                let gradient = load8(g + index) + coupledDecay * parameter
                let first = beta1 * load8(m + index) + (1 - beta1) * gradient
                let second = beta2 * load8(v + index) + (1 - beta2) * gradient * gradient
                store8(first, m + index)
                store8(second, v + index)
                store8(parameter * shrink - stepSize * first / (Activations.squareRoot(second / correction2) + epsilon), p + index)
                index += 8
            }
            for index in vectorEnd..<count {
                let gradient = g[index] + coupledDecay * p[index]
                m[index] = beta1 * m[index] + (1 - beta1) * gradient
                v[index] = beta2 * v[index] + (1 - beta2) * gradient * gradient
                p[index] = p[index] * shrink - stepSize * m[index] / ((v[index] / correction2).squareRoot() + epsilon)
            }
        }
    }

    /// The rule's state for saving (copies): the step count and the moments (nil when none kept yet).
    /// Cost: one copy of each moment arena.
    public var state: OptimizerState {
        OptimizerState(stepCount: stepCount, firstMoment: firstMoment?.array(), secondMoment: secondMoment?.array())
    }

    /// Puts back a saved state whose moments belong to rule `kind` (nil: no step taken yet); refuses
    /// moments of another size.
    public func restore(_ state: OptimizerState, kind: OptimizerKind?) throws {
        for moment in [state.firstMoment, state.secondMoment] {
            if let moment, moment.count != count {
                throw ModelError("optimizer moment has \(moment.count) values, expected \(count)")
            }
        }
        self.kind = state.stepCount > 0 ? kind : nil
        stepCount = state.stepCount
        firstMoment = state.firstMoment.map(Self.arena)
        secondMoment = state.secondMoment.map(Self.arena)
    }

    private static func arena(_ values: [Float]) -> FloatArena {
        let arena = FloatArena(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let start = source.baseAddress { arena.base.update(from: start, count: source.count) }
        }
        return arena
    }

    private func moment(_ slot: inout FloatArena?) -> FloatArena {
        if let arena = slot { return arena }
        let arena = FloatArena(count: count)
        slot = arena
        return arena
    }
}

/// What an `Optimizer` carries from step to step: its step count and moments (N) in the parameters' layout.
/// SGD keeps none; momentum keeps the first (velocity); RMSProp the second; Adam/AdamW both.
public struct OptimizerState: Sendable, Equatable {
    public var stepCount: Int
    public var firstMoment: [Float]?
    public var secondMoment: [Float]?

    public init(stepCount: Int, firstMoment: [Float]?, secondMoment: [Float]?) {
        self.stepCount = stepCount
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }
}

/// Gradient-norm utilities over a whole arena.
public enum GradientClipping {
    /// ‖g‖₂ over every element, accumulated in Double.
    public static func globalNorm(_ gradients: FloatArena) -> Double {
        var sum = 0.0
        let g = gradients.base
        var partial: Float = 0
        for index in 0..<gradients.count {
            partial += g[index] * g[index]
            if index & 1023 == 1023 {
                sum += Double(partial)
                partial = 0
            }
        }
        return (sum + Double(partial)).squareRoot()
    }

    /// Scales the gradients so their global norm is at most `maximumNorm` (PyTorch's clip_grad_norm_).
    /// Returns the norm before clipping.
    @discardableResult
    public static func clip(_ gradients: FloatArena, maximumNorm: Float) -> Double {
        let norm = globalNorm(gradients)
        let scale = Double(maximumNorm) / (norm + 1e-6)
        if scale < 1 {
            let factor = Float(scale), g = gradients.base
            for index in 0..<gradients.count { g[index] *= factor }
        }
        return norm
    }
}
