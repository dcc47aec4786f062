/// The whole network, forward and backward: input encoding → layers → head → loss, and back.
extension RecurrentModel {
    /// Runs the network over `batch`. With targets, returns the mean loss and prepares `backward()`;
    /// without, returns a zero result (outputs are still computed).
    /// - training: draws dropout masks between layers.
    /// - carryState: starts from the state the previous `carryState` batch ended in (when it had the
    ///   same batch size) and keeps this batch's final state for the next; gradients do not flow across
    ///   the boundary (truncated BPTT). Otherwise starts from zeros.
    /// Cost: about 2·T·B·(G·H·(I + H)) flops per layer plus the head's 2·T·B·H·O.
    @discardableResult
    public func forward(_ batch: Batch, training: Bool = true, carryState: Bool = false) -> ForwardResult {
        let workspace = trainingWorkspace
        run(batch, in: workspace, training: training, carryState: carryState)
        lastTraining = training
        guard batch.targetTokens != nil || batch.targetValues != nil else {
            backwardReady = false
            return ForwardResult(loss: 0, correct: 0, counted: 0)
        }
        backwardReady = true
        pendingBatch = batch
        return lossForward(workspace, batch: batch)
    }

    /// Adds d(mean loss)/d(parameter) of the last `forward` into `gradients` (call `zeroGradients()`
    /// first for a fresh step). Cost: about twice the forward pass.
    public func backward() {
        guard backwardReady, let batch = pendingBatch else { return }
        backwardPass(trainingWorkspace, batch: batch, training: lastTraining)
        backwardReady = false
    }

    /// Backward through head and layers of the forward pass held in `workspace` (its loss already taken
    /// by `lossForward`), adding into `gradients`.
    func backwardPass(_ workspace: Workspace, batch: Batch, training: Bool) {
        instrumentation.backwardIsTraining = training
        var dAbove = workspace.pointer(workspace.dTop)
        var dBelow = workspace.pointer(workspace.dBelow)
        headBackward(workspace, dTop: dAbove)
        for layer in (0..<config.layerCount).reversed() {
            let needsInputGradient: Bool
            if layer > 0 { needsInputGradient = true } else if case .embedding = config.input { needsInputGradient = true } else { needsInputGradient = false }
            layerBackward(workspace, layer: layer, batch: batch, dHidden: dAbove, dInput: needsInputGradient ? dBelow : nil)
            swap(&dAbove, &dBelow)
        }
        // dAbove now holds d loss / d (layer-0 input) when an embedding produced it.
        if case .embedding(_, let dimension) = config.input {
            let dEmbedding = gradients.base + layout.embeddingWeight!
            batch.tokens!.withUnsafeBufferPointer { tokens in
                for position in 0..<tokens.count {
                    let row = dEmbedding + Int(tokens[position]) * dimension, gradient = dAbove + position * dimension
                    for column in 0..<dimension { row[column] += gradient[column] }
                }
            }
        }
    }

    /// ∂L/∂h_t (and for the LSTM ∂L/∂c_t) of every layer, timestep and sequence of `batch` (which must
    /// have targets; nil otherwise), from a zero state without dropout, with the intervention in force.
    /// Leaves the training state, the carried state and the accumulated gradients as they were.
    /// Cost: one forward and one backward pass of the batch, plus a copy of the gradient arena.
    public func hiddenGradients(_ batch: Batch) -> HiddenGradients? {
        guard batch.targetTokens != nil || batch.targetValues != nil else { return nil }
        let workspace = probeWorkspace
        run(batch, in: workspace, training: false, carryState: false)
        return recordHiddenGradients(workspace, batch: batch)
    }

    /// Loss and a recording backward pass over the forward pass held in `workspace`; the gradient
    /// arena is borrowed and restored.
    func recordHiddenGradients(_ workspace: Workspace, batch: Batch) -> HiddenGradients {
        let result = lossForward(workspace, batch: batch)
        let timeSteps = workspace.timeSteps, batchSize = workspace.batchSize, hidden = config.hiddenSize
        let stride = timeSteps * batchSize * hidden, isLSTM = config.cell == .lstm
        let recording = GradientRecording(
            hidden: FloatArena(count: config.layerCount * stride),
            cell: isLSTM ? FloatArena(count: config.layerCount * stride) : nil, layerStride: stride)
        if instrumentation.savedGradients?.count != gradients.count {
            instrumentation.savedGradients = FloatArena(count: gradients.count)
        }
        let saved = instrumentation.savedGradients!
        saved.copy(from: gradients)
        instrumentation.recording = recording
        backwardPass(workspace, batch: batch, training: false)
        instrumentation.recording = nil
        gradients.copy(from: saved)

        var scales = [Float](repeating: 0, count: batchSize)
        for row in 0..<batchSize {
            let length = workspace.lengths[row]
            let own = config.head.isEveryStep ? (0..<timeSteps).filter { (batch.mask?[$0 * batchSize + row] ?? 1) > 0 }.count : (length > 0 ? 1 : 0)
            let total = config.head.isClassification ? result.counted : result.counted / max(1, config.outputSize)
            scales[row] = own > 0 ? Float(total) / Float(own) : 0
        }
        let layers = 0..<config.layerCount
        return HiddenGradients(
            timeSteps: timeSteps, batchSize: batchSize, hiddenSize: hidden,
            hidden: layers.map { recording.hidden.array(offset: $0 * stride, count: stride) },
            cell: recording.cell.map { arena in layers.map { arena.array(offset: $0 * stride, count: stride) } },
            loss: result.loss, sequenceScales: scales)
    }

