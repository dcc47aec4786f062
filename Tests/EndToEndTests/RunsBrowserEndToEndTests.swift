import Foundation
import XCTest

/// The newcomer's path of issue 10, in tmux: `rnn-tui compare` trains three cells at once; q saves them;
/// `rnn-tui` again opens on the runs browser listing the three; they overlay on one chart; one resumes and
/// its step counter continues past its saved step; quitting saves it again.
final class RunsBrowserEndToEndTests: XCTestCase {
    private var runsFolder = ""

    override func setUpWithError() throws {
        runsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-e2e-browser-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: runsFolder)
    }

    private func runFolders() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: runsFolder)) ?? []).sorted().map { "\(runsFolder)/\($0)" }
    }

    private func savedStep(_ folder: String) -> Int? {
        (try? Data(contentsOf: URL(fileURLWithPath: "\(folder)/trainer-state.json")))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["step"] as? Int
    }

    /// The step the loss view's stats panel shows ("step   1,234"), nil when not on screen.
    private func shownStep(_ screen: String) -> Int? {
        for row in screen.split(separator: "\n") {
            guard let range = row.range(of: "│ step ") else { continue }
            let digits = row[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber || $0 == "," }
            return Int(digits.filter(\.isNumber))
        }
        return nil
    }

    func testCompareQuitBrowseOverlayAndResume() throws {
        let program = TmuxSession.shellQuoted(try BuiltProducts.path(of: "rnn-tui"))
        let folderFlag = "--runs \(TmuxSession.shellQuoted(runsFolder))"
        let compare = try TmuxSession(
            command: "\(program) compare --vary cell=rnn,lstm,gru --dataset adding --seq-len 12 --hidden 8 --batch 8 --steps 1000000 \(folderFlag)",
            width: 120, height: 40)
        addTeardownBlock { compare.kill() }
        guard compare.waitForText("cell=rnn", timeout: 30) != nil else { return }
        // All three train at once: each folder's metrics grow.
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            let sizes = runFolders().map { ((try? FileManager.default.attributesOfItem(atPath: "\($0)/metrics.csv"))?[.size] as? Int) ?? 0 }
            if sizes.count == 3 && sizes.allSatisfy({ $0 > 3000 }) { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        compare.sendKeys("v")
        guard compare.waitForText("cell=lstm", timeout: 10) != nil else { return }
        compare.sendKeys("q")
        XCTAssertEqual(compare.waitForExit(timeout: 30), 0)
        XCTAssertEqual(runFolders().map { String($0.split(separator: "-").last ?? "") }, ["gru", "lstm", "rnn"])
        for folder in runFolders() {
            for name in ["checkpoint.safetensors", "trainer-state.json", "trainer-state.safetensors", "metrics.csv"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/\(name)"), "\(folder)/\(name)")
            }
            XCTAssertGreaterThan(savedStep(folder) ?? 0, 0, folder)
        }

        let notebook = try TmuxSession(command: "\(program) \(folderFlag)", width: 120, height: 40)
        addTeardownBlock { notebook.kill() }
        guard let listing = notebook.waitForText("3 runs, newest first", timeout: 30) else { return }
        for cell in ["RNN 1×8", "LSTM 1×8", "GRU 1×8"] { XCTAssertTrue(listing.contains(cell), "\(cell) listed:\n\(listing)") }
        // Mark the three and overlay them on one chart.
        notebook.sendKeys("Space", "Space", "Space", "o")
        guard let overlay = notebook.waitUntil("three runs on one chart", timeout: 30, condition: { screen in
            // The legend names all three (cell and size), the active one included.
            let legend = screen.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
            return ["RNN 8", "LSTM 8", "GRU 8"].allSatisfy { legend.contains($0) }
        }) else { return }
        XCTAssertTrue(overlay.contains("│ loss │"), overlay)
        // Back to the browser; resume the run under the cursor.
        notebook.sendKeys("R")
        guard notebook.waitForText("3 runs, newest first", timeout: 10) != nil else { return }
        notebook.sendKeys("r")
        guard let running = notebook.waitForText("● running", timeout: 60) else { return }
        let cell = ["RNN", "LSTM", "GRU"].first { running.contains("│ \($0) 1×8 │") }
        let folder = try XCTUnwrap(runFolders().first { $0.hasSuffix("-\(cell?.lowercased() ?? "?")") }, running)
        let saved = try XCTUnwrap(savedStep(folder))
        guard notebook.waitUntil("the step counter past \(saved)", timeout: 60, condition: { (self.shownStep($0) ?? 0) > saved + 20 }) != nil
        else { return }
        notebook.sendKeys("q")
        XCTAssertEqual(notebook.waitForExit(timeout: 30), 0)
        XCTAssertGreaterThan(savedStep(folder) ?? 0, saved + 20, "quitting saved the resumed run at its new step")
    }
}
