import Dispatch
import Synchronization
import XCTest
@testable import RNNKernels

final class ComputePoolTests: XCTestCase {
    /// Every index runs exactly once, call after call (workers spinning, then asleep, then woken).
    func testEveryIndexRunsOnce() {
        let pool = ComputePool(threadCount: 3)
        for round in 0..<200 {
            let count = 1 + round % 37
            // Each index writes only its own slot, as kernel bodies do.
            var hits = [Int](repeating: 0, count: count)
            hits.withUnsafeMutableBufferPointer { hits in
                pool.parallelFor(count) { index in hits[index] += 1 }
            }
            XCTAssertEqual(hits, Array(repeating: 1, count: count), "round \(round)")
            if round % 50 == 49 { usleep(20_000) }  // let the workers fall asleep
        }
    }

    func testWorkIsSharedBetweenThreads() {
        let pool = ComputePool(threadCount: 2)
        let callerThread = Atomic<Int>(0)
        let otherThreadRuns = Atomic<Int>(0)
        let caller = pthread_self()
        // The caller's indices wait (up to a generous deadline) until the worker has taken one, so the test
        // does not depend on how soon a loaded machine schedules the worker.
        let deadline = DispatchTime.now().uptimeNanoseconds + 30_000_000_000
        pool.parallelFor(64) { _ in
            if pthread_equal(pthread_self(), caller) != 0 {
                callerThread.wrappingAdd(1, ordering: .relaxed)
                while otherThreadRuns.load(ordering: .relaxed) == 0 && DispatchTime.now().uptimeNanoseconds < deadline {
                    usleep(200)
                }
            } else {
                otherThreadRuns.wrappingAdd(1, ordering: .relaxed)
            }
        }
        XCTAssertEqual(callerThread.load(ordering: .relaxed) + otherThreadRuns.load(ordering: .relaxed), 64)
        XCTAssertGreaterThan(otherThreadRuns.load(ordering: .relaxed), 0)
    }

    /// A call from inside a body, and calls from two threads at once, run (serially) instead of deadlocking.
    func testNestedAndConcurrentCallsComplete() {
        let pool = ComputePool(threadCount: 2)
        let total = Atomic<Int>(0)
        pool.parallelFor(4) { _ in
            pool.parallelFor(5) { _ in total.wrappingAdd(1, ordering: .relaxed) }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 20)

        let concurrentTotal = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<50 {
                pool.parallelFor(10) { _ in concurrentTotal.wrappingAdd(1, ordering: .relaxed) }
            }
        }
        XCTAssertEqual(concurrentTotal.load(ordering: .relaxed), 4 * 50 * 10)
    }

    func testShutdownEndsThreadsAndLaterCallsStillRun() {
        for _ in 0..<20 {
            let pool = ComputePool(threadCount: 2)
            pool.shutdown()
            pool.shutdown()
            let total = Atomic<Int>(0)
            pool.parallelFor(7) { _ in total.wrappingAdd(1, ordering: .relaxed) }
            XCTAssertEqual(total.load(ordering: .relaxed), 7)
        }
        // Pools released without an explicit shutdown end their threads in deinit.
        for _ in 0..<20 {
            let pool = ComputePool(threadCount: 2)
            pool.parallelFor(3) { _ in }
        }
    }

    func testSingleThreadPoolRunsOnCaller() {
        let pool = ComputePool(threadCount: 0)
        XCTAssertEqual(pool.threadCount, 1)
        let caller = pthread_self()
        var order: [Int] = []
        pool.parallelFor(5) { index in
            XCTAssertNotEqual(pthread_equal(pthread_self(), caller), 0)
            order.append(index)
        }
        XCTAssertEqual(order, [0, 1, 2, 3, 4])
    }
}
