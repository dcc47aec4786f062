import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// The training session on a multi-label dataset and on a K-step forecast: the evaluation's scores match a
/// recount from the model's outputs, and the checkpoint keeps the head's kind, activation and labels.
final class TrainingSessionMultiLabelTests: XCTestCase {
    func session(dataset: String, options: DatasetOptions = DatasetOptions(), steps: Int = 4) throws -> TrainingSession {
        var setup = TrainingSetup()
        setup.dataset = dataset
        setup.datasetOptions = options
        setup.hiddenSize = 8
        setup.embeddingSize = 8
        setup.batchSize = 16
        setup.sequenceLength = 24
        setup.steps = steps
        return try TrainingSession(setup: setup, threadCount: 1)
    }

    func testEvaluationScoresAreARecountOfTheOutputs() throws {
        let session = try session(dataset: "tags")
        for _ in 0..<4 { session.trainStep() }
        let evaluation = session.evaluate()
        let scores = try XCTUnwrap(evaluation.labelMetrics)
        XCTAssertEqual(scores.labels, ["crew", "equipment", "vessel", "weather"])
        XCTAssertEqual(scores.rowCount, session.dataset.info.validationCount)
        XCTAssertEqual(evaluation.validationAccuracy, scores.subsetAccuracy)

        // Recount: every validation batch through the model, decisions at logit > 0.
        var wrong = 0, decisions = 0, exact = 0
        for batch in session.dataset.validationBatches(batchSize: 16, sequenceLength: 24, limit: 512) {
            session.model.forward(batch, training: false)
            let logits = session.model.lastOutputs(), targets = batch.targetValues!
            for row in 0..<batch.batchSize {
                var rowWrong = 0
                for label in 0..<4 where (logits[row * 4 + label] > 0) != (targets[row * 4 + label] == 1) { rowWrong += 1 }
                wrong += rowWrong
                decisions += 4
                if rowWrong == 0 { exact += 1 }
            }
        }
        XCTAssertEqual(scores.hammingLoss, Double(wrong) / Double(decisions), accuracy: 1e-12)
        XCTAssertEqual(scores.subsetAccuracy, Double(exact) / Double(scores.rowCount), accuracy: 1e-12)

        let checkpoint = session.checkpoint()
        XCTAssertEqual(checkpoint.metadata[Checkpoint.headActivationKey], "sigmoid")
        let validated = try ValidatedCheckpoint(checkpoint)
        XCTAssertEqual(validated.labels, scores.labels)
        XCTAssertEqual(validated.labelProbabilities(logits: [Float](repeating: 0, count: scores.labels.count)).map(\.label), scores.labels)
        let reloaded = try Checkpoint(tensors: checkpoint.tensors, metadata: checkpoint.metadata)
        XCTAssertEqual(reloaded.config.head, .multiLabelLast)
    }

    func testHorizonSessionPredictsKValues() throws {
        let session = try session(dataset: "series", options: DatasetOptions(horizon: 4))
        XCTAssertEqual(session.model.config.outputSize, 4)
        XCTAssertEqual(session.model.config.head, .regressLast)
        let metrics = try XCTUnwrap(session.trainStep())
        XCTAssertTrue(metrics.trainLoss.isFinite)
        let evaluation = session.evaluate()
        XCTAssertNil(evaluation.labelMetrics)
        XCTAssertTrue(evaluation.validationLoss.isFinite)
    }

    func testHorizonOutsideTheLimitsIsRefused() {
        var setup = TrainingSetup()
        setup.dataset = "series"
        setup.datasetOptions.horizon = 0
        XCTAssertThrowsError(try TrainingSession.check(setup)) { error in
            XCTAssertTrue("\(error)".hasPrefix("horizon must be \(SetupLimits.horizon.requirement), got 0"), "\(error)")
        }
    }
}
