import Foundation
import XCTest

/// `rnn-tui export pytorch` on a committed tiny run (a reset-before GRU character model on tiny.txt):
/// the export must reproduce the golden files byte for byte. The golden export was run with PyTorch
/// (scripts/export/check_export.py does the same for every cell and head): its first-batch loss matched
/// expected_first_loss, and under `torchrun --nproc_per_node 2` too. `RECORD_SNAPSHOTS=1` rewrites it.
final class ExportEndToEndTests: XCTestCase {
    static let fixtures = RNNTUIProcess.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/export")
    static let files = ["model.py", "train.py", "export.json", "data.safetensors", "checkpoint.safetensors"]

    func testExportReproducesTheGoldenFiles() throws {
        let golden = Self.fixtures.appendingPathComponent("golden")
        let out = RNNTUIProcess.recording
            ? golden : FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-export-\(UUID().uuidString)")
        if !RNNTUIProcess.recording { addTeardownBlock { try? FileManager.default.removeItem(at: out) } }
        let result = try RNNTUIProcess.run(["export", "pytorch", "Tests/EndToEndTests/Fixtures/export/run", "--out", out.path])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("5 train / 1 validation batches"), result.standardOutput)
        for name in Self.files {
            let made = try Data(contentsOf: out.appendingPathComponent(name))
            let expected = try Data(contentsOf: golden.appendingPathComponent(name))
            XCTAssertEqual(made, expected, "\(name) differs from the golden export (RECORD_SNAPSHOTS=1 rewrites it)")
        }
        let export = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("export.json"))) as! [String: Any]
        let model = export["model"] as! [String: Any]
        XCTAssertEqual(model["gru_reset_after"] as? Bool, false)
        XCTAssertEqual((export["expected_first_loss"] as? Double).map { $0 > 0 && $0.isFinite }, true)
        let train = try String(contentsOf: out.appendingPathComponent("train.py"), encoding: .utf8)
        XCTAssertTrue(train.contains("DistributedDataParallel(net)"))
        XCTAssertTrue(train.hasSuffix("    main()\n"))
    }

    func testExportOfAFolderWithoutARunSaysWhatIsMissing() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: empty) }
        let result = try RNNTUIProcess.run(["export", "pytorch", empty.path, "--out", empty.appendingPathComponent("x").path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.hasPrefix("rnn-tui: error: \(empty.path)/checkpoint.safetensors"), result.standardError)
        XCTAssertEqual(result.standardError.split(separator: "\n").count, 1, result.standardError)
    }
}
