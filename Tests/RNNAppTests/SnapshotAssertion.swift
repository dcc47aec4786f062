import Foundation
import TerminalUI
import XCTest
@testable import RNNApp

/// Compares a rendered screen with Snapshots/NAME.txt (copied into the test bundle).
/// `RECORD_SNAPSHOTS=1 swift test --filter RNNAppTests` rewrites the files in the source folder.
func assertSnapshot(_ buffer: CellBuffer, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let actual = buffer.text + "\n"
    let fileName = name + ".txt"
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        let folder = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Snapshots")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try actual.write(to: folder.appendingPathComponent(fileName), atomically: true, encoding: .utf8)
        } catch {
            XCTFail("could not record snapshot \(fileName): \(error)", file: file, line: line)
        }
        return
    }
    guard let url = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Snapshots"),
          let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("no snapshot Snapshots/\(fileName): run RECORD_SNAPSHOTS=1 swift test --filter RNNAppTests to record it",
                file: file, line: line)
        return
    }
    guard actual != expected else { return }
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    var report = "snapshot \(fileName) differs (RECORD_SNAPSHOTS=1 rewrites it):\n"
    for index in 0..<max(actualLines.count, expectedLines.count) {
        let got = index < actualLines.count ? String(actualLines[index]) : "<none>"
        let want = index < expectedLines.count ? String(expectedLines[index]) : "<none>"
        if got != want { report += "line \(index + 1)\n  expected: \(want)\n  actual:   \(got)\n" }
    }
    XCTFail(report, file: file, line: line)
}