    /// Runs one sequence (a batch of one, zero initial state, no dropout, the intervention in force) and
    /// keeps everything each layer computed. When the batch has targets (and `gradients` is true) it also
    /// takes the loss and records ∂L/∂h_t and ∂L/∂c_t (`LayerTrace.hiddenGradient`, `.cellGradient`):
    /// one backward pass more. Does not touch the training state, the carried state or the gradients.
    public func probe(_ batch: Batch, gradients recordGradients: Bool = true) -> ProbeResult {
        let workspace = probeWorkspace
        run(batch, in: workspace, training: false, carryState: false)
        let timeSteps = workspace.timeSteps, hidden = config.hiddenSize
        let gateWidth = config.cell.gateCount * hidden, batchSize = workspace.batchSize
        var traces: [LayerTrace] = []
        for layer in 0..<config.layerCount {
            let regions = workspace.layers[layer]
            func slots(_ offset: Int, from first: Int) -> [Float] {
                // Row 0 of each timestep, (T, H).
                var values = [Float](repeating: 0, count: timeSteps * hidden)
                for time in 0..<timeSteps {
                    let source = workspace.pointer(offset) + ((time + first) * batchSize) * hidden
                    for unit in 0..<hidden { values[time * hidden + unit] = source[unit] }
                }
                return values
            }
            let gates = config.cell.gateNames.enumerated().map { index, name in
                var values = [Float](repeating: 0, count: timeSteps * hidden)
                for time in 0..<timeSteps {
                    let source = workspace.pointer(regions.gates) + time * batchSize * gateWidth + index * hidden
                    for unit in 0..<hidden { values[time * hidden + unit] = source[unit] }
                }
                return (name: name, values: values)
            }
            traces.append(LayerTrace(
                gates: gates, hidden: slots(regions.hidden, from: 1),
                cell: config.cell == .lstm ? slots(regions.cell, from: 1) : nil))
        }
        let outputSize = config.outputSize
        var outputs = [Float](repeating: 0, count: timeSteps * outputSize)
        if config.head.isEveryStep {
            let source = workspace.pointer(workspace.outputs)
            for time in 0..<timeSteps {
                for column in 0..<outputSize { outputs[time * outputSize + column] = source[time * batchSize * outputSize + column] }
            }
        } else {
            // The head at every timestep, so a reader can see the prediction form as the sequence goes.
            let weight = parameters.base + layout.head.weight
            let bias = parameters.base + layout.head.bias
            let top = traces[traces.count - 1].hidden
            for time in 0..<timeSteps {
                for column in 0..<outputSize {
                    var sum = bias[column]
                    for unit in 0..<hidden { sum += weight[column * hidden + unit] * top[time * hidden + unit] }
                    outputs[time * outputSize + column] = sum
                }
            }
        }
        var loss: Double?
        if recordGradients, batch.batchSize == 1, batch.targetTokens != nil || batch.targetValues != nil {
            let recorded = recordHiddenGradients(workspace, batch: batch)
            loss = recorded.loss
            for layer in traces.indices {
                traces[layer].hiddenGradient = recorded.hidden[layer]
                traces[layer].cellGradient = recorded.cell?[layer]
            }
        }
        return ProbeResult(
            timeSteps: timeSteps, hiddenSize: hidden, layers: traces, outputs: outputs, outputSize: outputSize, loss: loss)
    }

    /// Continues one sequence: runs `batch` (a batch of one) from `state` (zeros when nil), without
    /// dropout and with the intervention in force, and returns the head's outputs at the last timestep
    /// (O) and the state after it — token by token generation without re-reading the prefix. Does not
    /// touch the training state, the carried state or the gradients. Cost: a forward pass of `batch`.
    public func continueSequence(_ batch: Batch, from state: SequenceState?) -> (outputs: [Float], state: SequenceState) {
        let workspace = probeWorkspace
        run(batch, in: workspace, training: false, carryState: false, initialState: state)
        let hidden = config.hiddenSize, timeSteps = workspace.timeSteps
        var values: [Float] = []
        values.reserveCapacity(config.layerCount * hidden * (config.cell == .lstm ? 2 : 1))
        for regions in workspace.layers {
            values += workspace.arena.array(offset: regions.hidden + timeSteps * hidden, count: hidden)
            if config.cell == .lstm { values += workspace.arena.array(offset: regions.cell + timeSteps * hidden, count: hidden) }
        }
        let rows = config.head.isEveryStep ? timeSteps : 1
        let outputs = workspace.arena.array(offset: workspace.outputs + (rows - 1) * config.outputSize, count: config.outputSize)
        return (outputs, SequenceState(values: values))
    }

