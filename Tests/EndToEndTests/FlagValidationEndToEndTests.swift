import Foundation
import XCTest

/// A few bad flags and paths through the built binary (the whole table runs in-process in
/// `FlagValidationTests`): one line on stderr naming the flag, never "Missing value", a nonzero status.
final class FlagValidationEndToEndTests: XCTestCase {
    private func rnnTUI(_ arguments: [String]) throws -> (status: Int32, standardError: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path(of: "rnn-tui"))
        process.arguments = arguments
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let err = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func expectRefused(_ arguments: [String], mentions phrase: String, line: UInt = #line) throws {
        let result = try rnnTUI(arguments)
        let shown = arguments.joined(separator: " ")
        XCTAssertNotEqual(result.status, 0, "\(shown) should fail", line: line)
        XCTAssertEqual(result.standardError.split(separator: "\n").count, 1, "\(shown): \(result.standardError)", line: line)
        XCTAssertTrue(result.standardError.hasPrefix("rnn-tui: error: "), "\(shown): \(result.standardError)", line: line)
        XCTAssertFalse(result.standardError.contains("Missing value"), "\(shown): \(result.standardError)", line: line)
        XCTAssertTrue(result.standardError.contains(phrase), "\(shown): \(result.standardError) should mention \(phrase)", line: line)
    }

    func testBadFlagsAndPathsSayWhatIsWrong() throws {
        try expectRefused(["train", "--lr", "-1"], mentions: "--lr must be positive and finite, got -1")
        try expectRefused(["train", "--steps", "-3"], mentions: "--steps must be")
        try expectRefused(["train", "--weight-decay=nan"], mentions: "--weight-decay must be")
        try expectRefused(["notebook", "--momentum", "5"], mentions: "--momentum must be")
        try expectRefused(["bench", "--threads", "-2"], mentions: "--threads must be")
        try expectRefused(["train", "--out", ""], mentions: "--out is empty")
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-fifo-\(UUID().uuidString).txt").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        defer { unlink(fifo) }
        for path in [fifo, "/dev/null"] {
            try expectRefused(["train", "--dataset", path, "--steps", "1", "--out", fifo + ".run"], mentions: "\(path): is not a regular file")
            try expectRefused(["sample", "--checkpoint", path], mentions: "\(path): is not a regular file")
        }
        try? FileManager.default.removeItem(atPath: fifo + ".run")
    }
}
