import Foundation
import XCTest

/// The real `rnn-tui` notebook driven in tmux as a person would: setup, Enter, the live loss view, a live
/// learning-rate change, pause, the gate view and its cursor, resize, and the terminal restored on exit.
final class NotebookEndToEndTests: XCTestCase {
    private var runsFolder = ""

    override func setUpWithError() throws {
        runsFolder = FileManager.default.temporaryDirectory
            .appendingPathComponent("rnn-tui-e2e-runs-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: runsFolder)
    }

    /// A small, fast setup so the debug build trains visibly within a test's seconds.
    private func startNotebook(
        _ arguments: String = "--dataset adding --seq-len 20 --hidden 16 --batch 8",
        width: Int = 120, height: Int = 40, environment: [String: String] = [:]
    ) throws -> TmuxSession {
        let program = try BuiltProducts.path(of: "rnn-tui")
        let session = try TmuxSession(
            command: "\(TmuxSession.shellQuoted(program)) \(arguments) --runs \(TmuxSession.shellQuoted(runsFolder))",
            width: width, height: height, environment: environment)
        addTeardownBlock { session.kill() }
        return session
    }

    private func assertRestored(_ session: TmuxSession, status expected: Int, file: StaticString = #filePath, line: UInt = #line) {
        let status = session.waitForExit(timeout: 10, file: file, line: line)
        XCTAssertEqual(status, expected, "exit status", file: file, line: line)
        XCTAssertFalse(session.isAlternateScreenOn, "alternate screen still on", file: file, line: line)
        XCTAssertTrue(session.isCursorVisible, "cursor still hidden", file: file, line: line)
    }

    /// The step counter shown in the stats panel ("step  123").
    private func shownStep(_ screen: String) -> Int? {
        for row in screen.split(separator: "\n") {
            guard let range = row.range(of: "│ step ") else { continue }
            // The panel groups digits ("step 2,605", or a locale's "2.605" / "2 605"): read the whole run of
            // digits and grouping marks, not just the first group.
            let number = row[range.upperBound...].drop { $0 == " " }
                .prefix { $0.isNumber || $0 == "," || $0 == "." || $0 == "\u{202F}" || $0 == "\u{00A0}" || $0 == "'" }
            if let value = Int(String(number.filter(\.isNumber))) { return value }
        }
        return nil
    }

    func testSetupTrainChangeLearningRatePauseGatesAndQuit() throws {
        let session = try startNotebook()
        // Conditions name everything a screen must show: a capture can land between two frames' writes.
        guard session.waitUntil("the setup screen with adding and LSTM", timeout: 15, condition: { screen in
            ["Enter starts run 1", "adding", "LSTM"].allSatisfy { screen.contains($0) }
        }) != nil else { return }

        session.sendKeys("Enter")
        guard session.waitForText("running", timeout: 20) != nil else { return }
        guard let early = session.waitUntil("training steps", timeout: 20, condition: { (self.shownStep($0) ?? 0) >= 5 }),
              let earlyStep = shownStep(early) else { return }
        guard session.waitUntil("more steps, the metric and lr 0.002", timeout: 20, condition: { screen in
            (self.shownStep(screen) ?? 0) > earlyStep + 5 && (screen.contains("MSE") || screen.contains("baseline"))
                && screen.contains("0.002")
        }) != nil else { return }

        // Live learning-rate change: doubles at the next step and is marked.
        session.sendKeys("+")
        guard session.waitForText("0.004", timeout: 10) != nil else { return }

        // Pause: the step counter stops.
        session.sendKeys("Space")
        // Read the counter once two captures 50 ms apart agree (one capture can land mid-frame).
        var lastSeen: Int?
        guard let paused = session.waitUntil("a settled step counter while paused", timeout: 10, condition: { screen in
            let step = self.shownStep(screen)
            defer { lastSeen = step }
            return screen.contains("paused") && step != nil && step == lastSeen
        }), let pausedStep = shownStep(paused) else { return }
        Thread.sleep(forTimeInterval: 1.0)
        XCTAssertEqual(shownStep(session.capture()), pausedStep, "steps went on while paused")
        session.sendKeys("n")
        guard session.waitUntil("one step", timeout: 10, condition: { self.shownStep($0) == pausedStep + 1 }) != nil else { return }

        // Gate view: LSTM gates with a cursor panel.
        session.sendKeys("g")
        // Wait for the whole view, not its first word: a capture can land between two frames' writes.
        let gateLabels = ["cursor", "i ", "f ", "g ", "o ", "forget", "cell", "hidden"]
        guard session.waitUntil("the gate view with every LSTM gate (\(gateLabels))", timeout: 10, condition: { screen in
            gateLabels.allSatisfy { screen.contains($0) }
        }) != nil else { return }
        session.sendKeys("Right", "Right", "Right")
        guard session.waitForText("t 3 of", timeout: 5) != nil else { return }
        session.sendKeys("Down")
        guard session.waitForText("unit 1 of", timeout: 5) != nil else { return }

        // Help lists the keys; Esc closes it.
        session.sendKeys("?")
        guard session.waitForText("pause", timeout: 5) != nil else { return }
        session.sendKeys("Escape")

        session.sendKeys("q")
        assertRestored(session, status: 0)
        // The run folder got its config and metrics.
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: runsFolder)) ?? []
        XCTAssertEqual(runs.count, 1, "one run folder expected in \(runsFolder)")
        if let run = runs.first {
            let metrics = try String(contentsOfFile: "\(runsFolder)/\(run)/metrics.csv", encoding: .utf8)
            XCTAssertTrue(metrics.hasPrefix("step,epoch,train_loss,val_loss,val_accuracy,learning_rate,grad_norm,tokens_per_second\n"))
        }
    }

    func testTooSmallWindowSaysSoAndRedrawsOnResize() throws {
        let session = try startNotebook(width: 60, height: 20)
        guard session.waitForText("too small", timeout: 15) != nil else { return }
        session.resize(width: 100, height: 30)
        guard session.waitForText("Enter starts run 1", timeout: 10) != nil else { return }
        session.sendKeys("q")
        assertRestored(session, status: 0)
    }

    func testSigtermWhileTrainingRestoresTheTerminal() throws {
        let session = try startNotebook()
        guard session.waitForText("Enter starts run 1", timeout: 15) != nil else { return }
        session.sendKeys("Enter")
        guard session.waitForText("running", timeout: 20) != nil else { return }
        guard let processID = session.commandProcessID(named: "rnn-tui") else {
            XCTFail("rnn-tui process not found")
            return
        }
        kill(processID, SIGTERM)
        assertRestored(session, status: 143)
    }

    func testCtrlCRestoresTheTerminal() throws {
        let session = try startNotebook()
        guard session.waitForText("Enter starts run 1", timeout: 15) != nil else { return }
        session.sendKeys("Enter")
        guard session.waitForText("running", timeout: 20) != nil else { return }
        session.sendKeys("C-c")
        let status = session.waitForExit(timeout: 10)
        XCTAssertNotNil(status)
        XCTAssertFalse(session.isAlternateScreenOn)
        XCTAssertTrue(session.isCursorVisible)
    }

    func testNoColorGateViewUsesNoColors() throws {
        let session = try startNotebook(environment: ["NO_COLOR": "1"])
        guard session.waitForText("Enter starts run 1", timeout: 15) != nil else { return }
        session.sendKeys("Enter")
        guard session.waitForText("running", timeout: 20) != nil else { return }
        session.sendKeys("g")
        guard session.waitForText("cursor", timeout: 10) != nil else { return }
        let styles = PaneStyles(capture: session.capture(escapes: true))
        let colored = styles.characters.filter { $0.foreground != nil || $0.background != nil }
        XCTAssertTrue(colored.isEmpty, "NO_COLOR screen has \(colored.count) colored characters")
        session.sendKeys("q")
        assertRestored(session, status: 0)
    }
}
