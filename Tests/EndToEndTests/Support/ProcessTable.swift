import Foundation

/// Processes as /proc lists them (Linux), to find the program a tmux pane's shell started and signal it.
enum ProcessTable {
    struct Entry {
        let processID: Int32
        let parentID: Int32
        /// The command name (at most 15 characters, from /proc/PID/stat).
        let name: String
    }

    /// Direct children of `parent`.
    static func children(of parent: Int32) -> [Entry] {
        let identifiers = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return identifiers.compactMap { Int32($0) }.compactMap(entry).filter { $0.parentID == parent }
    }

    /// Whether `processID` exists (and is not a zombie).
    static func isAlive(_ processID: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
        return state != "Z" && state != "X"
    }

    /// /proc/PID/stat is "pid (name) state ppid ..."; the name may hold spaces and parentheses.
    private static func entry(_ processID: Int32) -> Entry? {
        guard let stat = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8),
            let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
        else { return nil }
        let name = String(stat[stat.index(after: open)..<close])
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let parent = Int32(fields[1]) else { return nil }
        return Entry(processID: processID, parentID: parent, name: name)
    }
}
