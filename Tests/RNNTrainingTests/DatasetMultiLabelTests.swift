import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// Multi-label CSV classification: `|` label sets and `--label-columns`, targets, split, the frequency
/// baseline, the scores, and the bad inputs (one label overall, an empty label, a label that never occurs).
final class DatasetMultiLabelTests: XCTestCase {
    /// 40 rows: "red" words carry red, "blue" words blue, "green" words green; row r has red when r % 2 == 0,
    /// blue when r % 3 == 0, green when r % 5 == 0 (at least one, else red).
    func taggedRows() -> [(text: String, labels: [String])] {
        (0..<40).map { row in
            var labels: [String] = []
            if row % 2 == 0 { labels.append("red") }
            if row % 3 == 0 { labels.append("blue") }
            if row % 5 == 0 { labels.append("green") }
            if labels.isEmpty { labels = ["red"] }
            return ("row \(row) " + labels.map { "\($0) \($0)" }.joined(separator: " "), labels)
        }
    }

    func pipeFile() throws -> String {
        let lines = ["text,label"] + taggedRows().map { "\($0.text),\($0.labels.joined(separator: "|"))" }
        return try DatasetTestFiles.write(lines.joined(separator: "\n"), name: "tags.csv", in: self)
    }

    func testPipeSeparatedLabelsMakeAMultiLabelDataset() throws {
        let path = try pipeFile()
        let dataset = try XCTUnwrap(
            DatasetCatalog.load(path, sequenceLength: 16, options: DatasetOptions(seed: 2, validationFraction: 0.25))
                as? TextClassificationDataset)
        let info = dataset.info
        XCTAssertEqual(info.task, .multiLabel)
        XCTAssertEqual(info.head, .multiLabelLast)
        XCTAssertEqual(info.classNames, ["blue", "green", "red"], "sorted")
        XCTAssertEqual(info.outputSize, 3)
        XCTAssertEqual(info.trainCount, 30)
        XCTAssertEqual(info.validationCount, 10)
        XCTAssertTrue(Set(dataset.trainRows).isDisjoint(with: dataset.validationRows))

        // Every row's targets are its label set, in the sorted order.
        let rows = taggedRows()
        for row in 0..<40 {
            let expected: [Float] = ["blue", "green", "red"].map { rows[row].labels.contains($0) ? 1 : 0 }
            XCTAssertEqual(Array(dataset.labelTargets[(row * 3)..<(row * 3 + 3)]), expected, "row \(row)")
        }
        let batch = dataset.trainBatch(index: 0, epoch: 0, batchSize: 4, sequenceLength: 16)
        XCTAssertNil(batch.targetTokens)
        XCTAssertEqual(batch.targetValues?.count, 12)
        XCTAssertNoThrow(try RecurrentModel(config: ModelConfig(
            cell: .gru, input: .oneHot(vocabularySize: info.vocabulary!.tokens.count), hiddenSize: 4,
            head: info.head, outputSize: info.outputSize)).validate(batch))

        // Baseline: each label's training frequency, scored on the validation rows.
        let frequencies = (0..<3).map { label in
            Double(dataset.trainRows.filter { dataset.labelTargets[$0 * 3 + label] == 1 }.count) / 30
        }
        var loss = 0.0
        var expectedMetrics = MultiLabelMetrics(labels: ["blue", "green", "red"])
        for row in dataset.validationRows {
            for label in 0..<3 {
                let y = Double(dataset.labelTargets[row * 3 + label])
                loss -= y * log(frequencies[label]) + (1 - y) * log(1 - frequencies[label])
            }
            expectedMetrics.add(predicted: { frequencies[$0] > 0.5 }, truth: { dataset.labelTargets[row * 3 + $0] })
        }
        XCTAssertEqual(info.baselineLoss, loss / 30, accuracy: 1e-9)
        XCTAssertEqual(info.baselineLabelMetrics, expectedMetrics)
        XCTAssertTrue(info.notes[0].contains("3 labels"), info.notes[0])
    }

    func testLabelColumnsOfZerosAndOnes() throws {
        var lines = ["text,red,blue,green"]
        for (text, labels) in taggedRows() {
            lines.append(text + "," + ["red", "blue", "green"].map { labels.contains($0) ? "1" : "0" }.joined(separator: ","))
        }
        lines.append("no colour at all,0,0,0")
        let path = try DatasetTestFiles.write(lines.joined(separator: "\n"), name: "columns.csv", in: self)
        let dataset = try XCTUnwrap(
            DatasetCatalog.load(path, sequenceLength: 16,
                                options: DatasetOptions(labelColumns: ["red", "BLUE", "green"])) as? TextClassificationDataset)
        XCTAssertEqual(dataset.info.classNames, ["red", "blue", "green"], "the --label-columns order, header spelling")
        XCTAssertEqual(Array(dataset.labelTargets[0..<3]), [1, 1, 1], "row 0 has all three")
        XCTAssertEqual(Array(dataset.labelTargets[(40 * 3)...]), [0, 0, 0], "an empty set is allowed in 0/1 columns")
        XCTAssertTrue(dataset.info.notes.contains("1 rows have none of the labels"), "\(dataset.info.notes)")
    }

    // MARK: - Bad input

