import Foundation
import RNNKernels

/// The head (nn.Linear from H to O) and the loss, forward and backward side by side.
/// Every-step heads read the top layer's h at all T·B positions; last-step heads read each row's h at
/// its last real timestep (the mask's length), gathered into (B, H).
extension RecurrentModel {
    /// The top layer's features the head reads: (rows, H) and how many rows. Last-step heads gather them
    /// into `gathered` when `gather` is set (the forward pass); backward reads what forward gathered.
    func headInput(_ workspace: Workspace, gather: Bool = true) -> (pointer: UnsafeMutablePointer<Float>, rows: Int) {
        let batchSize = workspace.batchSize, hidden = config.hiddenSize
        let top = workspace.pointer(workspace.layers[config.layerCount - 1].hidden)
        if config.head.isEveryStep {
            return (top + batchSize * hidden, workspace.timeSteps * batchSize)
        }
        // gathered (B, H): row b = h at slot lengths[b] (slot t+1 holds h_t).
        let gathered = workspace.pointer(workspace.gathered)
        guard gather else { return (gathered, batchSize) }
        for row in 0..<batchSize {
            let slot = max(1, workspace.lengths[row])
            (gathered + row * hidden).update(from: top + (slot * batchSize + row) * hidden, count: hidden)
        }
        return (gathered, batchSize)
    }

    /// outputs (rows, O) = features (rows, H) · W_headᵀ + b_head.
    func headForward(_ workspace: Workspace) {
        let input = headInput(workspace), hidden = config.hiddenSize, outputSize = config.outputSize
        let outputs = workspace.pointer(workspace.outputs)
        let weight = parameters.base + layout.head.weight
        let bias = parameters.base + layout.head.bias
        product(
            transposeA: false, transposeB: true, m: input.rows, n: outputSize, k: hidden,
            a: input.pointer, lda: hidden, b: weight, ldb: hidden, c: outputs, ldc: outputSize,
            accumulate: false)
        for row in 0..<input.rows {
            let values = outputs + row * outputSize
            for column in 0..<outputSize { values[column] += bias[column] }
        }
    }

    /// Mean loss over the batch's counted positions, and dOutputs (rows, O) = d loss / d outputs.
    /// Cross-entropy (softmax) for classification heads, binary cross-entropy (sigmoid) for multi-label
    /// heads, mean squared error for regression heads.
    /// Positions whose mask is 0 count for nothing.
    func lossForward(_ workspace: Workspace, batch: Batch) -> ForwardResult {
        let outputSize = config.outputSize, batchSize = workspace.batchSize
        let rows = config.head.isEveryStep ? workspace.timeSteps * batchSize : batchSize
        let outputs = workspace.pointer(workspace.outputs), dOutputs = workspace.pointer(workspace.dOutputs)
        // A row counts when its position is real (every-step heads) or its sequence is non-empty.
        func rowWeight(_ row: Int) -> Float {
            if config.head.isEveryStep { return batch.mask?[row] ?? 1 }
            return workspace.lengths[row] > 0 ? 1 : 0
        }
        var counted = 0
        for row in 0..<rows where rowWeight(row) > 0 { counted += 1 }
        guard counted > 0 else {
            dOutputs.update(repeating: 0, count: rows * outputSize)
            return ForwardResult(loss: 0, correct: 0, counted: 0)
        }
        var total = 0.0
        var correct = 0
        if config.head.isClassification {
            // Rows split across the pool; each row's loss and hit go to rowLosses (2 per row) and are
            // added up in row order afterwards, so the total does not depend on the thread count.
            let scale = 1 / Float(counted)
            let rowLosses = workspace.pointer(workspace.rowLosses)
            batch.targetTokens!.withUnsafeBufferPointer { targets in
                forEachChunk(rows, elementCount: rows * outputSize * 8) { range in
                    for row in range {
                        let logits = outputs + row * outputSize, gradient = dOutputs + row * outputSize
                        guard rowWeight(row) > 0 else {
                            gradient.update(repeating: 0, count: outputSize)
                            rowLosses[2 * row] = 0
                            rowLosses[2 * row + 1] = 0
                            continue
                        }
                        var largest = logits[0], best = 0
                        for column in 1..<max(1, outputSize) where logits[column] > largest {
                            largest = logits[column]
                            best = column
                        }
                        for column in 0..<outputSize { gradient[column] = logits[column] - largest }
                        Activations.exp(gradient, count: outputSize)
                        var sum: Float = 0
                        for column in 0..<outputSize { sum += gradient[column] }
                        let target = Int(targets[row])
                        rowLosses[2 * row] = Foundation.log(sum) - (logits[target] - largest)
                        rowLosses[2 * row + 1] = best == target ? 1 : 0
                        let normaliser = scale / sum
                        for column in 0..<outputSize { gradient[column] *= normaliser }
                        gradient[target] -= scale
                    }
                }
            }
            for row in 0..<rows {
                total += Double(rowLosses[2 * row])
                correct += Int(rowLosses[2 * row + 1])
            }
            return ForwardResult(loss: total / Double(counted), correct: correct, counted: counted)
        } else if config.head == .multiLabelLast {
            return binaryCrossEntropyForward(outputs: outputs, dOutputs: dOutputs, rows: rows, counted: counted,
                                             targets: batch.targetValues!, rowWeight: rowWeight)
        } else {
            let targets = batch.targetValues!
            let valueCount = counted * outputSize
            let scale = 2 / Float(valueCount)
            for row in 0..<rows {
                let values = outputs + row * outputSize, gradient = dOutputs + row * outputSize
                guard rowWeight(row) > 0 else {
                    gradient.update(repeating: 0, count: outputSize)
                    continue
                }
                for column in 0..<outputSize {
                    let difference = values[column] - targets[row * outputSize + column]
                    total += Double(difference * difference)
                    gradient[column] = scale * difference
                }
            }
            return ForwardResult(loss: total / Double(valueCount), correct: 0, counted: valueCount)
        }
    }

