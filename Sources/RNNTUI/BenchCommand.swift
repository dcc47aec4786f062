import ArgumentParser
import Foundation
import RNNEngine
import RNNKernels

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
    @Option(help: "Hidden units.")
    var hidden: Int = 128
    @Option(help: "Sequences per batch.")
    var batch: Int = 32
    @Option(help: "Timesteps per sequence.")
    var seqLen: Int = 64
    @Option(help: "Vocabulary size (the input tokens; and the softmax for --task lm).")
    var vocab: Int = 64
    @Option(help: "Embedding width (0 = one-hot input of size V).")
    var embedding: Int = 0
    @Option(help: "Stacked recurrent layers.")
    var layers: Int = 1
    @Option(help: "lm: softmax over V at every step; classify: softmax over --classes at the last step.")
    var task: Task = .lm
    @Option(help: "Classes for --task classify.")
    var classes: Int = 2
    @Option(help: "Timed steps (after warm-up), split into --windows windows.")
    var steps: Int = 50
    @Option(help: "Timed windows the steps are split into; the spread of their speeds is reported.")
    var windows: Int = 5
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
                                     ("--vocab", vocab, 1_000_000), ("--steps", steps, 1_000_000), ("--threads", threads, 64),
                                     ("--layers", layers, 4), ("--classes", classes, 100_000), ("--windows", windows, 1000)] {
            guard value >= 1 && value <= limit else { throw ValidationError("\(name) \(value) must be 1…\(limit)") }
        }
        guard embedding >= 0 && embedding <= 8192 else { throw ValidationError("--embedding \(embedding) must be 0…8192") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be ≥ 0") }
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
        let optimizer = Optimizer(settings: OptimizerSettings(kind: .adam, learningRate: 0.001), parameterCount: model.parameters.count)
        var random = SeededRandom(seed: 7)
        let positions = seqLen * batch
        let tokens = (0..<positions).map { _ in Int32(random.next() % UInt64(vocab)) }
        let targets = (0..<(task == .lm ? positions : batch)).map { _ in Int32(random.next() % UInt64(outputSize)) }
        let data = Batch(timeSteps: seqLen, batchSize: batch, tokens: tokens, targetTokens: targets)
        func trainingStep() -> Double {
            model.zeroGradients()
            let loss = model.forward(data).loss
            model.backward()
            optimizer.step(parameters: model.parameters, gradients: model.gradients, learningRate: 0.001)
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
