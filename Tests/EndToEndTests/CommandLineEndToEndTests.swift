import Foundation
import XCTest

/// The headless commands run as a person runs them: train writes its run folder, the same seed gives the
/// same losses, inspect prints PyTorch's numbers for a PyTorch-written file, sample writes text, and bad
/// input ends in one line on stderr with a nonzero status.
final class CommandLineEndToEndTests: XCTestCase {
    private var folder = URL(fileURLWithPath: "/tmp")

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    private func rnnTUI(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path(of: "rnn-tui"))
        process.arguments = arguments
        process.currentDirectoryURL = Self.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      standardOutput: String(decoding: outData, as: UTF8.self),
                      standardError: String(decoding: errData, as: UTF8.self))
    }

    static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    func testTrainWritesRunFolderAndIsDeterministic() throws {
        var losses: [[String]] = []
        for attempt in 0..<2 {
            let out = folder.appendingPathComponent("run\(attempt)").path
            let result = try rnnTUI(["train", "--dataset", "adding", "--seq-len", "12", "--hidden", "8", "--batch", "4",
                                     "--steps", "15", "--eval-every", "5", "--seed", "7", "--out", out])
            XCTAssertEqual(result.status, 0, result.standardError)
            for name in ["config.json", "checkpoint.safetensors", "metrics.csv"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(name)"), name)
            }
            let metrics = try String(contentsOfFile: "\(out)/metrics.csv", encoding: .utf8)
            let rows = metrics.split(separator: "\n").map(String.init)
            XCTAssertEqual(rows.first, "step,epoch,train_loss,val_loss,val_accuracy,learning_rate,grad_norm,tokens_per_second")
            XCTAssertTrue(rows.contains { $0.split(separator: ",", omittingEmptySubsequences: false).count == 8 && $0.hasPrefix("15,") })
            losses.append(rows.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[2]) })
        }
        XCTAssertEqual(losses[0], losses[1], "the same seed must give the same losses")
    }

    func testInspectPrintsPyTorchNumbersForAPyTorchFile() throws {
        let fixtures = Self.packageRoot.appendingPathComponent("Tests/RNNEngineTests/Fixtures/pytorch")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("lstm_embedding_2layer.json"))) as! [String: Any]
        let tokens = (expected["tokens"] as! [Int]).map(String.init).joined(separator: ",")
        let targets = (expected["targets"] as! [Int]).map(String.init).joined(separator: ",")
        let grads = folder.appendingPathComponent("grads.safetensors").path
        let result = try rnnTUI(["inspect", "--checkpoint", fixtures.appendingPathComponent("lstm_embedding_2layer.safetensors").path,
                                 "--tokens", tokens, "--targets", targets, "--grads", grads])
        XCTAssertEqual(result.status, 0, result.standardError)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        XCTAssertEqual(json["cell"] as? String, "lstm")
        XCTAssertEqual(json["tokens"] as? [Int], expected["tokens"] as? [Int])
        let layers = try XCTUnwrap(json["layers"] as? [[String: Any]])
        let expectedLayers = expected["layers"] as! [[String: Any]]
        XCTAssertEqual(layers.count, 2)
        for (layer, reference) in zip(layers, expectedLayers) {
            XCTAssertEqual(Set((layer["gates"] as! [String: Any]).keys), ["i", "f", "g", "o"])
            for key in ["h", "c"] {
                let actual = (layer[key] as! [[Double]]).flatMap { $0 }, wanted = (reference[key] as! [[Double]]).flatMap { $0 }
                XCTAssertEqual(actual.count, wanted.count)
                for (a, w) in zip(actual, wanted) { XCTAssertEqual(a, w, accuracy: 1e-4) }
            }
        }
        XCTAssertEqual(json["loss"] as! Double, expected["loss"] as! Double, accuracy: 1e-4)
        XCTAssertTrue(FileManager.default.fileExists(atPath: grads))
        // Key order as documented.
        let order = ["\"cell\"", "\"tokens\"", "\"layers\"", "\"logits\"", "\"loss\""].map { result.standardOutput.range(of: $0)!.lowerBound }
        XCTAssertEqual(order, order.sorted())
    }

    func testSampleFromATrainedCharacterModel() throws {
        let corpus = folder.appendingPathComponent("tiny.txt")
        try String(repeating: "abc abd abe (x) [y] \"z\"\n", count: 200).write(to: corpus, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("char").path
        let train = try rnnTUI(["train", "--dataset", corpus.path, "--hidden", "16", "--seq-len", "16", "--batch", "8",
                                "--steps", "30", "--lr", "0.01", "--out", out])
        XCTAssertEqual(train.status, 0, train.standardError)
        let sample = try rnnTUI(["sample", "--checkpoint", "\(out)/checkpoint.safetensors", "--length", "80",
                                 "--temperature", "0.5", "--prime", "ab", "--seed", "3"])
        XCTAssertEqual(sample.status, 0, sample.standardError)
        XCTAssertTrue(sample.standardOutput.hasPrefix("ab"))
        XCTAssertEqual(sample.standardOutput.count, 2 + 80 + 1)
        let again = try rnnTUI(["sample", "--checkpoint", "\(out)/checkpoint.safetensors", "--length", "80",
                                "--temperature", "0.5", "--prime", "ab", "--seed", "3"])
        XCTAssertEqual(again.standardOutput, sample.standardOutput, "same seed, same text")
        // Inspect by text uses the checkpoint's vocabulary; unseen characters map to the unknown symbol.
        let inspect = try rnnTUI(["inspect", "--checkpoint", "\(out)/checkpoint.safetensors", "--text", "abc€"])
        XCTAssertEqual(inspect.status, 0, inspect.standardError)
    }

    /// Multi-label end to end: train on the tags sample, then inspect prints every label's probability and a
    /// loss against 0/1 targets; the checkpoint tells PyTorch to apply a sigmoid and names the labels.
    func testMultiLabelTrainAndInspect() throws {
        let out = folder.appendingPathComponent("tags").path
        let train = try rnnTUI(["train", "--dataset", "tags", "--embedding", "8", "--hidden", "8", "--batch", "16",
                                "--steps", "6", "--eval-every", "3", "--out", out])
        XCTAssertEqual(train.status, 0, train.standardError)
        XCTAssertTrue(train.standardOutput.contains("macro F1 "), train.standardOutput)
        XCTAssertTrue(train.standardOutput.contains("per-label validation scores"), train.standardOutput)
        let inspect = try rnnTUI(["inspect", "--checkpoint", "\(out)/checkpoint.safetensors",
                                  "--text", "the ferry was late and fog rolled in", "--targets", "0,0,1,1"])
        XCTAssertEqual(inspect.status, 0, inspect.standardError)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(inspect.standardOutput.utf8)) as? [String: Any])
        let probabilities = try XCTUnwrap(json["probabilities"] as? [String: Double])
        XCTAssertEqual(Set(probabilities.keys), ["crew", "equipment", "vessel", "weather"])
        XCTAssertTrue(probabilities.values.allSatisfy { $0 > 0 && $0 < 1 })
        XCTAssertNotNil(json["loss"] as? Double)
        let header = try Data(contentsOf: URL(fileURLWithPath: "\(out)/checkpoint.safetensors"))
        let text = String(decoding: header.prefix(4096), as: UTF8.self)
        XCTAssertTrue(text.contains("\"head_activation\":\"sigmoid\""), "metadata names the activation")
        XCTAssertTrue(text.contains("rnn_tui.labels"))
        let badTargets = try rnnTUI(["inspect", "--checkpoint", "\(out)/checkpoint.safetensors", "--text", "fog", "--targets", "0,2,1,1"])
        XCTAssertNotEqual(badTargets.status, 0)
        XCTAssertTrue(badTargets.standardError.contains("outside [0, 1]"), badTargets.standardError)
    }

    func testBadInputEndsInOneLine() throws {
        let truncated = folder.appendingPathComponent("truncated.safetensors")
        try Data([1, 2, 3]).write(to: truncated)
        let emptyCSV = folder.appendingPathComponent("empty.csv")
        try Data().write(to: emptyCSV)
        let cases: [[String]] = [
            ["inspect", "--checkpoint", truncated.path, "--tokens", "1,2"],
            ["inspect", "--checkpoint", folder.appendingPathComponent("missing.safetensors").path, "--tokens", "1"],
            ["train", "--dataset", emptyCSV.path, "--steps", "1"],
            ["train", "--dataset", "no-such-dataset", "--steps", "1"],
            ["train", "--cell", "transformer"],
            ["train", "--layers", "9", "--steps", "1"],
            ["train", "--dropout", "1.5", "--steps", "1"],
            ["bench", "--hidden", "0"],
            ["sample", "--checkpoint", truncated.path],
            ["train", "--dataset", "series", "--horizon", "0", "--steps", "1"],
            ["train", "--dataset", "series", "--horizon", "5000", "--steps", "1"],
            ["train", "--dataset", "series", "--outliers", "drop", "--steps", "1"],
            ["train", "--dataset", "series", "--outlier-z", "-1", "--steps", "1"],
            ["train", "--dataset", "series", "--outliers", "interpolate", "--outlier-z", "0.01", "--steps", "1"],
            ["train", "--dataset", "spikes", "--outliers", "error", "--steps", "1"],
            ["train", "--dataset", "adding", "--horizon", "3", "--steps", "1"],
            ["train", "--dataset", "tags", "--label-columns", "weather,,crew", "--steps", "1"],
            ["train", "--dataset", "tags", "--label-columns", "weather,pink", "--steps", "1"],
        ]
        for arguments in cases {
            let result = try rnnTUI(arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments) should fail")
            let lines = result.standardError.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.hasPrefix("rnn-tui: error: "), result.standardError)
            XCTAssertFalse(result.standardError.contains("Fatal error"), result.standardError)
        }
    }
}
