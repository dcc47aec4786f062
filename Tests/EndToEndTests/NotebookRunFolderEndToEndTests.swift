import Foundation
import XCTest

/// The notebook never loses a run: quitting with `q` (and restarting with `r`) leaves each run folder
/// with its checkpoint, trainer state and status, and the quit run resumes headless.
final class NotebookRunFolderEndToEndTests: XCTestCase {
    private var runsFolder = ""

    override func setUpWithError() throws {
        runsFolder = FileManager.default.temporaryDirectory
            .appendingPathComponent("rnn-tui-e2e-keep-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: runsFolder)
    }

    private func json(_ path: String) -> [String: Any]? {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    private func runFolders() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: runsFolder)) ?? []).sorted().map { "\(runsFolder)/\($0)" }
    }

    func testQuitAndRestartLeaveResumableRunFolders() throws {
        let program = try BuiltProducts.path(of: "rnn-tui")
        let session = try TmuxSession(
            command: "\(TmuxSession.shellQuoted(program)) --dataset adding --seq-len 12 --hidden 8 --batch 8 --runs \(TmuxSession.shellQuoted(runsFolder))",
            width: 120, height: 40)
        addTeardownBlock { session.kill() }
        guard session.waitForText("Enter starts run 1", timeout: 15) != nil else { return }
        session.sendKeys("Enter")
        guard session.waitForText("running", timeout: 20) != nil else { return }
        // The first run's folder exists once it has started; let it take some steps.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let folder = runFolders().first,
               ((try? FileManager.default.attributesOfItem(atPath: "\(folder)/metrics.csv"))?[.size] as? Int ?? 0) > 2000 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        session.sendKeys("r")  // a new run; the first one stops and saves
        let secondDeadline = Date().addingTimeInterval(60)
        while runFolders().count < 2 && Date() < secondDeadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(runFolders().count, 2, "r starts a second run folder")
        session.sendKeys("q")
        XCTAssertEqual(session.waitForExit(timeout: 30), 0)

        for folder in runFolders() {
            for name in ["config.json", "metrics.csv", "checkpoint.safetensors", "trainer-state.json", "trainer-state.safetensors"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/\(name)"), "\(folder)/\(name)")
            }
            XCTAssertEqual(json("\(folder)/status.json")?["status"] as? String, "stopped", folder)
        }
        // The first run resumes headless from where the notebook left it.
        guard let first = runFolders().first, let saved = json("\(first)/trainer-state.json")?["step"] as? Int else {
            return XCTFail("no trainer state")
        }
        XCTAssertGreaterThan(saved, 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["train", "--resume", first, "--steps", "\(saved + 5)", "--plain"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, message)
        XCTAssertEqual(json("\(first)/trainer-state.json")?["step"] as? Int, saved + 5)
        XCTAssertEqual(json("\(first)/status.json")?["status"] as? String, "finished")
    }
}
