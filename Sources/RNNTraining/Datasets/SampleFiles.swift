import Foundation

/// Finds the project's `samples/` folder: under the current directory first, then next to the
/// executable or any folder above it (so `swift run` from the repository root and
/// `.build/release/rnn-tui` both find it).
public enum SampleFiles {
    /// The samples folder, or nil when there is none to be found.
    public static func directory() -> URL? {
        let fileManager = FileManager.default
        var candidates = [URL(fileURLWithPath: fileManager.currentDirectoryPath)]
        let executables = [Bundle.main.executablePath, CommandLine.arguments.first].compactMap { $0 }
        for executable in executables {
            var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<8 {
                candidates.append(folder)
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        for folder in candidates {
            let samples = folder.appendingPathComponent("samples")
            if fileManager.fileExists(atPath: samples.appendingPathComponent("README.md").path) { return samples }
        }
        return nil
    }

    /// The path of `relativePath` (like `samples/corpus.txt`) as given when it exists there, else
    /// resolved inside the samples folder found by `directory()`.
    public static func resolve(_ relativePath: String) -> String {
        if FileManager.default.fileExists(atPath: relativePath) { return relativePath }
        guard relativePath.hasPrefix("samples/"), let folder = directory() else { return relativePath }
        let resolved = folder.appendingPathComponent(String(relativePath.dropFirst("samples/".count))).path
        return FileManager.default.fileExists(atPath: resolved) ? resolved : relativePath
    }
}
