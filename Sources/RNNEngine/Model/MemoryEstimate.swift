import Foundation

/// What training a model takes in memory, before anything is allocated: parameters, gradients, two
/// optimizer moments (the most any rule keeps, since the rule can change while training), the trainer's
/// last good copy of parameters and moments, the packed recurrent weights, the activation workspace
/// of one (T, B) batch plus the probe's, and the copy a checkpoint save makes. The dataset itself
/// is not counted.
public struct MemoryEstimate: Sendable, Equatable {
    public var parameterBytes = 0
    public var gradientBytes = 0
    public var optimizerBytes = 0
    public var lastGoodStateBytes = 0
    public var packedWeightBytes = 0
    public var activationBytes = 0
    /// Saving a checkpoint copies the parameters into named tensors (streamed to the file from there).
    public var checkpointBytes = 0

    public var totalBytes: Int {
        parameterBytes + gradientBytes + optimizerBytes + lastGoodStateBytes + packedWeightBytes + activationBytes
            + checkpointBytes
    }

    /// The estimate for training `config` on batches of `batchSize` sequences of `timeSteps`, probing
    /// sequences of up to `probeTimeSteps`. Cost: arithmetic only (the workspace is planned, not allocated).
    public init(config: ModelConfig, batchSize: Int, timeSteps: Int, probeTimeSteps: Int = 256) {
        let floatSize = MemoryLayout<Float>.stride
        let parameters = ParameterLayout(config: config).totalCount
        parameterBytes = parameters * floatSize
        gradientBytes = parameters * floatSize
        optimizerBytes = 2 * parameters * floatSize
        lastGoodStateBytes = 3 * parameters * floatSize
        checkpointBytes = parameters * floatSize
        let hidden = config.hiddenSize, gateWidth = config.cell.gateCount * hidden
        // W_hh packed twice per layer (forward and backward), in 16-column panels.
        func padded(_ columns: Int) -> Int { (columns + 15) / 16 * 16 }
        packedWeightBytes = config.layerCount * (padded(gateWidth) * hidden + padded(hidden) * gateWidth) * floatSize
        let training = Workspace(config: config), probe = Workspace(config: config)
        training.allocates = false
        probe.allocates = false
        training.plan(timeSteps: timeSteps, batchSize: batchSize)
        probe.plan(timeSteps: min(timeSteps, probeTimeSteps), batchSize: 1)
        // The reusable pack for the other products holds the largest op(B) they use: H_prev (T·B, H) for
        // dW_hh, the head's weight and features, and per layer with a real input product W_ih (GH, I) and
        // the input (T·B, I) (layer 0 with one-hot input is a gather instead).
        let positions = timeSteps * batchSize
        var scratch = max(positions * hidden, config.outputSize * hidden)
        for layer in 0..<config.layerCount {
            if layer == 0, case .oneHot = config.input { continue }
            let width = config.layerInputSize(layer)
            scratch = max(scratch, gateWidth * width, positions * width)
        }
        activationBytes = (training.plannedFloatCount + probe.plannedFloatCount + scratch) * floatSize
    }

    /// "1.3 GB", "41 MB", "512 KB": decimal units, for messages and the setup screen.
    public static func text(_ bytes: Int) -> String {
        let value = Double(bytes)
        if value >= 1e9 { return String(format: "%.1f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.0f MB", value / 1e6) }
        return String(format: "%.0f KB", max(1, value / 1e3))
    }
}

/// The size guard: a run may plan at most `safeShare` of the machine's physical memory, so a typo in a
/// size is refused up front instead of swapping the machine or dying in an allocation.
public enum MemoryGuard {
    /// Half of physical memory: leaves the other half to the system, the terminal and other programs.
    public static let safeShare = 0.5

    public static var physicalMemoryBytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    /// The most a run may plan on this machine.
    public static var limitBytes: Int { Int(Double(physicalMemoryBytes) * safeShare) }

    /// Refuses an estimate above the limit with one line naming both.
    public static func check(_ estimate: MemoryEstimate, limit: Int = limitBytes) throws(ModelError) {
        guard estimate.totalBytes > limit else { return }
        throw ModelError(
            "this run needs about \(MemoryEstimate.text(estimate.totalBytes)) of memory "
                + "(parameters, gradients, optimizer moments and their last good copy \(MemoryEstimate.text(estimate.parameterBytes + estimate.gradientBytes + estimate.optimizerBytes + estimate.lastGoodStateBytes)), "
                + "activations and saving \(MemoryEstimate.text(estimate.activationBytes + estimate.packedWeightBytes + estimate.checkpointBytes))), more than the "
                + "\(MemoryEstimate.text(limit)) a run may use (half of this machine's \(MemoryEstimate.text(physicalMemoryBytes))): "
                + "use a smaller hidden size, fewer layers, a smaller batch or shorter sequences")
    }
}
