import Foundation
import XCTest

/// `rnn-tui plot` on two committed runs (Tests/EndToEndTests/Fixtures/plot: an LSTM leaving the adding
/// problem's baseline with two change marks, an RNN that does not): the SVG text must equal the snapshot
/// beside them (`RECORD_SNAPSHOTS=1` rewrites it; look at it rendered with `rsvg-convert`).
final class PlotEndToEndTests: XCTestCase {
    static let fixtures = "Tests/EndToEndTests/Fixtures/plot"

    private func temporaryFile(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-plot-\(UUID().uuidString)-\(name)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func checkSnapshot(_ arguments: [String], snapshot: String) throws {
        let snapshotURL = RNNTUIProcess.packageRoot.appendingPathComponent("\(Self.fixtures)/\(snapshot)")
        let out = RNNTUIProcess.recording ? snapshotURL : temporaryFile(snapshot)
        let result = try RNNTUIProcess.run(["plot", "\(Self.fixtures)/lstm", "\(Self.fixtures)/rnn", "--out", out.path] + arguments)
        XCTAssertEqual(result.status, 0, result.standardError)
        let made = try String(contentsOf: out, encoding: .utf8)
        XCTAssertEqual(made, try String(contentsOf: snapshotURL, encoding: .utf8), "\(snapshot) differs (RECORD_SNAPSHOTS=1 rewrites it)")
        XCTAssertTrue(made.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(made.contains("baseline 0.1667"), "the adding problem's baseline line")
        XCTAssertTrue(made.contains(">lr 0.002 → 0.001</text>"), "the change mark from changes.csv")
        XCTAssertTrue(made.contains(">clip off → 1</text>"), "a quoted change label")
    }

    func testLogScaleSnapshot() throws {
        try checkSnapshot(["--log"], snapshot: "lstm-rnn-log.svg")
    }

    func testTokensAxisSnapshot() throws {
        try checkSnapshot(["--x", "tokens"], snapshot: "lstm-rnn-tokens.svg")
    }

    func testBadMetricsLineIsNamed() throws {
        let folder = temporaryFile("run")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("step,epoch,train_loss,val_loss\n1,0,0.5,\n2,0,abc,\n".utf8).write(to: folder.appendingPathComponent("metrics.csv"))
        let result = try RNNTUIProcess.run(["plot", folder.path, "--out", temporaryFile("x.svg").path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.standardError, "rnn-tui: error: \(folder.path)/metrics.csv:3: train_loss \"abc\" is not a number\n")
    }

    func testTimeAxisWithoutAnEventFileSaysSo() throws {
        let result = try RNNTUIProcess.run(["plot", "\(Self.fixtures)/rnn", "--x", "time", "--out", temporaryFile("x.svg").path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("no events.out.tfevents.* file; --x time needs"), result.standardError)
    }
}
