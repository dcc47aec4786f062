import Foundation
import XCTest

/// `rnn-tui train` when things go wrong, as a person sees it: the exit status, the one line, and the run
/// folder left behind (after a divergence, a SIGTERM, a refused size, and a few kill -9 during saves).
final class TrainReliabilityEndToEndTests: XCTestCase {
    private var folder = URL(fileURLWithPath: "/tmp")

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path(of: "rnn-tui"))
        process.arguments = arguments
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        process.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let (process, out, err) = try start(arguments)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    private let small = ["--dataset", "corpus", "--hidden", "16", "--batch", "8", "--seq-len", "16", "--threads", "1", "--plain"]

    func testADivergedRunExitsThreeWithOneLineAndFiniteWeights() throws {
        let out = folder.appendingPathComponent("diverged").path
        let result = try run(["train"] + small + ["--steps", "300", "--lr", "1e6", "--out", out])
        XCTAssertEqual(result.status, 3, result.output + result.error)
        let lines = result.output.split(separator: "\n").filter { $0.contains("diverged at step") }
        XCTAssertEqual(lines.count, 1, result.output)
        XCTAssertTrue(lines.first?.contains("rolled back to step") ?? false, result.output)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/checkpoint.safetensors"))
        let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let floats = data.dropFirst(8 + headerLength).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertFalse(floats.isEmpty)
        XCTAssertTrue(floats.allSatisfy(\.isFinite), "the saved weights are the last good ones")
    }

    func testASizeTheMachineCannotHoldIsRefusedInOneLine() throws {
        let result = try run(["train", "--dataset", "corpus", "--hidden", "8192", "--layers", "4", "--batch", "4096",
                              "--seq-len", "1000", "--out", folder.appendingPathComponent("huge").path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.error.hasPrefix("rnn-tui: error: this run needs about"), result.error)
        XCTAssertEqual(result.error.split(separator: "\n").count, 1, result.error)
    }

    /// SIGTERM mid-run: status 143, and the checkpoint is written.
    func testSigtermSavesAndExitsWith143() throws {
        let out = folder.appendingPathComponent("term").path
        let (process, stdout, _) = try start(["train"] + small + ["--steps", "10000000", "--out", out])
        let metrics = URL(fileURLWithPath: out + "/metrics.csv")
        XCTAssertTrue(wait { (try? Data(contentsOf: metrics).count) ?? 0 > 200 }, "the run never logged a step")
        process.terminate()
        _ = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 143)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/checkpoint.safetensors"))
    }

    /// A few kill -9 while a run saves every step (scripts/kill-loop.sh does many more): the next open
    /// removes the temporary files, the checkpoint always parses and matches config.json, and metrics.csv
    /// keeps its rows.
    func testKillNineDuringSavesLeavesAConsistentFolder() throws {
        let out = folder.appendingPathComponent("killed").path
        var rowsBefore = 0
        for _ in 0..<3 {
            let (process, _, _) = try start(["train"] + small + ["--hidden", "256", "--steps", "10000000", "--save-every", "1", "--out", out])
            let checkpoint = out + "/checkpoint.safetensors"
            XCTAssertTrue(wait { FileManager.default.fileExists(atPath: checkpoint) && self.completeRows(out) > rowsBefore + 50 },
                          "the run never saved")
            let stale = try FileManager.default.contentsOfDirectory(atPath: out)
                .filter { $0.hasSuffix(".tmp") && !$0.contains(".\(process.processIdentifier)-") }
            XCTAssertEqual(stale, [], "a reopened folder keeps no temporary file of a dead writer")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let rows = completeRows(out)
            XCTAssertGreaterThanOrEqual(rows, rowsBefore, "metrics.csv lost rows")
            rowsBefore = rows
            let text = try String(contentsOfFile: out + "/config.json", encoding: .utf8)
            XCTAssertTrue(text.contains("\"hiddenSize\" : 256"), text)
            let data = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
            let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            let header = String(decoding: data.dropFirst(8).prefix(headerLength), as: UTF8.self)
            XCTAssertTrue(header.contains("\"rnn.weight_hh_l0\":{\"dtype\":\"F32\",\"shape\":[1024,256]"), header)
        }
    }

    private func completeRows(_ out: String) -> Int {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: out + "/metrics.csv")) else { return 0 }
        return max(0, data.filter { $0 == UInt8(ascii: "\n") }.count - 1)
    }

    private func wait(timeout: Double = 120, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}
