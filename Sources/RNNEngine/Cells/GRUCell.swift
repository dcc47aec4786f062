import RNNKernels

/// One GRU timestep over a range of batch rows, gates stacked (r, z, n), PyTorch's equations:
///
///     r = σ(W_ir x + b_ir + W_hr h' + b_hr)        z = σ(W_iz x + b_iz + W_hz h' + b_hz)
///     reset after  (default; PyTorch, cuDNN, Keras reset_after=True):  n = tanh(W_in x + b_in + r ⊙ (W_hn h' + b_hn))
///     reset before (the original paper):                               n = tanh(W_in x + b_in + W_hn (r ⊙ h') + b_hn)
///     h = (1 − z) ⊙ n + z ⊙ h'
///
/// Shapes for one timestep: gates (B, 3H), hPrev/h/resetState (B, H), scratch (B, 3H), W_hh (3H, H).
/// `resetState` keeps what backward needs: W_hn h' + b_hn (reset after) or r ⊙ h' (reset before).
enum GRUCell {
    /// gates: in (B, 3H) the input projection plus b_ih and the b_hh terms that are additive
    /// (b_hr, b_hz, and b_hn for reset-before); out r, z, n activated.
    /// bHHn: (H) b_hn, used only by reset-after (it sits inside r ⊙ (…)).
    static func forwardStep(
        gates: UnsafeMutablePointer<Float>, hPrev: UnsafePointer<Float>, recurrentWeights: LayerRecurrentWeights,
        bHHn: UnsafePointer<Float>, resetAfter: Bool, resetState: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, rows: Range<Int>, hiddenSize: Int
    ) {
        let hidden = hiddenSize, width = 3 * hiddenSize
        let first = rows.lowerBound
        if resetAfter {
            // scratch[rows] = hPrev · W_hhᵀ   (rows, 3H)
            let scratchRows = scratch + first * width
            recurrentWeights.whole.multiplyAccumulate(
                rows: rows.count, input: hPrev + first * hidden, inputStride: hidden,
                output: scratchRows, outputStride: width, accumulate: false)
            let vectorEnd = hidden - hidden % 8
            for row in rows {
                let gate = gates + row * width, recurrent = scratch + row * width
                let resetRow = resetState + row * hidden, hRow = h + row * hidden, hPrevRow = hPrev + row * hidden
                // Fused, 8 units at a time: r, z, n, the kept W_hn h' + b_hn, and h = n + z ⊙ (h' − n).
                var unit = 0
                while unit < vectorEnd {
                    let r = Activations.sigmoid(load8(gate + unit) + load8(recurrent + unit))
                    let z = Activations.sigmoid(load8(gate + hidden + unit) + load8(recurrent + hidden + unit))
                    let hiddenCandidate = load8(recurrent + 2 * hidden + unit) + load8(bHHn + unit)
                    let n = Activations.tanh(load8(gate + 2 * hidden + unit) + r * hiddenCandidate)
                    store8(r, gate + unit)
                    store8(z, gate + hidden + unit)
                    store8(n, gate + 2 * hidden + unit)
                    store8(hiddenCandidate, resetRow + unit)
                    store8(n + z * (load8(hPrevRow + unit) - n), hRow + unit)
                    unit += 8
                }
                // The last H mod 8 units.
                let rest = hidden - vectorEnd
                guard rest > 0 else { continue }
                for index in vectorEnd..<hidden {
                    gate[index] += recurrent[index]
                    gate[hidden + index] += recurrent[hidden + index]
                }
                Activations.sigmoid(gate + vectorEnd, count: rest)
                Activations.sigmoid(gate + hidden + vectorEnd, count: rest)
                for index in vectorEnd..<hidden {
                    resetRow[index] = recurrent[2 * hidden + index] + bHHn[index]
                    gate[2 * hidden + index] += gate[index] * resetRow[index]
                }
                Activations.tanh(gate + 2 * hidden + vectorEnd, count: rest)
                for index in vectorEnd..<hidden {
                    let z = gate[hidden + index], n = gate[2 * hidden + index]
                    hRow[index] = n + z * (hPrevRow[index] - n)
                }
            }
            return
        } else {
            // gates[rows, 0..<2H] += hPrev · W_h{r,z}ᵀ
            recurrentWeights.resetUpdate.multiplyAccumulate(
                rows: rows.count, input: hPrev + first * hidden, inputStride: hidden,
                output: gates + first * width, outputStride: width)
            for row in rows {
                let gate = gates + row * width
                Activations.sigmoid(gate, count: 2 * hidden)
                let resetRow = resetState + row * hidden, hPrevRow = hPrev + row * hidden
                for unit in 0..<hidden { resetRow[unit] = gate[unit] * hPrevRow[unit] }
            }
            // gates[rows, 2H..<3H] += (r ⊙ h') · W_hnᵀ
            recurrentWeights.candidate.multiplyAccumulate(
                rows: rows.count, input: resetState + first * hidden, inputStride: hidden,
                output: gates + first * width + 2 * hidden, outputStride: width)
            for row in rows { Activations.tanh(gates + row * width + 2 * hidden, count: hidden) }
        }
        // Reset before: h = (1 − z) ⊙ n + z ⊙ h'.
        for row in rows {
            let gate = gates + row * width, hRow = h + row * hidden, hPrevRow = hPrev + row * hidden
            for unit in 0..<hidden {
                let z = gate[hidden + unit]
                hRow[unit] = (1 - z) * gate[2 * hidden + unit] + z * hPrevRow[unit]
            }
        }
    }

