import RNNEngine
/// Which samples a shuffled training batch holds: batch `index` of `epoch` takes positions
/// `index·B ..< (index+1)·B` of that epoch's seeded permutation of `0..<sampleCount` (wrapping when
/// the split is smaller than a batch). O(B) per batch, nothing stored between calls.
enum EpochOrder {
    /// How many batches of `batchSize` one pass over `sampleCount` samples makes (at least 1).
    static func batchCount(sampleCount: Int, batchSize: Int) -> Int {
        max(1, sampleCount / max(batchSize, 1))
    }

    /// indices: (B) sample indices of training batch `index` in `epoch`.
    static func sampleIndices(index: Int, epoch: Int, batchSize: Int, sampleCount: Int, seed: UInt64) -> [Int] {
        let order = ShuffledOrder(count: sampleCount, seed: SeededRandom.mix(seed, 0x0E90C4, UInt64(truncatingIfNeeded: epoch)))
        let batchSize = max(batchSize, 1)
        let batchesPerEpoch = batchCount(sampleCount: sampleCount, batchSize: batchSize)
        let start = (index % batchesPerEpoch) * batchSize
        return (0..<batchSize).map { order.index((start + $0) % max(sampleCount, 1)) }
    }

    /// The validation samples an evaluation uses, `0..<min(count, limit)` cut into batches of at most `batchSize`.
    static func validationChunks(sampleCount: Int, batchSize: Int, limit: Int) -> [Range<Int>] {
        let used = min(sampleCount, max(limit, 1))
        let batchSize = max(batchSize, 1)
        return stride(from: 0, to: used, by: batchSize).map { $0..<min($0 + batchSize, used) }
    }
}
