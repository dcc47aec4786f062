import CKernelSupport
import Foundation
import Synchronization

/// A fixed set of worker threads started once, used to split one kernel call (or one training step's
/// coarse work) across cores. `threadCount == 1` runs everything on the caller.
///
/// The caller of `parallelFor` always works too, so a pool of `threadCount` uses `threadCount - 1` extra
/// threads. Idle workers spin for a short while (so back-to-back calls, such as one product per timestep,
/// start in well under a microsecond) and then sleep until the next call. The threads end in `shutdown()`
/// or when the pool is released.
///
/// Thread safety: any thread may call `parallelFor`. One call runs on the pool at a time; a call made while
/// another is running (from a second thread, or from inside a body) runs serially on its caller instead of
/// waiting, so nesting never deadlocks.
public final class ComputePool: @unchecked Sendable {
    public let threadCount: Int
    private let shared: ComputePoolShared

    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        shared = ComputePoolShared(participantCount: self.threadCount)
        for workerIndex in 1..<self.threadCount {
            let shared = self.shared
            let thread = Thread { shared.workerLoop(participant: workerIndex) }
            thread.name = "ComputePool worker \(workerIndex)"
            thread.start()
        }
        shared.waitUntilStarted(workerCount: self.threadCount - 1)
    }

    deinit { shutdown() }

    /// Ends the worker threads and waits for them to exit. Later `parallelFor` calls run serially on the
    /// caller. Calling it twice is harmless.
    public func shutdown() {
        shared.shutdown()
    }

    /// Runs `body(index)` for every index in `0..<count` exactly once, spread over the pool's threads, and
    /// returns when all have finished. Indices are given to threads in contiguous chunks: thread `t` of
    /// `threadCount` (the caller is thread 0) starts on chunk `t`, so repeated calls with the same count
    /// send the same indices to the same thread (and its caches); a thread that finishes its chunk takes
    /// indices left in the others, so a thread slowed down by another process does not hold up the call.
    /// Which thread runs an index is therefore not fixed: each index must write only its own outputs.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1, threadCount > 1, shared.tryBeginJob() else {
            for index in 0..<max(0, count) { body(index) }
            return
        }
        withoutActuallyEscaping(body) { escapableBody in
            shared.run(count: count, body: escapableBody)
        }
    }
}

/// The state the caller and the workers share. Kept apart from `ComputePool` so that the worker threads
/// do not keep the pool alive (its `deinit` ends them).
///
/// Protocol for one job:
/// 1. the caller (holding `busy`) stores `job`, sets each participant's chunk of indices in `chunks`,
///    resets `finishedCount`, then publishes a new generation in `control` with the "open" state and zero
///    entered workers;
/// 2. a worker that sees the new open generation enters by incrementing the entered count in `control`
///    (compare-exchange, so it cannot enter a closed or newer job), takes indices from its own chunk and
///    then from the others' (`runChunks`), then increments `finishedCount`;
/// 3. when the indices run out the caller closes `control`, reads how many workers entered, and waits for
///    that many `finishedCount` increments. Workers that wake up late find the job closed and skip it.
private final class ComputePoolShared: @unchecked Sendable {
    /// `generation << 32 | closedFlag << 31 | enteredWorkers`.
    private let control = Atomic<Int>(ComputePoolShared.closedBit)
    private static let closedBit = 1 << 31
    private let finishedCount = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let isShutDown = Atomic<Bool>(false)
    private let sleepingWorkers = Atomic<Int>(0)
    private let runningWorkers = Atomic<Int>(0)
    private let startedWorkers = Atomic<Int>(0)
    private let wakeCondition = NSCondition()

    /// Written only by the caller while `control` is closed and no entered worker is still running.
    private var job: ((Int) -> Void)?
    /// One chunk of the current job's indices per participant (the caller is participant 0).
    private let chunks: [IndexChunk]

    init(participantCount: Int) {
        chunks = (0..<participantCount).map { _ in IndexChunk() }
    }

    /// Spin iterations (each a CPU `pause`, ~5 ns on Zen 3: ~80 µs in all) before an idle worker goes to
    /// sleep; long enough to span the pointwise work between two products of a training step.
    private let spinIterations = 16_384

    func waitUntilStarted(workerCount: Int) {
        while startedWorkers.load(ordering: .acquiring) < workerCount { sched_yield() }
    }

