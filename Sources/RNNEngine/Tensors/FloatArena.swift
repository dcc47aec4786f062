/// One contiguous, zero-initialised block of floats that lives as long as the arena: parameters,
/// gradients, optimizer moments and activations are all named regions of an arena.
///
/// This class is the one place that stores a raw pointer: the block is allocated once (64-byte aligned
/// for the vector kernels), never moved, and freed in `deinit`. Callers take `base + offset` pointers
/// for the duration of a computation and never keep them beyond the arena's owner.
public final class FloatArena: @unchecked Sendable {
    public let count: Int
    public let base: UnsafeMutablePointer<Float>

    public init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(1, count))
        base.initialize(repeating: 0, count: max(1, count))
    }

    deinit {
        UnsafeMutableRawPointer(base).deallocate()
    }

    /// Sets every element to zero. Cost: `count` stores.
    public func zero() {
        base.update(repeating: 0, count: count)
    }

    /// Copies every element of `other` (same count) into this arena.
    public func copy(from other: FloatArena) {
        precondition(other.count == count, "arena sizes differ")
        base.update(from: other.base, count: count)
    }

    /// Whether every element is finite (no NaN, no infinity). Cost: one pass, vectorised.
    public func allFinite() -> Bool {
        // x − x is 0 for a finite x and NaN otherwise; the sum stays 0 only when all are finite.
        var sum: SIMD8<Float> = .zero
        var index = 0
        while index + 8 <= count {
            let value = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<Float>.self)
            sum += value - value
            index += 8
        }
        var tail: Float = 0
        while index < count {
            tail += base[index] - base[index]
            index += 1
        }
        return sum.sum() == 0 && tail == 0
    }

    /// The elements as an array (for tests and checkpoints; allocates).
    public func array(offset: Int = 0, count elementCount: Int? = nil) -> [Float] {
        Array(UnsafeBufferPointer(start: base + offset, count: elementCount ?? (count - offset)))
    }
}
