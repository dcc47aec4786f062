import Foundation

/// The update rule applied to the parameter arena after each backward pass.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    /// Plain SGD: p -= lr * g.
    case sgd
    /// SGD with momentum (heavy ball, or Nesterov when `nesterov` is set), PyTorch's formulation.
    case momentum
    case rmsprop
    case adam
    /// Adam with decoupled weight decay.
    case adamw
}

/// Learning-rate schedule, as a factor on the base learning rate at step s (0-based).
public enum LearningRateSchedule: Codable, Sendable, Equatable {
    case constant
    /// Multiply by `factor` every `interval` steps.
    case stepDecay(interval: Int, factor: Float)
    /// Cosine from 1 down to `minimumFactor` over `totalSteps`, then stay there.
    case cosine(totalSteps: Int, minimumFactor: Float)

    public func factor(atStep step: Int) -> Float {
        switch self {
        case .constant:
            return 1
        case .stepDecay(let interval, let factor):
            guard interval > 0 else { return 1 }
            var value: Float = 1
            for _ in 0..<(step / interval) { value *= factor }
            return value
        case .cosine(let totalSteps, let minimumFactor):
            guard totalSteps > 0 else { return 1 }
            let progress = Float(min(step, totalSteps)) / Float(totalSteps)
            let cosine = (1 + Foundation.cos(Float.pi * progress)) / 2
            return minimumFactor + (1 - minimumFactor) * cosine
        }
    }
}

/// Everything an optimizer step needs besides the gradients.
public struct OptimizerSettings: Codable, Sendable, Equatable {
    public var kind: OptimizerKind
    public var learningRate: Float
    /// SGD momentum factor (PyTorch's `momentum`).
    public var momentum: Float
    public var nesterov: Bool
    /// Adam/AdamW betas and epsilon; RMSProp uses `rmspropAlpha` and `epsilon`.
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var rmspropAlpha: Float
    /// L2 penalty added to the gradient (SGD, momentum, RMSProp, Adam) or decoupled decay (AdamW).
    public var weightDecay: Float

    public init(
        kind: OptimizerKind = .adam, learningRate: Float = 0.002, momentum: Float = 0.9, nesterov: Bool = false,
        beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, rmspropAlpha: Float = 0.99,
        weightDecay: Float = 0
    ) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.rmspropAlpha = rmspropAlpha
        self.weightDecay = weightDecay
    }
}