    func tryBeginJob() -> Bool {
        if isShutDown.load(ordering: .acquiring) { return false }
        return busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    /// Runs one job (the caller holds `busy`, taken by `tryBeginJob`).
    func run(count: Int, body: @escaping (Int) -> Void) {
        job = body
        let participants = chunks.count
        for (participant, chunk) in chunks.enumerated() {
            chunk.next.store(participant * count / participants, ordering: .relaxed)
            chunk.end = (participant + 1) * count / participants
        }
        finishedCount.store(0, ordering: .relaxed)
        let generation = (control.load(ordering: .relaxed) >> 32) + 1
        control.store(generation << 32, ordering: .sequentiallyConsistent)
        if sleepingWorkers.load(ordering: .sequentiallyConsistent) > 0 {
            wakeCondition.lock()
            wakeCondition.broadcast()
            wakeCondition.unlock()
        }

        runChunks(participant: 0, body: body)

        // Close the job: no worker can enter after this.
        var entered = 0
        var current = control.load(ordering: .relaxed)
        while true {
            let (exchanged, original) = control.compareExchange(
                expected: current, desired: current | Self.closedBit, ordering: .acquiringAndReleasing)
            if exchanged {
                entered = current & (Self.closedBit - 1)
                break
            }
            current = original
        }
        // Wait for the entered workers; yield the core after a while in case one of them was preempted
        // (the machine may have more runnable threads than cores).
        var spins = 0
        while finishedCount.load(ordering: .acquiring) < entered {
            if spins < spinIterations {
                ck_spin_pause()
                spins += 1
            } else {
                sched_yield()
            }
        }
        job = nil
        busy.store(false, ordering: .releasing)
    }

    func shutdown() {
        guard !isShutDown.exchange(true, ordering: .sequentiallyConsistent) else { return }
        // Wait for a running job (another thread's call) to end, then keep later calls serial.
        while !busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            ck_spin_pause()
        }
        wakeCondition.lock()
        wakeCondition.broadcast()
        wakeCondition.unlock()
        while runningWorkers.load(ordering: .acquiring) > 0 { sched_yield() }
    }

    /// Takes indices from chunk `participant` first, then from every other chunk, until none are left.
    private func runChunks(participant: Int, body: (Int) -> Void) {
        let participants = chunks.count
        for offset in 0..<participants {
            let chunk = chunks[(participant + offset) % participants]
            let end = chunk.end
            while true {
                let index = chunk.next.wrappingAdd(1, ordering: .relaxed).oldValue
                if index >= end { break }
                body(index)
            }
        }
    }

    func workerLoop(participant: Int) {
        runningWorkers.wrappingAdd(1, ordering: .sequentiallyConsistent)
        startedWorkers.wrappingAdd(1, ordering: .releasing)
        var lastGeneration = 0
        while !isShutDown.load(ordering: .acquiring) {
            var spins = 0
            var current = control.load(ordering: .acquiring)
            while (current >> 32) == lastGeneration && spins < spinIterations {
                ck_spin_pause()
                spins += 1
                current = control.load(ordering: .acquiring)
            }
            if (current >> 32) == lastGeneration {
                sleepUntilNewGeneration(after: lastGeneration)
                continue
            }
            lastGeneration = current >> 32
            if tryEnter(observed: current) {
                runEnteredJob(participant: participant)
                finishedCount.wrappingAdd(1, ordering: .releasing)
            }
        }
        runningWorkers.wrappingSubtract(1, ordering: .releasing)
    }

    /// Increments the entered count if `control` still holds the open generation `observed` belongs to.
    private func tryEnter(observed: Int) -> Bool {
        var current = observed
        let generation = observed >> 32
        while (current >> 32) == generation && (current & Self.closedBit) == 0 {
            let (exchanged, original) = control.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    private func runEnteredJob(participant: Int) {
        guard let body = job else { return }
        runChunks(participant: participant, body: body)
    }

    private func sleepUntilNewGeneration(after generation: Int) {
        sleepingWorkers.wrappingAdd(1, ordering: .sequentiallyConsistent)
        wakeCondition.lock()
        while (control.load(ordering: .sequentiallyConsistent) >> 32) == generation
            && !isShutDown.load(ordering: .sequentiallyConsistent)
        {
            wakeCondition.wait()
        }
        wakeCondition.unlock()
        sleepingWorkers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
    }
}

/// The indices `next ..< end` of one participant's chunk still to be taken. `end` is written by the caller
/// before it publishes a job and only read while the job is open.
private final class IndexChunk: @unchecked Sendable {
    let next = Atomic<Int>(0)
    var end = 0
}
