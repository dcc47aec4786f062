import XCTest

@testable import RNNEngine
@testable import RNNTraining

final class DatasetGeneratedTaskTests: XCTestCase {
    let options = DatasetOptions(seed: 7, generatedTrainCount: 640, generatedValidationCount: 200)

    // MARK: - Adding problem

    func testAddingShapesAndMarkers() throws {
        let dataset = try AddingProblemDataset(sequenceLength: 30, options: options)
        XCTAssertEqual(dataset.info.head, .regressLast)
        XCTAssertEqual(dataset.info.input, .features(featureCount: 2))
        let batch = dataset.trainBatch(index: 3, epoch: 1, batchSize: 16, sequenceLength: 30)
        XCTAssertEqual(batch.timeSteps, 30)
        XCTAssertEqual(batch.batchSize, 16)
        let features = try XCTUnwrap(batch.features)
        let targets = try XCTUnwrap(batch.targetValues)
        XCTAssertEqual(features.count, 30 * 16 * 2)
        XCTAssertEqual(targets.count, 16)
        for column in 0..<16 {
            var markedTimes: [Int] = []
            var sum: Float = 0
            for time in 0..<30 {
                let value = features[(time * 16 + column) * 2]
                let marker = features[(time * 16 + column) * 2 + 1]
                XCTAssert(value >= 0 && value < 1)
                XCTAssert(marker == 0 || marker == 1)
                if marker == 1 {
                    markedTimes.append(time)
                    sum += value
                }
            }
            XCTAssertEqual(markedTimes.count, 2)
            XCTAssertLessThan(markedTimes[0], 15, "first marker in the first half")
            XCTAssertGreaterThanOrEqual(markedTimes[1], 15, "second marker in the second half")
            XCTAssertEqual(targets[column], sum, accuracy: 1e-6)
        }
    }

    func testAddingBaselineIsOneSixthEmpirically() throws {
        let dataset = try AddingProblemDataset(sequenceLength: 10, options: options)
        XCTAssertEqual(dataset.info.baselineLoss, 1.0 / 6.0, accuracy: 1e-12)
        var squaredError = 0.0
        var count = 0
        for batch in dataset.validationBatches(batchSize: 50, sequenceLength: 10, limit: 200) {
            for target in batch.targetValues ?? [] {
                squaredError += Double(target - 1) * Double(target - 1)
                count += 1
            }
        }
        XCTAssertEqual(count, 200)
        XCTAssertEqual(squaredError / Double(count), 1.0 / 6.0, accuracy: 0.03)
    }

    func testGeneratedBatchesAreDeterministicAndSeedDependent() throws {
        let first = try AddingProblemDataset(sequenceLength: 20, options: options)
        let again = try AddingProblemDataset(sequenceLength: 20, options: options)
        var otherOptions = options
        otherOptions.seed = 8
        let other = try AddingProblemDataset(sequenceLength: 20, options: otherOptions)
        let batch = first.trainBatch(index: 2, epoch: 0, batchSize: 8, sequenceLength: 20)
        XCTAssertEqual(batch, again.trainBatch(index: 2, epoch: 0, batchSize: 8, sequenceLength: 20))
        XCTAssertNotEqual(batch, other.trainBatch(index: 2, epoch: 0, batchSize: 8, sequenceLength: 20))
        XCTAssertNotEqual(batch, first.trainBatch(index: 2, epoch: 1, batchSize: 8, sequenceLength: 20), "reshuffled per epoch")
        XCTAssertEqual(first.validationBatches(batchSize: 8, sequenceLength: 20, limit: 16),
                       again.validationBatches(batchSize: 8, sequenceLength: 20, limit: 16))
    }

