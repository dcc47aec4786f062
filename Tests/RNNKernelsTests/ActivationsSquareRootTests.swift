import XCTest
@testable import RNNKernels

/// `Activations.squareRoot` (one vsqrtps) gives exactly Float's own square root, lane by lane, on zeros,
/// subnormals, normal values, infinity and NaN.
final class ActivationsSquareRootTests: XCTestCase {
    func testMatchesFloatSquareRootBitForBit() {
        let values: [Float] = [0, -0.0, .leastNonzeroMagnitude, Float(bitPattern: 0x000F_FFFF), 1e-20, 0.25, 1, 2, 3, 1e10, .greatestFiniteMagnitude,
                               .infinity, 7.5, 0.1, 12345.678, 1e-3]
        for start in stride(from: 0, to: values.count, by: 8) {
            var lanes = SIMD8<Float>()
            for lane in 0..<8 { lanes[lane] = values[(start + lane) % values.count] }
            let roots = Activations.squareRoot(lanes)
            for lane in 0..<8 {
                XCTAssertEqual(roots[lane].bitPattern, lanes[lane].squareRoot().bitPattern, "√\(lanes[lane])")
            }
        }
        let negative = Activations.squareRoot(SIMD8<Float>(repeating: -1))
        XCTAssertTrue(negative[0].isNaN, "√−1 is NaN")
    }
}
