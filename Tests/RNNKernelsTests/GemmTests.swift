import XCTest
@testable import RNNKernels

final class GemmTests: XCTestCase {
    func testReferenceSmall() {
        let a: [Float] = [1, 2, 3, 4]  // (2, 2)
        let b: [Float] = [5, 6, 7, 8]  // (2, 2)
        var c = [Float](repeating: 0, count: 4)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    Gemm.multiplyReference(transposeA: false, transposeB: false, m: 2, n: 2, k: 2,
                        a: a.baseAddress!, lda: 2, b: b.baseAddress!, ldb: 2, c: c.baseAddress!, ldc: 2, accumulate: false)
                }
            }
        }
        XCTAssertEqual(c, [19, 22, 43, 50])
    }
}
