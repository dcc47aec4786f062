import Foundation
import XCTest

/// Finds the package's built executables (`terminal-check`, `rnn-tui`) for the end-to-end tests.
///
/// `swift test` builds every product of the package before it runs the tests, so they sit next to the test bundle
/// (`.build/debug/rnn-tuiPackageTests.xctest`). Looked for, in order: `$RNN_TUI_BUILD_DIRECTORY`, the test bundle's
/// directory, `<package>/.build/debug` and `<package>/.build/release` (package found from `#filePath`).
enum BuiltProducts {
    static func candidateDirectories(filePath: String = #filePath) -> [URL] {
        var directories: [URL] = []
        if let configured = ProcessInfo.processInfo.environment["RNN_TUI_BUILD_DIRECTORY"] {
            directories.append(URL(fileURLWithPath: configured))
        }
        // Linux: the test runner is the .xctest executable itself; macOS: a bundle inside the build directory.
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        directories.append(Bundle.main.bundleURL)
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        // Tests/EndToEndTests/Support/BuiltProducts.swift -> package root.
        var packageRoot = URL(fileURLWithPath: filePath)
        for _ in 0..<4 { packageRoot.deleteLastPathComponent() }
        directories.append(packageRoot.appendingPathComponent(".build/debug"))
        directories.append(packageRoot.appendingPathComponent(".build/release"))
        return directories
    }

    /// The path of executable `name`; fails the test (saying what to run) when it was not built.
    static func path(of name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        for directory in candidateDirectories() {
            let path = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        let searched = candidateDirectories().map(\.path).joined(separator: ", ")
        XCTFail("executable '\(name)' not found in \(searched); run `swift build --product \(name)` first "
            + "or set RNN_TUI_BUILD_DIRECTORY", file: file, line: line)
        throw TmuxError("missing executable \(name)")
    }
}
