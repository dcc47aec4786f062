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
        shared = ComputePoolShared()
        for workerIndex in 1..<self.threadCount {
            let shared = self.shared
            let thread = Thread { shared.workerLoop() }
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
    /// returns when all have finished. Threads take indices one at a time from a shared counter, so a
    /// thread slowed by another process does not hold up the others; which thread runs an index is not
    /// fixed, so each index must write only its own outputs.
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
/// 1. the caller (holding `busy`) stores `job` and `jobCount`, resets `nextIndex` and `finishedCount`,
///    then publishes a new generation in `control` with the "open" state and zero entered workers;
/// 2. a worker that sees the new open generation enters by incrementing the entered count in `control`
///    (compare-exchange, so it cannot enter a closed or newer job), takes indices from `nextIndex`,
///    then increments `finishedCount`;
/// 3. when the indices run out the caller closes `control`, reads how many workers entered, and waits for
///    that many `finishedCount` increments. Workers that wake up late find the job closed and skip it.
private final class ComputePoolShared: @unchecked Sendable {
    /// `generation << 32 | closedFlag << 31 | enteredWorkers`.
    private let control = Atomic<Int>(ComputePoolShared.closedBit)
    private static let closedBit = 1 << 31
    private let nextIndex = Atomic<Int>(0)
    private let finishedCount = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let isShutDown = Atomic<Bool>(false)
    private let sleepingWorkers = Atomic<Int>(0)
    private let runningWorkers = Atomic<Int>(0)
    private let startedWorkers = Atomic<Int>(0)
    private let wakeCondition = NSCondition()

    /// Written only by the caller while `control` is closed and no entered worker is still running.
    private var job: ((Int) -> Void)?
    private var jobCount = 0

    /// Spin iterations (each a CPU `pause`, ~20-50 ns) before an idle worker goes to sleep.
    private let spinIterations = 4096

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
        jobCount = count
        nextIndex.store(0, ordering: .relaxed)
        finishedCount.store(0, ordering: .relaxed)
        let generation = (control.load(ordering: .relaxed) >> 32) + 1
        control.store(generation << 32, ordering: .sequentiallyConsistent)
        if sleepingWorkers.load(ordering: .sequentiallyConsistent) > 0 {
            wakeCondition.lock()
            wakeCondition.broadcast()
            wakeCondition.unlock()
        }

        while true {
            let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
            if index >= count { break }
            body(index)
        }

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
        while finishedCount.load(ordering: .acquiring) < entered { ck_spin_pause() }
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

    func workerLoop() {
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
                runEnteredJob()
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

    private func runEnteredJob() {
        guard let body = job else { return }
        let count = jobCount
        while true {
            let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
            if index >= count { break }
            body(index)
        }
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
