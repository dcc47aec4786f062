import ArgumentParser
import Foundation
import RNNEngine
import RNNKernels
import RNNTraining

/// `rnn-tui bench`: times full training steps (forward, BPTT, Adam, mean cross-entropy) on synthetic data:
/// one-hot input of size V or an embedding (V, E), L recurrent layers, and a softmax over V at every
/// timestep (`--task lm`) or over K classes at the last timestep (`--task classify`). One batch of random
/// tokens is made before the timing and reused by every step.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time full training steps (forward, BPTT, Adam) and report tokens/s, GFLOP/s and memory."
    )

    /// `--task lm|classify`.
    enum Task: String, ExpressibleByArgument, CaseIterable, Codable {
        case lm, classify
    }

    @Option(help: "Recurrent cell.")
    var cell: CellKind = .lstm
    @Option(parsing: .unconditional, help: "Hidden units, \(SetupLimits.hiddenSize.requirement).")
    var hidden: Int = 128
    @Option(parsing: .unconditional, help: "Sequences per batch, \(SetupLimits.batchSize.requirement).")
    var batch: Int = 32
    @Option(parsing: .unconditional, help: "Timesteps per sequence, \(SetupLimits.sequenceLength.requirement).")
    var seqLen: Int = 64
    @Option(parsing: .unconditional, help: "Vocabulary size (the input tokens; and the softmax for --task lm), \(Self.vocabularySize.requirement).")
    var vocab: Int = 64
    @Option(parsing: .unconditional, help: "Embedding width (0 = one-hot input of size V), \(SetupLimits.embeddingSize.requirement).")
    var embedding: Int = 0
    @Option(parsing: .unconditional, help: "Stacked recurrent layers, \(SetupLimits.layerCount.requirement).")
    var layers: Int = 1
    @Option(help: "lm: softmax over V at every step; classify: softmax over --classes at the last step.")
    var task: Task = .lm
    @Option(parsing: .unconditional, help: "Classes for --task classify, \(Self.classCount.requirement).")
    var classes: Int = 2
    @Option(parsing: .unconditional, help: "Timed steps after warm-up, split into --windows windows, \(Self.timedSteps.requirement).")
    var steps: Int = 50
    @Option(parsing: .unconditional, help: "Timed windows the steps are split into (the spread of their speeds is reported), \(Self.windowCount.requirement).")
    var windows: Int = 5
    @Option(parsing: .unconditional, help: "Warm-up steps (not timed), \(Self.warmupSteps.requirement).")
    var warmup: Int = 5
    @Option(parsing: .unconditional, help: "Compute threads, \(SetupLimits.threadCount.requirement).")
    var threads: Int = 2
    @Flag(help: "Print one JSON object instead of text.")
    var json = false
    @Flag(help: "Instead: time the matrix-product kernels alone on the engine's shapes (GFLOP/s).")
    var kernels = false

    static let vocabularySize = SetupLimit(name: "vocabulary size", 1...1_000_000)
    static let classCount = SetupLimit(name: "classes", 1...100_000)
    static let windowCount = SetupLimit(name: "windows", 1...1000)
    static let timedSteps = SetupLimit(name: "timed steps", 1...1_000_000)
    static let warmupSteps = SetupLimit(name: "warm-up steps", 0...1_000_000)

    func validate() throws {
        try SetupOptions.require("--hidden", hidden, SetupLimits.hiddenSize)
        try SetupOptions.require("--batch", batch, SetupLimits.batchSize)
        try SetupOptions.require("--seq-len", seqLen, SetupLimits.sequenceLength)
        try SetupOptions.require("--vocab", vocab, Self.vocabularySize)
        try SetupOptions.require("--embedding", embedding, SetupLimits.embeddingSize)
        try SetupOptions.require("--layers", layers, SetupLimits.layerCount)
        try SetupOptions.require("--classes", classes, Self.classCount)
        try SetupOptions.require("--steps", steps, Self.timedSteps)
        try SetupOptions.require("--windows", windows, Self.windowCount)
        try SetupOptions.require("--warmup", warmup, Self.warmupSteps)
        try SetupOptions.require("--threads", threads, SetupLimits.threadCount)
        guard windows <= steps else { throw ValidationError("--windows \(windows) must be at most --steps \(steps)") }
    }

    func run() throws {
        if kernels {
            print(KernelBenchmark.run(threadCount: threads))
            return
        }
        let input: InputEncoding = embedding > 0 ? .embedding(vocabularySize: vocab, dimension: embedding) : .oneHot(vocabularySize: vocab)
        let outputSize = task == .lm ? vocab : classes
        let config = ModelConfig(cell: cell, input: input, hiddenSize: hidden, layerCount: layers,
                                 head: task == .lm ? .tokenEveryStep : .classifyLast, outputSize: outputSize)
        let model = RecurrentModel(config: config, seed: 1, threadCount: threads)
        let optimizer = Optimizer(parameterCount: model.parameters.count)
        let settings = OptimizerSettings(kind: .adam, learningRate: 0.001)
        var random = SeededRandom(seed: 7)
        let positions = seqLen * batch
        let tokens = (0..<positions).map { _ in Int32(random.next() % UInt64(vocab)) }
        let targets = (0..<(task == .lm ? positions : batch)).map { _ in Int32(random.next() % UInt64(outputSize)) }
        let data = Batch(timeSteps: seqLen, batchSize: batch, tokens: tokens, targetTokens: targets)
        func trainingStep() -> Double {
            model.zeroGradients()
            let loss = model.forward(data).loss
            model.backward()
            optimizer.step(parameters: model.parameters, gradients: model.gradients, settings: settings)
            return loss
        }
        for _ in 0..<warmup { _ = trainingStep() }
        var loss = 0.0
        var windowSpeeds: [Double] = []
        var seconds = 0.0
        for window in 0..<windows {
            let windowSteps = steps * (window + 1) / windows - steps * window / windows
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<windowSteps { loss = trainingStep() }
            let windowSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            seconds += windowSeconds
            windowSpeeds.append(Double(windowSteps * positions) / windowSeconds)
        }
        let flops = Double(steps) * Self.flopsPerStep(
            cell: cell, hidden: hidden, batch: batch, seqLen: seqLen, inputWidth: embedding, layers: layers,
            headRows: task == .lm ? positions : batch, outputs: outputSize)
        let report = BenchReport(
            cell: cell.rawValue, hidden: hidden, batch: batch, seqLen: seqLen, vocab: vocab, embedding: embedding,
            layers: layers, task: task.rawValue, classes: task == .classify ? classes : nil, threads: threads,
            steps: steps, seconds: seconds, tokensPerSecond: Double(steps * positions) / seconds,
            stepsPerSecond: Double(steps) / seconds, windowTokensPerSecond: WindowSpread(windowSpeeds),
            gflops: flops / seconds / 1e9, peakMemoryMB: Self.peakMemoryMegabytes(), finalLoss: loss)
        print(json ? report.jsonLine() : report.text())
    }

    /// Multiply-adds the engine actually does per step, ×2. The one-hot input projection is a gather (no
    /// arithmetic), so with `inputWidth` 0 layer 0's input products are not counted. Per layer, with I its
    /// input width and P = T·B positions: recurrent product forward, dh and dW_hh backward 3 × 2·P·G·H·H;
    /// input product forward and dW_ih 2 × 2·P·G·H·I, and dX (every layer but a one-hot layer 0)
    /// 2·P·G·H·I (layer 0's dX with an embedding feeds the table's gradient); head forward, dW and dh
    /// 3 × 2·R·H·O over its R rows (P for a language model, B for a classifier).
    static func flopsPerStep(
        cell: CellKind, hidden: Int, batch: Int, seqLen: Int, inputWidth: Int, layers: Int, headRows: Int, outputs: Int
    ) -> Double {
        let positions = Double(seqLen * batch), gateWidth = Double(cell.gateCount * hidden), h = Double(hidden)
        var total = 0.0
        for layer in 0..<layers {
            let width = Double(layer == 0 ? inputWidth : hidden)
            total += 3 * 2 * positions * gateWidth * h + 3 * 2 * positions * gateWidth * width
        }
        return total + 3 * 2 * Double(headRows) * h * Double(outputs)
    }

    /// The process's peak resident memory in MB. `ru_maxrss` is in kilobytes on Linux and in bytes on macOS.
    static func peakMemoryMegabytes() -> Double {
        var usage = rusage()
        getrusage(0, &usage)  // RUSAGE_SELF
        #if os(macOS)
        return Double(usage.ru_maxrss) / (1024 * 1024)
        #else
        return Double(usage.ru_maxrss) / 1024
        #endif
    }
}
