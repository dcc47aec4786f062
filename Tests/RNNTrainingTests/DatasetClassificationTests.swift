import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

final class DatasetClassificationTests: XCTestCase {
    /// 60 rows of "good" and 40 of "bad", texts of varying length.
    func balancedFile() throws -> String {
        var lines = ["text,label"]
        for index in 0..<100 {
            let good = index % 5 < 3
            let words = Array(repeating: good ? "nice" : "awful", count: 1 + index % 7).joined(separator: " ")
            lines.append("\"Row \(index), \(words)!\",\(good ? "good" : "bad")")
        }
        return try DatasetTestFiles.write(lines.joined(separator: "\n"), name: "reviews.csv", in: self)
    }

    func testStratifiedSplitLabelsAndBaseline() throws {
        let path = try balancedFile()
        let dataset = try TextClassificationDataset(path: path, options: DatasetOptions(seed: 3, validationFraction: 0.2))
        XCTAssertEqual(dataset.info.classNames, ["bad", "good"])
        XCTAssertEqual(dataset.info.head, .classifyLast)
        XCTAssertEqual(dataset.info.outputSize, 2)
        XCTAssertEqual(dataset.info.trainCount, 80)
        XCTAssertEqual(dataset.info.validationCount, 20)
        let validationLabels = dataset.validationRows.map { dataset.labels[$0] }
        XCTAssertEqual(validationLabels.filter { $0 == 1 }.count, 12, "60 good × 0.2")
        XCTAssertEqual(validationLabels.filter { $0 == 0 }.count, 8, "40 bad × 0.2")
        XCTAssertTrue(Set(dataset.trainRows).isDisjoint(with: dataset.validationRows))
        let entropy = -(0.6 * log(0.6) + 0.4 * log(0.4))
        XCTAssertEqual(dataset.info.baselineLoss, entropy, accuracy: 1e-9)
        // A different seed holds out different rows.
        let other = try TextClassificationDataset(path: path, options: DatasetOptions(seed: 4, validationFraction: 0.2))
        XCTAssertNotEqual(dataset.validationRows, other.validationRows)
    }

    func testWordTokensVocabularyPaddingAndMasks() throws {
        let path = try balancedFile()
        let dataset = try TextClassificationDataset(path: path, options: DatasetOptions(validationFraction: 0.2))
        let vocabulary = try XCTUnwrap(dataset.info.vocabulary)
        XCTAssertEqual(Array(vocabulary.tokens.prefix(2)), ["<pad>", "<unk>"])
        XCTAssertEqual(vocabulary.paddingIndex, 0)
        XCTAssertEqual(vocabulary.unknownIndex, 1)
        XCTAssertEqual(vocabulary.tokens[2], "nice", "the most frequent word first")
        XCTAssertTrue(vocabulary.tokens.contains("row"))
        XCTAssertFalse(vocabulary.tokens.contains("Row"), "lowercased")
        XCTAssertFalse(vocabulary.tokens.contains("!"))

        let batch = dataset.trainBatch(index: 0, epoch: 0, batchSize: 8, sequenceLength: 5)
        XCTAssertLessThanOrEqual(batch.timeSteps, 5, "truncated to the sequence length")
        let tokens = try XCTUnwrap(batch.tokens)
        let mask = try XCTUnwrap(batch.mask)
        XCTAssertEqual(batch.targetTokens?.count, 8)
        for (column, length) in batch.lengths.enumerated() {
            XCTAssertGreaterThan(length, 0)
            for time in 0..<batch.timeSteps {
                let padded = time >= length
                XCTAssertEqual(mask[time * 8 + column], padded ? 0 : 1)
                if padded { XCTAssertEqual(tokens[time * 8 + column], 0) } else { XCTAssertNotEqual(tokens[time * 8 + column], 0) }
            }
        }
        let full = dataset.trainBatch(index: 0, epoch: 0, batchSize: 8, sequenceLength: 100)
        XCTAssertEqual(full.timeSteps, full.lengths.max(), "padded only to the longest in the batch")
        XCTAssertEqual(dataset.probe(index: 0, sequenceLength: 100).labels.first, "row")
    }

    func testWordTokenizerKeepsApostrophesAndCharacterTokens() {
        XCTAssertEqual(TextTokenizer.tokens("Don't STOP—'quoted' 42x", level: .word), ["don't", "stop", "quoted", "42x"])
        XCTAssertEqual(TextTokenizer.tokens("Ab c", level: .character), ["A", "b", " ", "c"])
    }

