import Foundation
import RNNEngine

/// The test oracle: a plain, scalar, Double-precision forward pass of `embedding → rnn → head → loss`,
/// written from PyTorch's equations (not from the engine's code), one sequence row and one timestep at a time.
///
/// Parameters use PyTorch's names and shapes: `embedding.weight (V, E)`, `rnn.weight_ih_l{k} (G·H, I_k)`,
/// `rnn.weight_hh_l{k} (G·H, H)`, `rnn.bias_ih_l{k} (G·H)`, `rnn.bias_hh_l{k} (G·H)`, `head.weight (O, H)`,
/// `head.bias (O)`. No dropout. Cost: about 2·T·B·G·H·(I + H) multiply-adds per layer; slow but obvious.
struct ReferenceNetwork {
    /// One layer's recurrent state: h (B, H) and, for LSTM, c (B, H).
    struct LayerState {
        var hidden: [Double]
        var cell: [Double]?
    }

    /// Everything one layer computed. gates[g]: (T, B, H) gate g after its nonlinearity (LSTM i f g o,
    /// GRU r z n, none for RNN); hidden and cell: (T, B, H).
    struct LayerTrace {
        var gates: [[Double]]
        var hidden: [Double]
        var cell: [Double]?
    }

    struct Result {
        /// Mean loss over the counted positions (0 without targets).
        var loss: Double
        /// Each layer's state after the last timestep (slot T, padding included).
        var finalState: [LayerState]
        var layers: [LayerTrace]
        /// outputs: (T, B, O) the head applied to the top layer's h at every position.
        var outputs: [Double]
    }

    /// A perturbation added to one h_t (or LSTM c_t) of row `row` right after it is computed (before any
    /// ablation): the central difference of the loss in `delta` is the total derivative ∂L/∂h_t (∂L/∂c_t).
    struct Nudge {
        var cell = false
        var layer: Int
        var time: Int
        var row: Int
        var unit: Int
        var delta: Double
    }

    let config: ModelConfig
    var parameters: [String: [Double]]
    var nudge: Nudge?
    /// Unit surgery from its definition: [layer, unit] pairs whose h is 0 after every step.
    var ablated: Set<[Int]> = []
    /// [layer, gate block, unit] → the value that gate takes at every step (LSTM blocks i 0, f 1, o 3; GRU z 1).
    var clamps: [[Int]: Double] = [:]

    init(config: ModelConfig, parameters: [String: [Double]]) {
        self.config = config
        self.parameters = parameters
    }

    init(config: ModelConfig, tensors: [NamedTensor]) {
        var byName: [String: [Double]] = [:]
        for tensor in tensors { byName[tensor.name] = tensor.values.map(Double.init) }
        self.init(config: config, parameters: byName)
    }

    /// The names and shapes the equations need, in PyTorch's order.
    static func expectedShapes(_ config: ModelConfig) -> [(name: String, shape: [Int])] {
        let gateRows = config.cell.gateCount * config.hiddenSize
        var shapes: [(name: String, shape: [Int])] = []
        var inputWidth: Int
        switch config.input {
        case .embedding(let vocabularySize, let dimension):
            shapes.append(("embedding.weight", [vocabularySize, dimension]))
            inputWidth = dimension
        case .oneHot(let vocabularySize): inputWidth = vocabularySize
        case .numeric(let featureCount): inputWidth = featureCount
        }
        for layer in 0..<config.layerCount {
            shapes.append(("rnn.weight_ih_l\(layer)", [gateRows, inputWidth]))
            shapes.append(("rnn.weight_hh_l\(layer)", [gateRows, config.hiddenSize]))
            shapes.append(("rnn.bias_ih_l\(layer)", [gateRows]))
            shapes.append(("rnn.bias_hh_l\(layer)", [gateRows]))
            inputWidth = config.hiddenSize
        }
        shapes.append(("head.weight", [config.outputSize, config.hiddenSize]))
        shapes.append(("head.bias", [config.outputSize]))
        return shapes
    }

    // MARK: - Forward

    /// Runs `batch` from `initialState` (zeros when nil) and returns the loss, the final state, and what
    /// every layer computed.
    func run(_ batch: Batch, initialState: [LayerState]? = nil) -> Result {
        let timeSteps = batch.timeSteps, batchSize = batch.batchSize, hidden = config.hiddenSize

        // x: (T, B, I_0) layer 0's input vectors.
        var layerInput: [Double]
        var inputWidth: Int
        switch config.input {
        case .embedding(_, let dimension):
            let table = parameters["embedding.weight"]!
            inputWidth = dimension
            layerInput = []
            for token in batch.tokens! {
                layerInput += table[(Int(token) * dimension)..<((Int(token) + 1) * dimension)]
            }
        case .oneHot(let vocabularySize):
            inputWidth = vocabularySize
            layerInput = [Double](repeating: 0, count: timeSteps * batchSize * vocabularySize)
            for (position, token) in batch.tokens!.enumerated() { layerInput[position * vocabularySize + Int(token)] = 1 }
        case .numeric(let featureCount):
            inputWidth = featureCount
            layerInput = batch.features!.map(Double.init)
        }

        var traces: [LayerTrace] = []
        var finalState: [LayerState] = []
        for layer in 0..<config.layerCount {
            let start = initialState?[layer]
            let (trace, final) = runLayer(
                layer, input: layerInput, inputWidth: inputWidth, timeSteps: timeSteps, batchSize: batchSize,
                initialHidden: start?.hidden ?? [Double](repeating: 0, count: batchSize * hidden),
                initialCell: start?.cell ?? [Double](repeating: 0, count: batchSize * hidden))
            traces.append(trace)
            finalState.append(final)
            layerInput = trace.hidden
            inputWidth = hidden
        }

        let top = traces[traces.count - 1].hidden
        let outputs = headOutputs(top, positions: timeSteps * batchSize)
        let loss = self.loss(outputs: outputs, batch: batch)
        return Result(loss: loss, finalState: finalState, layers: traces, outputs: outputs)
    }

