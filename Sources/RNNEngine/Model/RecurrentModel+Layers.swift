import RNNKernels

/// One recurrent layer over a whole batch: the input projection of all timesteps as one product, the
/// time loop (batch rows split across the pool, no synchronisation inside the loop), and backward the
/// same way with the weight gradients as one product over all timesteps.
extension RecurrentModel {
    // MARK: - Forward

    /// Runs layer `layer` over the batch in `workspace`. Reads the layer's input (the batch for layer 0,
    /// the layer below's h otherwise) and the initial state in hidden/cell slot 0; fills gates, hidden,
    /// cell and reset state for every timestep.
    func layerForward(_ workspace: Workspace, layer: Int, batch: Batch, training: Bool) {
        if layer == 0 { choosePoolUse(workspace) }
        let timeSteps = workspace.timeSteps, batchSize = workspace.batchSize, positions = timeSteps * batchSize
        let hidden = config.hiddenSize, gateWidth = config.cell.gateCount * hidden
        let regions = workspace.layers[layer]
        let gates = workspace.pointer(regions.gates)
        let weightIH = parameters.base + layout.layers[layer].weightIH

        // bias (GH) = b_ih + b_hh (all of b_hh except b_hn under GRU reset-after, which sits inside r ⊙ (…))
        let bias = workspace.pointer(workspace.combinedBias)
        let biasIH = parameters.base + layout.layers[layer].biasIH
        let biasHH = parameters.base + layout.layers[layer].biasHH
        let additiveHidden = config.cell == .gru && config.gruResetAfter ? 2 * hidden : gateWidth
        for unit in 0..<gateWidth { bias[unit] = biasIH[unit] + (unit < additiveHidden ? biasHH[unit] : 0) }

        // gates (T·B, GH) = X (T·B, I) · W_ihᵀ + bias
        if layer == 0, case .oneHot(let vocabularySize) = config.input {
            // One-hot rows pick columns of W_ih: table (V, GH) = W_ihᵀ + bias, then one row copy per position.
            let table = workspace.pointer(workspace.oneHotTable)
            for unit in 0..<gateWidth {
                for token in 0..<vocabularySize { table[token * gateWidth + unit] = weightIH[unit * vocabularySize + token] + bias[unit] }
            }
            batch.tokens!.withUnsafeBufferPointer { tokens in
                forEachChunk(positions, elementCount: positions * gateWidth) { range in
                    for position in range {
                        (gates + position * gateWidth).update(from: table + Int(tokens[position]) * gateWidth, count: gateWidth)
                    }
                }
            }
        } else {
            let input = layerInput(workspace, layer: layer)
            product(
                transposeA: false, transposeB: true, m: positions, n: gateWidth, k: input.width,
                a: input.pointer, lda: input.width, b: weightIH, ldb: input.width, c: gates, ldc: gateWidth,
                accumulate: false)
            forEachChunk(positions, elementCount: positions * gateWidth) { range in
                for position in range {
                    let row = gates + position * gateWidth
                    for unit in 0..<gateWidth { row[unit] += bias[unit] }
                }
            }
        }

        let hiddenStates = workspace.pointer(regions.hidden)
        let layerWeights = packedRecurrentWeights(layer, forward: true)
        let recurrent = layerWeights.whole
        let stepStride = batchSize * hidden, gateStride = batchSize * gateWidth
        let hook = forwardStepHook(workspace, layer: layer, training: training)  // nil without an intervention
        switch config.cell {
        case .lstm:
            let cells = workspace.pointer(regions.cell), tanhCells = workspace.pointer(regions.tanhCell)
            forEachRowRange(batchSize) { rows in
                for time in 0..<timeSteps where !cancellation.isCancelled {
                    LSTMCell.forwardStep(
                        gates: gates + time * gateStride, hPrev: hiddenStates + time * stepStride,
                        cPrev: cells + time * stepStride, recurrentWeights: recurrent,
                        c: cells + (time + 1) * stepStride, tanhC: tanhCells + time * stepStride,
                        h: hiddenStates + (time + 1) * stepStride, rows: rows, hiddenSize: hidden)
                    hook?.afterStep(time: time, rows: rows)
                }
            }
        case .gru:
            let reset = workspace.pointer(regions.reset), scratch = workspace.pointer(workspace.scratch)
            let candidateBias = biasHH + 2 * hidden
            let resetAfter = config.gruResetAfter
            forEachRowRange(batchSize) { rows in
                for time in 0..<timeSteps where !cancellation.isCancelled {
                    GRUCell.forwardStep(
                        gates: gates + time * gateStride, hPrev: hiddenStates + time * stepStride,
                        recurrentWeights: layerWeights, bHHn: candidateBias, resetAfter: resetAfter,
                        resetState: reset + time * stepStride, scratch: scratch,
                        h: hiddenStates + (time + 1) * stepStride, rows: rows, hiddenSize: hidden)
                    hook?.afterStep(time: time, rows: rows)
                }
            }
        case .rnn:
            let nonlinearity = config.nonlinearity
            forEachRowRange(batchSize) { rows in
                for time in 0..<timeSteps where !cancellation.isCancelled {
                    RNNCell.forwardStep(
                        pre: gates + time * gateStride, hPrev: hiddenStates + time * stepStride,
                        recurrentWeights: recurrent, nonlinearity: nonlinearity,
                        h: hiddenStates + (time + 1) * stepStride, rows: rows, hiddenSize: hidden)
                    hook?.afterStep(time: time, rows: rows)
                }
            }
        }
    }

