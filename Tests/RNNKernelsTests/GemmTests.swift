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

    /// Every transpose combination, both accumulate modes, strides wider than the rows, on shapes that
    /// hit every tile kernel (6, 4, 2, 1 rows), partial panels and several depth blocks.
    func testFastMatchesReferenceOnAwkwardShapes() {
        let shapes: [(m: Int, n: Int, k: Int)] = [
            (1, 1, 1), (1, 7, 15), (7, 1, 16), (15, 16, 17), (16, 17, 1), (17, 33, 65), (33, 15, 7),
            (65, 130, 33), (5, 48, 300), (3, 20, 513), (130, 65, 17), (11, 9, 700), (200, 18, 40),
            (2, 37, 70), (4, 100, 33), (1, 300, 29), (1, 70, 8),
        ]
        var generator = SeededGenerator(seed: 1)
        for shape in shapes {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    for accumulate in [false, true] {
                        let problem = GemmProblem(
                            m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA, transposeB: transposeB,
                            padding: 3, using: &generator)
                        let expected = problem.run(accumulate: accumulate, method: .reference)
                        let fast = problem.run(accumulate: accumulate, method: .fast(pool: nil))
                        assertClose(fast, expected, k: shape.k, "\(shape) tA=\(transposeA) tB=\(transposeB) acc=\(accumulate)")
                    }
                }
            }
        }
    }

    /// The pool, the packed API and the unpacked API give the same bits, and stay close to the reference.
    func testThreadsAndPackingDoNotChangeResults() {
        let pools = [ComputePool(threadCount: 2), ComputePool(threadCount: 3)]
        // Above and below the parallel threshold; split by columns (wide) and by rows (narrow, tall);
        // (600, 80, 64) packs A when serial but reads it in place in the 1-panel blocks of a split;
        // (44, 40, 300) ends in two 4-row tiles inside the second of two row chunks.
        let shapes: [(m: Int, n: Int, k: Int)] = [
            (1, 512, 128), (1, 2048, 300), (7, 300, 129), (64, 512, 128), (130, 33, 300), (700, 17, 64),
            (33, 1024, 65), (600, 80, 64), (44, 40, 300), (3, 700, 301),
        ]
        var generator = SeededGenerator(seed: 2)
        for shape in shapes {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    for accumulate in [false, true] {
                        let problem = GemmProblem(
                            m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA, transposeB: transposeB,
                            padding: 5, using: &generator)
                        let label = "\(shape) tA=\(transposeA) tB=\(transposeB) acc=\(accumulate)"
                        let serial = problem.run(accumulate: accumulate, method: .fast(pool: nil))
                        let pool = pools[(shape.m + shape.n) % 2]
                        let threaded = problem.run(accumulate: accumulate, method: .fast(pool: pool))
                        let packed = problem.run(accumulate: accumulate, method: .packed(pool: pool))
                        XCTAssertNil(firstDifference(serial, threaded), "\(pool.threadCount) threads changed bits: \(label)")
                        if shape.m > Gemm.fewRowsLimit {
                            XCTAssertNil(firstDifference(serial, packed), "packing changed bits: \(label)")
                        } else {
                            assertClose(packed, serial, k: shape.k, label)
                        }
                        let expected = problem.run(accumulate: accumulate, method: .reference)
                        assertClose(threaded, expected, k: shape.k, label)
                    }
                }
            }
        }
    }

    /// A packed matrix repacked with other values and a smaller size gives the new product.
    func testRepackReusesStorage() {
        var generator = SeededGenerator(seed: 3)
        let packed = PackedMatrix()
        for (k, n) in [(40, 70), (20, 33), (40, 70)] {
            let problem = GemmProblem(m: 9, n: n, k: k, transposeA: false, transposeB: true, padding: 0, using: &generator)
            let expected = problem.run(accumulate: false, method: .reference)
            let result = problem.run(accumulate: false, method: .packedInto(packed))
            assertClose(result, expected, k: k, "repack k=\(k) n=\(n)")
            XCTAssertEqual(packed.depth, k)
            XCTAssertEqual(packed.columnCount, n)
        }
    }

    func testZeroDepthOverwritesOrKeeps() {
        let problem = GemmProblem(m: 3, n: 20, k: 0, transposeA: false, transposeB: false, padding: 1,
            using: &generatorForZeroDepth)
        let overwritten = problem.run(accumulate: false, method: .fast(pool: nil))
        XCTAssertEqual(overwritten, problem.run(accumulate: false, method: .reference))
        let kept = problem.run(accumulate: true, method: .packed(pool: nil))
        XCTAssertEqual(kept, problem.run(accumulate: true, method: .reference))
    }

    /// The first index where the arrays differ bit for bit (or their count, if only the lengths differ).
    private func firstDifference(_ left: [Float], _ right: [Float]) -> String? {
        if let index = zip(left.indices, right.indices).first(where: { left[$0].bitPattern != right[$1].bitPattern })?.0 {
            return "index \(index): \(left[index]) vs \(right[index])"
        }
        return left.count == right.count ? nil : "counts \(left.count) vs \(right.count)"
    }

    private var generatorForZeroDepth = SeededGenerator(seed: 4)

    /// |fast - reference| / max(1, |reference|) <= 4e-7 · (k + 4): the classic bound for float sums of k terms.
    private func assertClose(_ actual: [Float], _ expected: [Float], k: Int, _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        let tolerance = Float(k + 4) * 4e-7
        var worst: Float = 0
        for index in expected.indices {
            let difference = abs(actual[index] - expected[index]) / max(1, abs(expected[index]))
            worst = max(worst, difference)
        }
        // Operands are in [-1, 1], so sums are O(sqrt(k)): relative to max(1, |x|) is a fair scale.
        XCTAssertLessThanOrEqual(worst, tolerance, label, file: file, line: line)
    }
}

