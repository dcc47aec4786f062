import Foundation
import XCTest

/// The terminal backend seen from outside, through `terminal-check` in tmux: drawing, colors per terminal type,
/// keys, resize, and the terminal restored after `q`, Ctrl-C, SIGTERM and a crash.
final class TerminalCheckEndToEndTests: XCTestCase {
    private func startTerminalCheck(
        arguments: String = "", width: Int = 100, height: Int = 24, environment: [String: String] = [:]
    ) throws -> TmuxSession {
        let program = try BuiltProducts.path(of: "terminal-check")
        let session = try TmuxSession(
            command: TmuxSession.shellQuoted(program) + (arguments.isEmpty ? "" : " " + arguments),
            width: width, height: height, environment: environment)
        addTeardownBlock { session.kill() }
        return session
    }

    /// After the program ended: the shell's marker shows, the normal screen is back, the cursor is visible.
    private func assertRestored(
        _ session: TmuxSession, status expected: Int?, file: StaticString = #filePath, line: UInt = #line
    ) {
        let status = session.waitForExit(file: file, line: line)
        if let expected { XCTAssertEqual(status, expected, "exit status", file: file, line: line) }
        XCTAssertFalse(session.isAlternateScreenOn, "alternate screen still on", file: file, line: line)
        XCTAssertTrue(session.isCursorVisible, "cursor still hidden", file: file, line: line)
        XCTAssertFalse(session.capture().contains("ramp:"), "test pattern left on the normal screen",
                       file: file, line: line)
    }

    func testDrawsPatternWithWideCharactersInOneColumn() throws {
        let session = try startTerminalCheck()
        guard let screen = session.waitForText("key: none") else { return }
        XCTAssertTrue(session.isAlternateScreenOn)
        XCTAssertFalse(session.isCursorVisible)
        XCTAssertTrue(screen.contains("size: 100x24"), screen)
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let glyphs = try XCTUnwrap(rows.first { $0.hasPrefix("glyphs:") })
        XCTAssertTrue(glyphs.contains("⠁⠃⠇⡇⣇⣧⣷⣿ ▁▂▃▄▅▆▇█ ░▒▓ ┌─┬┐│└┴┘ ␣ ⏎"), glyphs)
        // CJK and emoji are two columns wide: drawn as "?" so nothing after them shifts.
        XCTAssertTrue(glyphs.hasSuffix("wide:??") || glyphs.contains("wide:?? "), glyphs)
        // The corner markers sit in the last column and row.
        XCTAssertEqual(rows[0].last, "┐", rows[0])
        XCTAssertEqual(rows[23].first, "└")
        XCTAssertEqual(rows[23].last, "┘")
        XCTAssertEqual(rows[23].count, 100)
    }

    func testKeysArriveWithTheirNames() throws {
        let session = try startTerminalCheck()
        guard session.waitForText("key: none") != nil else { return }
        let expectations: [(keys: [String], name: String)] = [
            (["Up"], "up"), (["Down"], "down"), (["Left"], "left"), (["Right"], "right"),
            (["PageUp"], "pageup"), (["PageDown"], "pagedown"), (["Home"], "home"), (["End"], "end"),
            (["F1"], "f(1)"), (["F5"], "f(5)"), (["F12"], "f(12)"),
            (["Enter"], "enter"), (["C-j"], "enter"), (["Tab"], "tab"), (["BTab"], "backtab"),
            (["BSpace"], "backspace"), (["C-h"], "backspace"), (["DC"], "delete"), (["Escape"], "escape"),
            (["C-d"], "ctrl(d)"), (["a"], "char(a)"), (["Z"], "char(Z)"), (["Space"], "char( )"),
        ]
        for (count, expectation) in expectations.enumerated() {
            session.sendKeys(expectation.keys[0])
            // The key counter makes each wait specific even when a name repeats.
            let expected = "key: \(expectation.name)  keys: \(count + 1)"
            guard session.waitForText(expected, timeout: 3) != nil else { return }
        }
        session.type("é")
        session.waitForText("key: char(é)  keys: \(expectations.count + 1)", timeout: 3)
        session.type("⣿")
        session.waitForText("key: char(⣿)  keys: \(expectations.count + 2)", timeout: 3)
    }

    func testPalette256DrawsIndexedColors() throws {
        let session = try startTerminalCheck(environment: ["TERM": "xterm-256color"])
        guard session.waitForText("mode: palette256") != nil else { return }
        let styles = PaneStyles(capture: session.capture(escapes: true))
        let rampColors = styles.foregrounds(onRow: 3)
        XCTAssertTrue(rampColors.contains(.indexed(21)), "ramp colors: \(rampColors)")
        XCTAssertGreaterThan(rampColors.count, 40, "ramp colors: \(rampColors)")
        XCTAssertEqual(styles.foregrounds(onRow: 4).count, 8)
        XCTAssertTrue(styles.invisibleCharacters.isEmpty, "invisible: \(styles.invisibleCharacters)")
    }

    func testEightColorTerminalGetsOnlyBasicColorsAndNoInvisibleText() throws {
        let session = try startTerminalCheck(environment: ["TERM": "xterm"])
        guard session.waitForText("mode: basic8") != nil else { return }
        let capture = session.capture(escapes: true)
        XCTAssertFalse(capture.contains("38;5;"), "256-color escape under TERM=xterm")
        let styles = PaneStyles(capture: capture)
        let allColors = styles.characters.flatMap { [$0.foreground, $0.background] }.compactMap { $0 }
        XCTAssertTrue(allColors.allSatisfy { if case .basic = $0 { return true } else { return false } },
                      "non-basic colors: \(Set(allColors))")
        XCTAssertTrue(styles.invisibleCharacters.isEmpty, "invisible: \(styles.invisibleCharacters)")
        // The ramp still shows several colors, approximated.
        XCTAssertGreaterThanOrEqual(styles.foregrounds(onRow: 3).count, 4)
        // No ramp block is black text (black-on-black on a dark terminal).
        XCTAssertFalse(styles.characters.contains { $0.row == 3 && $0.foreground == .basic(0) })
    }

