import RNNKernels

/// What the time loops do besides the cell's own step: unit surgery (`Intervention`) and, during a probe's
/// backward pass, recording the total derivative ∂L/∂h_t (and ∂L/∂c_t) of every layer and timestep.
///
/// The loops build a hook once per layer and pass; it is nil when there is nothing to do, so a training
/// step without an intervention pays one nil check per timestep and nothing else.
final class Instrumentation {
    var intervention: Intervention?
    /// plans[layer]: that layer's edits, nil when it has none.
    var plans: [LayerInterventionPlan?] = []
    /// Set only inside `recordHiddenGradients`: where the backward loops write dh and dc.
    var recording: GradientRecording?
    /// Whether the backward pass running now pairs with a training forward pass.
    var backwardIsTraining = false
    /// A copy of the gradient arena kept while a probe's backward pass borrows it.
    var savedGradients: FloatArena?

    func appliesIntervention(training: Bool) -> Bool {
        guard let intervention, !intervention.isEmpty else { return false }
        return !training || intervention.appliesDuringTraining
    }
}

/// dh and (LSTM) dc for every layer: each (T, B, H), layer k at offset k·layerStride of its arena.
struct GradientRecording {
    let hidden: FloatArena
    let cell: FloatArena?
    let layerStride: Int
}

/// Applies a layer's edits after each forward timestep. Pointers are the layer's workspace regions:
/// gates (T, B, GH) activated, hidden/cell (T+1, B, H) with slot t+1 = step t, tanhCell (T, B, H).
struct ForwardStepHook {
    let plan: LayerInterventionPlan
    let cellKind: CellKind
    let gates: UnsafeMutablePointer<Float>
    let hidden: UnsafeMutablePointer<Float>
    let cell: UnsafeMutablePointer<Float>?
    let tanhCell: UnsafeMutablePointer<Float>?
    let batchSize: Int
    let hiddenSize: Int

    /// After step `time` of rows `rows`: pins clamped gates and recomputes what they feed (LSTM c, tanh c
    /// and h; GRU h), then zeroes ablated units' h. Cost: O(rows · edited units).
    func afterStep(time: Int, rows: Range<Int>) {
        let hiddenCount = hiddenSize, gateWidth = cellKind.gateCount * hiddenSize
        let stepStride = batchSize * hiddenCount
        let gateStep = gates + time * batchSize * gateWidth
        let hNow = hidden + (time + 1) * stepStride, hPrev = hidden + time * stepStride
        for row in rows {
            let gate = gateStep + row * gateWidth, offset = row * hiddenCount
            for clamp in plan.clamps {
                gate[clamp.block * hiddenCount + clamp.unit] = clamp.value
                let unit = clamp.unit
                switch cellKind {
                case .lstm:
                    // c = f ⊙ c' + i ⊙ g,  h = o ⊙ tanh(c)
                    let cNow = cell! + (time + 1) * stepStride, cPrev = cell! + time * stepStride
                    let tanhNow = tanhCell! + time * stepStride
                    let i = gate[unit], f = gate[hiddenCount + unit], g = gate[2 * hiddenCount + unit]
                    let o = gate[3 * hiddenCount + unit]
                    let c = f * cPrev[offset + unit] + i * g
                    cNow[offset + unit] = c
                    var t = c
                    Activations.tanh(&t, count: 1)
                    tanhNow[offset + unit] = t
                    hNow[offset + unit] = o * t
                case .gru:
                    // h = (1 − z) ⊙ n + z ⊙ h'
                    let z = gate[hiddenCount + unit], n = gate[2 * hiddenCount + unit]
                    hNow[offset + unit] = (1 - z) * n + z * hPrev[offset + unit]
                case .rnn:
                    break
                }
            }
            for unit in plan.ablatedUnits { hNow[offset + unit] = 0 }
        }
    }
}

/// Before each backward timestep: zeroes the gradient reaching ablated units' h (their h is a constant
/// 0), then records the total dh_t = (from the head or the layer above) + (from step t+1) and, for the
/// LSTM, dc_t = dc_next + dh_t ⊙ o_t ⊙ (1 − tanh² c_t). dHidden (T, B, H); dhNext, dcNext (B, H).
struct BackwardStepHook {
    let ablatedUnits: [Int]
    let dHidden: UnsafeMutablePointer<Float>
    let dhNext: UnsafeMutablePointer<Float>
    let dcNext: UnsafeMutablePointer<Float>
    /// Recording targets (T, B, H), nil when not recording.
    let recordHidden: UnsafeMutablePointer<Float>?
    let recordCell: UnsafeMutablePointer<Float>?
    /// LSTM: gates (T, B, 4H) and tanhCell (T, B, H) of the forward pass, for dc.
    let gates: UnsafePointer<Float>?
    let tanhCell: UnsafePointer<Float>?
    let batchSize: Int
    let hiddenSize: Int

