import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// Series outliers (`--outliers`, `--outlier-z`) and K-step forecasts (`--horizon`).
final class DatasetOutlierHorizonTests: XCTestCase {
    /// a: a smooth wave with small deterministic wiggle; b: 100 + row. Row `spike` of a is replaced.
    func seriesFile(rows: Int = 120, spikes: [Int: String] = [:], a: ((Int) -> Double)? = nil) throws -> String {
        var lines = ["a,b"]
        for row in 0..<rows {
            let value = a?(row) ?? (10 * sin(Double(row) / 6) + 0.3 * sin(Double(row) * 2.1))
            lines.append("\(spikes[row] ?? String(format: "%.3f", value)),\(100 + row)")
        }
        return try DatasetTestFiles.write(lines.joined(separator: "\n") + "\n", name: "spiky.csv", in: self)
    }

    // MARK: - Outliers

    func testFilterFindsASpikeAndNotTheWave() {
        var values = (0..<100).map { Float(10 * sin(Double($0) / 6) + 0.3 * sin(Double($0) * 2.1)) }
        values[40] = 500
        values[70] = .nan
        let outliers = OutlierFilter.find(values, threshold: 6)
        XCTAssertEqual(outliers.map(\.row), [40])
        XCTAssertGreaterThan(outliers[0].z, 6)
        // A flat stretch (MAD 0) falls back to the column's MAD rather than flagging every wiggle.
        var flat = [Float](repeating: 3, count: 60) + (0..<60).map { Float($0 % 7) }
        flat[10] = 3.5
        XCTAssertEqual(OutlierFilter.find(flat, threshold: 6).map(\.row), [], "0.5 is small next to the column's spread")
        flat[10] = 300
        XCTAssertEqual(OutlierFilter.find(flat, threshold: 6).map(\.row), [10])
    }

    func testKeepClipInterpolateAndTheirNotes() throws {
        let path = try seriesFile(spikes: [30: "900", 77: "-800"])
        func load(_ policy: DatasetOptions.OutlierPolicy) throws -> SeriesForecastDataset {
            try SeriesForecastDataset(path: path, sequenceLength: 8, options: DatasetOptions(outliers: policy))
        }
        func raw(_ dataset: SeriesForecastDataset, row: Int) -> Double {
            dataset.info.normalization!.denormalize(Double(dataset.values[row * 2]), column: 0)
        }
        let kept = try load(.keep)
        XCTAssertEqual(raw(kept, row: 30), 900, accuracy: 1e-3)
        XCTAssertFalse(kept.info.notes.contains { $0.contains("outlier") }, "keep does not look")

        let clipped = try load(.clip)
        XCTAssertLessThan(raw(clipped, row: 30), 100, "clamped to the band around the rolling median")
        XCTAssertGreaterThan(raw(clipped, row: 30), 5)
        XCTAssertGreaterThan(raw(clipped, row: 77), -100)
        XCTAssertTrue(clipped.info.notes.contains("clipped 2 outliers beyond robust z 6 (a 2)"), "\(clipped.info.notes)")

        let interpolated = try load(.interpolate)
        let neighbours = (raw(interpolated, row: 29) + raw(interpolated, row: 31)) / 2
        XCTAssertEqual(raw(interpolated, row: 30), neighbours, accuracy: 1e-3)
        XCTAssertTrue(interpolated.info.notes.contains("interpolated 2 outliers beyond robust z 6 (a 2)"), "\(interpolated.info.notes)")
    }

    func testErrorPolicyNamesTheLine() throws {
        let path = try seriesFile(spikes: [30: "900"])
        let message = DatasetTestFiles.errorMessage {
            try SeriesForecastDataset(path: path, sequenceLength: 8, options: DatasetOptions(outliers: .error))
        }
        XCTAssertTrue(message.hasPrefix("\(path):32: column 'a': 900 is an outlier (robust z "), message)
        XCTAssertTrue(message.hasSuffix("expected a typical value, or --outliers clip|interpolate|keep"), message)
        XCTAssertFalse(message.contains("\n"))
    }

    /// The line survives dropped rows: the outlier's file line, not its position after dropping.
    func testErrorLineAfterDroppingRows() throws {
        let path = try seriesFile(spikes: [3: "", 30: "900"])
        let message = DatasetTestFiles.errorMessage {
            try SeriesForecastDataset(path: path, sequenceLength: 8, options: DatasetOptions(missingValues: .drop, outliers: .error))
        }
        XCTAssertTrue(message.hasPrefix("\(path):32: column 'a': 900 is an outlier"), message)
    }

