import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file write that survives `kill -9` and power loss: the project's ONE way to write a file that
/// matters (checkpoints, config.json, and any later run file).
///
/// Steps: write a temporary file `.NAME.PID-RANDOM.tmp` in the same folder, fsync it, rename it over
/// `NAME`, fsync the folder. A reader sees either the old complete file or the new complete file,
/// never a torn one; a crash can at worst leave the temporary file behind, which
/// `removeStaleTemporaryFiles(in:)` deletes the next time the folder is opened or saved into.
/// Cost: one write of the data plus two fsyncs.
public enum DurableFile {
    /// Temporary files this process is writing right now (their paths), so a cleanup on another
    /// thread never deletes a file in flight.
    private static let inFlight = Mutex<Set<String>>([])

    /// Writes `data` to `url` durably. Errors are one line naming the path and the reason.
    public static func write(_ data: Data, to url: URL) throws(DurableFileError) {
        try write(to: url) { sink in
            try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in try sink.append(bytes) }
        }
    }

    /// Writes the bytes `produce` appends to the sink to `url` durably, with no copy of the whole file
    /// in memory (a checkpoint streams its tensors straight from their storage).
    public static func write(to url: URL, _ produce: (borrowing Sink) throws -> Void) throws(DurableFileError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(temporaryName(for: url.lastPathComponent))
        let temporaryPath = temporary.path
        inFlight.withLock { _ = $0.insert(temporaryPath) }
        defer { inFlight.withLock { _ = $0.remove(temporaryPath) } }
        do throws(DurableFileError) {
            let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw DurableFileError(url, "cannot create a temporary file in \(folder.path)") }
            var closed = false
            defer { if !closed { close(descriptor) } }
            do {
                try produce(Sink(descriptor: descriptor, url: url))
            } catch let error as DurableFileError {
                throw error
            } catch {
                throw DurableFileError("\(url.path): \(error)")
            }
            guard fsync(descriptor) == 0 else { throw DurableFileError(url, "cannot flush to disk") }
            closed = true
            guard close(descriptor) == 0 else { throw DurableFileError(url, "cannot close") }
            guard rename(temporaryPath, url.path) == 0 else { throw DurableFileError(url, "cannot rename the temporary file into place") }
        } catch {
            unlink(temporaryPath)
            throw error
        }
        syncFolder(folder)
    }

    /// Where `write(to:_:)`'s producer appends bytes (the temporary file, in order).
    public struct Sink: ~Copyable {
        let descriptor: Int32
        let url: URL

        public func append(_ bytes: UnsafeRawBufferPointer) throws(DurableFileError) {
            var written = 0
            while written < bytes.count {
                let result = systemWrite(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw DurableFileError(url, "cannot write")
                }
                written += result
            }
        }
    }

    /// Appends `data` at the end of `url` (creating it) and fsyncs it: for logs whose every line must
    /// survive (changes.jsonl). A crash mid-append can leave a partial last line; readers skip it.
    public static func append(_ data: Data, to url: URL) throws(DurableFileError) {
        let existed = FileManager.default.fileExists(atPath: url.path)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DurableFileError(url, "cannot open for appending") }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            guard let base = bytes.baseAddress else { return true }
            return systemWrite(descriptor, base, bytes.count) == bytes.count
        }
        guard written, fsync(descriptor) == 0 else { throw DurableFileError(url, "cannot append") }
        if !existed { syncFolder(url.deletingLastPathComponent()) }
    }

    /// Creates `url` durably when it does not exist (an empty file, or `contents`), fsyncing the folder so the
    /// name survives a crash. Returns false when it already existed.
    @discardableResult
    public static func createIfMissing(_ url: URL, contents: Data = Data()) throws(DurableFileError) -> Bool {
        if FileManager.default.fileExists(atPath: url.path) { return false }
        try write(contents, to: url)
        return true
    }

    /// Deletes temporary files left in `folder` by writers that died (their process is gone, or it is
    /// this process and the write is no longer in flight). Returns the names removed.
    @discardableResult
    public static func removeStaleTemporaryFiles(in folder: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let ownID = getpid()
        var removed: [String] = []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let path = folder.appendingPathComponent(name).path
            if inFlight.withLock({ $0.contains(path) }) { continue }
            if let writer = writerProcess(ofTemporaryName: name), writer != ownID, processIsAlive(writer) { continue }
            if unlink(path) == 0 { removed.append(name) }
        }
        return removed.sorted()
    }

    /// `.NAME.PID-RANDOM.tmp`
    static func temporaryName(for name: String) -> String {
        ".\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    }

    /// The PID in a temporary name this type made; nil for other dot-files ending in .tmp (which are
    /// then treated as stale, as the old `.NAME.UUID.tmp` files of earlier versions are).
    static func writerProcess(ofTemporaryName name: String) -> pid_t? {
        let stem = name.dropLast(4)  // ".tmp"
        guard let dot = stem.lastIndex(of: "."), let dash = stem[dot...].firstIndex(of: "-") else { return nil }
        return pid_t(stem[stem.index(after: dot)..<dash])
    }

    private static func processIsAlive(_ id: pid_t) -> Bool {
        kill(id, 0) == 0 || errno == EPERM
    }

    /// fsync on the folder makes a rename (or a new name) durable. Best effort: some file systems refuse it.
    private static func syncFolder(_ folder: URL) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

/// A file that could not be written durably, said in one line: `PATH: what failed (reason)`.
public struct DurableFileError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }

    init(_ url: URL, _ what: String) {
        description = "\(url.path): \(what) (\(String(cString: strerror(errno))))"
    }
}
