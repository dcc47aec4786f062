import CKernelSupport
import Foundation

/// In-place elementwise nonlinearities over a contiguous run of floats: `x[i] = f(x[i])` for `i < count`.
/// The fast versions must stay within 2e-6 absolute of the reference (libm) ones (for `exp`, whose values
/// reach 1e13 on [-30, 30], within 2e-6 relative).
///
/// The fast versions work 8 lanes at a time (`exp`, `sigmoid`, `tanh` on `SIMD8<Float>`, below) so the
/// engine can also call them inside its own fused loops. They handle every float: `exp` overflows to `+inf`
/// above ~88.72 and underflows through the subnormals to 0 below ~-104; `sigmoid(-inf) = 0`,
/// `sigmoid(+inf) = 1`, `tanh(±inf) = ±1`; NaN gives NaN.
public enum Activations {
    public static func sigmoidReference(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { x[index] = 1 / (1 + Foundation.exp(-x[index])) }
    }

    public static func tanhReference(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { x[index] = Foundation.tanh(x[index]) }
    }

    public static func expReference(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { x[index] = Foundation.exp(x[index]) }
    }

    /// Fast `x[i] = 1 / (1 + e^-x[i])`. Cost: ~20 vector operations per 8 values.
    public static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) {
        apply(x, count: count) { sigmoid($0) }
    }

    /// Fast `x[i] = tanh(x[i])`. Cost: ~30 vector operations per 8 values.
    public static func tanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        apply(x, count: count) { tanh($0) }
    }

    /// Fast `x[i] = e^x[i]`. Cost: ~20 vector operations per 8 values.
    public static func exp(_ x: UnsafeMutablePointer<Float>, count: Int) {
        apply(x, count: count) { exponential($0) }
    }

    /// Runs `function` over `x[0..<count]` eight values at a time; the last partial group is padded with
    /// zeros. One call site for `function`, so the optimizer inlines it once.
    @inline(__always)
    static func apply(
        _ x: UnsafeMutablePointer<Float>, count: Int, _ function: (SIMD8<Float>) -> SIMD8<Float>
    ) {
        var index = 0
        while index < count {
            let raw = UnsafeMutableRawPointer(x + index)
            let remaining = count - index
            if remaining >= 8 {
                raw.storeBytes(of: function(raw.loadUnaligned(as: SIMD8<Float>.self)), as: SIMD8<Float>.self)
            } else {
                var values = SIMD8<Float>()
                for lane in 0..<remaining { values[lane] = x[index + lane] }
                let results = function(values)
                for lane in 0..<remaining { x[index + lane] = results[lane] }
            }
            index += 8
        }
    }
}

// MARK: - Eight lanes at a time

extension Activations {
    /// `e^x` per lane, within ~2 ulp (relative 3e-7) of libm for normal results.
    ///
    /// `e^x = 2^n · e^r` with `n = round(x / ln 2)` and `r = x − n·ln 2` in [−ln2/2, ln2/2]; `e^r` is its
    /// Taylor polynomial of degree 7 (truncation < 3e-9); `2^n` is built from exponent bits in two halves so
    /// that n in [−150, 128] neither overflows the exponent field nor skips the subnormals.
    ///
    /// The arithmetic lives in `CKernelSupport.h` (`ck_exp8`, `ck_sigmoid8`, `ck_tanh8`): a C `static inline`
    /// is inlined into every caller in every module, which these Swift functions of their size were not (the
    /// engine's fused cell loops called them out of line, five calls per 8 units of an LSTM).
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> { ck_exp8(x) }

    /// The body of `exp(_: SIMD8<Float>)` under a name of its own, for the loops of this file.
    @inlinable @inline(__always)
    static func exponential(_ x: SIMD8<Float>) -> SIMD8<Float> { ck_exp8(x) }

    /// `1 / (1 + e^−x)` per lane, within 1e-7 absolute of libm.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> { ck_sigmoid8(x) }

    /// `tanh(x)` per lane, within 2e-7 absolute of libm (and ~1e-7 relative near 0).
    ///
    /// For |x| < 0.25 the odd Taylor polynomial to x⁹ (truncation < 3e-9); elsewhere
    /// `sign(x) · (1 − 2 / (e^{2|x|} + 1))`, which reaches exactly ±1 for large |x|.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> { ck_tanh8(x) }

    /// `√x` per lane (one vsqrtps; Swift's own SIMD `squareRoot()` runs lane by lane through `sqrtf`).
    @inlinable @inline(__always)
    public static func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> { ck_sqrt8(x) }
}
