import RNNKernels

/// A block of recurrent weights W (N, K) row-major — W_hh (G·H, H) or a row block of it — packed for
/// the two products a time loop needs: `h · Wᵀ` forward and `d · W` backward. Packed once per pass
/// (after each optimizer step) and then reused at every timestep; the packs are reused storage.
final class RecurrentWeights {
    /// N: output width (gate rows), K: input width (hidden size).
    private(set) var outputCount = 0
    private(set) var inputCount = 0
    /// op(B) = Wᵀ (K, N) for the forward product; op(B) = W (N, K) for the backward product.
    private let forwardPack = PackedMatrix()
    private let backwardPack = PackedMatrix()

    /// Packs Wᵀ for `multiplyAccumulate`. weights: (N, K).
    func packForward(_ weights: UnsafePointer<Float>, outputCount: Int, inputCount: Int, pool: ComputePool?) {
        self.outputCount = outputCount
        self.inputCount = inputCount
        forwardPack.pack(weights, ldb: inputCount, transposed: true, k: inputCount, n: outputCount, pool: pool)
    }

    /// Packs W for `multiplyTransposed`. weights: (N, K).
    func packBackward(_ weights: UnsafePointer<Float>, outputCount: Int, inputCount: Int, pool: ComputePool?) {
        self.outputCount = outputCount
        self.inputCount = inputCount
        backwardPack.pack(weights, ldb: inputCount, transposed: false, k: outputCount, n: inputCount, pool: pool)
    }

    /// output (rows, N) += input (rows, K) · Wᵀ  (`accumulate == false`: output = …)
    func multiplyAccumulate(
        rows: Int, input: UnsafePointer<Float>, inputStride: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int, accumulate: Bool = true
    ) {
        Gemm.multiply(m: rows, a: input, lda: inputStride, packed: forwardPack, c: output, ldc: outputStride, accumulate: accumulate)
    }

    /// output (rows, K) [+]= gradient (rows, N) · W
    func multiplyTransposed(
        rows: Int, gradient: UnsafePointer<Float>, gradientStride: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int, accumulate: Bool
    ) {
        Gemm.multiply(m: rows, a: gradient, lda: gradientStride, packed: backwardPack, c: output, ldc: outputStride, accumulate: accumulate)
    }
}

/// The packed recurrent weights of one layer: the whole W_hh, and for GRU reset-before its r/z rows
/// and its n rows separately (the n rows multiply r ⊙ h', not h').
final class LayerRecurrentWeights {
    let whole = RecurrentWeights()
    let resetUpdate = RecurrentWeights()
    let candidate = RecurrentWeights()

    /// weights: W_hh (G·H, H). `splitCandidate`: GRU reset-before.
    func pack(_ weights: UnsafePointer<Float>, hiddenSize: Int, gateCount: Int, splitCandidate: Bool, forward: Bool, pool: ComputePool?) {
        let hidden = hiddenSize
        func packBlock(_ block: RecurrentWeights, _ start: UnsafePointer<Float>, rows: Int) {
            if forward {
                block.packForward(start, outputCount: rows, inputCount: hidden, pool: pool)
            } else {
                block.packBackward(start, outputCount: rows, inputCount: hidden, pool: pool)
            }
        }
        if splitCandidate {
            packBlock(resetUpdate, weights, rows: 2 * hidden)
            packBlock(candidate, weights + 2 * hidden * hidden, rows: hidden)
        } else {
            packBlock(whole, weights, rows: gateCount * hidden)
        }
    }
}
