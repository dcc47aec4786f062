import Foundation
import XCTest

/// The setup screen driven in tmux as a person would: type a CSV path with Tab completion, see what
/// the reader will decide, pick the target column, start, and find the choice in the run's config.
final class SetupCSVEndToEndTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-e2e-csv-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        var csv = "date,temp,humidity\n"
        for row in 0..<400 { csv += "2024-\(row),\(Double(row % 17) + 0.5),\(50 + row % 23)\n" }
        try csv.write(toFile: folder + "/data/weather.csv", atomically: true, encoding: .utf8)
        try "x\n".write(toFile: folder + "/data/weird.txt", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func testTypeACSVPathWithTabCompletionAndPickTheTarget() throws {
        let program = try BuiltProducts.path(of: "rnn-tui")
        let runs = folder + "/runs"
        let session = try TmuxSession(
            command: "\(TmuxSession.shellQuoted(program)) --dataset adding --seq-len 20 --hidden 16 --batch 8 --runs \(TmuxSession.shellQuoted(runs))",
            width: 120, height: 40)
        addTeardownBlock { session.kill() }
        guard session.waitForText("Enter starts run 1", timeout: 60) != nil else { return }

        // Up (wrapping past the series rows below it) until the dataset row is focused; Left until "path…".
        for _ in 0..<6 {
            let before = session.capture()
            if before.contains("▸ dataset") { break }
            session.sendKeys("Up")
            guard session.waitUntil("the focus to move", timeout: 60, condition: { $0 != before }) != nil else { return }
        }
        guard session.waitForText("▸ dataset", timeout: 60) != nil else { return }
        func datasetRow(_ screen: String) -> String {
            screen.split(separator: "\n").first { $0.contains("▸ dataset") }.map(String.init) ?? ""
        }
        for _ in 0..<8 {
            let before = session.capture()
            if datasetRow(before).contains("path…") { break }
            session.sendKeys("Left")
            guard session.waitUntil("the dataset choice to change", timeout: 60, condition: { datasetRow($0) != datasetRow(before) })
                != nil else { return }
        }
        guard session.waitUntil("path… chosen", timeout: 60, condition: { datasetRow($0).contains("path…") }) != nil else { return }

        // Type the folder and the start of a name: Tab lists the two matches, one more letter completes.
        session.type(folder + "/data/we")
        session.sendKeys("Tab")
        // (Conditions name everything the screen must show: a capture can land between two frames' writes.)
        guard session.waitUntil("the two matches and the partial path checked as typed", timeout: 60, condition: {
            $0.contains("matches: weather.csv weird.txt") && $0.contains("✕ no such file")
        }) != nil else { return }
        session.type("a")
        session.sendKeys("Tab")
        let decisions = ["forecast 'humidity' one step ahead (last numeric column)", "✓ file", "ignored: date (not numeric)", "target column"]
        guard session.waitUntil("what the reader decides: \(decisions)", timeout: 60, condition: { screen in
            decisions.allSatisfy { screen.contains($0) }
        }) != nil else { return }

        // Pick the target: down to "target column", one step right.
        session.sendKeys("Down", "Down")
        guard session.waitForText("▸   target column", timeout: 60) != nil else { return }
        session.sendKeys("Right")
        guard session.waitForText("forecast 'temp' one step ahead", timeout: 60) != nil else { return }

        session.sendKeys("Enter")
        guard session.waitUntil("the run on weather.csv", timeout: 60, condition: { $0.contains("running") && $0.contains("weather.csv") })
            != nil else { return }
        guard session.waitForText("baseline", timeout: 60) != nil else { return }
        session.sendKeys("q")
        XCTAssertEqual(session.waitForExit(timeout: 60), 0)

        let folders = (try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []
        XCTAssertEqual(folders.count, 1, "one run folder in \(runs)")
        guard let run = folders.first else { return }
        let config = try String(contentsOfFile: "\(runs)/\(run)/config.json", encoding: .utf8)
        let compact = config.filter { !$0.isWhitespace }
        XCTAssertTrue(compact.contains("\"targetColumn\":\"temp\""), config)
        XCTAssertTrue(compact.contains("weather.csv"), config)
    }
}
