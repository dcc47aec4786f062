import Dispatch
import Foundation

/// Measures the kernels on the shapes an LSTM with hidden size 256 (and 512) makes, single-threaded and
/// with a two-thread pool, and reports GFLOP/s (for activations: millions of elements per second).
/// Exposed by the CLI as `rnn-tui bench --kernels`; meaningful only in a release build. Takes a few
/// seconds. Each figure is the best of several timed batches (the machine may be shared).
public enum KernelBenchmark {
    /// One product to time. `packed` products reuse a `PackedMatrix` made once, as the recurrent step does.
    struct Shape {
        let label: String
        let transposeA: Bool, transposeB: Bool, packed: Bool
        let m: Int, n: Int, k: Int
        let accumulate: Bool
    }

    static let shapes: [Shape] = [
        Shape(label: "input projection  X·W_ihᵀ", transposeA: false, transposeB: true, packed: false,
            m: 2048, n: 1024, k: 256, accumulate: false),
        Shape(label: "recurrent step    h·W_hhᵀ", transposeA: false, transposeB: true, packed: true,
            m: 1, n: 1024, k: 256, accumulate: true),
        Shape(label: "recurrent step    h·W_hhᵀ", transposeA: false, transposeB: true, packed: true,
            m: 4, n: 1024, k: 256, accumulate: true),
        Shape(label: "recurrent step    h·W_hhᵀ", transposeA: false, transposeB: true, packed: true,
            m: 16, n: 1024, k: 256, accumulate: true),
        Shape(label: "recurrent step    h·W_hhᵀ", transposeA: false, transposeB: true, packed: true,
            m: 32, n: 1024, k: 256, accumulate: true),
        Shape(label: "recurrent step    h·W_hhᵀ", transposeA: false, transposeB: true, packed: true,
            m: 64, n: 1024, k: 256, accumulate: true),
        Shape(label: "recurrent step    h·W_hhᵀ", transposeA: false, transposeB: true, packed: true,
            m: 1, n: 2048, k: 512, accumulate: true),
        Shape(label: "recurrent step    h·W_hhᵀ", transposeA: false, transposeB: true, packed: true,
            m: 64, n: 2048, k: 512, accumulate: true),
        Shape(label: "recurrent back    dG·W_hh", transposeA: false, transposeB: false, packed: true,
            m: 16, n: 256, k: 1024, accumulate: true),
        Shape(label: "recurrent back    dG·W_hh", transposeA: false, transposeB: false, packed: true,
            m: 64, n: 256, k: 1024, accumulate: true),
        Shape(label: "input grad        dG·W_ih", transposeA: false, transposeB: false, packed: false,
            m: 2048, n: 256, k: 1024, accumulate: false),
        Shape(label: "weight grad       dGᵀ·X  ", transposeA: true, transposeB: false, packed: false,
            m: 1024, n: 256, k: 2048, accumulate: true),
        Shape(label: "head              H·W_oᵀ ", transposeA: false, transposeB: true, packed: false,
            m: 2048, n: 65, k: 256, accumulate: false),
        Shape(label: "small unpacked    h·W_hhᵀ", transposeA: false, transposeB: true, packed: false,
            m: 16, n: 512, k: 128, accumulate: true),
        Shape(label: "batch-1 unpacked  h·W_hhᵀ", transposeA: false, transposeB: true, packed: false,
            m: 1, n: 1024, k: 256, accumulate: true),
        Shape(label: "batch-1 unpacked  dG·W_hh", transposeA: false, transposeB: false, packed: false,
            m: 1, n: 256, k: 1024, accumulate: true),
    ]

    /// Runs every shape on one thread and on a pool of `threadCount`, then the activations; returns a
    /// table, one line per case, headed by the machine's load (other processes skew the figures).
    public static func run(threadCount: Int = 2) -> String {
        var lines = ["GEMM (GFLOP/s, best of several batches; peak ≈ 95 per core)" + loadDescription(),
                     "product                    tA tB packed      m     n     k   1 thread  \(threadCount) threads"]
        let pool = ComputePool(threadCount: threadCount)
        defer { pool.shutdown() }
        for shape in shapes {
            let single = measure(shape, pool: nil)
            let double = measure(shape, pool: pool)
            lines.append(
                "\(shape.label)  \(flag(shape.transposeA))  \(flag(shape.transposeB)) \(shape.packed ? "  yes " : "   no ")"
                    + " \(pad(shape.m, 6))\(pad(shape.n, 6))\(pad(shape.k, 6))  \(format(single, 9))  \(format(double, 9))")
        }
        lines.append("")
        lines.append("Activations (million elements/s, 65536-element arrays)")
        lines.append(contentsOf: measureActivations())
        return lines.joined(separator: "\n")
    }

