import Foundation
import RNNEngine
import XCTest

/// Each update rule against PyTorch's formulas computed by hand in Double, over a few steps with changing
/// gradients and learning rates; gradient clipping; learning-rate schedules.
final class OptimizerTests: XCTestCase {
    let initialParameters: [Double] = [0.5, -1.25, 2.0, 0.0, -0.03]
    /// One gradient vector per step.
    let gradientSteps: [[Double]] = [
        [0.1, -0.2, 0.3, 1.5, -0.01],
        [-0.4, 0.05, 0.3, -1.0, 0.02],
        [0.2, 0.2, -0.6, 0.25, 0.0],
        [1e-4, -3.0, 0.1, 0.5, 0.07],
    ]
    let learningRates: [Double] = [0.1, 0.05, 0.05, 0.02]

    /// Runs the engine's optimizer over `gradientSteps` and returns the parameters after each step.
    func engineTrajectory(_ settings: OptimizerSettings) -> [[Double]] {
        let count = initialParameters.count
        let parameters = FloatArena(count: count), gradients = FloatArena(count: count)
        for index in 0..<count { parameters.base[index] = Float(initialParameters[index]) }
        let optimizer = Optimizer(parameterCount: count)
        var trajectory: [[Double]] = []
        for (step, gradient) in gradientSteps.enumerated() {
            for index in 0..<count { gradients.base[index] = Float(gradient[index]) }
            var stepSettings = settings
            stepSettings.learningRate = Float(learningRates[step])
            optimizer.step(parameters: parameters, gradients: gradients, settings: stepSettings)
            trajectory.append(parameters.array().map(Double.init))
        }
        XCTAssertEqual(optimizer.stepCount, gradientSteps.count)
        return trajectory
    }

    /// PyTorch's update rules, element by element in Double. Returns the parameters after each step.
    func referenceTrajectory(_ settings: OptimizerSettings) -> [[Double]] {
        var p = initialParameters
        var first = [Double](repeating: 0, count: p.count), second = first
        let momentum = Double(settings.momentum), decay = Double(settings.weightDecay)
        let beta1 = Double(settings.beta1), beta2 = Double(settings.beta2)
        let epsilon = Double(settings.epsilon), alpha = Double(settings.rmspropAlpha)
        var trajectory: [[Double]] = []
        for (step, gradient) in gradientSteps.enumerated() {
            let lr = learningRates[step], t = Double(step + 1)
            for i in 0..<p.count {
                switch settings.kind {
                case .sgd:
                    p[i] -= lr * (gradient[i] + decay * p[i])
                case .momentum:
                    // torch.optim.SGD: buf = g on the first step, then momentum·buf + g; Nesterov uses g + momentum·buf.
                    let g = gradient[i] + decay * p[i]
                    first[i] = step == 0 ? g : momentum * first[i] + g
                    p[i] -= lr * (settings.nesterov ? g + momentum * first[i] : first[i])
                case .rmsprop:
                    let g = gradient[i] + decay * p[i]
                    second[i] = alpha * second[i] + (1 - alpha) * g * g
                    p[i] -= lr * g / (second[i].squareRoot() + epsilon)
                case .adam, .adamw:
                    var g = gradient[i]
                    if settings.kind == .adamw { p[i] *= 1 - lr * decay } else { g += decay * p[i] }
                    first[i] = beta1 * first[i] + (1 - beta1) * g
                    second[i] = beta2 * second[i] + (1 - beta2) * g * g
                    let firstCorrected = first[i] / (1 - Foundation.pow(beta1, t))
                    let secondCorrected = second[i] / (1 - Foundation.pow(beta2, t))
                    p[i] -= lr * firstCorrected / (secondCorrected.squareRoot() + epsilon)
                }
            }
            trajectory.append(p)
        }
        return trajectory
    }

    func check(_ settings: OptimizerSettings, file: StaticString = #filePath, line: UInt = #line) {
        let engine = engineTrajectory(settings), reference = referenceTrajectory(settings)
        for (step, (actual, expected)) in zip(engine, reference).enumerated() {
            for index in actual.indices {
                XCTAssertEqual(actual[index], expected[index], accuracy: 2e-6 * max(1, abs(expected[index])),
                               "\(settings.kind) step \(step + 1) parameter \(index)", file: file, line: line)
            }
        }
        // The rule moved something (a test that cannot fail checks nothing).
        XCTAssertNotEqual(reference.last!, initialParameters, file: file, line: line)
    }

    func testSGD() {
        check(OptimizerSettings(kind: .sgd))
        check(OptimizerSettings(kind: .sgd, weightDecay: 0.1))
    }

    func testHeavyBallMomentum() {
        check(OptimizerSettings(kind: .momentum, momentum: 0.9))
        check(OptimizerSettings(kind: .momentum, momentum: 0.8, weightDecay: 0.05))
    }

    func testNesterovMomentum() {
        check(OptimizerSettings(kind: .momentum, momentum: 0.9, nesterov: true))
        check(OptimizerSettings(kind: .momentum, momentum: 0.7, nesterov: true, weightDecay: 0.05))
    }

    func testRMSProp() {
        check(OptimizerSettings(kind: .rmsprop, epsilon: 1e-8, rmspropAlpha: 0.99))
        check(OptimizerSettings(kind: .rmsprop, epsilon: 1e-2, rmspropAlpha: 0.9, weightDecay: 0.05))
    }

    func testAdam() {
        check(OptimizerSettings(kind: .adam))
        check(OptimizerSettings(kind: .adam, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.1))
    }