    /// One layer over all timesteps and rows. input: (T, B, I); returns its trace and final state.
    private func runLayer(
        _ layer: Int, input: [Double], inputWidth: Int, timeSteps: Int, batchSize: Int,
        initialHidden: [Double], initialCell: [Double]
    ) -> (LayerTrace, LayerState) {
        let hidden = config.hiddenSize, gateCount = config.cell.gateCount, gateRows = gateCount * hidden
        let weightIH = parameters["rnn.weight_ih_l\(layer)"]!, weightHH = parameters["rnn.weight_hh_l\(layer)"]!
        let biasIH = parameters["rnn.bias_ih_l\(layer)"]!, biasHH = parameters["rnn.bias_hh_l\(layer)"]!
        precondition(weightIH.count == gateRows * inputWidth && weightHH.count == gateRows * hidden)

        var hiddenState = initialHidden, cellState = initialCell
        var gateTraces = [[Double]](repeating: [Double](repeating: 0, count: timeSteps * batchSize * hidden), count: config.cell.gateNames.count)
        var hiddenTrace = [Double](repeating: 0, count: timeSteps * batchSize * hidden)
        var cellTrace = [Double](repeating: 0, count: timeSteps * batchSize * hidden)
        // For one (t, b): inputPart (G·H) = W_ih x + b_ih, hiddenPart (G·H) = W_hh h' + b_hh.
        var inputPart = [Double](repeating: 0, count: gateRows), hiddenPart = inputPart
        var h = [Double](repeating: 0, count: hidden), hPrev = h, resetHidden = h
        var gateValues = [[Double]](repeating: h, count: config.cell.gateNames.count)

        for time in 0..<timeSteps {
            for row in 0..<batchSize {
                let position = time * batchSize + row
                for unit in 0..<hidden { hPrev[unit] = hiddenState[row * hidden + unit] }
                for gateRow in 0..<gateRows {
                    var sum = biasIH[gateRow]
                    for column in 0..<inputWidth { sum += weightIH[gateRow * inputWidth + column] * input[position * inputWidth + column] }
                    inputPart[gateRow] = sum
                    sum = biasHH[gateRow]
                    for column in 0..<hidden { sum += weightHH[gateRow * hidden + column] * hPrev[column] }
                    hiddenPart[gateRow] = sum
                }
                // pre(g, u): the full pre-activation of gate block g, unit u.
                func pre(_ block: Int, _ unit: Int) -> Double { inputPart[block * hidden + unit] + hiddenPart[block * hidden + unit] }
                switch config.cell {
                case .rnn:
                    for unit in 0..<hidden {
                        h[unit] = config.nonlinearity == .tanh ? Foundation.tanh(pre(0, unit)) : max(0, pre(0, unit))
                    }
                case .lstm:
                    for unit in 0..<hidden {
                        let i = clamps[[layer, 0, unit]] ?? sigmoid(pre(0, unit))
                        let f = clamps[[layer, 1, unit]] ?? sigmoid(pre(1, unit))
                        let g = Foundation.tanh(pre(2, unit)), o = clamps[[layer, 3, unit]] ?? sigmoid(pre(3, unit))
                        var c = f * cellState[row * hidden + unit] + i * g
                        if let nudge, nudge.cell, nudge.layer == layer, nudge.time == time, nudge.row == row, nudge.unit == unit {
                            c += nudge.delta
                        }
                        cellState[row * hidden + unit] = c
                        cellTrace[position * hidden + unit] = c
                        h[unit] = o * Foundation.tanh(c)
                        gateValues[0][unit] = i
                        gateValues[1][unit] = f
                        gateValues[2][unit] = g
                        gateValues[3][unit] = o
                    }
                case .gru:
                    for unit in 0..<hidden {
                        gateValues[0][unit] = sigmoid(pre(0, unit))  // r
                        gateValues[1][unit] = clamps[[layer, 1, unit]] ?? sigmoid(pre(1, unit))  // z
                        resetHidden[unit] = gateValues[0][unit] * hPrev[unit]
                    }
                    for unit in 0..<hidden {
                        let r = gateValues[0][unit], z = gateValues[1][unit]
                        let n: Double
                        if config.gruResetAfter {
                            // n = tanh(W_in x + b_in + r ⊙ (W_hn h' + b_hn))
                            n = Foundation.tanh(inputPart[2 * hidden + unit] + r * hiddenPart[2 * hidden + unit])
                        } else {
                            // n = tanh(W_in x + b_in + W_hn (r ⊙ h') + b_hn)
                            var sum = biasHH[2 * hidden + unit]
                            for column in 0..<hidden { sum += weightHH[(2 * hidden + unit) * hidden + column] * resetHidden[column] }
                            n = Foundation.tanh(inputPart[2 * hidden + unit] + sum)
                        }
                        gateValues[2][unit] = n
                        h[unit] = (1 - z) * n + z * hPrev[unit]
                    }
                }
                if let nudge, !nudge.cell, nudge.layer == layer, nudge.time == time, nudge.row == row {
                    h[nudge.unit] += nudge.delta
                }
                for unit in 0..<hidden where ablated.contains([layer, unit]) { h[unit] = 0 }
                for index in 0..<gateValues.count {
                    for unit in 0..<hidden { gateTraces[index][position * hidden + unit] = gateValues[index][unit] }
                }
                for unit in 0..<hidden {
                    hiddenState[row * hidden + unit] = h[unit]
                    hiddenTrace[position * hidden + unit] = h[unit]
                }
            }
        }
        let isLSTM = config.cell == .lstm
        return (
            LayerTrace(gates: gateTraces, hidden: hiddenTrace, cell: isLSTM ? cellTrace : nil),
            LayerState(hidden: hiddenState, cell: isLSTM ? cellState : nil))
    }

