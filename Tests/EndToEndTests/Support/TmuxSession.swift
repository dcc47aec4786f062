import Foundation
import Synchronization
import XCTest

/// One command running in a detached tmux session on a private tmux server, driven like a person would:
/// send keys, read the screen (plain or with SGR escapes), resize, signal, check the terminal state after exit.
///
/// The command runs as `sh -c 'COMMAND; echo EXITED $?; sleep 30'`, so after the program exits the pane stays and
/// shows what the shell sees: the `EXITED <status>` marker printed on the normal screen.
/// Each session has its own server socket (`tmux -S`), so tests never see each other or a person's tmux.
final class TmuxSession {
    /// The marker the shell prints after the command: "EXITED <status>".
    static let exitMarker = "EXITED"

    /// The private server's socket (`tmux -S`), removed by `kill`.
    let socketPath: String
    let sessionName: String
    private var isKilled = false

    private static let sessionCounter = Atomic<Int>(0)

    /// The tmux executable, or nil when tmux is not installed.
    static let tmuxPath: String? = {
        for directory in ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/bin"] {
            let path = directory + "/tmux"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// Skips the calling test when tmux is missing (CI installs it, so there the tests run).
    static func requireTmux() throws {
        guard tmuxPath != nil else { throw XCTSkip("tmux is not installed; end-to-end terminal tests skipped") }
    }

    /// Starts `command` (a shell command line) in a `width` × `height` pane.
    /// - Parameters:
    ///   - environment: set for the command (TERM defaults to xterm-256color, LANG to C.UTF-8).
    ///   - unsetting: removed from the command's environment (NO_COLOR by default, so the runner's does not leak in).
    init(
        command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:],
        unsetting: [String] = ["NO_COLOR"]
    ) throws {
        try TmuxSession.requireTmux()
        let number = TmuxSession.sessionCounter.add(1, ordering: .relaxed).newValue
        let processID = ProcessInfo.processInfo.processIdentifier
        socketPath = "/tmp/rnn-tui-e2e-\(processID)-\(number).sock"
        sessionName = "e2e\(number)"

        var settings = ["TERM": "xterm-256color", "LANG": "C.UTF-8"]
        settings.merge(environment) { _, new in new }
        let assignments = settings.keys.sorted().map { TmuxSession.shellQuoted("\($0)=\(settings[$0]!)") }
        let removals = unsetting.filter { settings[$0] == nil }.map { "-u \($0)" }
        // The shell traps SIGINT (an empty trap, which children do not inherit) so Ctrl-C stops only the command.
        let inner = "trap : INT; \(command); echo \(TmuxSession.exitMarker) $?; sleep 30"
        let shellLine = (["exec env"] + removals + assignments + ["sh -c", TmuxSession.shellQuoted(inner)])
            .joined(separator: " ")
        let result = try tmux([
            "-f", try TmuxSession.configurationPath(), "new-session", "-d", "-s", sessionName, "-x", "\(width)", "-y", "\(height)",
            shellLine,
        ])
        guard result.status == 0 else {
            throw TmuxError("tmux new-session failed (status \(result.status)): \(result.output)")
        }
    }

    deinit {
        kill()
    }

    /// tmux settings for every session: no status line (the pane is the whole -x × -y), and a pane whose shell
    /// died stays visible for the assertions. (`resize-window` switches the window to a manual size by itself.)
    private static func configurationPath() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-e2e-tmux.conf").path
        let settings = "set -g status off\nset -g remain-on-exit on\n"
        try settings.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: - Driving

    /// Sends tmux key names (`Up`, `F1`, `BTab`, `C-c`, `Enter`, `q`...).
    func sendKeys(_ keys: String...) {
        _ = try? tmux(["send-keys", "-t", sessionName] + keys)
    }

    /// Types `text` literally (UTF-8 included).
    func type(_ text: String) {
        _ = try? tmux(["send-keys", "-t", sessionName, "-l", text])
    }

