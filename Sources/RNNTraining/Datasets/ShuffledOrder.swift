import RNNEngine

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
