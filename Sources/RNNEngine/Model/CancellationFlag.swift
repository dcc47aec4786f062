import Synchronization

/// Set from any thread (a signal handler, the UI) to make a running forward or backward pass return
/// early: the time loops check it between timesteps and the large products between row blocks, so a
/// step of any size ends within one timestep or one block. The results of a cancelled pass are
/// garbage; the trainer discards them and takes no optimizer step. Once set it stays set.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
