import Foundation
import RNNEngine
import RNNTraining
import XCTest

/// The session's insight calls on a real (small) run: each returns a snapshot of the right shape, and none
/// of them changes what training does next.
final class TrainingSessionInsightTests: XCTestCase {
    func makeSession(_ cell: CellKind) throws -> TrainingSession {
        var setup = TrainingSetup()
        setup.dataset = "adding"
        setup.cell = cell
        setup.hiddenSize = 6
        setup.layerCount = 2
        setup.batchSize = 4
        setup.sequenceLength = 10
        setup.validationLimit = 16
        setup.seed = 5
        return try TrainingSession(setup: setup, threadCount: 1)
    }

    func testInsightCallsReturnSnapshotsAndLeaveTrainingAlone() throws {
        for cell in CellKind.allCases {
            let watched = try makeSession(cell), twin = try makeSession(cell)
            watched.trainStep()
            twin.trainStep()

            let flow = try XCTUnwrap(watched.gradientFlow(probeIndex: 1), "\(cell)")
            XCTAssertEqual(flow.layers.count, 2)
            XCTAssertEqual(flow.layers[0].norms.count, 10)
            XCTAssertEqual(flow.layers[0].magnitudes?.count, 10 * 6)
            XCTAssertEqual(flow.step, 1)
            let mean = watched.validationGradientFlow(sequences: 8)
            XCTAssertEqual(mean.source, .validation(sequences: 8), "\(cell)")
            XCTAssertTrue(mean.layers[1].norms.allSatisfy { $0.isFinite && $0 >= 0 })
            XCTAssertGreaterThan(mean.layers[1].norms.last!, 0)
            let statistics = watched.gateStatistics(sequences: 8)
            XCTAssertEqual(statistics.sequences, 8)
            XCTAssertEqual(statistics.layers[0].gates.map(\.name), cell.gateNames)
            XCTAssertEqual(statistics.layers[0].spectralRadius != nil, cell == .rnn)
            XCTAssertEqual(statistics.layers[0].timeScales?.count, cell == .rnn ? nil : 6)
            guard case .values(let predicted, let target)? = watched.prediction(probeIndex: 0, time: 9) else {
                return XCTFail("\(cell): a regression prediction expected")
            }
            XCTAssertEqual(predicted.count, 1)
            XCTAssertEqual(target?.count, 1)
            let table = try watched.unitImportance(layers: [1], sequences: 8)
            XCTAssertEqual(table.count, 6)
            XCTAssertEqual(Set(table.map(\.unit)), Set(0..<6))
            let comparison = try watched.compareIntervention(.ablating([0, 1, 2, 3, 4, 5], layer: 1), sequences: 8)
            XCTAssertNotEqual(comparison.without.loss, comparison.with.loss, "\(cell): ablating a whole layer changes nothing?")
            XCTAssertThrowsError(try watched.setIntervention(.ablating([6], layer: 0)))

            // Same next step as the twin that nobody looked at.
            let watchedStep = watched.trainStep()!, twinStep = twin.trainStep()!
            XCTAssertEqual(watchedStep.trainLoss, twinStep.trainLoss, "\(cell): looking changed training")
            XCTAssertEqual(watched.model.namedParameters(), twin.model.namedParameters(), "\(cell)")
        }
    }

    /// An intervention set to apply during training changes the run; by default it does not.
    func testInterventionDuringTrainingOnlyWhenAsked() throws {
        let plain = try makeSession(.lstm), lesioned = try makeSession(.lstm), trainingLesion = try makeSession(.lstm)
        try lesioned.setIntervention(.ablating([0, 1], layer: 0))
        var during = Intervention.ablating([0, 1], layer: 0)
        during.appliesDuringTraining = true
        try trainingLesion.setIntervention(during)
        let base = plain.trainStep()!.trainLoss
        XCTAssertEqual(lesioned.trainStep()!.trainLoss, base)
        XCTAssertNotEqual(trainingLesion.trainStep()!.trainLoss, base)
        XCTAssertNotEqual(lesioned.evaluate().validationLoss, plain.evaluate().validationLoss)
    }