    func testOneLabelOverallIsRefused() throws {
        let lines = ["text,label"] + (0..<10).map { "row \($0),red|red" }
        let path = try DatasetTestFiles.write(lines.joined(separator: "\n"), name: "one.csv", in: self)
        let message = DatasetTestFiles.errorMessage { try DatasetCatalog.load(path, sequenceLength: 8, options: DatasetOptions()) }
        XCTAssertEqual(message, "\(path): label column 'label' has one label overall ('red'); multi-label classification needs at least two labels (a yes/no task is a label column with two classes)")

        let columns = try DatasetTestFiles.write("text,red\nrow a,1\nrow b,0\n", name: "column.csv", in: self)
        let columnMessage = DatasetTestFiles.errorMessage {
            try DatasetCatalog.load(columns, sequenceLength: 8, options: DatasetOptions(labelColumns: ["red"]))
        }
        XCTAssertTrue(columnMessage.hasPrefix("\(columns): --label-columns gives one label overall ('red')"), columnMessage)
    }

    func testEmptyLabelInASetNamesTheLine() throws {
        for (label, line) in [("red||blue", 3), ("|", 3), ("red|", 3)] {
            let path = try DatasetTestFiles.write("text,label\nrow a,red|blue\nrow b,\(label)\nrow c,blue\n", name: "empty.csv", in: self)
            let message = DatasetTestFiles.errorMessage { try DatasetCatalog.load(path, sequenceLength: 8, options: DatasetOptions()) }
            XCTAssertEqual(message, "\(path):\(line): empty label in '\(label)' (column 'label'); expected labels separated by |, such as news|sport")
        }
    }

    func testBadLabelColumnValuesAndNames() throws {
        let path = try DatasetTestFiles.write("text,red,blue\nrow a,1,0\nrow b,yes,1\n", name: "bad.csv", in: self)
        XCTAssertEqual(
            DatasetTestFiles.errorMessage { try DatasetCatalog.load(path, sequenceLength: 8, options: DatasetOptions(labelColumns: ["red", "blue"])) },
            "\(path):3: column 'red' holds 'yes'; --label-columns expects 0 (label absent) or 1 (present)")
        XCTAssertEqual(
            DatasetTestFiles.errorMessage { try DatasetCatalog.load(path, sequenceLength: 8, options: DatasetOptions(labelColumns: ["red", "pink"])) },
            "\(path):1: no column 'pink' (a 0/1 label column of --label-columns); the header has: text, red, blue")
        let never = try DatasetTestFiles.write("text,red,blue\nrow a,1,0\nrow b,1,0\n", name: "never.csv", in: self)
        XCTAssertEqual(
            DatasetTestFiles.errorMessage { try DatasetCatalog.load(never, sequenceLength: 8, options: DatasetOptions(labelColumns: ["red", "blue"])) },
            "\(never): label column 'blue' is 0 in every row; expected each label of --label-columns to occur at least once")
    }

    func testSingleLabelFilesStaySingleLabel() throws {
        let path = try DatasetTestFiles.write("text,label\nrow a,red\nrow b,blue\nrow c,red\n", name: "single.csv", in: self)
        let dataset = try DatasetCatalog.load(path, sequenceLength: 8, options: DatasetOptions())
        XCTAssertEqual(dataset.info.head, .classifyLast)
        XCTAssertEqual(dataset.info.task, .classification)
    }

    // MARK: - Scores

    func testScoresByHand() {
        var metrics = MultiLabelMetrics(labels: ["a", "b"])
        // Row 1: truth {a}, predicted {a}; row 2: truth {a, b}, predicted {b}; row 3: truth {}, predicted {a}.
        metrics.add(logits: [2, -1, -3, 4, 1, -2], targets: [1, 0, 1, 1, 0, 0], lengths: [3, 2, 1])
        // a: TP 1, FP 1, FN 1 → F1 = 2/4; b: TP 1, FP 0, FN 0 → F1 = 1.
        XCTAssertEqual(metrics.perLabelF1, [0.5, 1])
        XCTAssertEqual(metrics.macroF1, 0.75)
        XCTAssertEqual(metrics.microF1, 4.0 / 6.0, accuracy: 1e-12, "2·2 / (2·2 + 1 + 1)")
        XCTAssertEqual(metrics.hammingLoss, 2.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(metrics.subsetAccuracy, 1.0 / 3.0, accuracy: 1e-12)
        // A row without a real timestep counts for nothing.
        metrics.add(logits: [5, 5], targets: [0, 0], lengths: [0])
        XCTAssertEqual(metrics.rowCount, 3)
        // A label never present nor predicted scores 0 (scikit-learn's zero_division=0).
        var empty = MultiLabelMetrics(labels: ["a"])
        empty.add(predicted: { _ in false }, truth: { _ in 0 })
        XCTAssertEqual(empty.perLabelF1, [0])
        XCTAssertEqual(empty.subsetAccuracy, 1)
    }

    func testLabelProbabilitiesWithNames() {
        let named = LabelProbabilities.named(logits: [0, 2], labels: ["news"])
        XCTAssertEqual(named.map(\.label), ["news", "label 1"])
        XCTAssertEqual(named[0].probability, 0.5, accuracy: 1e-12)
        XCTAssertEqual(named[1].probability, 1 / (1 + exp(-2.0)), accuracy: 1e-7)
    }

    func testCheckpointMetadataNamesTheLabels() throws {
        let path = try pipeFile()
        let dataset = try DatasetCatalog.load(path, sequenceLength: 8, options: DatasetOptions())
        let metadata = CheckpointMetadata.encode(setup: TrainingSetup(), dataset: dataset.info)
        let labels = try JSONDecoder().decode([String].self, from: Data((metadata[CheckpointMetadata.labelsKey] ?? "").utf8))
        XCTAssertEqual(labels, ["blue", "green", "red"])
        XCTAssertNil(metadata[CheckpointMetadata.classNamesKey])
    }
}
