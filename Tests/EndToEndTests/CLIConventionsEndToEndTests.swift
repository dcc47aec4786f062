import Foundation
import XCTest

/// `--version`, completion scripts and the exit codes the README's table states.
final class CLIConventionsEndToEndTests: XCTestCase {
    func testVersionPrintsOneVersionLine() throws {
        let result = try RNNTUIProcess.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertNotNil(result.standardOutput.wholeMatch(of: /\d+\.\d+\.\d+\n/), result.standardOutput)
    }

    func testCompletionScriptsNameTheSubcommands() throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try RNNTUIProcess.run(["--generate-completion-script", shell])
            XCTAssertEqual(result.status, 0, shell)
            for subcommand in ["train", "inspect", "export", "plot"] {
                XCTAssertTrue(result.standardOutput.contains(subcommand), "\(shell) completion lacks \(subcommand)")
            }
        }
    }

    func testExitCodes() throws {
        let badValue = try RNNTUIProcess.run(["train", "--cell", "transformer"])
        XCTAssertEqual(badValue.status, 64, "a flag value that is not one of its choices")
        XCTAssertTrue(badValue.standardError.hasPrefix("rnn-tui: error: "), badValue.standardError)
        XCTAssertEqual(try RNNTUIProcess.run(["train", "--hidden", "0"]).status, 64, "a value out of range")
        XCTAssertEqual(try RNNTUIProcess.run(["frobnicate"]).status, 64, "an unknown subcommand")
        let missing = try RNNTUIProcess.run(["train", "--dataset", "/nonexistent/data.txt", "--steps", "1"])
        XCTAssertEqual(missing.status, 1, "a file that cannot be used")
        XCTAssertTrue(missing.standardError.hasPrefix("rnn-tui: error: /nonexistent/data.txt"), missing.standardError)
    }
}
