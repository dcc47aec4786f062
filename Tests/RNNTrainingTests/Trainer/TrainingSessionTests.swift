import Foundation
import Synchronization
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// Typed live changes, the memory guard, cancellation, and the trainer thread around `advance()`.
final class TrainingSessionTests: XCTestCase {
    // MARK: - Live changes

    func testChangesComeBackTypedWithTheOldValue() throws {
        let session = try TrainingSession(setup: TrainerTestSupport.setup(), threadCount: 1)
        _ = session.advance()
        XCTAssertEqual(try session.apply(.learningRate(0.004)),
                       AppliedChange(step: 2, old: .learningRate(0.002), new: .learningRate(0.004)))
        XCTAssertEqual(session.setup.optimizer.learningRate, 0.004)
        XCTAssertEqual(session.advance().metrics?.learningRate, 0.004, "the rate's one home is the session's setup")
        XCTAssertEqual(try session.apply(.optimizer(.sgd)), AppliedChange(step: 3, old: .optimizer(.adam), new: .optimizer(.sgd)))
        XCTAssertEqual(try session.apply(.clipNorm(nil)), AppliedChange(step: 3, old: .clipNorm(5), new: .clipNorm(nil)))
        XCTAssertEqual(try session.apply(.batchSize(4)), AppliedChange(step: 3, old: .batchSize(8), new: .batchSize(4)))
        XCTAssertEqual(try session.apply(.dropout(0.25)), AppliedChange(step: 3, old: .dropout(0), new: .dropout(0.25)))
        XCTAssertNil(try session.apply(.dropout(0.25)), "no change, no marker")
        _ = session.advance()
        XCTAssertEqual(session.optimizer.kind, .sgd)
    }

    func testChangesTheSetupCheckRefusesAreRefused() throws {
        let session = try TrainingSession(setup: TrainerTestSupport.setup(), threadCount: 1)
        for change: HyperparameterChange in [.learningRate(.nan), .learningRate(-1), .learningRate(.infinity),
                                             .clipNorm(.nan), .clipNorm(0), .batchSize(0), .dropout(1), .dropout(.nan)] {
            XCTAssertThrowsError(try session.apply(change), "\(change)")
        }
        XCTAssertEqual(session.setup, TrainerTestSupport.setup().settingCosineLength(of: session))
    }

    // MARK: - Memory guard

    func testTheEstimateCountsWhatTrainingAllocates() throws {
        let setup = TrainerTestSupport.setup()
        let session = try TrainingSession(setup: setup, threadCount: 1)
        let estimate = MemoryEstimate(config: session.model.config, batchSize: setup.batchSize, timeSteps: setup.sequenceLength)
        let parameterBytes = session.model.parameters.count * 4
        XCTAssertEqual(estimate.parameterBytes, parameterBytes)
        XCTAssertEqual(estimate.optimizerBytes, 2 * parameterBytes)
        XCTAssertEqual(estimate.lastGoodStateBytes, 3 * parameterBytes)
        _ = session.advance()
        XCTAssertGreaterThanOrEqual(estimate.activationBytes, session.model.trainingWorkspace.arena.count * 4)
    }

