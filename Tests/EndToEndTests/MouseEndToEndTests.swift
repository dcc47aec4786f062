import Foundation
import XCTest

/// The mouse seen from outside, in tmux: the backend reports presses and wheel notches from the SGR reports a
/// terminal sends, turns reporting off on every way out (q, a signal, a crash), and the notebook does what a click
/// on its setup form and gate heatmaps should.
final class MouseEndToEndTests: XCTestCase {
    private var runsFolder = ""

    override func setUpWithError() throws {
        runsFolder = FileManager.default.temporaryDirectory
            .appendingPathComponent("rnn-tui-e2e-mouse-runs-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: runsFolder)
    }

    private func start(_ name: String, _ arguments: String, width: Int, height: Int,
                       environment: [String: String] = [:]) throws -> TmuxSession {
        let program = try BuiltProducts.path(of: name)
        let session = try TmuxSession(command: TmuxSession.shellQuoted(program) + " " + arguments,
                                      width: width, height: height, environment: environment)
        addTeardownBlock { session.kill() }
        return session
    }

    private func assertRestored(_ session: TmuxSession, file: StaticString = #filePath, line: UInt = #line) -> Int? {
        let status = session.waitForExit(timeout: 10, file: file, line: line)
        XCTAssertFalse(session.isMouseReportingOn, "mouse reporting still on", file: file, line: line)
        XCTAssertFalse(session.isAlternateScreenOn, "alternate screen still on", file: file, line: line)
        XCTAssertTrue(session.isCursorVisible, "cursor still hidden", file: file, line: line)
        return status
    }

    // MARK: Backend (terminal-check --mouse)

    func testPressesAndWheelNotchesArriveWithTheirCellAndQuitTurnsReportingOff() throws {
        let session = try start("terminal-check", "--mouse", width: 100, height: 24)
        guard session.waitForText("mouse: none  events: 0") != nil else { return }
        XCTAssertTrue(session.isMouseReportingOn)
        // The release of a click is not an event: each click counts once.
        session.click(x: 12, y: 8)
        guard session.waitForText("mouse: left at 12,8  events: 1") != nil else { return }
        session.click(x: 99, y: 23, button: .right)
        guard session.waitForText("mouse: right at 99,23  events: 2") != nil else { return }
        session.wheel(.wheelDown, x: 4, y: 2)
        guard session.waitForText("mouse: wheel-down at 4,2  events: 3") != nil else { return }
        session.wheel(.wheelUp, x: 0, y: 0)
        guard session.waitForText("mouse: wheel-up at 0,0  events: 4") != nil else { return }
        session.click(x: 50, y: 10, button: .middle)
        guard session.waitForText("mouse: middle at 50,10  events: 5") != nil else { return }
        // Keys still arrive as keys.
        session.sendKeys("Up")
        guard session.waitForText("key: up  keys: 1") != nil else { return }
        session.sendKeys("q")
        XCTAssertEqual(assertRestored(session), 0)
    }

    func testTheOlderX10ReportsWorkWhereTerminfoAsksForThem() throws {
        // TERM=screen's terminfo has kmous=\E[M: ncurses asks for mode 1000 only, and reports come as
        // ESC [ M then button, column and row, each + 32 (a release is button 3).
        let session = try start("terminal-check", "--mouse", width: 100, height: 24, environment: ["TERM": "screen"])
        guard session.waitForText("mouse: none  events: 0") != nil else { return }
        XCTAssertTrue(session.isMouseReportingOn)
        func report(_ button: Int, _ x: Int, _ y: Int) -> String {
            "\u{1B}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + x)))
                + String(UnicodeScalar(UInt8(33 + y)))
        }
        session.type(report(0, 12, 8) + report(3, 12, 8))
        guard session.waitForText("mouse: left at 12,8  events: 1") != nil else { return }
        session.type(report(65, 4, 2))
        guard session.waitForText("mouse: wheel-down at 4,2  events: 2") != nil else { return }
        session.sendKeys("q")
        XCTAssertEqual(assertRestored(session), 0)
    }

    func testWithoutTheFlagTheMouseIsNotReported() throws {
        let session = try start("terminal-check", "", width: 100, height: 24)
        guard let screen = session.waitForText("key: none") else { return }
        XCTAssertFalse(session.isMouseReportingOn)
        XCTAssertFalse(screen.contains("mouse:"), screen)
    }

    func testSigtermAndACrashTurnReportingOff() throws {
        let terminated = try start("terminal-check", "--mouse", width: 100, height: 24)
        guard terminated.waitForText("mouse: none") != nil else { return }
        XCTAssertTrue(terminated.isMouseReportingOn)
        let processID = try XCTUnwrap(terminated.commandProcessID(named: "terminal-check"))
        XCTAssertEqual(Foundation.kill(processID, SIGTERM), 0)
        XCTAssertEqual(assertRestored(terminated), 128 + Int(SIGTERM))

        // The crash path writes the "stop reporting" sequence from the signal handler (no endwin runs).
        let crashed = try start("terminal-check", "--mouse --allow-crash", width: 100, height: 24,
                                environment: ["SWIFT_BACKTRACE": "enable=no"])
        guard crashed.waitForText("mouse: none") != nil else { return }
        XCTAssertTrue(crashed.isMouseReportingOn)
        crashed.type("!")
        let status = assertRestored(crashed)
        XCTAssertTrue(status == 128 + Int(SIGILL) || status == 128 + Int(SIGTRAP), "status \(String(describing: status))")
    }

    // MARK: The notebook

    /// The setup form by mouse (focus a field, step its choice), then the gate view: a click moves the cursor to
    /// the cell under it and the wheel pages units; q turns reporting off.
    func testNotebookSetupAndGateViewByMouse() throws {
        let session = try start(
            "rnn-tui", "--dataset adding --seq-len 20 --hidden 16 --batch 8 --runs " + TmuxSession.shellQuoted(runsFolder),
            width: 120, height: 40)
        guard let setup = session.waitUntil("the setup screen", timeout: 15, condition: { screen in
            ["Enter starts run 1", "optimizer", "adam", "LSTM"].allSatisfy { screen.contains($0) }
        }) else { return }
        XCTAssertTrue(session.isMouseReportingOn)

        let optimizer = try XCTUnwrap(TmuxSession.position(of: " optimizer ", in: setup))
        session.click(x: optimizer.x + 3, y: optimizer.y)
        guard let focused = session.waitUntil("the optimizer focused", condition: {
            TmuxSession.position(of: "▸ optimizer         ◂ adam ▸", in: $0, row: optimizer.y) != nil
        }) else { return }
        let next = try XCTUnwrap(TmuxSession.position(of: "adam ▸", in: focused, row: optimizer.y))
        session.click(x: next.x + 5, y: next.y)
        guard session.waitUntil("adamw chosen by the click on ▸", condition: {
            TmuxSession.position(of: "◂ adamw ▸", in: $0, row: optimizer.y) != nil
        }) != nil else { return }

        session.sendKeys("Enter")
        guard session.waitForText("running", timeout: 20) != nil else { return }
        session.sendKeys("g")
        guard let gates = session.waitUntil("the gate view with heatmaps", timeout: 30, condition: { screen in
            screen.contains("units 0–3") && screen.contains("unit 0 of 16")
                && TmuxSession.position(of: "o    0 ", in: screen) != nil && screen.contains("t      0         10")
        }) else { return }

        // Unit 2 of the "o" panel, at the column of timestep 10 + 2, read off the screen.
        let outputPanel = try XCTUnwrap(TmuxSession.position(of: "o    0 ", in: gates))
        let axis = try XCTUnwrap(TmuxSession.position(of: "t      0         10", in: gates))
        let ten = axis.x + "t      0         ".count
        session.click(x: ten + 2, y: outputPanel.y + 2)
        guard session.waitUntil("the cursor on unit 2 at t 12", condition: { screen in
            screen.contains("unit 2 of 16") && screen.contains("t 12 of 20")
        }) != nil else { return }

        session.wheel(.wheelDown, x: ten, y: outputPanel.y)
        guard session.waitUntil("the next page of units", condition: { screen in
            screen.contains("units 4–7") && screen.contains("unit 6 of 16")
        }) != nil else { return }
        session.wheel(.wheelUp, x: ten, y: outputPanel.y)
        guard session.waitUntil("back to the first page", condition: { screen in
            screen.contains("units 0–3") && screen.contains("unit 2 of 16")
        }) != nil else { return }

        session.sendKeys("q")
        XCTAssertEqual(assertRestored(session), 0)
    }

    func testNotebookWithNoMouseLeavesTheMouseToTheTerminal() throws {
        let session = try start("rnn-tui", "--no-mouse --dataset adding --runs " + TmuxSession.shellQuoted(runsFolder),
                                width: 80, height: 24)
        guard session.waitForText("Enter starts run 1", timeout: 15) != nil else { return }
        XCTAssertFalse(session.isMouseReportingOn)
        session.sendKeys("Down")
        guard session.waitUntil("the keys still work", condition: {
            TmuxSession.position(of: "▸ GRU convention", in: $0) != nil
        }) != nil else { return }
        session.sendKeys("q")
        _ = assertRestored(session)
    }
}