    /// ", load average 1.23" on Linux, "" elsewhere.
    private static func loadDescription() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
              let first = text.split(separator: " ").first
        else { return "" }
        return ", load average \(first)"
    }

    private static func flag(_ value: Bool) -> String { value ? "T" : "N" }
    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
    private static func format(_ value: Double, _ width: Int) -> String {
        let rounded = (value * 10).rounded() / 10
        let text = String(rounded)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// Seconds per call of `body`: the best of 15 short batches (~2 ms each), so that on a shared machine
    /// some batches run without being preempted.
    static func bestSecondsPerCall(_ body: () -> Void) -> Double {
        body()
        var calls = 1
        while true {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { body() }
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            if elapsed > 2_000_000 || calls >= 1 << 20 { break }
            calls *= 2
        }
        var best = Double.infinity
        for _ in 0..<15 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { body() }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            best = min(best, elapsed / Double(calls))
        }
        return best
    }

    /// GFLOP/s of one shape.
    static func measure(_ shape: Shape, pool: ComputePool?) -> Double {
        let aCount = shape.m * shape.k, bCount = shape.k * shape.n
        let a = (0..<aCount).map { Float(($0 * 7) % 13) * 0.01 - 0.06 }
        let b = (0..<bCount).map { Float(($0 * 5) % 11) * 0.01 - 0.05 }
        var c = [Float](repeating: 0, count: shape.m * shape.n)
        let lda = shape.transposeA ? shape.m : shape.k
        let ldb = shape.transposeB ? shape.k : shape.n
        let seconds = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    let a = a.baseAddress!, b = b.baseAddress!, c = c.baseAddress!
                    if shape.packed {
                        let packed = PackedMatrix(b, ldb: ldb, transposed: shape.transposeB, k: shape.k, n: shape.n)
                        return bestSecondsPerCall {
                            Gemm.multiply(transposeA: shape.transposeA, m: shape.m, a: a, lda: lda, packed: packed,
                                c: c, ldc: shape.n, accumulate: shape.accumulate, pool: pool)
                        }
                    }
                    return bestSecondsPerCall {
                        Gemm.multiply(transposeA: shape.transposeA, transposeB: shape.transposeB,
                            m: shape.m, n: shape.n, k: shape.k, a: a, lda: lda, b: b, ldb: ldb,
                            c: c, ldc: shape.n, accumulate: shape.accumulate, pool: pool)
                    }
                }
            }
        }
        return 2 * Double(shape.m * shape.n * shape.k) / seconds * 1e-9
    }

    static func measureActivations() -> [String] {
        let count = 65536
        var values = (0..<count).map { Float($0 % 2000) * 0.01 - 10 }
        let original = values
        typealias Kernel = (UnsafeMutablePointer<Float>, Int) -> Void
        let kernels: [(String, Kernel, Kernel)] = [
            ("sigmoid", { Activations.sigmoid($0, count: $1) }, { Activations.sigmoidReference($0, count: $1) }),
            ("tanh   ", { Activations.tanh($0, count: $1) }, { Activations.tanhReference($0, count: $1) }),
            ("exp    ", { Activations.exp($0, count: $1) }, { Activations.expReference($0, count: $1) }),
        ]
        var lines: [String] = []
        for (name, fast, reference) in kernels {
            let rates = [fast, reference].map { kernel in
                values.withUnsafeMutableBufferPointer { buffer in
                    let seconds = bestSecondsPerCall {
                        buffer.baseAddress!.update(from: original, count: count)
                        kernel(buffer.baseAddress!, count)
                    }
                    return Double(count) / seconds * 1e-6
                }
            }
            lines.append("\(name)  fast \(format(rates[0], 8))   reference \(format(rates[1], 8))  (includes a copy)")
        }
        return lines
    }
}