    /// outputs (positions, O) = top (positions, H) · W_headᵀ + b_head.
    private func headOutputs(_ top: [Double], positions: Int) -> [Double] {
        let hidden = config.hiddenSize, outputSize = config.outputSize
        let weight = parameters["head.weight"]!, bias = parameters["head.bias"]!
        var outputs = [Double](repeating: 0, count: positions * outputSize)
        for position in 0..<positions {
            for output in 0..<outputSize {
                var sum = bias[output]
                for unit in 0..<hidden { sum += weight[output * hidden + unit] * top[position * hidden + unit] }
                outputs[position * outputSize + output] = sum
            }
        }
        return outputs
    }

    // MARK: - Loss

    /// Mean cross-entropy, binary cross-entropy per label, or mean squared error over the positions the
    /// head counts.
    private func loss(outputs: [Double], batch: Batch) -> Double {
        let timeSteps = batch.timeSteps, batchSize = batch.batchSize, outputSize = config.outputSize
        // The positions (t·B + b) the loss reads, each with its target index (row of the targets).
        var positions: [(position: Int, targetRow: Int)] = []
        if config.head.isEveryStep {
            for position in 0..<(timeSteps * batchSize) where (batch.mask?[position] ?? 1) > 0 {
                positions.append((position, position))
            }
        } else {
            for row in 0..<batchSize {
                // Right padding: the length is the number of real steps.
                let length = batch.mask.map { mask in (0..<timeSteps).filter { mask[$0 * batchSize + row] > 0 }.count } ?? timeSteps
                guard length > 0 else { continue }
                positions.append(((length - 1) * batchSize + row, row))
            }
        }
        guard !positions.isEmpty else { return 0 }
        if config.head.isClassification {
            guard let targets = batch.targetTokens else { return 0 }
            var total = 0.0
            for (position, targetRow) in positions {
                let logits = outputs[(position * outputSize)..<((position + 1) * outputSize)]
                let largest = logits.max()!
                let logSumExp = largest + Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - largest) })
                total += logSumExp - logits[position * outputSize + Int(targets[targetRow])]
            }
            return total / Double(positions.count)
        } else if config.head == .multiLabelLast {
            // Binary cross-entropy of σ(x) against y per label, −y log σ(x) − (1 − y) log(1 − σ(x)), with
            // 1 − σ(x) = σ(−x) and log σ(x) = −log(1 + e^(−x)); the mean over rows × labels
            // (PyTorch's BCEWithLogitsLoss).
            guard let targets = batch.targetValues else { return 0 }
            func logSigmoid(_ x: Double) -> Double { -Foundation.log(1 + Foundation.exp(-x)) }
            var total = 0.0
            for (position, targetRow) in positions {
                for output in 0..<outputSize {
                    let logit = outputs[position * outputSize + output]
                    let target = Double(targets[targetRow * outputSize + output])
                    total -= target * logSigmoid(logit) + (1 - target) * logSigmoid(-logit)
                }
            }
            return total / Double(positions.count * outputSize)
        } else {
            guard let targets = batch.targetValues else { return 0 }
            var total = 0.0
            for (position, targetRow) in positions {
                for output in 0..<outputSize {
                    let difference = outputs[position * outputSize + output] - Double(targets[targetRow * outputSize + output])
                    total += difference * difference
                }
            }
            return total / Double(positions.count * outputSize)
        }
    }
}

private func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