    func beforeStep(time: Int, rows: Range<Int>) {
        let hidden = hiddenSize, stepStride = batchSize * hidden
        let dh = dHidden + time * stepStride
        for row in rows {
            for unit in ablatedUnits {
                dh[row * hidden + unit] = 0
                dhNext[row * hidden + unit] = 0
            }
        }
        guard let recordHidden else { return }
        let total = recordHidden + time * stepStride
        for index in (rows.lowerBound * hidden)..<(rows.upperBound * hidden) { total[index] = dh[index] + dhNext[index] }
        guard let recordCell, let gates, let tanhCell else { return }
        let cellTotal = recordCell + time * stepStride
        let gateStep = gates + time * batchSize * 4 * hidden, tanhStep = tanhCell + time * stepStride
        for row in rows {
            for unit in 0..<hidden {
                let index = row * hidden + unit
                let o = gateStep[row * 4 * hidden + 3 * hidden + unit], tanhC = tanhStep[index]
                cellTotal[index] = dcNext[index] + total[index] * o * (1 - tanhC * tanhC)
            }
        }
    }
}

extension RecurrentModel {
    // MARK: - Interventions

    /// The unit surgery in force (nil: none).
    public var intervention: Intervention? { instrumentation.intervention }

    /// Sets (or with nil, releases) the unit surgery for later passes. Throws, changing nothing, when an
    /// edit does not fit this model.
    public func setIntervention(_ intervention: Intervention?) throws {
        guard let intervention, !intervention.isEmpty else {
            instrumentation.intervention = nil
            instrumentation.plans = []
            return
        }
        try intervention.validate(for: config)
        var plans = [LayerInterventionPlan](repeating: LayerInterventionPlan(), count: config.layerCount)
        for edit in intervention.edits {
            switch edit.action {
            case .ablate:
                if !plans[edit.layer].ablatedUnits.contains(edit.unit) { plans[edit.layer].ablatedUnits.append(edit.unit) }
            case .clamp(let gate, let value):
                plans[edit.layer].clamps.append((gate.blockIndex(in: config.cell)!, edit.unit, value))
            }
        }
        instrumentation.intervention = intervention
        instrumentation.plans = plans.map { $0.isEmpty ? nil : $0 }
    }

    // MARK: - Hooks for the time loops

    /// The hook `layerForward` calls after each timestep, or nil when no edit applies to this pass.
    func forwardStepHook(_ workspace: Workspace, layer: Int, training: Bool) -> ForwardStepHook? {
        guard instrumentation.appliesIntervention(training: training), let plan = instrumentation.plans[layer] else { return nil }
        let regions = workspace.layers[layer], isLSTM = config.cell == .lstm
        return ForwardStepHook(
            plan: plan, cellKind: config.cell, gates: workspace.pointer(regions.gates),
            hidden: workspace.pointer(regions.hidden), cell: isLSTM ? workspace.pointer(regions.cell) : nil,
            tanhCell: isLSTM ? workspace.pointer(regions.tanhCell) : nil,
            batchSize: workspace.batchSize, hiddenSize: config.hiddenSize)
    }

    /// The hook `layerBackward` calls before each timestep, or nil when there is neither an ablation to
    /// respect nor a recording to make.
    func backwardStepHook(_ workspace: Workspace, layer: Int, dHidden: UnsafeMutablePointer<Float>) -> BackwardStepHook? {
        let ablated = instrumentation.appliesIntervention(training: instrumentation.backwardIsTraining)
            ? instrumentation.plans[layer]?.ablatedUnits ?? [] : []
        let recording = instrumentation.recording
        guard !ablated.isEmpty || recording != nil else { return nil }
        let regions = workspace.layers[layer], isLSTM = config.cell == .lstm
        let offset = layer * (recording?.layerStride ?? 0)
        return BackwardStepHook(
            ablatedUnits: ablated, dHidden: dHidden, dhNext: workspace.pointer(workspace.dhNext),
            dcNext: workspace.pointer(workspace.dcNext), recordHidden: recording.map { $0.hidden.base + offset },
            recordCell: recording?.cell.map { $0.base + offset },
            gates: isLSTM ? UnsafePointer(workspace.pointer(regions.gates)) : nil,
            tanhCell: isLSTM ? UnsafePointer(workspace.pointer(regions.tanhCell)) : nil,
            batchSize: workspace.batchSize, hiddenSize: config.hiddenSize)
    }
}
