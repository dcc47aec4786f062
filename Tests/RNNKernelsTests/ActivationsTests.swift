import Foundation
import XCTest
@testable import RNNKernels

final class ActivationsTests: XCTestCase {
    /// Dense grid on [-30, 30] plus values near the branch points and tiny magnitudes; a count that is not a
    /// multiple of 8 exercises the tail.
    private static let inputs: [Float] = {
        var values = stride(from: Float(-30), through: 30, by: 0.000_731).map { $0 }
        values += [0, -0, 1e-30, -1e-30, 1e-7, -1e-7, 0.249_999, 0.25, 0.250_001, -0.25, 9, -9, 15, -15]
        values += [88.0, 88.72, 88.7228, -87.3, -87.4, -100, -103.9]
        return values
    }()

    private func maximumError(
        fast: (UnsafeMutablePointer<Float>, Int) -> Void,
        reference: (UnsafeMutablePointer<Float>, Int) -> Void,
        relative: Bool,
        inputs: [Float] = ActivationsTests.inputs
    ) -> (error: Float, at: Float) {
        var fastValues = inputs
        var referenceValues = inputs
        fastValues.withUnsafeMutableBufferPointer { fast($0.baseAddress!, $0.count) }
        referenceValues.withUnsafeMutableBufferPointer { reference($0.baseAddress!, $0.count) }
        var worst: (error: Float, at: Float) = (0, 0)
        for index in inputs.indices {
            var error = abs(fastValues[index] - referenceValues[index])
            if relative { error /= max(Float.leastNormalMagnitude, abs(referenceValues[index])) }
            if !(error <= worst.error) { worst = (error, inputs[index]) }
        }
        return worst
    }

    func testSigmoidMatchesReference() {
        let worst = maximumError(
            fast: { Activations.sigmoid($0, count: $1) }, reference: { Activations.sigmoidReference($0, count: $1) },
            relative: false)
        XCTAssertLessThanOrEqual(worst.error, 2e-6, "worst at x = \(worst.at)")
    }

    func testTanhMatchesReference() {
        let worst = maximumError(
            fast: { Activations.tanh($0, count: $1) }, reference: { Activations.tanhReference($0, count: $1) },
            relative: false)
        XCTAssertLessThanOrEqual(worst.error, 2e-6, "worst at x = \(worst.at)")
        // Near zero tanh(x) ≈ x must keep its relative accuracy (no 1 − (1 − x) cancellation).
        let tiny = maximumError(
            fast: { Activations.tanh($0, count: $1) }, reference: { Activations.tanhReference($0, count: $1) },
            relative: true, inputs: stride(from: Float(-0.3), through: 0.3, by: 0.000_37).filter { $0 != 0 })
        XCTAssertLessThanOrEqual(tiny.error, 1e-6, "worst relative at x = \(tiny.at)")
    }

    func testExpMatchesReferenceRelatively() {
        let normalRange = Self.inputs.filter { $0 > -87 }
        let worst = maximumError(
            fast: { Activations.exp($0, count: $1) }, reference: { Activations.expReference($0, count: $1) },
            relative: true, inputs: normalRange)
        XCTAssertLessThanOrEqual(worst.error, 2e-6, "worst at x = \(worst.at)")
    }

    func testSpecialValues() {
        let infinity = Float.infinity
        let specials: [Float] = [infinity, -infinity, .nan, 1000, -1000, 89, -89, 200, -200]
        func apply(_ function: (UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
            var values = specials
            values.withUnsafeMutableBufferPointer { function($0.baseAddress!, $0.count) }
            return values
        }
        let exp = apply { Activations.exp($0, count: $1) }
        XCTAssertEqual(exp[0], infinity); XCTAssertEqual(exp[1], 0); XCTAssertTrue(exp[2].isNaN)
        XCTAssertEqual(exp[3], infinity); XCTAssertEqual(exp[4], 0); XCTAssertEqual(exp[5], infinity)
        XCTAssertLessThan(exp[6], 1e-38); XCTAssertEqual(exp[7], infinity); XCTAssertEqual(exp[8], 0)

        let sigmoid = apply { Activations.sigmoid($0, count: $1) }
        XCTAssertEqual(sigmoid[0], 1); XCTAssertEqual(sigmoid[1], 0); XCTAssertTrue(sigmoid[2].isNaN)
        XCTAssertEqual(sigmoid[3], 1); XCTAssertEqual(sigmoid[4], 0); XCTAssertEqual(sigmoid[8], 0)

        let tanh = apply { Activations.tanh($0, count: $1) }
        XCTAssertEqual(tanh[0], 1); XCTAssertEqual(tanh[1], -1); XCTAssertTrue(tanh[2].isNaN)
        XCTAssertEqual(tanh[3], 1); XCTAssertEqual(tanh[4], -1); XCTAssertEqual(tanh[7], 1); XCTAssertEqual(tanh[8], -1)
    }

    /// The subnormal range of exp stays close to libm in absolute terms and is monotone down to zero.
    func testExpUnderflowsGradually() {
        let inputs = stride(from: Float(-104), through: -87, by: 0.01).map { $0 }
        let worst = maximumError(
            fast: { Activations.exp($0, count: $1) }, reference: { Activations.expReference($0, count: $1) },
            relative: false, inputs: inputs)
        XCTAssertLessThanOrEqual(worst.error, 8 * Float.leastNonzeroMagnitude, "worst at x = \(worst.at)")
    }

    func testSingleVectorVersionsMatchArrayVersions() {
        let lanes = SIMD8<Float>(-20, -3, -0.1, 0, 0.2, 0.7, 4, 30)
        var array = (0..<8).map { lanes[$0] }
        array.withUnsafeMutableBufferPointer { Activations.tanh($0.baseAddress!, count: 8) }
        let vector = Activations.tanh(lanes)
        for lane in 0..<8 { XCTAssertEqual(vector[lane], array[lane]) }
        XCTAssertEqual(Activations.sigmoid(SIMD8(repeating: 0)), SIMD8(repeating: 0.5))
        XCTAssertEqual(Activations.exp(SIMD8(repeating: 0)), SIMD8(repeating: 1))
    }
}
