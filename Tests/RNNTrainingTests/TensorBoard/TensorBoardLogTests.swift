import Foundation
import XCTest

@testable import RNNTraining

final class TensorBoardLogTests: XCTestCase {
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tensorboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// The writer reproduces the committed fixture byte for byte (the fixture TensorBoard itself read).
    func testWriterReproducesTheFixtureByteForByte() throws {
        if TensorBoardFixture.recording {
            try TensorBoardFixture.write(into: TensorBoardFixture.folder)
            return
        }
        let folder = try temporaryFolder()
        let written = try TensorBoardFixture.write(into: folder)
        XCTAssertEqual(written.lastPathComponent, "events.out.tfevents.1800000000.fixture")
        let committed = TensorBoardFixture.folder.appendingPathComponent(TensorBoardFixture.eventFileName)
        XCTAssertEqual(try Data(contentsOf: written), try Data(contentsOf: committed))
        XCTAssertEqual(
            try String(contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8),
            try String(contentsOf: TensorBoardFixture.folder.appendingPathComponent("metrics.csv"), encoding: .utf8))
    }

    /// The Swift reader gets from the fixture exactly what TensorBoard's event_accumulator got.
    func testReaderAgreesWithTensorBoardOnTheFixture() throws {
        let events = try EventFileReader.read(
            contentsOf: TensorBoardFixture.folder.appendingPathComponent(TensorBoardFixture.eventFileName))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: TensorBoardFixture.folder.appendingPathComponent("tensorboard-read.json"))) as! [String: Any]

        XCTAssertEqual(events.first?.content, .fileVersion("brain.Event:2"))
        XCTAssertEqual(events.first?.wallTime, TensorBoardFixture.startTime)
        XCTAssertEqual(json["file_version"] as? Double, 2)  // event_accumulator keeps the number after "brain.Event:"

        var scalars: [String: [[Double]]] = [:], texts: [String: [String]] = [:]
        var histograms: [String: [(step: Int64, histogram: Histogram)]] = [:]
        for event in events {
            guard case .summary(let values) = event.content else { continue }
            for value in values {
                switch value {
                case .scalar(let tag, let number): scalars[tag, default: []].append([Double(event.step), Double(number)])
                case .text(let tag, let markdown): texts[tag, default: []].append(markdown)
                case .histogram(let tag, let histogram): histograms[tag, default: []].append((event.step, histogram))
                }
            }
        }
        let readScalars = json["scalars"] as! [String: [[Double]]]
        XCTAssertEqual(Set(scalars.keys), Set(readScalars.keys))
        XCTAssertEqual(Set(scalars.keys), [
            "loss/train", "loss/validation", "metric/accuracy", "metric/bits_per_token",
            "optimizer/learning_rate", "optimizer/grad_norm", "speed/tokens_per_second",
        ])
        // Scalars are float32 on both sides: equal as Float (Foundation's JSON parser may miss a double's last bit).
        for (tag, points) in readScalars {
            XCTAssertEqual(scalars[tag]?.map { [$0[0], Double(Float($0[1]))] }, points.map { [$0[0], Double(Float($0[1]))] }, tag)
        }
        XCTAssertEqual(scalars["loss/train"]?.count, 6)
        XCTAssertEqual(scalars["loss/validation"]?.map { $0[0] }, [3, 6])

        let readTexts = json["texts"] as! [String: [String]]
        XCTAssertEqual(texts, readTexts)
        XCTAssertTrue(texts["config"]?.first?.contains("    \"hiddenSize\" : 2") ?? false)

        let readHistograms = json["histograms"] as! [String: [[String: Any]]]
        XCTAssertEqual(Set(histograms.keys), Set(readHistograms.keys))
        XCTAssertEqual(histograms.count, 6)  // i f g o h c
        for (tag, entries) in readHistograms {
            let mine = try XCTUnwrap(histograms[tag])
            XCTAssertEqual(mine.count, entries.count)
            for (entry, read) in zip(mine, entries) {
                XCTAssertEqual(Double(entry.step), read["step"] as? Double, tag)
                XCTAssertEqual(entry.histogram.count, read["num"] as? Double, tag)
                XCTAssertEqual(entry.histogram.bucketCounts, read["bucket"] as? [Double], tag)
                let mineDoubles = [entry.histogram.minimum, entry.histogram.maximum, entry.histogram.sum, entry.histogram.sumOfSquares]
                    + entry.histogram.bucketLimits
                let readDoubles = ["min", "max", "sum", "sum_squares"].map { read[$0] as? Double ?? .nan }
                    + (read["bucket_limit"] as? [Double] ?? [])
                XCTAssertEqual(mineDoubles.count, readDoubles.count, tag)
                for (a, b) in zip(mineDoubles, readDoubles) {
                    XCTAssertEqual(a, b, accuracy: 1e-14 * max(1, abs(a)), tag)
                }
            }
        }
    }

    func testHistogramBucketsCountEveryFiniteValue() {
        let histogram = Histogram(values: [0, 0.5, 1, 1, .nan, 0.25], bucketCount: 4)
        XCTAssertEqual(histogram.count, 5)
        XCTAssertEqual(histogram.minimum, 0)
        XCTAssertEqual(histogram.maximum, 1)
        XCTAssertEqual(histogram.bucketLimits, [0.25, 0.5, 0.75, 1])
        XCTAssertEqual(histogram.bucketCounts, [1, 1, 1, 2])
        XCTAssertEqual(histogram.sum, 2.75)
        let constant = Histogram(values: [0.5, 0.5])
        XCTAssertEqual(constant.bucketLimits, [0.5])
        XCTAssertEqual(constant.bucketCounts, [2])
    }

    /// Events round-trip through the writer and the reader, including a step of zero and negative numbers.
    func testEventsRoundTrip() throws {
        let events = [
            TensorBoardEvent(wallTime: 1.5, step: 0, content: .fileVersion("brain.Event:2")),
            TensorBoardEvent(wallTime: 2.5, step: 300_000, content: .summary([
                .scalar(tag: "loss/train", value: -0.125), .text(tag: "t", markdown: "β\n"),
                .histogram(tag: "h", Histogram(values: [-1, 2])),
            ])),
        ]
        let bytes = events.flatMap { TFRecord.frame($0.encoded()) }
        XCTAssertEqual(try EventFileReader.decode(bytes), events)
    }

    /// A run logged through `RunLogs` gets an event file whose scalars are metrics.csv's numbers at the same steps.
    func testRunLogsWriteTheSameStepsToBothFiles() throws {
        let folder = try RunFolder(path: try temporaryFolder().appendingPathComponent("run").path)
        try Data("{}".utf8).write(to: folder.configURL)
        let logs = try RunLogs(folder: folder, gates: { TensorBoardFixture.gateSnapshot(step: 2) })
        for step in 1...2 {
            logs.record(StepMetrics(
                step: step, epoch: 0, epochProgress: 0, trainLoss: 1.0 / Double(step), learningRate: 0.01,
                gradientNorm: 2, tokensPerSecond: 100, elapsedSeconds: 1, totalSteps: 2))
        }
        logs.record(EvaluationMetrics(step: 2, validationLoss: 0.75, validationAccuracy: nil, bitsPerToken: nil),
                    epoch: 0, learningRate: 0.01)
        logs.flush()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasPrefix("events.out.tfevents.") }
        XCTAssertEqual(files.count, 1)
        let events = try EventFileReader.read(contentsOf: folder.url.appendingPathComponent(files[0]))
        let scalars = events.flatMap { event -> [(Int64, String, Float)] in
            guard case .summary(let values) = event.content else { return [] }
            return values.compactMap { if case .scalar(let tag, let value) = $0 { (event.step, tag, value) } else { nil } }
        }
        XCTAssertEqual(scalars.filter { $0.1 == "loss/train" }.map(\.2), [1, 0.5])
        XCTAssertEqual(scalars.filter { $0.1 == "loss/validation" }.map(\.0), [2])
        XCTAssertFalse(scalars.contains { $0.1 == "metric/accuracy" })
        let tags = events.flatMap { event -> [String] in
            guard case .summary(let values) = event.content else { return [] }
            return values.map(\.tag)
        }
        XCTAssertTrue(tags.contains("config"))
        XCTAssertTrue(tags.contains("gates/layer0/f"))
        let csv = try String(contentsOf: folder.metricsURL, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 4)
    }

    /// Live changes go to a TensorBoard text entry at the step they first apply to (their durable record is
    /// changes.jsonl, `ChangeLogTests`).
    func testChangesAreLoggedToTensorBoard() throws {
        let folder = try RunFolder(path: try temporaryFolder().appendingPathComponent("run").path)
        let logs = try RunLogs(folder: folder)
        logs.recordChange(step: 5, description: "lr 0.002 → 0.001")
        logs.recordChange(step: 9, description: "clip off, then \"5\"")
        logs.flush()
        let events = try EventFileReader.read(contentsOf: logs.tensorBoard.url)
        let texts = events.compactMap { event -> String? in
            guard case .summary(let values) = event.content, case .text("changes", let markdown)? = values.first else { return nil }
            return "\(event.step): \(markdown)"
        }
        XCTAssertEqual(texts, ["5: lr 0.002 → 0.001", "9: clip off, then \"5\""])
    }

    func testDamagedFileIsRefusedNamingTheRecord() throws {
        let folder = try temporaryFolder()
        var bytes = [UInt8](try Data(contentsOf: TensorBoardFixture.folder.appendingPathComponent(TensorBoardFixture.eventFileName)))
        bytes[bytes.count - 1] ^= 0xFF
        let url = folder.appendingPathComponent("events.out.tfevents.1.x")
        try Data(bytes).write(to: url)
        XCTAssertThrowsError(try EventFileReader.read(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".hasPrefix(url.path + ": record "), "\(error)")
            XCTAssertTrue("\(error)".contains("checksum does not match"), "\(error)")
        }
    }
}
