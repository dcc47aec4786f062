import XCTest
@testable import RNNKernels

/// Products of depth ≤ `Gemm.shallowDepthLimit` read A in place even with many panels (the time loops of
/// tiny models): they must match the reference, and give the same bits as the packed-A path they replace.
final class GemmShallowDepthTests: XCTestCase {
    /// The time-loop shapes of the textbook classifier (B 32 or 16 rows, 4H = 64 gates, H = 16) and awkward
    /// neighbours: 1, 7, 65 columns, depths 1, 7, 32 (the limit) and 33 (just past it, packed as before).
    let shapes: [(m: Int, n: Int, k: Int)] = [
        (32, 64, 16), (16, 64, 16), (7, 65, 7), (13, 130, 32), (6, 80, 33), (65, 1, 1), (1, 65, 32), (33, 257, 1),
    ]

    func testShallowProductsMatchTheReference() {
        var generator = SeededGenerator(seed: 11)
        for shape in shapes {
            for accumulate in [false, true] {
                let problem = GemmProblem(m: shape.m, n: shape.n, k: shape.k, transposeA: false, transposeB: true,
                                          padding: 2, using: &generator)
                let expected = problem.run(accumulate: accumulate, method: .reference)
                let fast = problem.run(accumulate: accumulate, method: .packed(pool: nil))
                XCTAssertEqual(fast.count, expected.count)
                let tolerance = Float(shape.k + 4) * 4e-7
                let worst = zip(fast, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .nan
                XCTAssertLessThanOrEqual(worst, tolerance, "\(shape) acc=\(accumulate)")
            }
        }
    }

    func testInPlaceAndPackedAGiveTheSameBits() {
        var generator = SeededGenerator(seed: 12)
        for shape in shapes {
            let problem = GemmProblem(m: shape.m, n: shape.n, k: shape.k, transposeA: false, transposeB: true,
                                      padding: 3, using: &generator)
            let packed = PackedMatrix()
            problem.b.withUnsafeBufferPointer { b in
                packed.pack(b.baseAddress!, ldb: problem.ldb, transposed: true, k: shape.k, n: shape.n)
            }
            func run(packingA: Bool) -> [Float] {
                var c = problem.initialC
                problem.a.withUnsafeBufferPointer { a in
                    c.withUnsafeMutableBufferPointer { c in
                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: shape.m * shape.k + Gemm.packScratchSlack)
                        defer { scratch.deallocate() }
                        packed.withPanels { panels in
                            Gemm.multiplyBlockDepths(
                                rows: 0..<shape.m, panels: 0..<packed.panelCount, n: shape.n, k: shape.k,
                                blockDepth: shape.k, a: a.baseAddress!, aRowStride: problem.lda, aInnerStride: 1,
                                packed: panels, scratch: packingA ? scratch : nil, c: c.baseAddress!,
                                ldc: problem.ldc, accumulate: true)
                        }
                    }
                }
                return c
            }
            let inPlace = run(packingA: false), packedA = run(packingA: true)
            XCTAssertEqual(inPlace.map(\.bitPattern), packedA.map(\.bitPattern), "\(shape)")
            XCTAssertNotEqual(inPlace, problem.initialC, "\(shape): the product ran")
        }
    }
}
