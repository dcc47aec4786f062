import RNNKernels

/// One LSTM timestep over a range of batch rows, PyTorch's equations, gates stacked (i, f, g, o):
///
///     i = σ(W_ii x + b_ii + W_hi h' + b_hi)     f = σ(… f …)     g = tanh(… g …)     o = σ(… o …)
///     c = f ⊙ c' + i ⊙ g                         h = o ⊙ tanh(c)
///
/// Shapes for one timestep (B = batch, H = hidden): gates (B, 4H), hPrev/cPrev/c/tanhC/h (B, H),
/// wHH (4H, H). Only rows `rows` are touched, so two threads can run disjoint row ranges.
enum LSTMCell {
    /// gates: in (B, 4H) the input projection with both biases folded in; out i, f, g, o activated.
    static func forwardStep(
        gates: UnsafeMutablePointer<Float>, hPrev: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
        recurrentWeights: RecurrentWeights, c: UnsafeMutablePointer<Float>, tanhC: UnsafeMutablePointer<Float>,
        h: UnsafeMutablePointer<Float>, rows: Range<Int>, hiddenSize: Int
    ) {
        let hidden = hiddenSize, width = 4 * hiddenSize
        // gates[rows] += hPrev[rows] · W_hhᵀ   (rows, H) · (H, 4H)
        recurrentWeights.multiplyAccumulate(
            rows: rows.count, input: hPrev + rows.lowerBound * hidden, inputStride: hidden,
            output: gates + rows.lowerBound * width, outputStride: width)
        let vectorEnd = hidden - hidden % 8
        for row in rows {
            let gate = gates + row * width
            let cRow = c + row * hidden, cPrevRow = cPrev + row * hidden
            let tanhRow = tanhC + row * hidden, hRow = h + row * hidden
            // Fused, 8 units at a time: activate the four gates, update c, h = o ⊙ tanh(c).
            var unit = 0
            while unit < vectorEnd {
                let i = Activations.sigmoid(load8(gate + unit))
                let f = Activations.sigmoid(load8(gate + hidden + unit))
                let g = Activations.tanh(load8(gate + 2 * hidden + unit))
                let o = Activations.sigmoid(load8(gate + 3 * hidden + unit))
                store8(i, gate + unit)
                store8(f, gate + hidden + unit)
                store8(g, gate + 2 * hidden + unit)
                store8(o, gate + 3 * hidden + unit)
                let cell = f * load8(cPrevRow + unit) + i * g
                let tanhCell = Activations.tanh(cell)
                store8(cell, cRow + unit)
                store8(tanhCell, tanhRow + unit)
                store8(o * tanhCell, hRow + unit)
                unit += 8
            }
            // The last H mod 8 units.
            let rest = hidden - vectorEnd
            guard rest > 0 else { continue }
            Activations.sigmoid(gate + vectorEnd, count: rest)
            Activations.sigmoid(gate + hidden + vectorEnd, count: rest)
            Activations.tanh(gate + 2 * hidden + vectorEnd, count: rest)
            Activations.sigmoid(gate + 3 * hidden + vectorEnd, count: rest)
            for unit in vectorEnd..<hidden {
                cRow[unit] = gate[hidden + unit] * cPrevRow[unit] + gate[unit] * gate[2 * hidden + unit]
                tanhRow[unit] = cRow[unit]
            }
            Activations.tanh(tanhRow + vectorEnd, count: rest)
            for unit in vectorEnd..<hidden { hRow[unit] = gate[3 * hidden + unit] * tanhRow[unit] }
        }
    }

    /// Backward through one timestep. dh: (B, H) the gradient reaching h_t from above (consumed);
    /// dhNext/dcNext: (B, H) in: gradients from step t+1, out: gradients for step t-1.
    /// dGates: (B, 4H) out, the gradient of the gate pre-activations (feeds the weight gradients later).
    ///
    ///     do = dh ⊙ tanh(c)              dc = dc_next + dh ⊙ o ⊙ (1 − tanh²c)
    ///     di = dc ⊙ g   df = dc ⊙ c'   dg = dc ⊙ i        dc' = dc ⊙ f
    ///     d(pre) = [di·i(1−i), df·f(1−f), dg·(1−g²), do·o(1−o)]      dh' = d(pre) · W_hh
    static func backwardStep(
        gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
        dh: UnsafePointer<Float>, dhNext: UnsafeMutablePointer<Float>, dcNext: UnsafeMutablePointer<Float>,
        dGates: UnsafeMutablePointer<Float>, recurrentWeights: RecurrentWeights, rows: Range<Int>, hiddenSize: Int
    ) {
        let hidden = hiddenSize, width = 4 * hiddenSize
        let vectorEnd = hidden - hidden % 8
        let one = SIMD8<Float>(repeating: 1)
        for row in rows {
            let gate = gates + row * width, dGate = dGates + row * width
            let tanhRow = tanhC + row * hidden, cPrevRow = cPrev + row * hidden
            let dhRow = dh + row * hidden, dhNextRow = dhNext + row * hidden, dcRow = dcNext + row * hidden
            var unit = 0
            while unit < vectorEnd {
                let i = load8(gate + unit), f = load8(gate + hidden + unit)
                let g = load8(gate + 2 * hidden + unit), o = load8(gate + 3 * hidden + unit)
                let tanhCell = load8(tanhRow + unit)
                let dhTotal = load8(dhRow + unit) + load8(dhNextRow + unit)
                let dOutput = dhTotal * tanhCell
                let dCell = load8(dcRow + unit) + dhTotal * o * (one - tanhCell * tanhCell)
                store8(dCell * g * i * (one - i), dGate + unit)
                store8(dCell * load8(cPrevRow + unit) * f * (one - f), dGate + hidden + unit)
                store8(dCell * i * (one - g * g), dGate + 2 * hidden + unit)
                store8(dOutput * o * (one - o), dGate + 3 * hidden + unit)
                store8(dCell * f, dcRow + unit)
                unit += 8
            }
            for unit in vectorEnd..<hidden {
                let i = gate[unit], f = gate[hidden + unit], g = gate[2 * hidden + unit], o = gate[3 * hidden + unit]
                let tanhCell = tanhRow[unit]
                let dhTotal = dhRow[unit] + dhNextRow[unit]
                let dOutput = dhTotal * tanhCell
                let dCell = dcRow[unit] + dhTotal * o * (1 - tanhCell * tanhCell)
                dGate[unit] = dCell * g * i * (1 - i)
                dGate[hidden + unit] = dCell * cPrevRow[unit] * f * (1 - f)
                dGate[2 * hidden + unit] = dCell * i * (1 - g * g)
                dGate[3 * hidden + unit] = dOutput * o * (1 - o)
                dcRow[unit] = dCell * f
            }
        }
        // dhNext[rows] = dGates[rows] · W_hh   (rows, 4H) · (4H, H)
        recurrentWeights.multiplyTransposed(
            rows: rows.count, gradient: dGates + rows.lowerBound * width, gradientStride: width,
            output: dhNext + rows.lowerBound * hidden, outputStride: hidden, accumulate: false)
    }
}
