import Foundation

/// Minimum, median and maximum of the tokens/s of `bench`'s timed windows: the spread shows how steady
/// the machine was while it measured.
struct WindowSpread: Codable, Equatable {
    var min: Double
    var median: Double
    var max: Double
    var count: Int

    init(_ speeds: [Double]) {
        let sorted = speeds.sorted()
        count = sorted.count
        min = sorted.first ?? 0
        max = sorted.last ?? 0
        if sorted.isEmpty {
            median = 0
        } else if sorted.count % 2 == 1 {
            median = sorted[sorted.count / 2]
        } else {
            median = (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }
}

/// What `rnn-tui bench` measured: the workload, and tokens/s (B·T·steps / s over all timed windows) with the
/// windows' spread. `--json` prints it as one line with snake_case keys (`tokens_per_second`, …).
struct BenchReport: Codable, Equatable {
    var engine = "rnn-tui"
    var cell: String
    var hidden: Int
    var batch: Int
    var seqLen: Int
    var vocab: Int
    /// 0 = one-hot input.
    var embedding: Int
    var layers: Int
    var task: String
    /// Only for `task == "classify"`.
    var classes: Int?
    var threads: Int
    var steps: Int
    var seconds: Double
    var tokensPerSecond: Double
    var stepsPerSecond: Double
    var windowTokensPerSecond: WindowSpread
    var gflops: Double
    var peakMemoryMB: Double
    var finalLoss: Double

    enum CodingKeys: String, CodingKey {
        case engine, cell, hidden, batch, vocab, embedding, layers, task, classes, threads, steps, seconds, gflops
        case seqLen = "seq_len"
        case tokensPerSecond = "tokens_per_second"
        case stepsPerSecond = "steps_per_second"
        case windowTokensPerSecond = "window_tokens_per_second"
        case peakMemoryMB = "peak_memory_mb"
        case finalLoss = "final_loss"
    }

    /// One line of JSON, keys sorted.
    func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a plain number or string, so encoding cannot fail; `nonConformingFloat` covers a
        // zero-length timing's infinities.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Two lines for a person.
    func text() -> String {
        let input = embedding > 0 ? "E=\(embedding)" : "one-hot"
        let head = task == "classify" ? "classify K=\(classes ?? 0)" : "lm"
        let spread = windowTokensPerSecond
        return "rnn-tui bench: \(cell) H=\(hidden) B=\(batch) T=\(seqLen) V=\(vocab) \(input) L=\(layers) \(head), "
            + "\(threads) thread(s), \(steps) steps in \(spread.count) windows\n"
            + String(format: "  %.0f tokens/s (windows min %.0f / median %.0f / max %.0f)   %.2f steps/s   %.1f GFLOP/s   peak memory %.1f MB   loss %.4f",
                     tokensPerSecond, spread.min, spread.median, spread.max, stepsPerSecond, gflops, peakMemoryMB, finalLoss)
    }
}
