import ArgumentParser
import XCTest
@testable import RNNTUI

/// Every numeric flag of every command, parsed in-process as `rnn-tui` parses it: a negative number, NaN,
/// an infinity or an out-of-range value is refused naming the flag and what it accepts (never ArgumentParser's
/// "Missing value", which it said when it took "-1" for a flag). `FlagValidationEndToEndTests` runs a few of
/// these through the built binary.
final class FlagValidationTests: XCTestCase {
    /// The one line `rnn-tui` prints for these arguments, or nil when they parse and validate.
    private func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try RNNTUICommand.parseAsRoot(arguments)
            return nil
        } catch {
            return RNNTUICommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        }
    }

    private func expectRefused(_ arguments: [String], mentions phrases: [String], line: UInt = #line) {
        let shown = arguments.joined(separator: " ")
        guard let message = refusal(arguments) else { return XCTFail("\(shown) was accepted", line: line) }
        XCTAssertFalse(message.contains("Missing value"), "\(shown): \(message)", line: line)
        for phrase in phrases { XCTAssertTrue(message.contains(phrase), "\(shown): \(message) should mention \(phrase)", line: line) }
    }

    /// (flag, takes a fraction, values out of range besides negatives).
    static let setupFlags: [(flag: String, isFraction: Bool, outOfRange: [String])] = [
        ("--hidden", false, ["0", "9000"]), ("--layers", false, ["0", "5"]), ("--embedding", false, ["5000"]),
        ("--dropout", true, ["1"]), ("--lr", true, ["0"]), ("--momentum", true, ["1", "5"]), ("--weight-decay", true, ["2"]),
        ("--clip", true, []), ("--decay-every", false, ["0"]), ("--decay-factor", true, ["0", "1.5"]),
        ("--min-lr-factor", true, ["2"]), ("--batch", false, ["0", "5000"]), ("--seq-len", false, ["0", "100001"]),
        ("--epochs", false, ["0"]), ("--steps", false, ["0"]), ("--eval-every", false, ["0"]), ("--patience", false, ["0"]),
        ("--val-fraction", true, ["0", "0.95", "1"]), ("--vocab-cap", false, ["0", "1"]),
    ]

    func testEveryNumericSetupFlagSaysWhatIsWrongInTrainAndTheNotebook() {
        // A parse costs a noticeable fraction of a second in a debug build, so each flag gets a negative number
        // and a fraction flag one non-finite value, every third an out-of-range one; the commands and the
        // `--flag=value` form take turns.
        // (`SetupLimitsTests` holds every limit to NaN and both infinities.)
        let commands: [[String]] = [["train"], ["notebook"], []]
        let nonFinite = ["nan", "inf", "-inf", "NaN", "infinity"]
        for (index, (flag, isFraction, outOfRange)) in Self.setupFlags.enumerated() {
            let command = commands[index % commands.count]
            expectRefused(command + [flag, "-1"], mentions: ["\(flag) must be", "got -1"])
            if isFraction {
                expectRefused(["train", "\(flag)=\(nonFinite[index % nonFinite.count])"], mentions: ["\(flag) must be"])
            }
            if index % 3 == 0, let value = outOfRange.last { expectRefused(["train", flag, value], mentions: ["\(flag) must be", "got \(value)"]) }
        }
        expectRefused(["train", "--lr", "-1"], mentions: ["--lr must be positive and finite, got -1"])
        expectRefused(["train", "--steps", "-3"], mentions: ["--steps must be a whole number ≥ 1, got -3"])
        expectRefused(["train", "--momentum", "5"], mentions: ["--momentum must be from 0 up to (not including) 1, got 5"])
        expectRefused(["train", "--clip", "nan"], mentions: ["--clip must be positive and finite, or 0 (off), got nan"])
        XCTAssertNil(refusal(["train", "--clip", "0", "--lr", "1e30", "--steps", "1"]), "0 turns clipping off; a huge rate is a divergence test, not an error")
    }

    func testSeedsAndWholeNumbersSayWhatIsWrong() {
        for command in [["train"], ["sample", "--checkpoint", "x"]] {
            expectRefused(command + ["--seed", "-1"], mentions: ["'-1'", "--seed", "whole number"])
        }
        expectRefused(["train", "--hidden", "1.5"], mentions: ["'1.5'", "--hidden"])
    }

    func testTheOtherCommandsNumericFlags() {
        for command in [["train"], ["notebook"]] {
            expectRefused(command + ["--threads", "-1"], mentions: ["--threads must be 1…64, got -1"])
            expectRefused(command + ["--threads", "65"], mentions: ["--threads must be"])
        }
        for value in ["-1", "0", "121"] { expectRefused(["notebook", "--fps", value], mentions: ["--fps must be 1…120"]) }
        for flag in ["--hidden", "--batch", "--seq-len", "--vocab", "--steps", "--warmup", "--threads"] {
            expectRefused(["bench", flag, "-1"], mentions: ["\(flag) must be", "got -1"])
        }
        expectRefused(["bench", "--hidden", "9000"], mentions: ["--hidden must be 1…8192"])
        for (flag, value) in [("--length", "-1"), ("--length", "2000000"), ("--temperature", "-0.5"),
                              ("--temperature", "nan"), ("--temperature", "inf")] {
            expectRefused(["sample", "--checkpoint", "x", flag, value], mentions: ["\(flag) must be"])
        }
        XCTAssertNil(refusal(["inspect", "--checkpoint", "x", "--features", "-0.5,1;-2,0", "--targets", "-1.5"]),
                     "negative numbers in inspect's lists are values, not flags")
    }

    func testEmptyPathsAreRefused() {
        expectRefused(["train", "--out", ""], mentions: ["--out is empty"])
        expectRefused(["train", "--dataset", ""], mentions: ["--dataset is empty"])
        expectRefused(["train", "--init", " "], mentions: ["--init is empty"])
        expectRefused(["notebook", "--runs", ""], mentions: ["--runs is empty"])
        expectRefused(["sample", "--checkpoint", ""], mentions: ["--checkpoint is empty"])
    }

    func testValidFlagsStillParse() {
        XCTAssertNil(refusal(["train", "--cell", "gru", "--hidden", "64", "--layers", "4", "--dropout", "0.5", "--lr", "1e-3",
                              "--momentum", "0", "--weight-decay", "0.01", "--clip", "1", "--schedule", "step",
                              "--decay-every", "10", "--decay-factor", "1", "--val-fraction", "0.9", "--vocab-cap", "2",
                              "--epochs", "1", "--steps", "5", "--patience", "1", "--seed", "0"]))
        XCTAssertNil(refusal(["bench", "--warmup", "0"]))
    }
}