    /// Resizes the window (the program gets SIGWINCH).
    func resize(width: Int, height: Int) {
        _ = try? tmux(["resize-window", "-t", sessionName, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Stops the server and everything in it; idempotent.
    func kill() {
        guard !isKilled else { return }
        isKilled = true
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: socketPath)
    }

    // MARK: - Reading

    /// The visible pane: plain text, or with SGR escapes (`\e[38;5;196m`...) when `escapes` is true.
    func capture(escapes: Bool = false) -> String {
        let arguments = ["capture-pane", "-p", "-t", sessionName] + (escapes ? ["-e"] : [])
        return (try? tmux(arguments).output) ?? ""
    }

    /// A tmux format for the pane (`#{alternate_on}`, `#{cursor_flag}`, `#{pane_pid}`...), trimmed.
    func display(_ format: String) -> String {
        let output = (try? tmux(["display-message", "-p", "-t", sessionName, format]).output) ?? ""
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// 1 while the pane shows the alternate screen (a full-screen program is running), 0 on the normal screen.
    var isAlternateScreenOn: Bool { display("#{alternate_on}") == "1" }
    /// Whether the terminal cursor is shown.
    var isCursorVisible: Bool { display("#{cursor_flag}") == "1" }

    /// The shortest deadline any wait gets. A wait that succeeds returns at once, so a generous floor costs
    /// nothing on a fast machine and keeps a loaded 2-core one (a debug build, other builds running) green.
    static let minimumTimeout: TimeInterval = 60

    /// Polls the plain capture every 50 ms until `condition` holds; returns that capture or fails the test with the
    /// last screen after `timeout` seconds (at least `minimumTimeout`).
    @discardableResult
    func waitUntil(
        _ what: String, timeout: TimeInterval = 5, escapes: Bool = false,
        file: StaticString = #filePath, line: UInt = #line, condition: (String) -> Bool
    ) -> String? {
        let timeout = max(timeout, TmuxSession.minimumTimeout)
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        repeat {
            screen = capture(escapes: escapes)
            if condition(screen) { return screen }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        XCTFail("timed out after \(timeout) s waiting for \(what); the pane shows:\n\(screen)", file: file, line: line)
        return nil
    }

    /// Waits until `text` appears on the screen.
    @discardableResult
    func waitForText(
        _ text: String, timeout: TimeInterval = 5, file: StaticString = #filePath, line: UInt = #line
    ) -> String? {
        waitUntil("\"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    /// Waits for the shell's `EXITED <status>` marker and returns the status (nil on timeout).
    func waitForExit(timeout: TimeInterval = 5, file: StaticString = #filePath, line: UInt = #line) -> Int? {
        guard let screen = waitForText("\(TmuxSession.exitMarker) ", timeout: timeout, file: file, line: line)
        else { return nil }
        for row in screen.split(separator: "\n") {
            if let range = row.range(of: "\(TmuxSession.exitMarker) ") {
                let digits = row[range.upperBound...].prefix { $0.isNumber }
                if let status = Int(digits) { return status }
            }
        }
        return nil
    }

    // MARK: - Processes

    /// The process id of the shell that runs the command.
    var shellProcessID: Int32? { Int32(display("#{pane_pid}")) }

    /// The command's process: the first child of the pane's shell whose name starts with `name`.
    func commandProcessID(named name: String) -> Int32? {
        guard let shell = shellProcessID else { return nil }
        return ProcessTable.children(of: shell).first { $0.name.hasPrefix(String(name.prefix(15))) }?.processID
    }

    /// Whether the command (a child of the pane's shell named `name`) is still running.
    func isCommandRunning(named name: String) -> Bool {
        guard let processID = commandProcessID(named: name) else { return false }
        return ProcessTable.isAlive(processID)
    }

    // MARK: - Helpers

    private func tmux(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try TmuxSession.run(TmuxSession.tmuxPath ?? "tmux", ["-S", socketPath] + arguments)
    }

    /// Runs a program (stdin /dev/null) and returns its exit status (128 + signal if killed) and stdout + stderr.
    ///
    /// posix_spawn + waitpid rather than Foundation's `Process`: `tmux new-session` forks a server that keeps the
    /// descriptors it inherited, and `Process.waitUntilExit` (which watches a descriptor shared with the child)
    /// would then wait for that server to exit. Output goes through a temporary file for the same reason.
    static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws
        -> (status: Int32, output: String)
    {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("rnn-tui-e2e-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var processEnvironment = environment ?? ProcessInfo.processInfo.environment
        if environment == nil { processEnvironment["LC_ALL"] = "C.UTF-8" }

        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)

        var processID: pid_t = 0
        let arguments = [path] + arguments
        let assignments = processEnvironment.map { "\($0.key)=\($0.value)" }
        let spawnStatus = withCStringArray(arguments) { argumentPointers in
            withCStringArray(assignments) { environmentPointers in
                posix_spawn(&processID, path, &fileActions, nil, argumentPointers, environmentPointers)
            }
        }
        guard spawnStatus == 0 else {
            throw TmuxError("cannot start \(path): \(String(cString: strerror(spawnStatus)))")
        }
        var waitStatus: Int32 = 0
        while waitpid(processID, &waitStatus, 0) == -1 && errno == EINTR {}
        let terminatingSignal = waitStatus & 0x7F
        let status = terminatingSignal == 0 ? (waitStatus >> 8) & 0xFF : 128 + terminatingSignal
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return (status, String(decoding: data, as: UTF8.self))
    }

    /// Calls `body` with a NULL-terminated C array of copies of `strings`, freed afterwards.
    private static func withCStringArray<Result>(
        _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result
    ) -> Result {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }

    /// `text` in single quotes for sh.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

struct TmuxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
