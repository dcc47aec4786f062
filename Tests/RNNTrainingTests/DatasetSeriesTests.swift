import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

final class DatasetSeriesTests: XCTestCase {
    /// date, a = row index, b = 2·row; 20 rows.
    func seriesFile(rows: Int = 20, cell: (Int, Int) -> String? = { _, _ in nil }) throws -> String {
        var lines = ["date,a,b"]
        for row in 0..<rows {
            let a = cell(row, 1) ?? "\(row)"
            let b = cell(row, 2) ?? "\(2 * row)"
            lines.append("2024-01-\(row + 1),\(a),\(b)")
        }
        return try DatasetTestFiles.write(lines.joined(separator: "\n") + "\n", name: "series.csv", in: self)
    }

    func testNormalisationWithTrainingStatisticsAndWindows() throws {
        let path = try seriesFile()
        let dataset = try SeriesForecastDataset(path: path, sequenceLength: 4, options: DatasetOptions(validationFraction: 0.25))
        let normalization = try XCTUnwrap(dataset.info.normalization)
        XCTAssertEqual(normalization.columns, ["a", "b"])
        XCTAssertEqual(normalization.targetColumn, "b")
        // Training rows 0…14: mean 7, population variance (15² − 1) / 12.
        XCTAssertEqual(normalization.means, [7, 14])
        XCTAssertEqual(normalization.standardDeviations[0], (224.0 / 12).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(normalization.standardDeviations[1], 2 * (224.0 / 12).squareRoot(), accuracy: 1e-9)
        XCTAssert(dataset.info.notes.contains("ignored non-numeric column 'date'"))
        XCTAssertEqual(dataset.info.input, .features(featureCount: 2))
        XCTAssertEqual(dataset.info.head, .regressLast)
        XCTAssertEqual(dataset.info.trainCount, 11, "15 training rows − window 4")
        XCTAssertEqual(dataset.info.validationCount, 5)

        // Validation window k predicts row 15 + k from rows 11 + k … 14 + k.
        let batch = try XCTUnwrap(dataset.validationBatches(batchSize: 8, sequenceLength: 4, limit: 100).first)
        XCTAssertEqual(batch.batchSize, 5)
        let features = try XCTUnwrap(batch.features)
        let targets = try XCTUnwrap(batch.targetValues)
        for column in 0..<5 {
            XCTAssertEqual(normalization.denormalize(Double(targets[column]), column: 1), Double(2 * (15 + column)), accuracy: 1e-4)
            for time in 0..<4 {
                let a = normalization.denormalize(Double(features[(time * 5 + column) * 2]), column: 0)
                XCTAssertEqual(a, Double(11 + column + time), accuracy: 1e-4)
            }
        }
        // Persistence on a straight line: every step changes b by 2, i.e. 2 / σ_b in normalised units.
        let step = 2 / normalization.standardDeviations[1]
        XCTAssertEqual(dataset.info.baselineLoss, step * step, accuracy: 1e-6)
        XCTAssertEqual(dataset.probe(index: 0, sequenceLength: 4).labels, ["22", "24", "26", "28"])

        // Training windows stay inside the training rows.
        for index in 0..<dataset.trainBatchCount(batchSize: 3, sequenceLength: 4) {
            let batch = dataset.trainBatch(index: index, epoch: 0, batchSize: 3, sequenceLength: 4)
            for target in batch.targetValues ?? [] {
                XCTAssertLessThan(normalization.denormalize(Double(target), column: 1), 30 - 1e-3)
            }
        }
    }

    func testMissingValuePolicies() throws {
        // a: row 5 empty, row 6 "NA"; b: row 0 "NaN" (leading gap).
        let path = try seriesFile { row, column in
            switch (row, column) {
            case (5, 1): ""
            case (6, 1): "NA"
            case (0, 2): "NaN"
            default: nil
            }
        }
        func values(_ policy: DatasetOptions.MissingValuePolicy) throws -> (SeriesForecastDataset, [Double]) {
            let dataset = try SeriesForecastDataset(
                path: path, sequenceLength: 3, options: DatasetOptions(validationFraction: 0, missingValues: policy))
            let normalization = dataset.info.normalization!
            let column = (0..<dataset.rowCount).map {
                normalization.denormalize(Double(dataset.values[$0 * 2]), column: 0)
            }
            return (dataset, column)
        }
        let (interpolated, interpolatedA) = try values(.interpolate)
        XCTAssertEqual(interpolatedA[5], 5, accuracy: 1e-4)
        XCTAssertEqual(interpolatedA[6], 6, accuracy: 1e-4)
        XCTAssert(interpolated.info.notes.contains("interpolated 3 missing values (a 2, b 1)"), "\(interpolated.info.notes)")

        let (filled, filledA) = try values(.ffill)
        XCTAssertEqual(filledA[5], 4, accuracy: 1e-4)
        XCTAssertEqual(filledA[6], 4, accuracy: 1e-4)
        XCTAssert(filled.info.notes.contains("forward-filled 3 missing values (a 2, b 1)"))

        let (dropped, _) = try values(.drop)
        XCTAssertEqual(dropped.rowCount, 17)
        XCTAssert(dropped.info.notes.contains("dropped 3 rows with missing values (a 2, b 1)"))

        XCTAssertEqual(
            DatasetTestFiles.errorMessage { try values(.error) },
            "\(path):2: column 'b' has a missing value; expected a number, or --missing interpolate|ffill|drop")
    }

    func testFillingHelpers() {
        var values: [Float] = [.nan, 1, .nan, .nan, 4, .nan]
        XCTAssertEqual(MissingValueFilling.interpolate(&values), 4)
        XCTAssertEqual(values, [1, 1, 2, 3, 4, 4])
        values = [.nan, 1, .nan, 3, .nan]
        XCTAssertEqual(MissingValueFilling.forwardFill(&values), 3)
        XCTAssertEqual(values, [1, 1, 1, 3, 3])
    }

    func testTargetOptionAndSingleColumnSeries() throws {
        let path = try seriesFile()
        let dataset = try DatasetCatalog.load(path, sequenceLength: 4, options: DatasetOptions(targetColumn: "a"))
        XCTAssertEqual(dataset.info.normalization?.targetColumn, "a")
        let single = try DatasetTestFiles.write(
            "value\n" + (0..<12).map { $0 == 4 ? "" : "\($0)" }.joined(separator: "\n"), name: "one.csv", in: self)
        let oneColumn = try DatasetCatalog.load(single, sequenceLength: 3, options: DatasetOptions())
        XCTAssertEqual(oneColumn.info.input, .features(featureCount: 1))
        XCTAssert(oneColumn.info.notes.contains("interpolated 1 missing values (value 1)"))
    }

    // MARK: - Bad files

    func testBadSeriesFiles() throws {
        let stray = try seriesFile { row, column in row == 7 && column == 2 ? "oops" : nil }
        XCTAssertEqual(
            DatasetTestFiles.errorMessage { try DatasetCatalog.load(stray, sequenceLength: 4, options: DatasetOptions()) },
            "\(stray):9: column 'b': 'oops' is not a number; expected a number, or empty/NA/NaN for a missing value")

        let path = try seriesFile()
        XCTAssertEqual(
            DatasetTestFiles.errorMessage {
                try DatasetCatalog.load(path, sequenceLength: 4, options: DatasetOptions(targetColumn: "price"))
            },
            "\(path):1: no column 'price' (the forecast target; set --target); the header has: date, a, b")
        XCTAssert(DatasetTestFiles.errorMessage {
            try DatasetCatalog.load(path, sequenceLength: 4, options: DatasetOptions(targetColumn: "date"))
        }.hasPrefix("\(path):2: --target column 'date' is not numeric ('2024-01-1' on line 2)"))

        let short = try seriesFile(rows: 8)
        XCTAssert(DatasetTestFiles.errorMessage {
            try DatasetCatalog.load(short, sequenceLength: 10, options: DatasetOptions())
        }.hasPrefix("\(short):9: the series has 8 rows (8 for training); a window of --seq-len 10 needs at least 11 training rows"))

        let ragged = try DatasetTestFiles.write("a,b\n1,2\n3\n", name: "ragged.csv", in: self)
        XCTAssertEqual(
            DatasetTestFiles.errorMessage { try DatasetCatalog.load(ragged, sequenceLength: 1, options: DatasetOptions()) },
            "\(ragged):3: 1 fields, expected 2 as in the header (a,b); quote fields that contain commas")

        let words = try DatasetTestFiles.write("name,city\nann,oslo\nbo,rome\n", name: "words.csv", in: self)
        XCTAssert(DatasetTestFiles.errorMessage { try DatasetCatalog.load(words, sequenceLength: 1, options: DatasetOptions()) }
            .hasPrefix("\(words): no numeric column"))
    }
}

final class DatasetDisplayLabelTests: XCTestCase {
    func testShortNumbersAndCharacters() {
        XCTAssertEqual(DisplayLabels.number(0.4213), ".42")
        XCTAssertEqual(DisplayLabels.number(-0.5), "-.5")
        XCTAssertEqual(DisplayLabels.number(12.54), "12.5")
        XCTAssertEqual(DisplayLabels.number(22), "22")
        XCTAssertEqual(DisplayLabels.number(0.001), "0")
        XCTAssertEqual(DisplayLabels.number(123.4), "123")
        XCTAssertEqual(DisplayLabels.number(-25_000), "-3e4")
        XCTAssertEqual(DisplayLabels.character(" "), "␣")
        XCTAssertEqual(DisplayLabels.character("\n"), "↵", "the one glyph map: the screens draw a line break as ↵")
        XCTAssertEqual(DisplayLabels.character("x"), "x")
        XCTAssertEqual(DisplayLabels.word("extraordinary"), "extraor…")
    }
}
