import Foundation

/// What stands at a path that should be a regular file, so readers can refuse a directory, a FIFO or a device
/// in words before they open it (opening a FIFO blocks; reading `/dev/zero` never ends).
public enum RegularFile {
    public enum Problem: Equatable, Sendable {
        case missing
        case directory
        /// A FIFO, a device or a socket: `kind` names which ("a FIFO (named pipe)").
        case notRegular(kind: String)
        /// `stat` failed for another reason (permissions on a parent folder...): the system's words.
        case unreadable(reason: String)

        /// Something exists at the path but it is not a file: a directory, a FIFO, a device.
        public var isSomethingElse: Bool {
            switch self {
            case .directory, .notRegular: true
            case .missing, .unreadable: false
            }
        }

        /// "is not a regular file but a FIFO (named pipe)", for "PATH: … ; expected …" messages.
        public var description: String {
            switch self {
            case .missing: "no such file"
            case .directory: "is a directory"
            case .notRegular(let kind): "is not a regular file but \(kind)"
            case .unreadable(let reason): "cannot be read (\(reason))"
            }
        }
    }

    /// nil when `path` names a regular file (symbolic links followed); otherwise what it is instead. Cost: one `stat`.
    public static func problem(at path: String) -> Problem? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return .missing }
            return .unreadable(reason: String(cString: strerror(code)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return .directory
        case S_IFIFO: return .notRegular(kind: "a FIFO (named pipe)")
        case S_IFCHR: return .notRegular(kind: "a character device")
        case S_IFBLK: return .notRegular(kind: "a block device")
        case S_IFSOCK: return .notRegular(kind: "a socket")
        default: return .notRegular(kind: "a special file")
        }
    }
}
