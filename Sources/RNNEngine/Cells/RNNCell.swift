import RNNKernels

/// One vanilla-RNN timestep over a range of batch rows: h = act(W_ih x + b_ih + W_hh h' + b_hh),
/// act = tanh or relu. Shapes: pre (B, H) in the input projection with both biases, out h itself;
/// hPrev/h (B, H); W_hh (H, H). The activated values are written to both `pre` and `h`.
enum RNNCell {
    static func forwardStep(
        pre: UnsafeMutablePointer<Float>, hPrev: UnsafePointer<Float>, recurrentWeights: RecurrentWeights,
        nonlinearity: Nonlinearity, h: UnsafeMutablePointer<Float>, rows: Range<Int>, hiddenSize: Int
    ) {
        let hidden = hiddenSize, first = rows.lowerBound
        recurrentWeights.multiplyAccumulate(
            rows: rows.count, input: hPrev + first * hidden, inputStride: hidden,
            output: pre + first * hidden, outputStride: hidden)
        let block = pre + first * hidden, count = rows.count * hidden
        switch nonlinearity {
        case .tanh: Activations.tanh(block, count: count)
        case .relu: for index in 0..<count { block[index] = max(0, block[index]) }
        }
        (h + first * hidden).update(from: block, count: count)
    }

    /// dh: (B, H) from above; dhNext: (B, H) in from t+1, out for t-1; dPre: (B, H) out.
    ///
    ///     d(pre) = (dh + dh_next) ⊙ act'(h)      dh' = d(pre) · W_hh
    static func backwardStep(
        h: UnsafePointer<Float>, dh: UnsafePointer<Float>, dhNext: UnsafeMutablePointer<Float>,
        dPre: UnsafeMutablePointer<Float>, recurrentWeights: RecurrentWeights, nonlinearity: Nonlinearity,
        rows: Range<Int>, hiddenSize: Int
    ) {
        let hidden = hiddenSize, first = rows.lowerBound
        for index in (first * hidden)..<(rows.upperBound * hidden) {
            let total = dh[index] + dhNext[index]
            switch nonlinearity {
            case .tanh: dPre[index] = total * (1 - h[index] * h[index])
            case .relu: dPre[index] = h[index] > 0 ? total : 0
            }
        }
        recurrentWeights.multiplyTransposed(
            rows: rows.count, gradient: dPre + first * hidden, gradientStride: hidden,
            output: dhNext + first * hidden, outputStride: hidden, accumulate: false)
    }
}
