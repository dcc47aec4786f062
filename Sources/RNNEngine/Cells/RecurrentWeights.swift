import RNNKernels

/// A block of recurrent weights W (N, K) row-major — W_hh (G*H, H) or a row block of it — and the two
/// products a time loop needs with it. Built for the duration of one pass; holds no storage.
struct RecurrentWeights {
    /// weights: (N, K)
    let weights: UnsafePointer<Float>
    /// N: output width (gate rows), K: input width (hidden size).
    let outputCount: Int
    let inputCount: Int

    /// output (rows, N) += input (rows, K) · Wᵀ
    func multiplyAccumulate(
        rows: Int, input: UnsafePointer<Float>, inputStride: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        Gemm.multiply(
            transposeA: false, transposeB: true, m: rows, n: outputCount, k: inputCount,
            a: input, lda: inputStride, b: weights, ldb: inputCount, c: output, ldc: outputStride, accumulate: true)
    }

    /// output (rows, K) [+]= gradient (rows, N) · W
    func multiplyTransposed(
        rows: Int, gradient: UnsafePointer<Float>, gradientStride: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int, accumulate: Bool
    ) {
        Gemm.multiply(
            transposeA: false, transposeB: false, m: rows, n: inputCount, k: outputCount,
            a: gradient, lda: gradientStride, b: weights, ldb: inputCount, c: output, ldc: outputStride,
            accumulate: accumulate)
    }
}
