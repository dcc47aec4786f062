import Foundation
import XCTest

/// The commands that read a checkpoint (`sample`, `inspect`, `train --init`) given checkpoints whose metadata
/// contradicts their tensors: each crashed (a trap, SIGSEGV) or read out of bounds and exited 0 before. Now
/// each ends in one line on stderr, `rnn-tui: error: …`, with status 1.
final class CheckpointCommandsEndToEndTests: XCTestCase {
    private var folder = URL(fileURLWithPath: "/tmp")

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private struct Output {
        var status: Int32
        var reason: Process.TerminationReason
        var standardError: String
    }

    private func rnnTUI(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path(of: "rnn-tui"))
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, reason: process.terminationReason,
                      standardError: String(decoding: errData, as: UTF8.self))
    }

    /// A safetensors file as its header (a JSON object) and the data after it.
    private struct SafeTensorsFile {
        var header: [String: Any]
        var data: Data

        init(contentsOf url: URL) throws {
            let bytes = try Data(contentsOf: url)
            let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + length))) as! [String: Any]
            data = bytes.subdata(in: (8 + length)..<bytes.count)
        }

        var metadata: [String: String] {
            get { header["__metadata__"] as? [String: String] ?? [:] }
            set { header["__metadata__"] = newValue }
        }

        func write(to url: URL) throws {
            var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
            json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
            var file = Data((0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) })
            file.append(json)
            file.append(data)
            try file.write(to: url)
        }
    }

    func testMutatedCheckpointsEndInOneLineWithStatusOne() throws {
        let corpus = folder.appendingPathComponent("tiny.txt")
        try String(repeating: "abc abd abe\n", count: 100).write(to: corpus, atomically: true, encoding: .utf8)
        let run = folder.appendingPathComponent("run").path
        let train = try rnnTUI(["train", "--dataset", corpus.path, "--hidden", "8", "--seq-len", "8", "--batch", "4",
                                "--steps", "3", "--out", run])
        XCTAssertEqual(train.status, 0, train.standardError)
        let original = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: "\(run)/checkpoint.safetensors"))
        let vocabularyKey = "rnn_tui.vocabulary"
        let vocabulary = try JSONSerialization.jsonObject(with: Data(original.metadata[vocabularyKey]!.utf8)) as! [String: Any]
        let tokens = vocabulary["tokens"] as! [String]

        func variant(_ name: String, _ change: (inout SafeTensorsFile) throws -> Void) throws -> String {
            var file = original
            try change(&file)
            let url = folder.appendingPathComponent("\(name).safetensors")
            try file.write(to: url)
            return url.path
        }
        func withVocabulary(_ change: @escaping (inout [String: Any]) -> Void) -> (inout SafeTensorsFile) throws -> Void {
            { file in
                var changed = vocabulary
                change(&changed)
                file.metadata[vocabularyKey] = String(decoding: try JSONSerialization.data(withJSONObject: changed), as: UTF8.self)
            }
        }
        let shortVocabulary = try variant("short-vocabulary", withVocabulary { $0["tokens"] = Array(tokens.prefix(2)); $0["unknownIndex"] = 1 })
        let longVocabulary = try variant("long-vocabulary", withVocabulary { $0["tokens"] = tokens + ["x", "y", "z", "w"] })
        let hugeUnknown = try variant("huge-unknown", withVocabulary { $0["unknownIndex"] = 1 << 31 })
        let numeric = try variant("numeric-input") { $0.metadata["rnn_tui.input"] = "numeric" }
        let allNaN = try variant("all-nan") { file in
            file.data = Data(repeating: 0xFF, count: file.data.count)  // every F32 is a NaN
        }

        var cases: [[String]] = []
        for path in [shortVocabulary, longVocabulary, hugeUnknown, numeric, allNaN] {
            cases.append(["sample", "--checkpoint", path, "--length", "20", "--prime", "ab€"])
            cases.append(["inspect", "--checkpoint", path, "--text", "ab€"])
            cases.append(["inspect", "--checkpoint", path, "--tokens", "0,1,2"])
            cases.append(["train", "--dataset", corpus.path, "--init", path, "--steps", "1", "--out", folder.appendingPathComponent("init").path])
        }
        for arguments in cases {
            let result = try rnnTUI(arguments)
            let shown = arguments.joined(separator: " ")
            XCTAssertEqual(result.reason, .exit, "\(shown) was killed by a signal: \(result.standardError)")
            XCTAssertEqual(result.status, 1, "\(shown): \(result.standardError)")
            XCTAssertEqual(result.standardError.split(separator: "\n").count, 1, "\(shown): \(result.standardError)")
            XCTAssertTrue(result.standardError.hasPrefix("rnn-tui: error: "), "\(shown): \(result.standardError)")
            XCTAssertFalse(result.standardError.contains("Fatal error"), "\(shown): \(result.standardError)")
        }
    }
}
