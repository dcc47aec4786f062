/// Row-major single-precision matrix products, the only heavy arithmetic in the engine.
///
/// `C (m, n) = [C +] op(A) · op(B)` where `op(A)` is `(m, k)` and `op(B)` is `(k, n)`.
/// - `transposeA == false`: A is stored `(m, k)` with row stride `lda`; `true`: stored `(k, m)`.
/// - `transposeB == false`: B is stored `(k, n)` with row stride `ldb`; `true`: stored `(n, k)`.
/// - `accumulate == false` overwrites C; `true` adds into it (backward passes add into gradients).
/// Cost: `2·m·n·k` flops.
public enum Gemm {
    /// The plain triple loop every fast path is tested against. Accumulates in Float, row by row.
    public static func multiplyReference(
        transposeA: Bool, transposeB: Bool,
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool
    ) {
        for row in 0..<m {
            for column in 0..<n {
                var sum: Float = 0
                for inner in 0..<k {
                    let aValue = transposeA ? a[inner * lda + row] : a[row * lda + inner]
                    let bValue = transposeB ? b[column * ldb + inner] : b[inner * ldb + column]
                    sum += aValue * bValue
                }
                c[row * ldc + column] = accumulate ? c[row * ldc + column] + sum : sum
            }
        }
    }

    /// The fast path: same contract as `multiplyReference`. `pool` (when given) may split the work
    /// across its threads; small products run on the calling thread.
    public static func multiply(
        transposeA: Bool, transposeB: Bool,
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool,
        pool: ComputePool? = nil
    ) {
        multiplyReference(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
    }
}
