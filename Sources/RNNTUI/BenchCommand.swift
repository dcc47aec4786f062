import ArgumentParser
import Foundation
import RNNEngine
import RNNKernels
import RNNTraining

/// `rnn-tui bench`: times full training steps (forward, BPTT, Adam) on a synthetic one-hot language
/// model: one-hot input of size V, one recurrent layer, a softmax over V at every timestep.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time full training steps (forward, BPTT, Adam) and report tokens/s, GFLOP/s and memory."
    )

    @Option(help: "Recurrent cell.")
    var cell: CellKind = .lstm
    @Option(parsing: .unconditional, help: "Hidden units, \(SetupLimits.hiddenSize.requirement).")
    var hidden: Int = 128
    @Option(parsing: .unconditional, help: "Sequences per batch, \(SetupLimits.batchSize.requirement).")
    var batch: Int = 32
    @Option(parsing: .unconditional, help: "Timesteps per sequence, \(SetupLimits.sequenceLength.requirement).")
    var seqLen: Int = 64
    @Option(parsing: .unconditional, help: "Vocabulary size (one-hot input and softmax output), \(Self.vocabularySize.requirement).")
    var vocab: Int = 64
    @Option(parsing: .unconditional, help: "Timed steps after warm-up, \(Self.timedSteps.requirement).")
    var steps: Int = 50
    @Option(parsing: .unconditional, help: "Warm-up steps (not timed), \(Self.warmupSteps.requirement).")
    var warmup: Int = 5
    @Option(parsing: .unconditional, help: "Compute threads, \(SetupLimits.threadCount.requirement).")
    var threads: Int = 2
    @Flag(help: "Print one JSON object instead of text.")
    var json = false
    @Flag(help: "Instead: time the matrix-product kernels alone on the engine's shapes (GFLOP/s).")
    var kernels = false

    static let vocabularySize = SetupLimit(name: "vocabulary size", 1...1_000_000)
    static let timedSteps = SetupLimit(name: "timed steps", 1...1_000_000)
    static let warmupSteps = SetupLimit(name: "warm-up steps", 0...1_000_000)

    func validate() throws {
        try SetupOptions.require("--hidden", hidden, SetupLimits.hiddenSize)
        try SetupOptions.require("--batch", batch, SetupLimits.batchSize)
        try SetupOptions.require("--seq-len", seqLen, SetupLimits.sequenceLength)
        try SetupOptions.require("--vocab", vocab, Self.vocabularySize)
        try SetupOptions.require("--steps", steps, Self.timedSteps)
        try SetupOptions.require("--warmup", warmup, Self.warmupSteps)
        try SetupOptions.require("--threads", threads, SetupLimits.threadCount)
    }

    func run() throws {
        if kernels {
            print(KernelBenchmark.run(threadCount: threads))
            return
        }
        let config = ModelConfig(cell: cell, input: .oneHot(vocabularySize: vocab), hiddenSize: hidden,
                                 head: .tokenEveryStep, outputSize: vocab)
        let model = RecurrentModel(config: config, seed: 1, threadCount: threads)
        let optimizer = Optimizer(parameterCount: model.parameters.count)
        let settings = OptimizerSettings(kind: .adam, learningRate: 0.001)
        var random = SeededRandom(seed: 7)
        let positions = seqLen * batch
        let tokens = (0..<positions).map { _ in Int32(random.next() % UInt64(vocab)) }
        let targets = (0..<positions).map { _ in Int32(random.next() % UInt64(vocab)) }
        let data = Batch(timeSteps: seqLen, batchSize: batch, tokens: tokens, targetTokens: targets)
        func trainingStep() -> Double {
            model.zeroGradients()
            let loss = model.forward(data).loss
            model.backward()
            optimizer.step(parameters: model.parameters, gradients: model.gradients, settings: settings)
            return loss
        }
        for _ in 0..<warmup { _ = trainingStep() }
        let start = DispatchTime.now().uptimeNanoseconds
        var loss = 0.0
        for _ in 0..<steps { loss = trainingStep() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let flops = Double(steps) * Self.flopsPerStep(cell: cell, hidden: hidden, batch: batch, seqLen: seqLen, vocab: vocab)
        let tokensPerSecond = Double(steps * positions) / seconds
        let gigaflops = flops / seconds / 1e9
        let memory = Self.peakMemoryMegabytes()
        if json {
            print("{\"engine\": \"rnn-tui\", \"cell\": \"\(cell.rawValue)\", \"hidden\": \(hidden), \"batch\": \(batch), \"seq_len\": \(seqLen), \"vocab\": \(vocab), \"threads\": \(threads), \"steps\": \(steps), \"seconds\": \(String(format: "%.4f", seconds)), \"tokens_per_second\": \(String(format: "%.1f", tokensPerSecond)), \"steps_per_second\": \(String(format: "%.3f", Double(steps) / seconds)), \"gflops\": \(String(format: "%.2f", gigaflops)), \"peak_memory_mb\": \(String(format: "%.1f", memory)), \"final_loss\": \(String(format: "%.5f", loss))}")
        } else {
            print("rnn-tui bench: \(cell.rawValue) H=\(hidden) B=\(batch) T=\(seqLen) V=\(vocab), \(threads) thread(s), \(steps) steps")
            print(String(format: "  %.0f tokens/s   %.2f steps/s   %.1f GFLOP/s   peak memory %.1f MB   loss %.4f",
                         tokensPerSecond, Double(steps) / seconds, gigaflops, memory, loss))
        }
    }

    /// Multiply-adds the engine actually does per step, ×2: the one-hot input projection is a gather
    /// (no arithmetic), so it is not counted. Recurrent product forward, dh and dW_hh backward:
    /// 3 × 2·T·B·G·H·H; head forward, dW and dh: 3 × 2·T·B·H·V.
    static func flopsPerStep(cell: CellKind, hidden: Int, batch: Int, seqLen: Int, vocab: Int) -> Double {
        let positions = Double(seqLen * batch), gateWidth = Double(cell.gateCount * hidden), h = Double(hidden)
        return 3 * 2 * positions * gateWidth * h + 3 * 2 * positions * h * Double(vocab)
    }

    static func peakMemoryMegabytes() -> Double {
        var usage = rusage()
        getrusage(0, &usage)  // RUSAGE_SELF
        return Double(usage.ru_maxrss) / 1024  // Linux reports kilobytes
    }
}