    func testASeriesThatIsAllOutliersIsRefused() throws {
        let path = try seriesFile()
        let message = DatasetTestFiles.errorMessage {
            try SeriesForecastDataset(path: path, sequenceLength: 8, options: DatasetOptions(outliers: .interpolate, outlierZ: 0.01))
        }
        XCTAssertTrue(message.hasPrefix("\(path):"), message)
        XCTAssertTrue(message.contains("column 'a': "), message)
        XCTAssertTrue(message.hasSuffix("values are outliers at --outlier-z .01; a series that is mostly outliers has no typical level to repair toward: raise --outlier-z or use --outliers keep"), message)
    }

    // MARK: - Horizon

    func testHorizonTargetsAndPersistenceBaseline() throws {
        let path = try seriesFile(rows: 40)
        let dataset = try SeriesForecastDataset(
            path: path, sequenceLength: 4, options: DatasetOptions(validationFraction: 0.25, targetColumn: "b", horizon: 3))
        XCTAssertEqual(dataset.info.outputSize, 3)
        XCTAssertEqual(dataset.info.trainCount, 30 - 4 - 3 + 1)
        XCTAssertEqual(dataset.info.validationCount, 10 - 3 + 1)
        // b rises by 1 a row: the k-th value ahead is k + 1 rows past the last seen, in normalised units.
        let scale = dataset.info.normalization!.standardDeviations[1]
        let expected = (1 + 4 + 9) / 3.0 / (scale * scale)
        XCTAssertEqual(dataset.info.baselineLoss, expected, accuracy: 1e-6)
        XCTAssertTrue(dataset.info.baselineDescription.contains("next 3 steps"))

        let batches = dataset.validationBatches(batchSize: 16, sequenceLength: 4, limit: 100)
        XCTAssertEqual(batches.map(\.batchSize), [8])
        let batch = batches[0]
        let targets = try XCTUnwrap(batch.targetValues)
        let normalization = dataset.info.normalization!
        for column in 0..<8 {
            for ahead in 0..<3 {
                let value = normalization.denormalize(Double(targets[column * 3 + ahead]), column: 1)
                XCTAssertEqual(value, Double(100 + 30 + column + ahead), accuracy: 1e-3)
            }
            // The window is the 4 rows before the first predicted row.
            let lastInput = normalization.denormalize(Double(batch.features![(3 * 8 + column) * 2 + 1]), column: 1)
            XCTAssertEqual(lastInput, Double(100 + 29 + column), accuracy: 1e-3)
        }
        // Training batches keep their targets inside the training rows.
        for index in 0..<dataset.trainBatchCount(batchSize: 4, sequenceLength: 4) {
            let train = dataset.trainBatch(index: index, epoch: 0, batchSize: 4, sequenceLength: 4)
            for value in train.targetValues! {
                XCTAssertLessThan(normalization.denormalize(Double(value), column: 1), 130 - 1e-3)
            }
        }
        let probe = dataset.probe(index: 7, sequenceLength: 4)
        XCTAssertEqual(probe.batch.targetValues?.count, 3)
    }

    func testHorizonLongerThanTheValidationRangeIsRefused() throws {
        let path = try seriesFile(rows: 40)
        let message = DatasetTestFiles.errorMessage {
            try SeriesForecastDataset(path: path, sequenceLength: 4, options: DatasetOptions(validationFraction: 0.25, horizon: 11))
        }
        XCTAssertEqual(message, "\(path):41: --horizon 11 is longer than the validation range (10 of 40 rows at --val-fraction 0.25); expected a horizon of at most 10, or a larger --val-fraction")
        XCTAssertNoThrow(try SeriesForecastDataset(path: path, sequenceLength: 4, options: DatasetOptions(validationFraction: 0.25, horizon: 10)))
    }

    func testHorizonOnlyAppliesToSeries() {
        let message = DatasetTestFiles.errorMessage {
            try DatasetCatalog.load("adding", sequenceLength: 10, options: DatasetOptions(horizon: 3, generatedTrainCount: 10, generatedValidationCount: 10))
        }
        XCTAssertTrue(message.hasPrefix("--horizon 3: dataset adding is not a CSV series"), message)
    }

    /// The sample file's glitches are found, and the model trains on a horizon of several steps.
    func testSpikesSampleAndSeriesSampleWithAHorizon() throws {
        let spikes = try DatasetCatalog.load("spikes", sequenceLength: 24, options: DatasetOptions(outliers: .interpolate))
        XCTAssertTrue(spikes.info.notes.contains { $0.hasPrefix("interpolated ") && $0.contains("outliers") }, "\(spikes.info.notes)")
        let series = try DatasetCatalog.load("series", sequenceLength: 24, options: DatasetOptions(horizon: 6))
        XCTAssertEqual(series.info.outputSize, 6)
        let tags = try DatasetCatalog.load("tags", sequenceLength: 24, options: DatasetOptions())
        XCTAssertEqual(tags.info.head, .multiLabelLast)
        XCTAssertEqual(tags.info.classNames, ["crew", "equipment", "vessel", "weather"])
    }
}
