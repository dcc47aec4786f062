import Foundation
import XCTest

/// `predict` and the insight flags of `inspect`, run as a person runs them on small models trained here:
/// predict agrees with inspect's numbers (classes, next tokens, forecasts in original units), surgery
/// changes what it should, dh appears with targets, and an oversized inspect is refused in one line.
final class InsightCommandsEndToEndTests: XCTestCase {
    private var folder = URL(fileURLWithPath: "/tmp")

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-insight-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func rnnTUI(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path(of: "rnn-tui"))
        process.arguments = arguments
        process.currentDirectoryURL = CommandLineEndToEndTests.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    private func train(_ name: String, _ arguments: [String]) throws -> String {
        let out = folder.appendingPathComponent(name).path
        let result = try rnnTUI(["train"] + arguments + ["--seed", "3", "--out", out])
        XCTAssertEqual(result.status, 0, result.err)
        return out + "/checkpoint.safetensors"
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    private func softmax(_ logits: [Double]) -> [Double] {
        let largest = logits.max() ?? 0
        let weights = logits.map { exp($0 - largest) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    func testWordClassifierPredictAgreesWithInspectAndSurgeryChangesIt() throws {
        let checkpoint = try train("sentiment", ["--dataset", "sentiment", "--embedding", "8", "--cell", "lstm", "--hidden", "12", "--steps", "40"])
        let sentence = "A wonderful, moving film"
        let predicted = try json(try rnnTUI(["predict", "--checkpoint", checkpoint, "--text", sentence, "--json"]).out)
        XCTAssertEqual(predicted["task"] as? String, "classification")
        let names = try XCTUnwrap(predicted["class_names"] as? [String])
        XCTAssertEqual(Set(names), ["negative", "positive"])
        let inspected = try rnnTUI(["inspect", "--checkpoint", checkpoint, "--text", sentence, "--targets", "1"])
        XCTAssertEqual(inspected.status, 0, inspected.err)
        let document = try json(inspected.out)
        // Word-level: four words, four tokens.
        XCTAssertEqual((document["tokens"] as? [Int])?.count, 4)
        let logits = try XCTUnwrap(document["logits"] as? [[Double]])
        let expected = softmax(logits.last!)
        let classes = try XCTUnwrap(predicted["classes"] as? [[String: Any]])
        for entry in classes {
            let index = try XCTUnwrap(entry["index"] as? Int)
            XCTAssertEqual(try XCTUnwrap(entry["probability"] as? Double), expected[index], accuracy: 1e-5)
        }
        let layers = try XCTUnwrap(document["layers"] as? [[String: Any]])
        XCTAssertEqual((layers[0]["dh"] as? [[Double]])?.count, 4, "dh per timestep")
        XCTAssertEqual((layers[0]["dc"] as? [[Double]])?.first?.count, 12, "dc per unit")
        // Clamping every forget gate shut changes the decision's probabilities; inspect and predict agree on it.
        let clamped = try json(try rnnTUI(["inspect", "--checkpoint", checkpoint, "--text", sentence, "--clamp", "f=0"]).out)
        let clampedLogits = try XCTUnwrap(clamped["logits"] as? [[Double]]).last!
        XCTAssertNotEqual(clampedLogits, logits.last!)
        let clampedPrediction = try json(try rnnTUI(["predict", "--checkpoint", checkpoint, "--text", sentence, "--clamp", "f=0", "--json"]).out)
        let first = try XCTUnwrap((clampedPrediction["classes"] as? [[String: Any]])?.first)
        XCTAssertEqual(try XCTUnwrap(first["probability"] as? Double), softmax(clampedLogits)[first["index"] as! Int], accuracy: 1e-5)
        let ablated = try json(try rnnTUI(["inspect", "--checkpoint", checkpoint, "--text", sentence, "--ablate", "0,5"]).out)
        let ablatedH = try XCTUnwrap((ablated["layers"] as? [[String: Any]])?.first?["h"] as? [[Double]])
        XCTAssertEqual(ablatedH.map { $0[0] }, [0, 0, 0, 0])
        XCTAssertEqual(ablatedH.map { $0[5] }, [0, 0, 0, 0])

        let bad = try rnnTUI(["inspect", "--checkpoint", checkpoint, "--text", sentence, "--clamp", "z=1"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("error: a lstm cell has no gate z"), bad.err)
        XCTAssertEqual(bad.err.split(separator: "\n").count, 1, bad.err)
    }

    func testForecastInOriginalUnitsAndNegativeFeatures() throws {
        let checkpoint = try train("series", ["--dataset", "series", "--cell", "gru", "--hidden", "8", "--steps", "30", "--seq-len", "6"])
        let features = "-2.5,70,55;-1,71,58;0.5,72,61"
        let inspected = try rnnTUI(["inspect", "--checkpoint", checkpoint, "--features", features])
        XCTAssertEqual(inspected.status, 0, inspected.err)
        let document = try json(inspected.out)
        let predictions = try XCTUnwrap(document["predictions"] as? [[Double]])
        let predicted = try json(try rnnTUI(["predict", "--checkpoint", checkpoint, "--features", features, "--json"]).out)
        XCTAssertEqual(predicted["target"] as? String, "load")
        let value = try XCTUnwrap((predicted["prediction"] as? [Double])?.first)
        XCTAssertEqual(value, predictions.last![0], accuracy: 1e-3 * max(1, abs(value)))
        // In original units the load is tens, not a normalised value near 0.
        XCTAssertGreaterThan(abs(value), 5, "the forecast must be denormalised")
        // --normalized feeds the same numbers as already normalised: a different input, different h.
        let raw = try json(try rnnTUI(["inspect", "--checkpoint", checkpoint, "--features", features, "--normalized"]).out)
        XCTAssertNotEqual((raw["layers"] as? [[String: Any]])?.first?["h"] as? [[Double]],
                          (document["layers"] as? [[String: Any]])?.first?["h"] as? [[Double]])
        // --input takes the CSV's last window.
        let fromFile = try rnnTUI(["predict", "--checkpoint", checkpoint, "--input", "samples/series.csv"])
        XCTAssertEqual(fromFile.status, 0, fromFile.err)
        XCTAssertTrue(fromFile.out.hasPrefix("load: "), fromFile.out)
    }

    func testLanguageModelTopKAndOversizedInspectIsRefused() throws {
        let checkpoint = try train("corpus", ["--dataset", "corpus", "--cell", "rnn", "--hidden", "16", "--steps", "10", "--seq-len", "16"])
        let predicted = try json(try rnnTUI(["predict", "--checkpoint", checkpoint, "--text", "the be", "--top", "3", "--json"]).out)
        let next = try XCTUnwrap(predicted["next"] as? [[String: Any]])
        XCTAssertEqual(next.count, 3)
        let probabilities = next.compactMap { $0["probability"] as? Double }
        XCTAssertEqual(probabilities, probabilities.sorted(by: >))
        let inspected = try json(try rnnTUI(["inspect", "--checkpoint", checkpoint, "--text", "the be"]).out)
        let expected = softmax(try XCTUnwrap(inspected["logits"] as? [[Double]]).last!)
        XCTAssertEqual(probabilities[0], expected.max()!, accuracy: 1e-5)

        let large = try train("large", ["--dataset", "corpus", "--cell", "lstm", "--hidden", "128", "--layers", "4", "--steps", "1",
                                        "--batch", "1", "--seq-len", "4", "--eval-every", "1000"])
        let tokens = Array(repeating: "1", count: 15_000).joined(separator: ",")
        let refused = try rnnTUI(["inspect", "--checkpoint", large, "--tokens", tokens])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("the limit is 20000000"), refused.err)
        XCTAssertTrue(refused.out.isEmpty, "nothing is printed before the refusal")
    }

    func testGradFlowRebuildsTheDatasetAndPrintsEveryTimestep() throws {
        let checkpoint = try train("adding", ["--dataset", "adding", "--seq-len", "12", "--cell", "gru", "--hidden", "8", "--batch", "4", "--steps", "5"])
        let result = try rnnTUI(["grad-flow", "--checkpoint", checkpoint, "--sequences", "16", "--json"])
        XCTAssertEqual(result.status, 0, result.err)
        let document = try json(result.out)
        XCTAssertEqual(document["sequences"] as? Int, 16)
        let layer = try XCTUnwrap((document["layers"] as? [[String: Any]])?.first)
        let norms = try XCTUnwrap(layer["norms"] as? [Double])
        XCTAssertEqual(norms.count, 12)
        XCTAssertTrue(norms.allSatisfy { $0 >= 0 })
        XCTAssertEqual(try XCTUnwrap(layer["ratio"] as? Double), norms[0] / norms[11], accuracy: 1e-9 + 1e-6 * norms[0] / norms[11])
        let text = try rnnTUI(["grad-flow", "--checkpoint", checkpoint, "--sequences", "16"])
        XCTAssertTrue(text.out.contains("layer 0: ‖dL/dh_t‖ at t = 1: "), text.out)
    }
}