    /// The forward pass proper, into `workspace`. `initialState` (batch of one) replaces the zero state.
    func run(_ batch: Batch, in workspace: Workspace, training: Bool, carryState: Bool, initialState: SequenceState? = nil) {
        let timeSteps = batch.timeSteps, batchSize = batch.batchSize, positions = timeSteps * batchSize
        let hidden = config.hiddenSize
        workspace.plan(timeSteps: timeSteps, batchSize: batchSize)
        workspace.setLengths(from: batch)
        workspace.dropoutActive = training && dropout > 0 && config.layerCount > 1

        // Layer 0's input: embedding rows or numeric features (one-hot is gathered inside the layer).
        let input0 = workspace.pointer(workspace.layers[0].input)
        switch config.input {
        case .embedding(_, let dimension):
            let table = parameters.base + layout.embeddingWeight!
            batch.tokens!.withUnsafeBufferPointer { tokens in
                for position in 0..<positions {
                    (input0 + position * dimension).update(from: table + Int(tokens[position]) * dimension, count: dimension)
                }
            }
        case .numeric:
            batch.features!.withUnsafeBufferPointer { features in
                input0.update(from: features.baseAddress!, count: features.count)
            }
        case .oneHot:
            break
        }

        let carry = carryState && hasCarriedState && carriedBatchSize == batchSize
        if carryState && carriedBatchSize != batchSize {
            let perLayer = config.cell == .lstm ? 2 : 1
            carriedState = FloatArena(count: config.layerCount * perLayer * batchSize * hidden)
            carriedBatchSize = batchSize
        }
        for layer in 0..<config.layerCount {
            let regions = workspace.layers[layer]
            let stateCount = batchSize * hidden
            let initialHidden = workspace.pointer(regions.hidden)
            let initialCell = config.cell == .lstm ? workspace.pointer(regions.cell) : nil
            if carry {
                initialHidden.update(from: carriedSlot(layer, cell: false), count: stateCount)
                initialCell?.update(from: carriedSlot(layer, cell: true), count: stateCount)
            } else if let initialState, batchSize == 1, initialState.values.count == config.layerCount * hidden * (initialCell == nil ? 1 : 2) {
                let perLayer = initialCell == nil ? hidden : 2 * hidden
                initialState.values.withUnsafeBufferPointer { values in
                    initialHidden.update(from: values.baseAddress! + layer * perLayer, count: hidden)
                    initialCell?.update(from: values.baseAddress! + layer * perLayer + hidden, count: hidden)
                }
            } else {
                initialHidden.update(repeating: 0, count: stateCount)
                initialCell?.update(repeating: 0, count: stateCount)
            }
            if layer > 0 && workspace.dropoutActive {
                // input (T·B, H) = h_below ⊙ mask, mask ∈ {0, 1/(1−p)}
                let below = workspace.pointer(workspace.layers[layer - 1].hidden) + batchSize * hidden
                let mask = workspace.pointer(regions.dropout), input = workspace.pointer(regions.input)
                let keep = 1 - dropout, scale = 1 / keep
                for index in 0..<(positions * hidden) {
                    mask[index] = random.nextUnit() < Double(keep) ? scale : 0
                    input[index] = below[index] * mask[index]
                }
            }
            layerForward(workspace, layer: layer, batch: batch, training: training)
        }
        // The state the next batch starts from, written only once every layer has run: a pass cut short by
        // `cancellation` leaves the carried state as it was.
        if carryState && !cancellation.isCancelled {
            let stateCount = batchSize * hidden
            for layer in 0..<config.layerCount {
                let regions = workspace.layers[layer]
                let finalHidden = workspace.pointer(regions.hidden) + timeSteps * stateCount
                carriedSlot(layer, cell: false).update(from: finalHidden, count: stateCount)
                if config.cell == .lstm {
                    carriedSlot(layer, cell: true).update(from: workspace.pointer(regions.cell) + timeSteps * stateCount, count: stateCount)
                }
            }
            hasCarriedState = true
        }
        headForward(workspace)
    }

    /// The carried h (or c) of `layer`: (B, H).
    private func carriedSlot(_ layer: Int, cell: Bool) -> UnsafeMutablePointer<Float> {
        let perLayer = config.cell == .lstm ? 2 : 1
        let slot = layer * perLayer + (cell ? 1 : 0)
        return carriedState.base + slot * carriedBatchSize * config.hiddenSize
    }
}

extension RecurrentModel {
    /// The head's outputs of the last `forward`: (T·B, O) for every-step heads, (B, O) for last-step
    /// heads (copies).
    public func lastOutputs() -> [Float] {
        let workspace = trainingWorkspace
        let rows = config.head.isEveryStep ? workspace.timeSteps * workspace.batchSize : workspace.batchSize
        return workspace.arena.array(offset: workspace.outputs, count: rows * config.outputSize)
    }
}
