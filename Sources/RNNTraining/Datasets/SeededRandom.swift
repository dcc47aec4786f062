import Foundation

/// SplitMix64: a small, fast, deterministic generator. Every random choice a dataset makes comes from
/// one of these, seeded from (options.seed, purpose, index) with `SeededRandom.mix`, so any batch can be
/// rebuilt on its own without replaying earlier ones.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

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

/// A bijection of `0..<count` chosen by a seed, evaluated one position at a time in O(1) memory:
/// a four-round Feistel network on the next even power of two, cycle-walked back into range
/// (at most ~4 rounds of walking on average). This shuffles epochs of any size without storing an order.
public struct ShuffledOrder: Sendable {
    public let count: Int
    private let halfBits: Int
    private let halfMask: UInt64
    private let roundKeys: [UInt64]

    public init(count: Int, seed: UInt64) {
        self.count = max(count, 1)
        var bits = 2
        while (1 << bits) < self.count { bits += 2 }
        halfBits = bits / 2
        halfMask = (1 << UInt64(bits / 2)) - 1
        var generator = SeededRandom(seed: seed)
        roundKeys = (0..<4).map { _ in generator.next() }
    }

    /// The position `position` (0..<count) is sent to.
    public func index(_ position: Int) -> Int {
        var value = UInt64(position % count)
        repeat { value = permute(value) } while value >= UInt64(count)
        return Int(value)
    }

    private func permute(_ value: UInt64) -> UInt64 {
        var left = value >> UInt64(halfBits)
        var right = value & halfMask
        for key in roundKeys {
            var mixed = (right &+ key) &* 0x9E37_79B9_7F4A_7C15
            mixed ^= mixed >> 29
            let newRight = (left ^ mixed) & halfMask
            left = right
            right = newRight
        }
        return (left << UInt64(halfBits)) | right
    }
}