    /// Backward through one timestep. dh: (B, H) from above; dhNext: (B, H) in from t+1, out for t-1.
    /// dGatesInput: (B, 3H) out, gradient of the input-side pre-activations (for W_ih, b_ih);
    /// dGatesHidden: (B, 3H) out, gradient of the recurrent-side pre-activations (for W_hh, b_hh).
    ///
    ///     dn = dh ⊙ (1 − z)     dz = dh ⊙ (h' − n)     dh' = dh ⊙ z + …
    ///     reset after:   d(pre_n) = dn(1 − n²);  dr = d(pre_n) ⊙ (W_hn h' + b_hn);  recurrent n-side = d(pre_n) ⊙ r
    ///     reset before:  d(r ⊙ h') = d(pre_n) · W_hn;  dr = d(r ⊙ h') ⊙ h';  dh' += d(r ⊙ h') ⊙ r
    static func backwardStep(
        gates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, resetState: UnsafePointer<Float>,
        recurrentWeights: LayerRecurrentWeights, resetAfter: Bool, dh: UnsafePointer<Float>,
        dhNext: UnsafeMutablePointer<Float>, dGatesInput: UnsafeMutablePointer<Float>,
        dGatesHidden: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        rows: Range<Int>, hiddenSize: Int
    ) {
        let hidden = hiddenSize, width = 3 * hiddenSize
        let first = rows.lowerBound
        if resetAfter {
            let vectorEnd = hidden - hidden % 8
            let one = SIMD8<Float>(repeating: 1)
            for row in rows {
                let gate = gates + row * width, dInput = dGatesInput + row * width, dHidden = dGatesHidden + row * width
                let hPrevRow = hPrev + row * hidden, dhRow = dh + row * hidden, dhNextRow = dhNext + row * hidden
                let resetRow = resetState + row * hidden
                // Fused, 8 units at a time; the scalar loop below is the same arithmetic for the last H mod 8.
                var unit = 0
                while unit < vectorEnd {
                    let r = load8(gate + unit), z = load8(gate + hidden + unit), n = load8(gate + 2 * hidden + unit)
                    let dhTotal = load8(dhRow + unit) + load8(dhNextRow + unit)
                    let dUpdate = dhTotal * (load8(hPrevRow + unit) - n) * z * (one - z)
                    let dCandidate = dhTotal * (one - z) * (one - n * n)
                    let dReset = dCandidate * load8(resetRow + unit) * r * (one - r)
                    store8(dReset, dInput + unit)
                    store8(dUpdate, dInput + hidden + unit)
                    store8(dCandidate, dInput + 2 * hidden + unit)
                    store8(dReset, dHidden + unit)
                    store8(dUpdate, dHidden + hidden + unit)
                    store8(dCandidate * r, dHidden + 2 * hidden + unit)
                    store8(dhTotal * z, dhNextRow + unit)  // direct path; the product below adds to it
                    unit += 8
                }
                for unit in vectorEnd..<hidden {
                    let r = gate[unit], z = gate[hidden + unit], n = gate[2 * hidden + unit]
                    let dhTotal = dhRow[unit] + dhNextRow[unit]
                    let dUpdate = dhTotal * (hPrevRow[unit] - n) * z * (1 - z)
                    let dCandidate = dhTotal * (1 - z) * (1 - n * n)
                    let dReset = dCandidate * resetRow[unit] * r * (1 - r)
                    dInput[unit] = dReset
                    dInput[hidden + unit] = dUpdate
                    dInput[2 * hidden + unit] = dCandidate
                    dHidden[unit] = dReset
                    dHidden[hidden + unit] = dUpdate
                    dHidden[2 * hidden + unit] = dCandidate * r
                    dhNextRow[unit] = dhTotal * z
                }
            }
            // dhNext[rows] += dGatesHidden[rows] · W_hh
            recurrentWeights.whole.multiplyTransposed(
                rows: rows.count, gradient: dGatesHidden + first * width, gradientStride: width,
                output: dhNext + first * hidden, outputStride: hidden, accumulate: true)
        } else {
            for row in rows {
                let gate = gates + row * width, dInput = dGatesInput + row * width
                let hPrevRow = hPrev + row * hidden, dhRow = dh + row * hidden, dhNextRow = dhNext + row * hidden
                for unit in 0..<hidden {
                    let z = gate[hidden + unit], n = gate[2 * hidden + unit]
                    let dhTotal = dhRow[unit] + dhNextRow[unit]
                    dInput[hidden + unit] = dhTotal * (hPrevRow[unit] - n) * z * (1 - z)
                    dInput[2 * hidden + unit] = dhTotal * (1 - z) * (1 - n * n)
                    dhNextRow[unit] = dhTotal * z  // direct path; the products below add to it
                }
            }
            // scratch[rows] (B, H) = d(pre_n) · W_hn = d(r ⊙ h')
            recurrentWeights.candidate.multiplyTransposed(
                rows: rows.count, gradient: dGatesInput + first * width + 2 * hidden, gradientStride: width,
                output: scratch + first * hidden, outputStride: hidden, accumulate: false)
            for row in rows {
                let gate = gates + row * width, dInput = dGatesInput + row * width, dHidden = dGatesHidden + row * width
                let hPrevRow = hPrev + row * hidden, dReset = scratch + row * hidden, dhNextRow = dhNext + row * hidden
                for unit in 0..<hidden {
                    let r = gate[unit]
                    dInput[unit] = dReset[unit] * hPrevRow[unit] * r * (1 - r)
                    dhNextRow[unit] += dReset[unit] * r
                }
                dHidden.update(from: dInput, count: width)
            }
            // dhNext[rows] += dGates[rows, 0..<2H] · W_h{r,z}
            recurrentWeights.resetUpdate.multiplyTransposed(
                rows: rows.count, gradient: dGatesHidden + first * width, gradientStride: width,
                output: dhNext + first * hidden, outputStride: hidden, accumulate: true)
        }
    }
}