    func testAnEpochVisitsEveryTrainingSequenceOnce() {
        let count = 1000
        var seen = Set<Int>()
        for index in 0..<EpochOrder.batchCount(sampleCount: count, batchSize: 10) {
            seen.formUnion(EpochOrder.sampleIndices(index: index, epoch: 3, batchSize: 10, sampleCount: count, seed: 9))
        }
        XCTAssertEqual(seen, Set(0..<count))
        let order = ShuffledOrder(count: 37, seed: 1)
        XCTAssertEqual(Set((0..<37).map(order.index)), Set(0..<37))
        XCTAssertNotEqual((0..<37).map(order.index), Array(0..<37))
    }

    func testTooShortGeneratedTasksAreRefused() {
        XCTAssert(DatasetTestFiles.errorMessage { try AddingProblemDataset(sequenceLength: 1, options: self.options) }
            .contains("--seq-len 1"))
        XCTAssert(DatasetTestFiles.errorMessage { try CopyTaskDataset(sequenceLength: 2, options: self.options) }
            .contains("at least 3"))
    }

    // MARK: - Copy task

    func testCopyLayoutAndBaseline() throws {
        let length = 40
        let dataset = try CopyTaskDataset(sequenceLength: length, options: options)
        XCTAssertEqual(dataset.info.head, .tokenEveryStep)
        XCTAssertEqual(dataset.info.outputSize, 10)
        let remembered = CopyTaskDataset.rememberedCount(sequenceLength: length)
        XCTAssertEqual(remembered, 10)
        XCTAssertEqual(dataset.info.baselineLoss, 10 * log(8.0) / 40, accuracy: 1e-12)
        let batch = dataset.trainBatch(index: 0, epoch: 0, batchSize: 4, sequenceLength: length)
        let inputs = try XCTUnwrap(batch.tokens)
        let targets = try XCTUnwrap(batch.targetTokens)
        XCTAssertNil(batch.mask)
        for column in 0..<4 {
            let input = (0..<length).map { inputs[$0 * 4 + column] }
            let target = (0..<length).map { targets[$0 * 4 + column] }
            XCTAssert(input[..<remembered].allSatisfy { (1...8).contains($0) })
            XCTAssert(input[remembered..<(length - remembered - 1)].allSatisfy { $0 == 0 })
            XCTAssertEqual(input[length - remembered - 1], CopyTaskDataset.delimiter)
            XCTAssert(input[(length - remembered)...].allSatisfy { $0 == 0 })
            XCTAssert(target[..<(length - remembered)].allSatisfy { $0 == 0 })
            XCTAssertEqual(Array(target[(length - remembered)...]), Array(input[..<remembered]))
        }
        // The no-memory predictor's loss on this layout, measured: blank certain, symbols uniform.
        var loss = 0.0
        for target in targets { loss += target == 0 ? 0 : log(8.0) }
        XCTAssertEqual(loss / Double(targets.count), dataset.info.baselineLoss, accuracy: 1e-12)
        let probe = dataset.probe(index: 0, sequenceLength: length)
        XCTAssertEqual(probe.labels.count, length)
        XCTAssertEqual(probe.labels[length - remembered - 1], ">")
    }

    // MARK: - Sine

    func testSineTargetsAreTheNextInputAndPersistenceIsTheBaseline() throws {
        let dataset = try SineForecastDataset(sequenceLength: 50, options: options)
        XCTAssertEqual(dataset.info.head, .regressEveryStep)
        let batch = dataset.trainBatch(index: 1, epoch: 0, batchSize: 3, sequenceLength: 50)
        let inputs = try XCTUnwrap(batch.features)
        let targets = try XCTUnwrap(batch.targetValues)
        XCTAssertEqual(inputs.count, 150)
        XCTAssertEqual(targets.count, 150)
        for time in 0..<49 {
            for column in 0..<3 { XCTAssertEqual(targets[time * 3 + column], inputs[(time + 1) * 3 + column]) }
        }
        // Persistence is beaten by knowing the signal: the noise floor is far below it.
        XCTAssertGreaterThan(dataset.info.baselineLoss, 4 * 0.0025)
        XCTAssertLessThan(dataset.info.baselineLoss, 0.1)
        XCTAssertEqual(dataset.probe(index: 0, sequenceLength: 50).labels.count, 50)
    }
}