    func testEpochsShuffleAndCoverTheTrainingRows() throws {
        let dataset = try TextClassificationDataset(path: try balancedFile(), options: DatasetOptions(validationFraction: 0.2))
        let first = dataset.trainBatch(index: 0, epoch: 0, batchSize: 10, sequenceLength: 20)
        XCTAssertEqual(first, dataset.trainBatch(index: 0, epoch: 0, batchSize: 10, sequenceLength: 20))
        XCTAssertNotEqual(first, dataset.trainBatch(index: 0, epoch: 1, batchSize: 10, sequenceLength: 20))
        XCTAssertEqual(dataset.trainBatchCount(batchSize: 10, sequenceLength: 20), 8)
        let validation = dataset.validationBatches(batchSize: 6, sequenceLength: 20, limit: 1000)
        XCTAssertEqual(validation.map(\.batchSize), [6, 6, 6, 2])
    }

    func testColumnsByOptionsNumericLabelsAndVocabularyCap() throws {
        let rows = (0..<40).map { "\($0 % 3 == 0 ? 10 : 2);\("w\($0) common"),x" }
        let csv = "score,review,extra\n" + rows.map { row -> String in
            let parts = row.split(separator: ",")[0].split(separator: ";")
            return "\(parts[0]),\(parts[1]),x"
        }.joined(separator: "\n")
        let path = try DatasetTestFiles.write(csv, name: "scores.csv", in: self)
        let options = DatasetOptions(textColumn: "review", labelColumn: "score", vocabularyCap: 5)
        let dataset = try DatasetCatalog.load(path, sequenceLength: 10, options: options)
        XCTAssertEqual(dataset.info.classNames, ["2", "10"], "numeric labels sort by value")
        XCTAssertEqual(dataset.info.vocabulary?.tokens.count, 7)
        XCTAssert(dataset.info.notes.contains { $0.contains("capped at 5") })
    }

    // MARK: - Bad files

    func testBadClassificationFiles() throws {
        let oneClass = try DatasetTestFiles.write("text,label\na,pos\nb,pos\n", name: "one.csv", in: self)
        XCTAssertEqual(
            DatasetTestFiles.errorMessage { try DatasetCatalog.load(oneClass, sequenceLength: 8, options: DatasetOptions()) },
            "\(oneClass): label column 'label' has one class ('pos'); classification needs at least two")

        let noColumn = try DatasetTestFiles.write("text,label\na,1\nb,0\n", name: "nocol.csv", in: self)
        let message = DatasetTestFiles.errorMessage {
            try DatasetCatalog.load(noColumn, sequenceLength: 8, options: DatasetOptions(labelColumn: "sentiment"))
        }
        XCTAssertEqual(message, "\(noColumn):1: no column 'sentiment' (the label; set --label-column); the header has: text, label")

        let ragged = try DatasetTestFiles.write("text,label\na,1\nb,0,extra\n", name: "ragged.csv", in: self)
        XCTAssert(DatasetTestFiles.errorMessage { try DatasetCatalog.load(ragged, sequenceLength: 8, options: DatasetOptions()) }
            .hasPrefix("\(ragged):3: 3 fields, expected 2"))

        let headerOnly = try DatasetTestFiles.write("text,label\n", name: "header.csv", in: self)
        XCTAssert(DatasetTestFiles.errorMessage { try DatasetCatalog.load(headerOnly, sequenceLength: 8, options: DatasetOptions()) }
            .hasPrefix("\(headerOnly):1: header only"))

        let empty = try DatasetTestFiles.write("", name: "empty.csv", in: self)
        XCTAssert(DatasetTestFiles.errorMessage { try DatasetCatalog.load(empty, sequenceLength: 8, options: DatasetOptions()) }
            .hasPrefix("\(empty): empty file"))
    }

    func testMissingLabelsAreDroppedOrRefused() throws {
        let path = try DatasetTestFiles.write("text,label\na,1\nb,\nc,0\nd,NA\ne,1\nf,0\n", name: "gaps.csv", in: self)
        let dataset = try DatasetCatalog.load(path, sequenceLength: 8, options: DatasetOptions(validationFraction: 0))
        XCTAssertEqual(dataset.info.trainCount, 4)
        XCTAssert(dataset.info.notes.contains("dropped 2 rows with a missing label"), "\(dataset.info.notes)")
        XCTAssert(DatasetTestFiles.errorMessage {
            try DatasetCatalog.load(path, sequenceLength: 8, options: DatasetOptions(missingValues: .error))
        }.hasPrefix("\(path):3: missing label"))
    }
}