    /// Sizes clearly over half the machine's memory are refused before anything is allocated, naming
    /// the estimate and the machine's memory; the same setup fits under a larger limit.
    func testSizesClearlyOverTheShareAreRefusedWithTheEstimate() throws {
        var setup = TrainerTestSupport.setup()
        setup.hiddenSize = 8192
        setup.layerCount = 4
        setup.batchSize = 4096
        setup.sequenceLength = 1000
        XCTAssertThrowsError(try TrainingSession(setup: setup, threadCount: 1)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("this run needs about"), message)
            XCTAssertTrue(message.contains(MemoryEstimate.text(MemoryGuard.physicalMemoryBytes)), message)
            XCTAssertFalse(message.contains("\n"))
        }
        let config = ModelConfig(cell: .lstm, input: .oneHot(vocabularySize: 80), hiddenSize: 64, head: .tokenEveryStep, outputSize: 80)
        let small = MemoryEstimate(config: config, batchSize: 32, timeSteps: 64)
        XCTAssertNoThrow(try MemoryGuard.check(small))
        XCTAssertThrowsError(try MemoryGuard.check(small, limit: small.totalBytes - 1))
        XCTAssertEqual(MemoryGuard.limitBytes, MemoryGuard.physicalMemoryBytes / 2, accuracy: 1)
    }

    func testTheLiveBatchSizeIsHeldToTheGuardToo() throws {
        var setup = TrainerTestSupport.setup()
        setup.hiddenSize = 1024
        setup.sequenceLength = 2000
        let session = try TrainingSession(setup: setup, threadCount: 1)
        // 4096 sequences of 2,000 steps through H = 1024 need over 100 GB of activations.
        XCTAssertThrowsError(try session.apply(.batchSize(4096))) { error in
            XCTAssertTrue("\(error)".contains("this run needs about") || "\(error)".contains("batch"), "\(error)")
        }
    }

    // MARK: - Cancellation

    func testACancelledStepChangesNothingAndReturnsNil() throws {
        let flag = CancellationFlag()
        let session = try TrainingSession(setup: TrainerTestSupport.setup(), threadCount: 1, cancellation: flag)
        _ = session.advance()
        let before = session.model.parameters.array()
        flag.cancel()
        let outcome = session.advance()
        XCTAssertTrue(outcome.wasCancelled)
        XCTAssertEqual(session.step, 1)
        XCTAssertEqual(session.model.parameters.array(), before)
    }

    /// A cancelled forward pass returns within a timestep: with the flag set, a long sequence of a
    /// wide layer takes a small fraction of the time the full pass takes.
    func testTheEngineChecksTheFlagBetweenTimesteps() {
        let config = ModelConfig(cell: .lstm, input: .numeric(featureCount: 4), hiddenSize: 256, head: .regressLast, outputSize: 1)
        let model = RecurrentModel(config: config, seed: 1, threadCount: 1)
        let timeSteps = 400, batchSize = 8
        let batch = Batch(timeSteps: timeSteps, batchSize: batchSize,
                          features: [Float](repeating: 0.5, count: timeSteps * batchSize * 4),
                          targetValues: [Float](repeating: 1, count: batchSize))
        func seconds(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        let full = seconds { model.forward(batch); model.backward() }
        model.cancellation.cancel()
        let cancelled = seconds { model.forward(batch); model.backward() }
        XCTAssertLessThan(cancelled, full / 2, "full \(full) s, cancelled \(cancelled) s")
    }

    // MARK: - The trainer thread

    /// On the notebook's thread a divergence pauses the run with the report; a lower rate and `.resume`
    /// continue from the rolled-back state.
    func testTheTrainerThreadPausesOnDivergenceAndResumesAfterALowerRate() throws {
        var setup = TrainerTestSupport.setup(steps: 100_000)
        setup.optimizer.learningRate = 1e6
        let events = Mutex<[TrainerEvent]>([])
        let thread = TrainerThread(setup: setup, runDirectory: nil, threadCount: 1, post: { event in
            events.withLock { $0.append(event) }
        })
        thread.start()
        func report() -> DivergenceReport? {
            events.withLock { list in
                list.lazy.compactMap { event -> DivergenceReport? in
                    if case .status(.diverged(let report)) = event { return report }
                    return nil
                }.first
            }
        }
        func lastStep() -> Int { events.withLock { $0.compactMap { if case .step(let m) = $0 { m.step } else { nil } }.last ?? 0 } }
        XCTAssertTrue(TrainerTestSupport.wait { report() != nil }, "no divergence reported")
        let diverged = try XCTUnwrap(report())
        // Paused: no step goes by.
        let pausedAt = lastStep()
        XCTAssertEqual(pausedAt, diverged.step)
        thread.send(.change(.learningRate(0.002)))
        XCTAssertTrue(TrainerTestSupport.wait {
            events.withLock { $0.contains { if case .hyperparametersChanged(let change) = $0 { change.new == .learningRate(0.002) } else { false } } }
        })
        XCTAssertEqual(lastStep(), pausedAt, "steps went on while diverged")
        thread.send(.resume)
        XCTAssertTrue(TrainerTestSupport.wait { lastStep() >= pausedAt + 30 }, "the run did not go on after resume")
        XCTAssertTrue(thread.stopAndWait(timeout: 30))
    }

    /// `.stop` while steps run ends the run and the thread (the step in progress is cancelled).
    func testStopEndsTheRunWhileItSteps() throws {
        var setup = TrainerTestSupport.setup(steps: 1_000_000)
        setup.hiddenSize = 128
        setup.sequenceLength = 1000
        let started = Mutex(false)
        let thread = TrainerThread(setup: setup, runDirectory: nil, threadCount: 1, post: { event in
            if case .status(.running) = event { started.withLock { $0 = true } }
        })
        thread.start()
        XCTAssertTrue(TrainerTestSupport.wait { started.withLock { $0 } })
        XCTAssertTrue(thread.stopAndWait(timeout: 60))
    }
}

extension TrainingSetup {
    /// This setup as the session resolves it (a cosine schedule of length 0 gets the run's length).
    fileprivate func settingCosineLength(of session: TrainingSession) -> TrainingSetup {
        var setup = self
        setup.schedule = session.setup.schedule
        return setup
    }
}