    func testAdamW() {
        check(OptimizerSettings(kind: .adamw, weightDecay: 0.1))
        check(OptimizerSettings(kind: .adamw, beta1: 0.5, beta2: 0.95, weightDecay: 0.5))
    }

    /// The first Adam step moves every parameter with a nonzero gradient by about lr (bias correction).
    func testAdamFirstStepIsLearningRateSized() {
        let parameters = FloatArena(count: 3), gradients = FloatArena(count: 3)
        gradients.base[0] = 1e-3
        gradients.base[1] = -50
        let optimizer = Optimizer(parameterCount: 3)
        optimizer.step(parameters: parameters, gradients: gradients, settings: OptimizerSettings(kind: .adam, learningRate: 0.01))
        XCTAssertEqual(parameters.base[0], -0.01, accuracy: 1e-6)
        XCTAssertEqual(parameters.base[1], 0.01, accuracy: 1e-6)
        XCTAssertEqual(parameters.base[2], 0)
    }

    /// Changing the rule starts it with fresh moments and step count; resetState does the same.
    func testChangingTheRuleResetsMoments() {
        let count = initialParameters.count
        let parameters = FloatArena(count: count), gradients = FloatArena(count: count)
        let optimizer = Optimizer(parameterCount: count)
        for index in 0..<count { gradients.base[index] = Float(gradientSteps[0][index]) }
        let momentum = OptimizerSettings(kind: .momentum, learningRate: 0.1)
        optimizer.step(parameters: parameters, gradients: gradients, settings: momentum)
        optimizer.step(parameters: parameters, gradients: gradients, settings: momentum)
        XCTAssertEqual(optimizer.stepCount, 2)
        parameters.zero()
        optimizer.step(parameters: parameters, gradients: gradients, settings: OptimizerSettings(kind: .adam, learningRate: 0.01))
        XCTAssertEqual(optimizer.stepCount, 1, "a step with another rule starts a fresh count")
        XCTAssertEqual(optimizer.kind, .adam)
        // A fresh Adam's first step is lr·sign(g).
        for index in 0..<count {
            XCTAssertEqual(Double(parameters.base[index]), -0.01 * (gradientSteps[0][index] > 0 ? 1 : -1), accuracy: 1e-5)
        }
        optimizer.resetState()
        XCTAssertEqual(optimizer.stepCount, 0)
    }

    // MARK: - Clipping

    func testGlobalNormAndClipping() {
        let gradients = FloatArena(count: 4)
        gradients.base[0] = 3
        gradients.base[3] = -4
        XCTAssertEqual(GradientClipping.globalNorm(gradients), 5, accuracy: 1e-12)
        XCTAssertEqual(GradientClipping.clip(gradients, maximumNorm: 10), 5, accuracy: 1e-12)
        XCTAssertEqual(gradients.array(), [3, 0, 0, -4], "below the limit: untouched")
        XCTAssertEqual(GradientClipping.clip(gradients, maximumNorm: 1), 5, accuracy: 1e-12)
        // PyTorch: scale = max_norm / (norm + 1e-6).
        let scale = 1 / (5 + 1e-6)
        XCTAssertEqual(Double(gradients.base[0]), 3 * scale, accuracy: 1e-7)
        XCTAssertEqual(Double(gradients.base[3]), -4 * scale, accuracy: 1e-7)
        XCTAssertEqual(GradientClipping.globalNorm(gradients), 1, accuracy: 1e-6)
    }

    /// A norm over more than one accumulation block (1024) of mixed magnitudes, against Double.
    func testGlobalNormOfALargeArena() {
        let count = 5000
        let gradients = FloatArena(count: count)
        var random = SeededRandom(seed: 9)
        var expected = 0.0
        for index in 0..<count {
            let value = random.uniform(-1, 1) * (index % 7 == 0 ? 100 : 1)
            gradients.base[index] = value
            expected += Double(value) * Double(value)
        }
        XCTAssertEqual(GradientClipping.globalNorm(gradients), expected.squareRoot(), accuracy: 1e-5 * expected.squareRoot())
    }

    // MARK: - Schedules

    func testLearningRateSchedules() {
        XCTAssertEqual(LearningRateSchedule.constant.factor(atStep: 0), 1)
        XCTAssertEqual(LearningRateSchedule.constant.factor(atStep: 12345), 1)

        let decay = LearningRateSchedule.stepDecay(interval: 10, factor: 0.5)
        XCTAssertEqual(decay.factor(atStep: 0), 1)
        XCTAssertEqual(decay.factor(atStep: 9), 1)
        XCTAssertEqual(decay.factor(atStep: 10), 0.5)
        XCTAssertEqual(decay.factor(atStep: 25), 0.25)
        XCTAssertEqual(decay.factor(atStep: 30), 0.125)

        let cosine = LearningRateSchedule.cosine(totalSteps: 100, minimumFactor: 0.1)
        XCTAssertEqual(cosine.factor(atStep: 0), 1, accuracy: 1e-6)
        XCTAssertEqual(cosine.factor(atStep: 50), 0.55, accuracy: 1e-6)
        XCTAssertEqual(cosine.factor(atStep: 25), Float(0.1 + 0.9 * (1 + cos(Double.pi / 4)) / 2), accuracy: 1e-6)
        XCTAssertEqual(cosine.factor(atStep: 100), 0.1, accuracy: 1e-6)
        XCTAssertEqual(cosine.factor(atStep: 500), 0.1, accuracy: 1e-6)
    }
}