    /// The input of `layer` as a (T·B, width) matrix: layer 0's embedded or numeric input, or the layer
    /// below's outputs (h slots 1…T), through the dropout mask when one was drawn.
    func layerInput(_ workspace: Workspace, layer: Int) -> (pointer: UnsafeMutablePointer<Float>, width: Int) {
        let regions = workspace.layers[layer]
        if layer == 0 || workspace.dropoutActive {
            return (workspace.pointer(regions.input), config.layerInputSize(layer))
        }
        let below = workspace.layers[layer - 1]
        return (workspace.pointer(below.hidden) + workspace.batchSize * config.hiddenSize, config.hiddenSize)
    }

    // MARK: - Backward

    /// Backward through layer `layer`. dHidden: (T·B, H) the gradient reaching each h_t from above.
    /// Adds into the layer's weight and bias gradients; writes the gradient of the layer's input into
    /// `dInput` (T·B, I) when `dInput` is not nil (layers above 0, and layer 0 with an embedding).
    func layerBackward(
        _ workspace: Workspace, layer: Int, batch: Batch,
        dHidden: UnsafeMutablePointer<Float>, dInput: UnsafeMutablePointer<Float>?
    ) {
        if layer == config.layerCount - 1 { choosePoolUse(workspace) }
        let timeSteps = workspace.timeSteps, batchSize = workspace.batchSize, positions = timeSteps * batchSize
        let hidden = config.hiddenSize, gateWidth = config.cell.gateCount * hidden
        let regions = workspace.layers[layer]
        let gates = workspace.pointer(regions.gates), hiddenStates = workspace.pointer(regions.hidden)
        let dGates = workspace.pointer(workspace.dGates), dGatesHidden = workspace.pointer(workspace.dGatesHidden)
        let dhNext = workspace.pointer(workspace.dhNext), dcNext = workspace.pointer(workspace.dcNext)
        dhNext.update(repeating: 0, count: batchSize * hidden)
        dcNext.update(repeating: 0, count: batchSize * hidden)
        let weightIH = parameters.base + layout.layers[layer].weightIH
        let layerWeights = packedRecurrentWeights(layer, forward: false)
        let recurrent = layerWeights.whole
        let stepStride = batchSize * hidden, gateStride = batchSize * gateWidth
        let hook = backwardStepHook(workspace, layer: layer, dHidden: dHidden)  // nil unless ablating or recording

        switch config.cell {
        case .lstm:
            let cells = workspace.pointer(regions.cell), tanhCells = workspace.pointer(regions.tanhCell)
            forEachRowRange(batchSize) { rows in
                for time in (0..<timeSteps).reversed() where !cancellation.isCancelled {
                    hook?.beforeStep(time: time, rows: rows)
                    LSTMCell.backwardStep(
                        gates: gates + time * gateStride, cPrev: cells + time * stepStride,
                        tanhC: tanhCells + time * stepStride, dh: dHidden + time * stepStride,
                        dhNext: dhNext, dcNext: dcNext, dGates: dGates + time * gateStride,
                        recurrentWeights: recurrent, rows: rows, hiddenSize: hidden)
                }
            }
        case .gru:
            let reset = workspace.pointer(regions.reset), scratch = workspace.pointer(workspace.scratch)
            let resetAfter = config.gruResetAfter
            forEachRowRange(batchSize) { rows in
                for time in (0..<timeSteps).reversed() where !cancellation.isCancelled {
                    hook?.beforeStep(time: time, rows: rows)
                    GRUCell.backwardStep(
                        gates: gates + time * gateStride, hPrev: hiddenStates + time * stepStride,
                        resetState: reset + time * stepStride, recurrentWeights: layerWeights, resetAfter: resetAfter,
                        dh: dHidden + time * stepStride, dhNext: dhNext, dGatesInput: dGates + time * gateStride,
                        dGatesHidden: dGatesHidden + time * gateStride, scratch: scratch, rows: rows, hiddenSize: hidden)
                }
            }
        case .rnn:
            let nonlinearity = config.nonlinearity
            forEachRowRange(batchSize) { rows in
                for time in (0..<timeSteps).reversed() where !cancellation.isCancelled {
                    hook?.beforeStep(time: time, rows: rows)
                    RNNCell.backwardStep(
                        h: hiddenStates + (time + 1) * stepStride, dh: dHidden + time * stepStride, dhNext: dhNext,
                        dPre: dGates + time * gateStride, recurrentWeights: recurrent, nonlinearity: nonlinearity,
                        rows: rows, hiddenSize: hidden)
                }
            }
        }

        // dW_hh (GH, H) += dGatesHiddenᵀ (GH, T·B) · H_prev (T·B, H)   (h slots 0…T−1)
        let gradientHH = gradients.base + layout.layers[layer].weightHH
        if config.cell == .gru && !config.gruResetAfter {
            // r and z rows see h'; the n rows see r ⊙ h'.
            product(
                transposeA: true, transposeB: false, m: 2 * hidden, n: hidden, k: positions,
                a: dGatesHidden, lda: gateWidth, b: hiddenStates, ldb: hidden, c: gradientHH, ldc: hidden,
                accumulate: true)
            product(
                transposeA: true, transposeB: false, m: hidden, n: hidden, k: positions,
                a: dGatesHidden + 2 * hidden, lda: gateWidth, b: workspace.pointer(regions.reset), ldb: hidden,
                c: gradientHH + 2 * hidden * hidden, ldc: hidden, accumulate: true)
        } else {
            product(
                transposeA: true, transposeB: false, m: gateWidth, n: hidden, k: positions,
                a: dGatesHidden, lda: gateWidth, b: hiddenStates, ldb: hidden, c: gradientHH, ldc: hidden,
                accumulate: true)
        }
        // db_ih (GH) += Σ_rows dGates;  db_hh (GH) += Σ_rows dGatesHidden (the same sums unless GRU)
        let biasGradientIH = gradients.base + layout.layers[layer].biasIH
        let biasGradientHH = gradients.base + layout.layers[layer].biasHH
        if dGates == dGatesHidden {
            let sums = workspace.pointer(workspace.combinedBias)
            sums.update(repeating: 0, count: gateWidth)
            addColumnSums(of: dGates, rows: positions, columns: gateWidth, into: sums)
            for unit in 0..<gateWidth {
                biasGradientIH[unit] += sums[unit]
                biasGradientHH[unit] += sums[unit]
            }
        } else {
            addColumnSums(of: dGates, rows: positions, columns: gateWidth, into: biasGradientIH)
            addColumnSums(of: dGatesHidden, rows: positions, columns: gateWidth, into: biasGradientHH)
        }

        // dW_ih (GH, I) += dGatesᵀ (GH, T·B) · X (T·B, I)
        let gradientIH = gradients.base + layout.layers[layer].weightIH
        if layer == 0, case .oneHot(let vocabularySize) = config.input {
            // dW_ihᵀ (V, GH) accumulated per token row, units split across the pool, then transposed in.
            let table = workspace.pointer(workspace.oneHotTable)
            batch.tokens!.withUnsafeBufferPointer { tokens in
                forEachChunk(gateWidth, elementCount: positions * gateWidth) { units in
                    for token in 0..<vocabularySize {
                        (table + token * gateWidth + units.lowerBound).update(repeating: 0, count: units.count)
                    }
                    for position in 0..<positions {
                        let row = table + Int(tokens[position]) * gateWidth, gradient = dGates + position * gateWidth
                        for unit in units { row[unit] += gradient[unit] }
                    }
                    for unit in units {
                        for token in 0..<vocabularySize { gradientIH[unit * vocabularySize + token] += table[token * gateWidth + unit] }
                    }
                }
            }
        } else {
            let input = layerInput(workspace, layer: layer)
            product(
                transposeA: true, transposeB: false, m: gateWidth, n: input.width, k: positions,
                a: dGates, lda: gateWidth, b: input.pointer, ldb: input.width, c: gradientIH, ldc: input.width,
                accumulate: true)
            if let dInput {
                // dX (T·B, I) = dGates (T·B, GH) · W_ih (GH, I)
                product(
                    transposeA: false, transposeB: false, m: positions, n: input.width, k: gateWidth,
                    a: dGates, lda: gateWidth, b: weightIH, ldb: input.width, c: dInput, ldc: input.width,
                    accumulate: false)
                if layer > 0 && workspace.dropoutActive {
                    let mask = workspace.pointer(regions.dropout)
                    for index in 0..<(positions * hidden) { dInput[index] *= mask[index] }
                }
            }
        }
    }