    func testSamplingALanguageModelLeavesTrainingAlone() throws {
        func session() throws -> TrainingSession {
            var setup = TrainingSetup()
            setup.dataset = "corpus"
            setup.hiddenSize = 8
            setup.batchSize = 2
            setup.sequenceLength = 8
            setup.validationLimit = 4
            return try TrainingSession(setup: setup, threadCount: 1)
        }
        let watched = try session(), twin = try session()
        watched.trainStep()
        twin.trainStep()
        let text = try XCTUnwrap(try watched.sampleText(prime: "the", length: 30, temperature: 0.8, seed: 2))
        XCTAssertEqual(text.count, 30, "one character per token")
        XCTAssertEqual(try watched.sampleText(prime: "the", length: 30, temperature: 0.8, seed: 2), text, "same seed, same text")
        XCTAssertEqual(watched.trainStep()!.trainLoss, twin.trainStep()!.trainLoss, "sampling changed training (the carried state?)")
        XCTAssertNil(try makeSession(.gru).sampleText(length: 5, temperature: 1, seed: 1), "not a language model")
    }

    /// The trainer's command: a live change with a one-line description for the chart's marks.
    func testSetInterventionCommandDescribesTheChange() throws {
        let session = try makeSession(.lstm)
        var intervention = Intervention.ablating([3, 1], layer: 0)
        intervention.edits.append(.init(layer: 1, unit: 2, action: .clamp(.forget, value: 1)))
        XCTAssertEqual(try session.applyIntervention(intervention), "surgery: ablate l0:3,1; clamp f=1 l1:2 (evaluation only)")
        XCTAssertNil(try session.applyIntervention(intervention), "nothing changed")
        XCTAssertEqual(session.model.intervention, intervention)
        XCTAssertThrowsError(try session.applyIntervention(.ablating([9], layer: 0)))
        XCTAssertEqual(session.model.intervention, intervention, "a refused change keeps the old one")
        XCTAssertEqual(try session.applyIntervention(nil), "surgery released")
        XCTAssertNil(session.model.intervention)
    }

    func testClassificationAndForecastReportsAgreeWithEvaluation() throws {
        var setup = TrainingSetup()
        setup.dataset = "sentiment"
        setup.embeddingSize = 8
        setup.hiddenSize = 8
        setup.batchSize = 8
        setup.sequenceLength = 32
        setup.validationLimit = 40
        let classifier = try TrainingSession(setup: setup, threadCount: 1)
        for _ in 0..<5 { classifier.trainStep() }
        let report = try XCTUnwrap(classifier.classificationReport(sequences: 40, worstCount: 3))
        let evaluation = classifier.evaluate()
        XCTAssertEqual(report.classNames, classifier.dataset.info.classNames)
        XCTAssertEqual(report.confusion.joined().reduce(0, +), classifier.dataset.validationBatches(batchSize: 8, sequenceLength: 32, limit: 40).reduce(0) { $0 + $1.batchSize })
        XCTAssertEqual(report.accuracy, evaluation.validationAccuracy ?? -1, accuracy: 1e-12)
        XCTAssertEqual(report.worst.count, 3)
        let worst = report.worst.map { $0.probabilities[$0.trueClass] }
        XCTAssertEqual(worst, worst.sorted())
        XCTAssertFalse(report.worst[0].text.isEmpty)
        XCTAssertTrue(report.worst[0].text.contains(" "), "word-level text is joined by spaces: \(report.worst[0].text)")
        XCTAssertNil(classifier.forecastReport())

        setup.dataset = "series"
        setup.embeddingSize = 0
        setup.sequenceLength = 12
        let forecaster = try TrainingSession(setup: setup, threadCount: 1)
        for _ in 0..<5 { forecaster.trainStep() }
        let forecast = try XCTUnwrap(forecaster.forecastReport(sequences: 40))
        let loss = forecaster.evaluate().validationLoss
        let normalization = try XCTUnwrap(forecaster.dataset.info.normalization)
        let column = try XCTUnwrap(normalization.columns.firstIndex(of: "load"))
        XCTAssertEqual(forecast.target, "load")
        // RMSE in original units is the normalised validation MSE scaled by the target's deviation.
        XCTAssertEqual(forecast.rootMeanSquaredError, (loss).squareRoot() * normalization.standardDeviations[column],
                       accuracy: 1e-4 * forecast.rootMeanSquaredError)
        XCTAssertEqual(forecast.predicted.count, forecast.actual.count)
        XCTAssertGreaterThan(forecast.actual.reduce(0, +) / Double(forecast.actual.count), 5, "actual values in original units")
        XCTAssertNotNil(forecast.persistenceRootMeanSquaredError)
        XCTAssertNil(forecaster.classificationReport())
    }
}
