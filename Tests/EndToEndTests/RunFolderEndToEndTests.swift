import Foundation
import XCTest

/// Run folders from the command line: a run stopped by a signal keeps everything and resumes to the
/// same losses as one that never stopped; `--config` reproduces a run with its live changes; `runs`
/// lists what `compare --headless` trained.
final class RunFolderEndToEndTests: XCTestCase {
    private var folder = URL(fileURLWithPath: "/tmp")

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    private func start(_ arguments: [String], in directory: URL = CommandLineEndToEndTests.packageRoot) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path(of: "rnn-tui"))
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    private func finish(_ started: (Process, Pipe, Pipe)) -> Output {
        let (process, out, err) = started
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                      standardError: String(decoding: errData, as: UTF8.self))
    }

    private func rnnTUI(_ arguments: [String], in directory: URL = CommandLineEndToEndTests.packageRoot) throws -> Output {
        finish(try start(arguments, in: directory))
    }

    /// metrics.csv rows without the timing column, keyed "step:kind" (train or evaluation rows).
    private func rows(_ path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: "\(path)/metrics.csv", encoding: .utf8)
        var rows: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 8 else { continue }
            let kind = cells[2].isEmpty ? "val" : "train"
            rows["\(cells[0]):\(kind)"] = cells[0..<7].joined(separator: ",")
        }
        return rows
    }

    private func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private let modelFlags = ["--dataset", "corpus", "--cell", "lstm", "--hidden", "12", "--layers", "2", "--dropout", "0.3",
                              "--batch", "4", "--seq-len", "12", "--eval-every", "25", "--seed", "3", "--plain"]

    /// SIGTERM in the middle of a run: it saves checkpoint + trainer state and says "stopped"; resuming
    /// it to N steps gives, row for row, the metrics of a run that went to N steps without stopping.
    func testSignalledRunResumesToTheSameLossesAsAnUninterruptedOne() throws {
        let stopped = folder.appendingPathComponent("stopped").path
        let running = try start(["train"] + modelFlags + ["--steps", "1000000", "--out", stopped])
        let deadline = Date().addingTimeInterval(120)
        // metrics.csv is flushed every 50 rows: wait until training is well under way.
        while Date() < deadline {
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(stopped)/metrics.csv"))?[.size] as? Int ?? 0
            if size > 4000 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        running.0.terminate()
        let interrupted = finish(running)
        XCTAssertEqual(interrupted.status, 128 + SIGTERM, interrupted.standardError)
        XCTAssertEqual(try json("\(stopped)/status.json")["status"] as? String, "stopped")
        let savedStep = try XCTUnwrap(try json("\(stopped)/trainer-state.json")["step"] as? Int)
        XCTAssertGreaterThan(savedStep, 0)
        for name in ["checkpoint.safetensors", "trainer-state.safetensors", "config.json", "best.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(stopped)/\(name)"), name)
        }

        let total = savedStep + 30
        let resumed = try rnnTUI(["train", "--resume", stopped, "--steps", "\(total)", "--plain"])
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        XCTAssertTrue(resumed.standardOutput.contains("resuming \(stopped) at step \(savedStep)"), resumed.standardOutput)
        XCTAssertEqual(try json("\(stopped)/status.json")["status"] as? String, "finished")

        let straight = folder.appendingPathComponent("straight").path
        let reference = try rnnTUI(["train"] + modelFlags + ["--steps", "\(total)", "--out", straight])
        XCTAssertEqual(reference.status, 0, reference.standardError)
        var resumedRows = try rows(stopped)
        // The stopped run evaluated once more at the step it stopped; the straight run did not.
        if savedStep % 25 != 0 { resumedRows["\(savedStep):val"] = nil }
        let referenceRows = try rows(straight)
        XCTAssertEqual(resumedRows.count, referenceRows.count)
        for step in 1...total {
            XCTAssertEqual(resumedRows["\(step):train"], referenceRows["\(step):train"], "step \(step)")
            if step == total { XCTAssertNotNil(referenceRows["\(step):train"]) }
        }
        for (key, row) in referenceRows where key.hasSuffix(":val") {
            XCTAssertEqual(resumedRows[key], row, key)
        }
    }

    /// A run on a text file named relative to where it started resumes from another directory; a finished
    /// run asks for a larger --steps.
    func testResumeFromElsewhereFindsARelativeDatasetAndAFinishedRunSaysSo() throws {
        let project = folder.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project.appendingPathComponent("data"), withIntermediateDirectories: true)
        try String(repeating: "to be or not to be, that is the question.\n", count: 40)
            .write(to: project.appendingPathComponent("data/play.txt"), atomically: true, encoding: .utf8)
        let started = try rnnTUI(["train", "--dataset", "data/play.txt", "--hidden", "6", "--batch", "4", "--seq-len", "8",
                                  "--steps", "5", "--out", "runs/play", "--plain"], in: project)
        XCTAssertEqual(started.status, 0, started.standardError)
        let run = project.appendingPathComponent("runs/play").path
        let finished = try rnnTUI(["train", "--resume", run])
        XCTAssertEqual(finished.status, 1)
        XCTAssertEqual(finished.standardError, "rnn-tui: error: \(run): the run finished at step 5; give --steps N with N > 5 to train it further\n")
        let resumed = try rnnTUI(["train", "--resume", run, "--steps", "9", "--plain"], in: folder)
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        XCTAssertEqual(try json("\(run)/trainer-state.json")["step"] as? Int, 9)
    }

    func testResumeRefusesSetupFlagsAndMissingState() throws {
        let run = folder.appendingPathComponent("run").path
        XCTAssertEqual(try rnnTUI(["train", "--dataset", "adding", "--seq-len", "8", "--hidden", "4", "--steps", "3", "--out", run]).status, 0)
        let extra = try rnnTUI(["train", "--resume", run, "--hidden", "8"])
        XCTAssertEqual(extra.status, 1)
        XCTAssertEqual(extra.standardError, "rnn-tui: error: --resume \(run) takes only --steps and --threads: the setup comes from the run folder\n")
        try FileManager.default.removeItem(atPath: "\(run)/trainer-state.json")
        let missing = try rnnTUI(["train", "--resume", run, "--steps", "6"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.hasPrefix("rnn-tui: error: \(run): no trainer-state.json"), missing.standardError)
        XCTAssertEqual(missing.standardError.split(separator: "\n").count, 1)
    }

    /// `--config` starts from a run's config.json, flags beside it override, and its changes.jsonl is
    /// replayed at the same steps (and recorded again in the new run).
    func testConfigReproducesARunWithItsLiveChanges() throws {
        let original = folder.appendingPathComponent("original").path
        let first = try rnnTUI(["train", "--dataset", "adding", "--seq-len", "8", "--hidden", "6", "--cell", "gru",
                                "--steps", "12", "--eval-every", "6", "--lr", "0.004", "--out", original])
        XCTAssertEqual(first.status, 0, first.standardError)
        let log = "{\"step\":5,\"field\":\"lr\",\"value\":0.0005}\n{\"step\":9,\"field\":\"optimizer\",\"value\":\"sgd\"}\n"
        try log.write(toFile: "\(original)/changes.jsonl", atomically: true, encoding: .utf8)

        let replay = folder.appendingPathComponent("replay").path
        let second = try rnnTUI(["train", "--config", "\(original)/config.json", "--out", replay, "--plain"])
        XCTAssertEqual(second.status, 0, second.standardError)
        XCTAssertTrue(second.standardOutput.contains("replaying 2 live changes"), second.standardOutput)
        let rates = try rows(replay).filter { $0.key.hasSuffix(":train") }
            .map { (Int($0.key.split(separator: ":")[0])!, $0.value.split(separator: ",", omittingEmptySubsequences: false)[5]) }
            .sorted { $0.0 < $1.0 }
        XCTAssertEqual(rates.count, 12)
        XCTAssertEqual(Set(rates.filter { $0.0 < 5 }.map(\.1)), ["0.004"])
        XCTAssertEqual(Set(rates.filter { $0.0 >= 5 }.map(\.1)), ["0.0005"])
        XCTAssertEqual(try String(contentsOfFile: "\(replay)/changes.jsonl", encoding: .utf8), log)
        let state = try json("\(replay)/trainer-state.json")
        XCTAssertEqual((state["setup"] as? [String: Any]).flatMap { ($0["optimizer"] as? [String: Any])?["kind"] as? String }, "sgd")

        let overridden = folder.appendingPathComponent("overridden").path
        let third = try rnnTUI(["train", "--config", original, "--hidden", "4", "--no-replay", "--out", overridden])
        XCTAssertEqual(third.status, 0, third.standardError)
        let config = try json("\(overridden)/config.json")
        XCTAssertEqual(config["hiddenSize"] as? Int, 4)
        XCTAssertEqual(config["cell"] as? String, "gru")
        XCTAssertEqual(config["steps"] as? Int, 12)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(overridden)/changes.jsonl"))

        let bad = try rnnTUI(["train", "--config", "\(folder.path)/nowhere.json"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.standardError.hasPrefix("rnn-tui: error: \(folder.path)/nowhere.json: cannot read the run configuration"), bad.standardError)
    }

    /// `compare --vary … --headless` trains one run per value with the same seed; `runs --json` lists them.
    func testCompareHeadlessThenRunsListsThem() throws {
        let runs = folder.appendingPathComponent("runs").path
        let compare = try rnnTUI(["compare", "--vary", "cell=rnn,gru", "--dataset", "adding", "--seq-len", "8",
                                  "--hidden", "6", "--steps", "10", "--eval-every", "5", "--headless", "--runs", runs])
        XCTAssertEqual(compare.status, 0, compare.standardError)
        let listing = try rnnTUI(["runs", "--dir", runs, "--json"])
        XCTAssertEqual(listing.status, 0, listing.standardError)
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listing.standardOutput.utf8)) as? [[String: Any]])
        XCTAssertEqual(objects.count, 2)
        XCTAssertEqual(Set(objects.compactMap { $0["cell"] as? String }), ["rnn", "gru"])
        for object in objects {
            for key in ["path", "cell", "hidden", "layers", "dataset", "steps", "best_val_loss", "status"] {
                XCTAssertNotNil(object[key], key)
            }
            XCTAssertEqual(object["steps"] as? Int, 10)
            XCTAssertEqual(object["status"] as? String, "finished")
            XCTAssertEqual(object["dataset"] as? String, "adding")
            XCTAssertNotNil(object["best_val_loss"] as? Double)
            let config = try json("\(object["path"] as! String)/config.json")
            XCTAssertEqual(config["seed"] as? Int, 1, "compared runs share the seed")
        }
        let table = try rnnTUI(["runs", "--dir", runs])
        XCTAssertEqual(table.status, 0)
        XCTAssertTrue(table.standardOutput.hasPrefix("NAME"), table.standardOutput)
        XCTAssertEqual(table.standardOutput.split(separator: "\n").count, 3)

        let noFolder = try rnnTUI(["runs", "--dir", "\(folder.path)/none"])
        XCTAssertEqual(noFolder.status, 1)
        XCTAssertTrue(noFolder.standardError.hasPrefix("rnn-tui: error: --dir"), noFolder.standardError)
        let badVary = try rnnTUI(["compare", "--vary", "cell=lstm,tree", "--headless"])
        XCTAssertEqual(badVary.status, 1)
        XCTAssertTrue(badVary.standardError.contains("--vary cell=tree"), badVary.standardError)
    }
}