    // MARK: - Helpers

    /// A training step below this many flops runs on one thread: waking a second thread for each of its
    /// few-microsecond pieces costs more than it saves (the textbook classifier, Embedding(1000, 16) →
    /// LSTM(16) at batch 32, trained twice as fast on one thread as on two).
    static let minimumFlopsToSplit = 50_000_000.0

    /// The multiply-adds (×2) of a training step (forward, backward) on `workspace`'s batch shape, roughly:
    /// per layer 6·T·B·G·H·(H + I) (I = 0 for a one-hot layer 0, a gather), and 6·R·H·O for the head's R rows.
    func estimatedFlopsPerStep(_ workspace: Workspace) -> Double {
        let positions = Double(workspace.timeSteps * workspace.batchSize), hidden = Double(config.hiddenSize)
        let gateWidth = Double(config.cell.gateCount) * hidden
        var total = 0.0
        for layer in 0..<config.layerCount {
            var inputWidth = Double(config.layerInputSize(layer))
            if layer == 0, case .oneHot = config.input { inputWidth = 0 }
            total += 6 * positions * gateWidth * (hidden + inputWidth)
        }
        let headRows = config.head.isEveryStep ? positions : Double(workspace.batchSize)
        return total + 6 * headRows * hidden * Double(config.outputSize)
    }

