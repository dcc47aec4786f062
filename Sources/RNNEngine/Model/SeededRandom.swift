import Foundation

/// SplitMix64: a small, fast, deterministic generator: the same seed gives the same stream on every
/// platform, which is what makes a run repeatable. Datasets seed one per batch from (seed, purpose, index)
/// with `SeededRandom.mix`, so any batch can be
/// rebuilt on its own without replaying earlier ones.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The whole state: `SeededRandom(seed: generator.stateWord)` continues the same stream.
    public var stateWord: UInt64 { state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A uniform integer in `0..<upperBound` (upperBound ≥ 1).
    public mutating func nextIndex(_ upperBound: Int) -> Int {
        Int(next() % UInt64(upperBound))
    }

    /// A standard normal sample (Box–Muller).
    public mutating func nextGaussian() -> Double {
        let first = max(nextUnit(), 1e-300)
        let second = nextUnit()
        return (-2 * log(first)).squareRoot() * cos(2 * Double.pi * second)
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * Float(nextUnit())
    }

    /// Combines words into one well-spread seed: `mix(seed, purpose, epoch, index)`.
    public static func mix(_ words: UInt64...) -> UInt64 {
        var generator = SeededRandom(seed: 0x5EED_0F_DA7A)
        var result: UInt64 = 0
        for word in words {
            generator.state ^= word
            result = generator.next()
        }
        return result
    }
}

