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
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> { exponential(x) }

    /// The body of `exp(_: SIMD8<Float>)`, under its own name so that calls from `tanh` and `sigmoid` are
    /// inlined (the optimizer leaves calls between the overloaded public names out of line).
    @usableFromInline @inline(__always)
    static func exponential(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Compare-and-blend rather than `clamped(lowerBound:upperBound:)`, which is not inlined (a call per use).
        let lowest = SIMD8<Float>(repeating: -104), highest = SIMD8<Float>(repeating: 89)
        let clamped = x.replacing(with: lowest, where: x .< lowest).replacing(with: highest, where: x .> highest)
        // Adding 1.5·2^23 rounds to an integer, kept in the low mantissa bits.
        let roundingShift = SIMD8<Float>(repeating: 12_582_912)
        let shifted = ck_fma8(clamped, SIMD8(repeating: 1.442_695_04), roundingShift)
        let n = shifted - roundingShift
        // ln 2 split in a part with few mantissa bits (exact products) and a correction.
        var r = ck_fma8(n, SIMD8(repeating: -0.693_359_375), clamped)
        r = ck_fma8(n, SIMD8(repeating: 2.121_944_4e-4), r)
        var p = SIMD8<Float>(repeating: 1.0 / 5040)
        p = ck_fma8(p, r, SIMD8(repeating: 1.0 / 720))
        p = ck_fma8(p, r, SIMD8(repeating: 1.0 / 120))
        p = ck_fma8(p, r, SIMD8(repeating: 1.0 / 24))
        p = ck_fma8(p, r, SIMD8(repeating: 1.0 / 6))
        p = ck_fma8(p, r, SIMD8(repeating: 0.5))
        p = ck_fma8(p, r, SIMD8(repeating: 1))
        p = ck_fma8(p, r, SIMD8(repeating: 1))
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let firstHalf = integer &>> 1
        let secondHalf = integer &- firstHalf
        let firstScale = unsafeBitCast((firstHalf &+ 127) &<< 23, to: SIMD8<Float>.self)
        let secondScale = unsafeBitCast((secondHalf &+ 127) &<< 23, to: SIMD8<Float>.self)
        let result = (p * firstScale) * secondScale
        return result.replacing(with: x, where: x .!= x)
    }

    /// `1 / (1 + e^−x)` per lane, within 1e-7 absolute of libm.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        1 / (1 + exponential(-x))
    }

    /// `tanh(x)` per lane, within 2e-7 absolute of libm (and ~1e-7 relative near 0).
    ///
    /// For |x| < 0.25 the odd Taylor polynomial to x⁹ (truncation < 3e-9); elsewhere
    /// `sign(x) · (1 − 2 / (e^{2|x|} + 1))`, which reaches exactly ±1 for large |x|.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let magnitude = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
        let large = 1 - 2 / (exponential(magnitude + magnitude) + 1)
        let square = x * x
        var odd = SIMD8<Float>(repeating: 62.0 / 2835)
        odd = ck_fma8(odd, square, SIMD8(repeating: -17.0 / 315))
        odd = ck_fma8(odd, square, SIMD8(repeating: 2.0 / 15))
        odd = ck_fma8(odd, square, SIMD8(repeating: -1.0 / 3))
        let small = ck_fma8(odd * square, x, x)
        let signBit = unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x8000_0000
        let signedLarge = unsafeBitCast(unsafeBitCast(large, to: SIMD8<UInt32>.self) | signBit, to: SIMD8<Float>.self)
        return signedLarge.replacing(with: small, where: magnitude .< 0.25)
    }
}
