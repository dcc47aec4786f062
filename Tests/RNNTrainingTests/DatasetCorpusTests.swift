import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

final class DatasetCorpusTests: XCTestCase {
    /// A text where position i holds character "a" + i % 26, so stream continuity is checkable.
    func alphabetText(length: Int) -> String {
        String((0..<length).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
    }

    func testStreamsContinueFromBatchToBatch() throws {
        let path = try DatasetTestFiles.write(alphabetText(length: 1000), name: "alphabet.txt", in: self)
        let dataset = try CharacterCorpusDataset(path: path, options: DatasetOptions(validationFraction: 0.1))
        XCTAssertTrue(dataset.info.statefulBatches)
        XCTAssertEqual(dataset.info.trainCount, 900)
        XCTAssertEqual(dataset.info.validationCount, 100)
        XCTAssertEqual(dataset.info.vocabulary?.tokens.count, 27, "26 letters + unknown")
        let batchSize = 4
        let length = 10
        // Streams of 225 characters: (225 − 1) / 10 = 22 windows.
        XCTAssertEqual(dataset.trainBatchCount(batchSize: batchSize, sequenceLength: length), 22)
        let tokens = try XCTUnwrap(dataset.info.vocabulary?.tokens)
        var previousLast: [Int32]? = nil
        for index in 0..<22 {
            let batch = dataset.trainBatch(index: index, epoch: 0, batchSize: batchSize, sequenceLength: length)
            let inputs = try XCTUnwrap(batch.tokens)
            let targets = try XCTUnwrap(batch.targetTokens)
            for column in 0..<batchSize {
                for time in 0..<length {
                    let position = column * 225 + index * length + time
                    XCTAssertEqual(tokens[Int(inputs[time * batchSize + column])], String(UnicodeScalar(UInt8(97 + position % 26))))
                    XCTAssertEqual(tokens[Int(targets[time * batchSize + column])], String(UnicodeScalar(UInt8(97 + (position + 1) % 26))))
                }
                if let previousLast {
                    XCTAssertEqual(inputs[column], previousLast[column], "batch i+1 starts where batch i's targets ended")
                }
            }
            previousLast = (0..<batchSize).map { targets[(length - 1) * batchSize + $0] }
        }
        // Validation streams continue each other too and stay inside the validation text.
        let validation = dataset.validationBatches(batchSize: 2, sequenceLength: 10, limit: 100)
        XCTAssertEqual(validation.count, 4)  // streams of 50: (50 − 1) / 10 windows
        XCTAssertEqual(validation[1].tokens?[0], validation[0].targetTokens?[9 * 2])
    }

    func testUnseenCharactersMapToUnknownAndBaselineIsUnigramEntropy() throws {
        // Training text has only "ab"; the validation tail holds "xyz".
        let text = String(repeating: "aab", count: 30) + "xyzxyzxyz0"
        let path = try DatasetTestFiles.write(text, name: "tail.txt", in: self)
        let dataset = try CharacterCorpusDataset(path: path, options: DatasetOptions(validationFraction: 0.1))
        let vocabulary = try XCTUnwrap(dataset.info.vocabulary)
        XCTAssertEqual(vocabulary.tokens, ["a", "b", "\u{FFFD}"])
        XCTAssertEqual(vocabulary.unknownIndex, 2)
        let probe = dataset.probe(index: 0, sequenceLength: 5)
        XCTAssertEqual(probe.batch.tokens, [2, 2, 2, 2, 2])
        XCTAssert(dataset.info.notes.contains { $0.contains("10 validation characters unseen") }, "\(dataset.info.notes)")
        let entropy = -(2.0 / 3) * log(2.0 / 3) - (1.0 / 3) * log(1.0 / 3)
        XCTAssertEqual(dataset.info.baselineLoss, entropy, accuracy: 1e-9)
    }

    func testMultibyteCharactersAndDisplayLabels() throws {
        let text = String(repeating: "é ü\n→ ", count: 20)
        let path = try DatasetTestFiles.write(text, name: "accents.txt", in: self)
        let dataset = try CharacterCorpusDataset(path: path, options: DatasetOptions())
        XCTAssertEqual(dataset.info.vocabulary?.tokens, ["\n", " ", "é", "ü", "→", "\u{FFFD}"])
        let labels = dataset.probe(index: 0, sequenceLength: 6).labels
        XCTAssert(labels.contains("␣"))
        XCTAssert(labels.contains("↵"))
    }

    func testLargeVocabularyUsesTwoBytesAndCapMapsRareToUnknown() throws {
        let scalars = (0..<600).compactMap { UnicodeScalar(0x4E00 + $0) }
        let text = String(String.UnicodeScalarView(scalars + scalars))
        let path = try DatasetTestFiles.write(text, name: "wide.txt", in: self)
        let dataset = try CharacterCorpusDataset(path: path, options: DatasetOptions(validationFraction: 0))
        guard case .wide = dataset.corpus else { return XCTFail("expected 16-bit ids for 601 symbols") }
        let capped = try CharacterCorpusDataset(
            path: path, options: DatasetOptions(validationFraction: 0, vocabularyCap: 100))
        XCTAssertEqual(capped.info.vocabulary?.tokens.count, 101)
        XCTAssert(capped.info.notes.contains { $0.contains("capped at 100") })
    }

    func testNonUTF8FileIsRefusedWithLine() throws {
        var bytes = Data("first line\nsecond ".utf8)
        bytes.append(contentsOf: [0xFF, 0xFE])
        bytes.append(contentsOf: Data(" end\n".utf8))
        let path = try DatasetTestFiles.write(bytes, name: "latin.txt", in: self)
        let message = DatasetTestFiles.errorMessage { try CharacterCorpusDataset(path: path, options: DatasetOptions()) }
        XCTAssert(message.hasPrefix("\(path):2: not UTF-8"), message)
        // Overlong encodings and lone surrogates are not UTF-8 either.
        for invalid: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82]] {
            let path = try DatasetTestFiles.write(Data(invalid), name: "bad.txt", in: self)
            XCTAssert(DatasetTestFiles.errorMessage { try CharacterCorpusDataset(path: path, options: DatasetOptions()) }
                .contains("not UTF-8"))
        }
    }

    func testEmptyAndMissingFiles() throws {
        let empty = try DatasetTestFiles.write("", name: "empty.txt", in: self)
        XCTAssert(DatasetTestFiles.errorMessage { try CharacterCorpusDataset(path: empty, options: DatasetOptions()) }
            .contains("empty file"))
        let missing = DatasetTestFiles.errorMessage {
            try DatasetCatalog.load("/nonexistent/file.txt", sequenceLength: 8, options: DatasetOptions())
        }
        XCTAssert(missing.hasPrefix("/nonexistent/file.txt: no such file"), missing)
    }

    func testTinyCorpusStillGivesFullBatchesWithoutCrashing() throws {
        let path = try DatasetTestFiles.write("abcdefgh", name: "tiny.txt", in: self)
        let dataset = try CharacterCorpusDataset(path: path, options: DatasetOptions(validationFraction: 0.25))
        let batch = dataset.trainBatch(index: 5, epoch: 2, batchSize: 16, sequenceLength: 32)
        XCTAssertEqual(batch.tokens?.count, 16 * 32)
        XCTAssertEqual(dataset.trainBatchCount(batchSize: 16, sequenceLength: 32), 1)
        XCTAssertEqual(dataset.validationBatches(batchSize: 16, sequenceLength: 32, limit: 10).first?.timeSteps, 1)
    }
}
