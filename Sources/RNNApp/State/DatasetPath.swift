import DisplayFormat
import Foundation
import RNNTraining

/// A dataset path as typed on the setup screen: `~` expanded, what it is on disk (checked as typed),
/// and Tab completion over files and directories. Each call touches the file system once (a stat, or
/// one directory listing), cheap enough for every key press.
public enum DatasetPath {
    public enum Status: Sendable, Equatable {
        case empty
        case missing
        case directory
        case notRegularFile
        case unreadable
        case file(bytes: Int)

        /// The inline check shown next to the path.
        public var text: String {
            switch self {
            case .empty: "type a path; Tab completes"
            case .missing: "✕ no such file"
            case .directory: "✕ a directory: Tab lists it"
            case .notRegularFile: "✕ not a regular file"
            case .unreadable: "✕ not readable"
            case .file(let bytes): "✓ file, " + DatasetPath.size(bytes)
            }
        }

        public var isUsable: Bool {
            if case .file = self { true } else { false }
        }
    }

    /// What Tab did: the new text, and the names that still match when more than one does.
    public struct Completion: Sendable, Equatable {
        public var text: String
        /// Matching names (directories end in "/"), sorted; empty when the completion was unique.
        public var candidates: [String]
    }

    /// `typed` with a leading `~` or `~/` replaced by the home directory.
    public static func expanded(_ typed: String) -> String {
        guard typed.hasPrefix("~") else { return typed }
        let expanded = NSString(string: typed).expandingTildeInPath
        return typed.hasSuffix("/") && !expanded.hasSuffix("/") ? expanded + "/" : expanded
    }

    /// What `typed` names on disk (sample names such as `samples/corpus.txt` resolve to the samples folder).
    public static func status(of typed: String) -> Status {
        let trimmed = typed.trimmingWhitespace
        guard !trimmed.isEmpty else { return .empty }
        let path = SampleFiles.resolve(expanded(trimmed))
        let fileManager = FileManager.default
        guard let attributes = try? fileManager.attributesOfItem(atPath: path) else {
            return fileManager.fileExists(atPath: path) ? .unreadable : .missing
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeDirectory?: return .directory
        case .typeRegular?:
            guard fileManager.isReadableFile(atPath: path) else { return .unreadable }
            return .file(bytes: (attributes[.size] as? NSNumber)?.intValue ?? 0)
        default: return .notRegularFile
        }
    }

    /// Completes the last component of `typed` against its directory: one match is completed (a
    /// directory gains "/"), several are completed to their common prefix and listed. Hidden entries
    /// are offered only when the typed name starts with ".". The text keeps the `~` a person typed.
    public static func complete(_ typed: String) -> Completion {
        let slash = typed.lastIndex(of: "/")
        let directoryPart = slash.map { String(typed[...$0]) } ?? (typed == "~" ? "~/" : "")
        let namePrefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? (typed == "~" ? "" : typed)
        let directory = directoryPart.isEmpty ? "." : expanded(directoryPart)
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else {
            return Completion(text: typed, candidates: [])
        }
        let matches = names.filter { $0.hasPrefix(namePrefix) && (namePrefix.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted()
            .map { name -> String in
                var isDirectory: ObjCBool = false
                let full = (directory as NSString).appendingPathComponent(name)
                return fileManager.fileExists(atPath: full, isDirectory: &isDirectory) && isDirectory.boolValue ? name + "/" : name
            }
        guard let first = matches.first else { return Completion(text: typed, candidates: []) }
        if matches.count == 1 { return Completion(text: directoryPart + first, candidates: []) }
        var common = first
        for match in matches.dropFirst() {
            while !match.hasPrefix(common) { common.removeLast() }
        }
        return Completion(text: directoryPart + (common.count > namePrefix.count ? common : namePrefix), candidates: matches)
    }

    /// 12345 → "12.3 kB".
    static func size(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return Format.trimmed(Double(bytes) / 1e6, digits: 1) + " MB" }
        if bytes >= 1000 { return Format.trimmed(Double(bytes) / 1e3, digits: 1) + " kB" }
        return "\(bytes) bytes"
    }
}