/// A deterministic pseudo-random generator (SplitMix64) so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// One product with random operands stored with row strides `padding` wider than needed; the padding
/// of C holds a sentinel that must survive.
struct GemmProblem {
    enum Method {
        case reference
        case fast(pool: ComputePool?)
        case packed(pool: ComputePool?)
        case packedInto(PackedMatrix)
    }

    let m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool
    let lda: Int, ldb: Int, ldc: Int
    let a: [Float], b: [Float], initialC: [Float]
    static let sentinel: Float = 12345

    init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, padding: Int,
         using generator: inout SeededGenerator) {
        self.m = m; self.n = n; self.k = k; self.transposeA = transposeA; self.transposeB = transposeB
        lda = (transposeA ? m : k) + padding
        ldb = (transposeB ? k : n) + padding
        ldc = n + padding
        a = (0..<((transposeA ? k : m) * lda + 1)).map { _ in Float.random(in: -1...1, using: &generator) }
        b = (0..<((transposeB ? n : k) * ldb + 1)).map { _ in Float.random(in: -1...1, using: &generator) }
        var c = [Float](repeating: Self.sentinel, count: m * ldc)
        for row in 0..<m { for column in 0..<n { c[row * ldc + column] = Float.random(in: -1...1, using: &generator) } }
        initialC = c
    }

    /// C after the product, only the (m, n) part; fails (by returning NaNs) if the padding was touched.
    func run(accumulate: Bool, method: Method) -> [Float] {
        var c = initialC
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    let a = a.baseAddress!, b = b.baseAddress!, c = c.baseAddress!
                    switch method {
                    case .reference:
                        Gemm.multiplyReference(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                            a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
                    case .fast(let pool):
                        Gemm.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                            a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, pool: pool)
                    case .packed(let pool):
                        let packed = PackedMatrix(b, ldb: ldb, transposed: transposeB, k: k, n: n, pool: pool)
                        Gemm.multiply(transposeA: transposeA, m: m, a: a, lda: lda, packed: packed,
                            c: c, ldc: ldc, accumulate: accumulate, pool: pool)
                    case .packedInto(let packed):
                        packed.pack(b, ldb: ldb, transposed: transposeB, k: k, n: n)
                        Gemm.multiply(transposeA: transposeA, m: m, a: a, lda: lda, packed: packed,
                            c: c, ldc: ldc, accumulate: accumulate)
                    }
                }
            }
        }
        var result: [Float] = []
        for row in 0..<m {
            for column in n..<ldc where c[row * ldc + column] != Self.sentinel { return [.nan] }
            result.append(contentsOf: c[(row * ldc)..<(row * ldc + n)])
        }
        return result
    }
}