    func testNoColorDrawsNoColorsButKeepsBoldAndReverse() throws {
        let session = try startTerminalCheck(environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
        guard session.waitForText("mode: none") != nil else { return }
        let styles = PaneStyles(capture: session.capture(escapes: true))
        XCTAssertFalse(styles.hasColors, "colors under NO_COLOR")
        XCTAssertTrue(styles.characters.contains { $0.bold && $0.row == 0 })
        XCTAssertTrue(styles.characters.contains { $0.reverse && $0.row == 2 })
        XCTAssertTrue(session.capture().contains("▁▂▃▄▅▆▇█"))
    }

    func testPlainCLocaleStillDrawsBrailleAndBlocks() throws {
        let program = try BuiltProducts.path(of: "terminal-check")
        let session = try TmuxSession(
            command: TmuxSession.shellQuoted(program), width: 100, height: 24, environment: ["LANG": "C"],
            unsetting: ["NO_COLOR", "LC_ALL", "LC_CTYPE"])
        addTeardownBlock { session.kill() }
        guard let screen = session.waitForText("key: none") else { return }
        XCTAssertTrue(screen.contains("⠁⠃⠇⡇⣇⣧⣷⣿ ▁▂▃▄▅▆▇█ ░▒▓ ┌─┬┐│└┴┘"), screen)
    }

    func testResizeRedrawsAtTheNewSize() throws {
        let session = try startTerminalCheck(width: 100, height: 24)
        guard session.waitForText("size: 100x24") != nil else { return }
        session.resize(width: 70, height: 15)
        guard let screen = session.waitForText("size: 70x15") else { return }
        XCTAssertTrue(screen.contains("resizes: 1"), screen)
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(rows[0].last, "┐")
        XCTAssertEqual(rows[14].first, "└")
        XCTAssertEqual(rows[14].last, "┘")
        session.resize(width: 120, height: 30)
        guard let larger = session.waitForText("size: 120x30") else { return }
        let largerRows = larger.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(largerRows[29].last, "┘")
        XCTAssertEqual(largerRows[29].count, 120)
    }

    func testQuitKeyRestoresTerminal() throws {
        let session = try startTerminalCheck()
        guard session.waitForText("key: none") != nil else { return }
        XCTAssertTrue(session.isCommandRunning(named: "terminal-check"))
        session.sendKeys("q")
        assertRestored(session, status: 0)
        XCTAssertFalse(session.isCommandRunning(named: "terminal-check"))
        XCTAssertTrue(session.capture().contains("terminal-check: quit after"))
    }

    func testControlCRestoresTerminal() throws {
        let session = try startTerminalCheck()
        guard session.waitForText("key: none") != nil else { return }
        session.sendKeys("C-c")
        assertRestored(session, status: 128 + Int(SIGINT))
    }

    func testSigtermRestoresTerminal() throws {
        let session = try startTerminalCheck()
        guard session.waitForText("key: none") != nil else { return }
        let processID = try XCTUnwrap(session.commandProcessID(named: "terminal-check"))
        XCTAssertTrue(ProcessTable.isAlive(processID))
        XCTAssertEqual(Foundation.kill(processID, SIGTERM), 0)
        assertRestored(session, status: 128 + Int(SIGTERM))
        XCTAssertFalse(ProcessTable.isAlive(processID))
    }

    func testSighupRestoresTerminal() throws {
        let session = try startTerminalCheck()
        guard session.waitForText("key: none") != nil else { return }
        let processID = try XCTUnwrap(session.commandProcessID(named: "terminal-check"))
        XCTAssertEqual(Foundation.kill(processID, SIGHUP), 0)
        assertRestored(session, status: 128 + Int(SIGHUP))
    }

    func testCrashRestoresTerminal() throws {
        // Swift's crash reporter would otherwise spend seconds symbolicating (and may prompt on a tty).
        let session = try startTerminalCheck(
            arguments: "--allow-crash", environment: ["SWIFT_BACKTRACE": "enable=no"])
        guard session.waitForText("key: none") != nil else { return }
        session.type("!")
        let status = session.waitForExit()
        // Killed by the trap's signal: the shell reports 128 + SIGILL or SIGTRAP.
        XCTAssertTrue(status == 128 + Int(SIGILL) || status == 128 + Int(SIGTRAP), "status \(String(describing: status))")
        XCTAssertFalse(session.isAlternateScreenOn, "alternate screen still on")
        XCTAssertTrue(session.isCursorVisible, "cursor still hidden")
    }

    func testUnknownTermFailsWithOneLine() throws {
        let session = try startTerminalCheck(environment: ["TERM": "no-such-terminal-type"])
        guard let screen = session.waitForText("\(TmuxSession.exitMarker) 1") else { return }
        XCTAssertTrue(screen.contains("terminal-check: cannot open the screen: TERM='no-such-terminal-type'"), screen)
        XCTAssertFalse(session.isAlternateScreenOn)
    }

    func testNotATerminalFailsWithOneLine() throws {
        let program = try BuiltProducts.path(of: "terminal-check")
        let result = try TmuxSession.run(program, [])
        XCTAssertEqual(result.status, 1)
        let lines = result.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.output)
        XCTAssertTrue(result.output.hasPrefix("terminal-check: the interactive screen needs a terminal"),
                      result.output)
    }
}