    /// Sets `splitsWork` for the batch shape in `workspace`: whether the helpers below use the pool.
    /// Results are the same either way (every element is computed in the same order on any thread).
    func choosePoolUse(_ workspace: Workspace) {
        splitsWork = pool.threadCount > 1 && estimatedFlopsPerStep(workspace) >= Self.minimumFlopsToSplit
    }

    /// The pool when this step splits its work, else nil (everything on the calling thread).
    var workPool: ComputePool? { splitsWork ? pool : nil }

    /// Layer `layer`'s W_hh packed for the forward (`h · W_hhᵀ`) or backward (`d · W_hh`) time loop.
    func packedRecurrentWeights(_ layer: Int, forward: Bool) -> LayerRecurrentWeights {
        let layerWeights = recurrentWeights[layer]
        layerWeights.pack(
            parameters.base + layout.layers[layer].weightHH, hiddenSize: config.hiddenSize,
            gateCount: config.cell.gateCount, splitCandidate: config.cell == .gru && !config.gruResetAfter,
            forward: forward, pool: workPool)
        return layerWeights
    }

    /// C (m, n) [+]= op(A) · op(B) with B packed into the model's reusable scratch pack (no allocation
    /// once it has grown) and the product split across the pool.
    func product(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        scratchPack.pack(b, ldb: ldb, transposed: transposeB, k: k, n: n, pool: workPool)
        // Huge products go in blocks of rows (multiples of Gemm's 192-row blocks, so every element is
        // computed exactly as in one call), checking for cancellation between blocks.
        let rowsPerBlock = max(1, (1 << 30) / max(1, n * k) / 192) * 192
        for first in stride(from: 0, to: m, by: rowsPerBlock) where !cancellation.isCancelled {
            Gemm.multiply(transposeA: transposeA, m: min(rowsPerBlock, m - first), a: a + first * (transposeA ? 1 : lda),
                          lda: lda, packed: scratchPack, c: c + first * ldc, ldc: ldc, accumulate: accumulate, pool: workPool)
        }
    }

    /// sums (columns) += Σ over rows of matrix (rows, columns), columns split across the pool.
    func addColumnSums(of matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
        forEachChunk(columns, elementCount: rows * columns) { range in
            for row in 0..<rows {
                let values = matrix + row * columns
                for column in range { sums[column] += values[column] }
            }
        }
    }

    /// Splits `0..<count` into one contiguous range per pool thread and runs `body` on each in parallel,
    /// when the whole job (`elementCount` element operations) is big enough to pay for waking a thread.
    /// Each index belongs to exactly one range, so results do not depend on the thread count.
    func forEachChunk(_ count: Int, elementCount: Int, _ body: (Range<Int>) -> Void) {
        let parts = splitsWork && elementCount >= 65_536 ? min(pool.threadCount, count) : 1
        if parts <= 1 {
            body(0..<count)
            return
        }
        pool.parallelFor(parts) { part in
            body((count * part / parts)..<(count * (part + 1) / parts))
        }
    }

    /// Splits `0..<batchSize` into one contiguous range per pool thread and runs `body` on each, in
    /// parallel. Each range's time loop is independent of the others.
    func forEachRowRange(_ batchSize: Int, _ body: (Range<Int>) -> Void) {
        let parts = splitsWork ? min(pool.threadCount, batchSize) : 1
        if parts <= 1 {
            body(0..<batchSize)
            return
        }
        pool.parallelFor(parts) { part in
            body((batchSize * part / parts)..<(batchSize * (part + 1) / parts))
        }
    }
}
