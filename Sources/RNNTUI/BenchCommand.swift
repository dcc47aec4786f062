import ArgumentParser
import Foundation
import RNNEngine
import RNNKernels

/// `rnn-tui bench`: times full training steps (forward, BPTT, Adam) on a synthetic one-hot language
/// model: one-hot input of size V, one recurrent layer, a softmax over V at every timestep.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time full training steps (forward, BPTT, Adam) and report tokens/s, GFLOP/s and memory."
    )

    @Option(help: "Recurrent cell.")
    var cell: CellKind = .lstm
    @Option(help: "Hidden units.")
    var hidden: Int = 128
    @Option(help: "Sequences per batch.")
    var batch: Int = 32
    @Option(help: "Timesteps per sequence.")
    var seqLen: Int = 64
    @Option(help: "Vocabulary size (one-hot input and softmax output).")
    var vocab: Int = 64
    @Option(help: "Timed steps (after warm-up).")
    var steps: Int = 50
    @Option(help: "Warm-up steps.")
    var warmup: Int = 5
    @Option(help: "Compute threads.")
    var threads: Int = 2
    @Flag(help: "Print one JSON object instead of text.")
    var json = false
    @Flag(help: "Instead: time the matrix-product kernels alone on the engine's shapes (GFLOP/s).")
    var kernels = false

    func validate() throws {
        for (name, value, limit) in [("--hidden", hidden, 8192), ("--batch", batch, 4096), ("--seq-len", seqLen, 100_000),
                                     ("--vocab", vocab, 1_000_000), ("--steps", steps, 1_000_000), ("--threads", threads, 64)] {
            guard value >= 1 && value <= limit else { throw ValidationError("\(name) \(value) must be 1…\(limit)") }
        }
        guard warmup >= 0 else { throw ValidationError("--warmup must be ≥ 0") }
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
