import Foundation
import XCTest

/// `rnn-tui bench --json` as compare.py reads it: one JSON line with the workload, tokens/s, the spread of
/// the timed windows and a plausible memory figure, for every input, layer count and task.
final class BenchEndToEndTests: XCTestCase {
    private func benchJSON(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path(of: "rnn-tui"))
        process.arguments = ["bench", "--json", "--warmup", "1", "--threads", "1"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, String(decoding: errData, as: UTF8.self))
        let lines = String(decoding: outData, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one JSON line")
        let object = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8))
        return try XCTUnwrap(object as? [String: Any])
    }

    func testClassifierWithEmbeddingReportsWorkloadAndWindowSpread() throws {
        let report = try benchJSON(["--cell", "gru", "--hidden", "8", "--batch", "4", "--seq-len", "6", "--vocab", "50",
                                    "--embedding", "5", "--task", "classify", "--classes", "3", "--steps", "6", "--windows", "3"])
        XCTAssertEqual(report["engine"] as? String, "rnn-tui")
        XCTAssertEqual(report["cell"] as? String, "gru")
        XCTAssertEqual(report["embedding"] as? Int, 5)
        XCTAssertEqual(report["task"] as? String, "classify")
        XCTAssertEqual(report["classes"] as? Int, 3)
        XCTAssertEqual(report["steps"] as? Int, 6)
        let speed = try XCTUnwrap(report["tokens_per_second"] as? Double)
        XCTAssertGreaterThan(speed, 0)
        let spread = try XCTUnwrap(report["window_tokens_per_second"] as? [String: Any])
        XCTAssertEqual(spread["count"] as? Int, 3)
        let low = try XCTUnwrap(spread["min"] as? Double), middle = try XCTUnwrap(spread["median"] as? Double)
        let high = try XCTUnwrap(spread["max"] as? Double)
        XCTAssertLessThanOrEqual(low, middle)
        XCTAssertLessThanOrEqual(middle, high)
        // The overall speed is a harmonic-style mean of the windows, so it lies within their range.
        XCTAssertGreaterThanOrEqual(speed, low * 0.999)
        XCTAssertLessThanOrEqual(speed, high * 1.001)
        // A Swift process with a tiny model: more than 1 MB and less than 10 GB whatever the platform's unit.
        let memory = try XCTUnwrap(report["peak_memory_mb"] as? Double)
        XCTAssertGreaterThan(memory, 1)
        XCTAssertLessThan(memory, 10_000)
        // Chance level for 3 classes is ln 3 ≈ 1.1; a finite, positive loss shows the step ran.
        let loss = try XCTUnwrap(report["final_loss"] as? Double)
        XCTAssertTrue(loss > 0 && loss < 10, "\(loss)")
    }

    func testTwoLayerLanguageModelIsTheDefaultTask() throws {
        let report = try benchJSON(["--cell", "lstm", "--hidden", "8", "--batch", "3", "--seq-len", "5", "--vocab", "7",
                                    "--layers", "2", "--steps", "2", "--windows", "2"])
        XCTAssertEqual(report["task"] as? String, "lm")
        XCTAssertEqual(report["layers"] as? Int, 2)
        XCTAssertEqual(report["embedding"] as? Int, 0)
        XCTAssertNil(report["classes"], "classes only for classify")
        XCTAssertGreaterThan(try XCTUnwrap(report["gflops"] as? Double), 0)
    }

    func testBadFlagsEndInOneLine() throws {
        for arguments in [["--windows", "0"], ["--task", "translate"], ["--layers", "5"], ["--embedding", "-1"],
                          ["--steps", "2", "--windows", "3"], ["--classes", "0", "--task", "classify"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try BuiltProducts.path(of: "rnn-tui"))
            process.arguments = ["bench"] + arguments
            let err = Pipe()
            process.standardOutput = Pipe()
            process.standardError = err
            try process.run()
            let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertNotEqual(process.terminationStatus, 0, "\(arguments)")
            XCTAssertEqual(errText.split(separator: "\n").count, 1, "\(arguments): \(errText)")
            XCTAssertTrue(errText.hasPrefix("rnn-tui: error: "), errText)
        }
    }
}