    /// Multi-label loss: for each counted row and label, with logit x and target y in [0, 1],
    /// ℓ = max(x, 0) − x·y + log(1 + e^(−|x|)) (= −y log σ(x) − (1 − y) log(1 − σ(x)), stable for any x);
    /// the mean over counted rows × labels (O), and d mean / d x = (σ(x) − y) / (counted · O).
    /// `correct` counts the labels whose decision σ(x) > ½ matches y ≥ ½ (so 1 − correct / counted is the
    /// Hamming loss). outputs, dOutputs, targets: (rows, O).
    private func binaryCrossEntropyForward(
        outputs: UnsafeMutablePointer<Float>, dOutputs: UnsafeMutablePointer<Float>, rows: Int, counted: Int,
        targets: [Float], rowWeight: (Int) -> Float
    ) -> ForwardResult {
        let outputSize = config.outputSize
        let valueCount = counted * outputSize
        let scale = 1 / Float(valueCount)
        var total = 0.0
        var correct = 0
        for row in 0..<rows {
            let logits = outputs + row * outputSize, gradient = dOutputs + row * outputSize
            guard rowWeight(row) > 0 else {
                gradient.update(repeating: 0, count: outputSize)
                continue
            }
            for column in 0..<outputSize {
                let x = Double(logits[column]), y = Double(targets[row * outputSize + column])
                let softplus = Foundation.log1p(Foundation.exp(-abs(x)))
                total += max(x, 0) - x * y + softplus
                let probability = x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
                gradient[column] = Float(probability - y) * scale
                if (x > 0) == (y >= 0.5) { correct += 1 }
            }
        }
        return ForwardResult(loss: total / Double(valueCount), correct: correct, counted: valueCount)
    }

    /// Head backward: dW_head += dOutputsᵀ · features, db_head += Σ dOutputs, and
    /// dTop (T·B, H) = the gradient reaching the top layer's h at every position (zero where the
    /// head did not read).
    func headBackward(_ workspace: Workspace, dTop: UnsafeMutablePointer<Float>) {
        let hidden = config.hiddenSize, outputSize = config.outputSize, batchSize = workspace.batchSize
        let input = headInput(workspace, gather: false)
        let dOutputs = workspace.pointer(workspace.dOutputs)
        let weight = parameters.base + layout.head.weight
        product(
            transposeA: true, transposeB: false, m: outputSize, n: hidden, k: input.rows,
            a: dOutputs, lda: outputSize, b: input.pointer, ldb: hidden,
            c: gradients.base + layout.head.weight, ldc: hidden, accumulate: true)
        addColumnSums(of: dOutputs, rows: input.rows, columns: outputSize,
                      into: gradients.base + layout.head.bias)
        if config.head.isEveryStep {
            product(
                transposeA: false, transposeB: false, m: input.rows, n: hidden, k: outputSize,
                a: dOutputs, lda: outputSize, b: weight, ldb: hidden, c: dTop, ldc: hidden,
                accumulate: false)
        } else {
            let dGathered = workspace.pointer(workspace.dGathered)
            product(
                transposeA: false, transposeB: false, m: batchSize, n: hidden, k: outputSize,
                a: dOutputs, lda: outputSize, b: weight, ldb: hidden, c: dGathered, ldc: hidden,
                accumulate: false)
            dTop.update(repeating: 0, count: workspace.timeSteps * batchSize * hidden)
            for row in 0..<batchSize {
                let time = max(1, workspace.lengths[row]) - 1
                (dTop + (time * batchSize + row) * hidden).update(from: dGathered + row * hidden, count: hidden)
            }
        }
    }
}
