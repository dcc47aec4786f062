import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

final class DatasetCatalogTests: XCTestCase {
    func testEntriesListTheBuiltInTasksAndSamples() {
        let names = DatasetCatalog.entries().map(\.name)
        XCTAssertEqual(Set(names), ["corpus", "sentiment", "series", "tags", "spikes", "adding", "copy", "sine"])
        XCTAssertEqual(names.first, "corpus", "the default dataset comes first")
        XCTAssert(DatasetCatalog.entries().allSatisfy { !$0.summary.isEmpty })
    }

    func testSamplesFolderIsFound() throws {
        let folder = try XCTUnwrap(SampleFiles.directory())
        XCTAssert(FileManager.default.fileExists(atPath: folder.appendingPathComponent("corpus.txt").path))
        XCTAssertEqual(SampleFiles.resolve("/no/such/path.txt"), "/no/such/path.txt")
    }

    func testCorpusSampleIsBigAndStructured() throws {
        let dataset = try DatasetCatalog.load("corpus", sequenceLength: 64, options: DatasetOptions())
        XCTAssertEqual(dataset.info.task, .languageModel)
        XCTAssertGreaterThanOrEqual(dataset.info.trainCount + dataset.info.validationCount, 30_000)
        let tokens = try XCTUnwrap(dataset.info.vocabulary?.tokens)
        for structural in ["{", "}", "[", "]", "(", ")", "\"", "'", "\n", "#"] { XCTAssert(tokens.contains(structural), structural) }
        XCTAssertGreaterThan(dataset.info.baselineLoss, 2.5, "unigram entropy of English-like text, nats")
        let probe = dataset.probe(index: 0, sequenceLength: 64)
        XCTAssertEqual(probe.labels.count, 64)
        XCTAssertEqual(probe.batch.batchSize, 1)
        // The same file by path.
        let byPath = try DatasetCatalog.load("samples/corpus.txt", sequenceLength: 64, options: DatasetOptions())
        XCTAssertEqual(byPath.info.vocabulary, dataset.info.vocabulary)
    }

    func testSentimentSampleIsBalancedAndBigEnough() throws {
        let dataset = try DatasetCatalog.load("sentiment", sequenceLength: 32, options: DatasetOptions())
        XCTAssertEqual(dataset.info.task, .classification)
        XCTAssertEqual(dataset.info.classNames, ["negative", "positive"])
        XCTAssertGreaterThanOrEqual(dataset.info.trainCount + dataset.info.validationCount, 400)
        XCTAssertEqual(dataset.info.baselineLoss, log(2.0), accuracy: 1e-6, "balanced classes")
        XCTAssertGreaterThanOrEqual(dataset.info.validationCount, 40)
    }

    func testSeriesSampleHasGapsAndForecastsLoad() throws {
        let dataset = try DatasetCatalog.load("series", sequenceLength: 48, options: DatasetOptions())
        XCTAssertEqual(dataset.info.task, .regression)
        XCTAssertEqual(dataset.info.normalization?.targetColumn, "load")
        XCTAssertEqual(dataset.info.normalization?.columns, ["temperature", "humidity", "load"])
        XCTAssert(dataset.info.notes.contains { $0.hasPrefix("interpolated ") }, "\(dataset.info.notes)")
        XCTAssert(dataset.info.notes.contains("ignored non-numeric column 'timestamp'"))
        XCTAssertGreaterThan(dataset.info.baselineLoss, 0)
    }

    /// Every dataset makes well-formed batches for changing batch sizes and lengths.
    func testEveryDatasetMakesConsistentBatches() throws {
        let options = DatasetOptions(generatedTrainCount: 100, generatedValidationCount: 20)
        for name in DatasetCatalog.entries().map(\.name) {
            let dataset = try DatasetCatalog.load(name, sequenceLength: 24, options: options)
            XCTAssertGreaterThan(dataset.info.baselineLoss, 0, name)
            for (batchSize, length) in [(1, 24), (7, 24), (32, 12)] {
                XCTAssertGreaterThanOrEqual(dataset.trainBatchCount(batchSize: batchSize, sequenceLength: length), 1)
                let batch = dataset.trainBatch(index: 1, epoch: 2, batchSize: batchSize, sequenceLength: length)
                assertWellFormed(batch, info: dataset.info, batchSize: batchSize, name: name)
                for validation in dataset.validationBatches(batchSize: batchSize, sequenceLength: length, limit: 40) {
                    XCTAssertLessThanOrEqual(validation.batchSize, batchSize)
                    assertWellFormed(validation, info: dataset.info, batchSize: validation.batchSize, name: name)
                }
            }
            let probe = dataset.probe(index: dataset.probeCount + 1, sequenceLength: 24)
            XCTAssertEqual(probe.labels.count, probe.batch.timeSteps, name)
            XCTAssertEqual(probe.batch.batchSize, 1, name)
        }
    }

    func assertWellFormed(_ batch: Batch, info: DatasetInfo, batchSize: Int, name: String) {
        let steps = batch.timeSteps * batch.batchSize
        XCTAssertEqual(batch.batchSize, batchSize, name)
        switch info.input {
        case .tokens(let vocabularySize):
            XCTAssertEqual(batch.tokens?.count, steps, name)
            XCTAssert(batch.tokens?.allSatisfy { $0 >= 0 && Int($0) < vocabularySize } ?? false, name)
        case .features(let featureCount):
            XCTAssertEqual(batch.features?.count, steps * featureCount, name)
            XCTAssert(batch.features?.allSatisfy(\.isFinite) ?? false, name)
        }
        switch info.head {
        case .tokenEveryStep:
            XCTAssertEqual(batch.targetTokens?.count, steps, name)
            XCTAssert(batch.targetTokens?.allSatisfy { $0 >= 0 && Int($0) < info.outputSize } ?? false, name)
        case .classifyLast:
            XCTAssertEqual(batch.targetTokens?.count, batch.batchSize, name)
        case .regressLast:
            XCTAssertEqual(batch.targetValues?.count, batch.batchSize * info.outputSize, name)
        case .regressEveryStep:
            XCTAssertEqual(batch.targetValues?.count, steps * info.outputSize, name)
        case .multiLabelLast:
            XCTAssertEqual(batch.targetValues?.count, batch.batchSize * info.outputSize, name)
            XCTAssert(batch.targetValues?.allSatisfy { $0 == 0 || $0 == 1 } ?? false, name)
        }
        if let mask = batch.mask { XCTAssertEqual(mask.count, steps, name) }
    }

    func testUnknownNameIsTreatedAsAMissingPath() {
        let message = DatasetTestFiles.errorMessage {
            try DatasetCatalog.load("addding", sequenceLength: 10, options: DatasetOptions())
        }
        XCTAssert(message.hasPrefix("addding: no such file; expected a dataset name (corpus, sentiment, series, tags, spikes, adding, copy, sine)"), message)
    }
}
