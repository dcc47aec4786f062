import XCTest
import RNNEngine
@testable import RNNTraining

/// `SetupLimits` is the one home of every hyperparameter's range: the limits refuse NaN and infinities,
/// and the session's check and live changes refuse what they refuse, in their words.
final class SetupLimitsTests: XCTestCase {
    static let floatLimits: [SetupLimit<Float>] = [
        SetupLimits.dropout, SetupLimits.learningRate, SetupLimits.momentum, SetupLimits.weightDecay,
        SetupLimits.clipNorm, SetupLimits.decayFactor, SetupLimits.minimumLearningRateFactor,
    ]

    func testFloatLimitsRefuseNaNAndInfinities() {
        for limit in Self.floatLimits {
            for value in [Float.nan, .infinity, -.infinity, -1] {
                XCTAssertFalse(limit.contains(value), "\(limit.name) accepts \(value)")
                XCTAssertEqual(limit.problem(with: value, label: "--flag"),
                               "--flag must be \(limit.requirement), got \(SetupLimit<Float>.describe(value))")
            }
        }
        XCTAssertFalse(SetupLimits.validationFraction.contains(.nan))
        XCTAssertFalse(SetupLimits.validationFraction.contains(0))
        XCTAssertTrue(SetupLimits.validationFraction.contains(0.9))
    }

    func testBoundsAreIncludedOrExcludedAsDeclared() {
        XCTAssertTrue(SetupLimits.dropout.contains(0))
        XCTAssertFalse(SetupLimits.dropout.contains(1))
        XCTAssertFalse(SetupLimits.learningRate.contains(0))
        XCTAssertTrue(SetupLimits.learningRate.contains(1e30), "divergence tests run at --lr 1e30")
        XCTAssertTrue(SetupLimits.layerCount.contains(4))
        XCTAssertFalse(SetupLimits.layerCount.contains(5))
        XCTAssertEqual(SetupLimits.layerCount.problem(with: 9), "layers must be 1…4, got 9")
        XCTAssertEqual(SetupLimits.learningRate.problem(with: -1, label: "--lr"), "--lr must be positive and finite, got -1")
        XCTAssertEqual(SetupLimits.batchSize.clamped(8192, otherwise: 32), 4096)
        XCTAssertEqual(SetupLimits.batchSize.clamped(0, otherwise: 32), 1)
        XCTAssertEqual(SetupLimits.dropout.clamped(1, otherwise: 0.9), 0.9, "an excluded bound gives the fallback")
        XCTAssertEqual(SetupLimits.learningRate.clamped(.infinity, otherwise: 0.5), .greatestFiniteMagnitude)
        XCTAssertEqual(SetupLimits.learningRate.clamped(.nan, otherwise: 0.5), 0.5)
    }

    func testSessionCheckRefusesEveryFieldOutsideItsLimit() {
        let changes: [(String, (inout TrainingSetup) -> Void)] = [
            ("hidden size", { $0.hiddenSize = 0 }), ("layers", { $0.layerCount = 5 }),
            ("embedding size", { $0.embeddingSize = -1 }), ("dropout", { $0.dropout = .nan }),
            ("learning rate", { $0.optimizer.learningRate = .infinity }), ("momentum", { $0.optimizer.momentum = 5 }),
            ("weight decay", { $0.optimizer.weightDecay = .nan }), ("gradient clipping", { $0.clipNorm = .nan }),
            ("batch size", { $0.batchSize = 5000 }), ("sequence length", { $0.sequenceLength = 0 }),
            ("decay interval", { $0.schedule = .stepDecay(interval: 0, factor: 0.5) }),
            ("decay factor", { $0.schedule = .stepDecay(interval: 10, factor: .nan) }),
            ("minimum learning-rate factor", { $0.schedule = .cosine(totalSteps: 0, minimumFactor: 2) }),
            ("steps", { $0.steps = -3 }), ("epochs", { $0.epochs = 0 }), ("patience", { $0.earlyStoppingPatience = 0 }),
            ("evaluation interval", { $0.evaluationInterval = 0 }), ("validation limit", { $0.validationLimit = 0 }),
            ("validation fraction", { $0.datasetOptions.validationFraction = .nan }),
            ("vocabulary cap", { $0.datasetOptions.vocabularyCap = 1 }),
        ]
        XCTAssertNoThrow(try TrainingSession.check(TrainingSetup()))
        for (name, change) in changes {
            var setup = TrainingSetup()
            change(&setup)
            XCTAssertThrowsError(try TrainingSession.check(setup), name) { error in
                XCTAssertTrue("\(error)".hasPrefix("\(name) must be "), "\(error)")
            }
        }
    }

    func testLiveChangesReadTheSameLimits() throws {
        var setup = TrainingSetup()
        setup.dataset = "sine"
        setup.hiddenSize = 4
        setup.sequenceLength = 8
        setup.datasetOptions.generatedTrainCount = 8
        setup.datasetOptions.generatedValidationCount = 4
        let session = try TrainingSession(setup: setup, threadCount: 1)
        let refused: [(HyperparameterChange, String)] = [
            (.learningRate(.nan), "learning rate"), (.learningRate(0), "learning rate"),
            (.dropout(1), "dropout"), (.batchSize(0), "batch size"), (.clipNorm(.infinity), "gradient clipping"),
        ]
        for (command, name) in refused {
            XCTAssertThrowsError(try session.apply(command)) { error in
                XCTAssertTrue("\(error)".hasPrefix("\(name) must be "), "\(error)")
            }
        }
        XCTAssertNotNil(try session.apply(.learningRate(0.01)))
        XCTAssertEqual(session.setup.optimizer.learningRate, 0.01)
    }
}
