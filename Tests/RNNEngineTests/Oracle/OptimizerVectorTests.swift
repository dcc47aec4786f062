import RNNEngine
import XCTest

/// Adam and AdamW update 8 parameters at a time and the last count mod 8 one by one: every element of a
/// 21-parameter arena (two vectors and a tail of 5) must follow, bit for bit, the trajectory that the same
/// element gets alone in a 1-parameter arena (which runs only the scalar loop).
final class OptimizerVectorTests: XCTestCase {
    func testVectorLanesMatchTheScalarLoopBitForBit() {
        let count = 21
        var state: UInt64 = 99
        func nextValue() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 500  // in [-2, 2]
        }
        let initial = (0..<count).map { _ in nextValue() }
        let gradientSteps = (0..<5).map { _ in (0..<count).map { _ in nextValue() } }
        for settings in [OptimizerSettings(kind: .adam), OptimizerSettings(kind: .adamw, weightDecay: 0.1),
                         OptimizerSettings(kind: .adam, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.05)] {
            func run(_ indices: [Int]) -> [[Float]] {
                let parameters = FloatArena(count: indices.count), gradients = FloatArena(count: indices.count)
                for (slot, index) in indices.enumerated() { parameters.base[slot] = initial[index] }
                let optimizer = Optimizer(parameterCount: indices.count)
                return gradientSteps.map { gradient in
                    for (slot, index) in indices.enumerated() { gradients.base[slot] = gradient[index] }
                    var rated = settings
                    rated.learningRate = 0.01
                    optimizer.step(parameters: parameters, gradients: gradients, settings: rated)
                    return parameters.array()
                }
            }
            let together = run(Array(0..<count))
            for index in 0..<count {
                let alone = run([index])
                for step in gradientSteps.indices {
                    XCTAssertEqual(together[step][index].bitPattern, alone[step][0].bitPattern,
                                   "\(settings.kind) element \(index) step \(step): \(together[step][index]) vs \(alone[step][0])")
                }
            }
            XCTAssertNotEqual(together.last, initial, "the parameters moved")
        }
    }
}
