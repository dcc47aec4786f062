import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// The divergence rule on made-up losses, and real runs that must (and must not) diverge.
final class DivergenceTests: XCTestCase {
    // MARK: - The rule

    func testNonFiniteLossDivergesAtOnce() {
        for loss in [Double.nan, .infinity, -.infinity] {
            var rule = DivergenceRule(baseline: 2)
            XCTAssertNil(rule.observe(loss: 3))
            XCTAssertEqual(rule.observe(loss: loss), .nonFiniteLoss)
        }
    }

    func testRunawayNeedsTenConsecutiveStepsAboveTenTimesTheReference() {
        var rule = DivergenceRule(baseline: 2)
        XCTAssertNil(rule.observe(loss: 4))  // reference max(4, 2) = 4, threshold 40
        XCTAssertEqual(rule.threshold, 40)
        for _ in 0..<9 { XCTAssertNil(rule.observe(loss: 41)) }
        XCTAssertNil(rule.observe(loss: 39), "one step back under the threshold resets the count")
        for _ in 0..<9 { XCTAssertNil(rule.observe(loss: 1e6)) }
        XCTAssertEqual(rule.observe(loss: 1e6), .runawayLoss(threshold: 40))
    }

    func testTheBaselineRaisesTheReferenceWhenTheFirstLossIsLow() {
        var rule = DivergenceRule(baseline: 3)
        XCTAssertNil(rule.observe(loss: 0.01))  // fine-tuning from a good checkpoint
        XCTAssertEqual(rule.reference, 3)
        var zero = DivergenceRule(baseline: .nan)
        XCTAssertNil(zero.observe(loss: 0))
        XCTAssertEqual(zero.reference, 1, "a zero reference would make every loss a runaway")
    }

    /// The early noisy phase: losses that wobble by ±50 %, with isolated spikes of 30× the start, never trip.
    func testANoisyEarlyPhaseWithSpikesDoesNotTrip() {
        var rule = DivergenceRule(baseline: 0.167)
        var random = SeededRandom(seed: 3)
        for step in 0..<2_000 {
            var loss = 1.2 * (1 + 0.5 * (random.nextUnit() - 0.5)) * exp(-Double(step) / 500)
            if step % 37 == 5 { loss *= 30 }  // one bad batch now and then
            if step % 200 == 11 { loss *= 15 }  // and a short burst
            XCTAssertNil(rule.observe(loss: loss), "step \(step) loss \(loss)")
        }
    }

    // MARK: - Real runs

    /// The three cases of issue 8 count: Adam at lr 1e6 on corpus, SGD at 1e30 without clipping,
    /// a relu RNN at lr 1000. Each is rolled back to a state whose weights are all finite.
    func testTheThreeKnownDivergencesAreCaughtAndRolledBack() throws {
        var adam = TrainerTestSupport.setup()
        adam.optimizer.learningRate = 1e6
        var sgd = TrainerTestSupport.setup()
        sgd.optimizer = OptimizerSettings(kind: .sgd, learningRate: 1e30)
        sgd.clipNorm = nil
        var relu = TrainerTestSupport.setup(cell: .rnn)
        relu.nonlinearity = .relu
        relu.optimizer.learningRate = 1000
        for (name, setup) in [("adam 1e6", adam), ("sgd 1e30", sgd), ("relu rnn 1000", relu)] {
            let session = try TrainingSession(setup: setup, threadCount: 1)
            let initial = session.model.parameters.array()
            let report = try XCTUnwrap(TrainerTestSupport.run(session), "\(name) did not diverge")
            XCTAssertLessThanOrEqual(report.rolledBackToStep, report.step, name)
            XCTAssertLessThanOrEqual(report.step, 50, "\(name) took too long to be caught")
            XCTAssertTrue(session.model.parameters.allFinite(), name)
            if report.rolledBackToStep == 0 {
                XCTAssertEqual(session.model.parameters.array(), initial, "\(name): rolled back to the initial weights")
            }
            XCTAssertTrue(session.checkpoint().tensors.allSatisfy { $0.values.allSatisfy(\.isFinite) }, name)
        }
    }

    /// A normal short run of every task does not trip the rule, from its noisy start on.
    func testNormalShortRunsOfEveryTaskDoNotDiverge() throws {
        for dataset in ["corpus", "sentiment", "series", "adding", "copy", "sine"] {
            for cell in CellKind.allCases {
                var setup = TrainerTestSupport.setup(dataset, cell: cell, steps: 60)
                if dataset == "sentiment" { setup.embeddingSize = 8 }
                let session = try TrainingSession(setup: setup, threadCount: 1)
                XCTAssertNil(TrainerTestSupport.run(session), "\(dataset) \(cell)")
                XCTAssertEqual(session.step, 60, "\(dataset) \(cell)")
                XCTAssertEqual(session.divergenceCount, 0)
            }
        }
    }

    /// The rollback restores weights AND optimizer moments and step count bit for bit: training on from
    /// the rolled-back state gives the same parameters as a session restored by hand.
    func testRollBackRestoresWeightsAndOptimizerState() throws {
        let session = try TrainingSession(setup: TrainerTestSupport.setup(), threadCount: 1)
        for _ in 0..<5 { _ = session.advance() }
        // Force a state copy now, then move on, then diverge by a huge rate.
        let keptParameters = session.model.parameters.array()
        let keptSteps = session.optimizer.stepCount
        session.lastGood.take(from: session.model, optimizer: session.optimizer, step: session.step, now: 0)
        let copy = OptimizerStateCopy()
        session.optimizer.copyState(into: copy)
        let keptMoments = (copy.firstMoment?.array(), copy.secondMoment?.array())
        for _ in 0..<3 { _ = session.advance() }
        _ = try session.apply(.learningRate(1e6))
        let report = try XCTUnwrap(TrainerTestSupport.run(session, limit: 100))
        XCTAssertEqual(report.rolledBackToStep, 5)
        XCTAssertEqual(session.model.parameters.array(), keptParameters)
        XCTAssertEqual(session.optimizer.stepCount, keptSteps)
        let after = OptimizerStateCopy()
        session.optimizer.copyState(into: after)
        XCTAssertEqual(after.firstMoment?.array(), keptMoments.0)
        XCTAssertEqual(after.secondMoment?.array(), keptMoments.1)
        // A lower rate then trains on from there without diverging again.
        _ = try session.apply(.learningRate(0.002))
        for _ in 0..<20 { XCTAssertNil(session.advance().divergence) }
    }

    /// The last good state is refreshed as the run goes (never older than `stepInterval` steps on a healthy run).
    func testTheLastGoodStateIsRefreshedRegularly() throws {
        let session = try TrainingSession(setup: TrainerTestSupport.setup(steps: 250), threadCount: 1)
        var oldest = 0
        while !session.isFinished {
            _ = session.advance()
            oldest = max(oldest, session.step - session.lastGoodStep)
        }
        XCTAssertLessThanOrEqual(oldest, LastGoodState.stepInterval + 1)
        XCTAssertGreaterThanOrEqual(session.lastGoodStep, 200)
    }
}
