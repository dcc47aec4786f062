import Foundation
import XCTest

/// The notebook's predictions and task output, driven in tmux as a person would: on the corpus the
/// next-character guesses at the gate cursor, unit surgery's Δ, the live sample pane with a typed prime;
/// on the sentiment classifier a typed sentence's class probabilities.
final class PredictionNotebookEndToEndTests: XCTestCase {
    private var runsFolder = ""

    override func setUpWithError() throws {
        runsFolder = FileManager.default.temporaryDirectory
            .appendingPathComponent("rnn-tui-e2e-predict-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: runsFolder)
    }

    private func startNotebook(_ arguments: String, width: Int = 120, height: Int = 40) throws -> TmuxSession {
        let program = try BuiltProducts.path(of: "rnn-tui")
        let session = try TmuxSession(
            command: "\(TmuxSession.shellQuoted(program)) \(arguments) --runs \(TmuxSession.shellQuoted(runsFolder))",
            width: width, height: height)
        addTeardownBlock { session.kill() }
        return session
    }

    func testCorpusGuessesAtTheCursorSurgeryAndTheSamplePane() throws {
        let session = try startNotebook("--dataset samples/corpus.txt --hidden 32 --batch 8 --seq-len 32")
        guard session.waitUntil("the setup screen", condition: { $0.contains("Enter starts run 1") && $0.contains("corpus") }) != nil else { return }
        session.sendKeys("Enter")
        guard session.waitForText("running") != nil else { return }
        session.sendKeys("g")
        guard session.waitUntil("the gate view with its cursor", condition: { $0.contains("cursor") && $0.contains("input '") }) != nil else { return }
        session.sendKeys("Right", "Right", "Right")
        // The prediction at the cursor: the true next character's rank and five guesses with probabilities.
        guard let guesses = session.waitUntil("next-character guesses at t 3", condition: { screen in
            screen.contains("prediction at t 3") && screen.contains(" rank ")
        }) else { return }
        let guessRows = guesses.split(separator: "\n").filter { $0.range(of: #"│ '.+' +0\.\d{3}"#, options: .regularExpression) != nil }
        XCTAssertGreaterThanOrEqual(guessRows.count, 5, guesses)

        // Ablate the cursor's unit: the validation loss with and without it, and the mark on the unit.
        session.sendKeys("a")
        guard session.waitUntil("the surgery's Δ", condition: { screen in
            screen.contains("surgery Δ") && screen.contains("✕ h=0") && screen.range(of: #"loss +[+-]\d"#, options: .regularExpression) != nil
        }) != nil else { return }

        // The sample pane: a sample from the current weights, then one after a typed prime.
        session.sendKeys("o")
        guard session.waitUntil("a first sample", condition: { $0.contains("drawn at step") && $0.contains("ablate l0:0") }) != nil else { return }
        session.sendKeys("/")
        session.type("the ")
        session.sendKeys("Enter")
        guard let primed = session.waitUntil("a sample after the prime", condition: { screen in
            screen.contains("prime 'the '") && screen.split(separator: "\n").contains { $0.hasPrefix(" the ") }
        }) else { return }
        XCTAssertTrue(primed.contains("temperature 0.8"), primed)
        session.sendKeys("T")
        guard session.waitForText("temperature 1 ") != nil else { return }
        session.sendKeys("q")
        XCTAssertEqual(session.waitForExit(timeout: 20), 0)
    }

    func testSentimentScoresATypedSentence() throws {
        let session = try startNotebook("--dataset sentiment --hidden 16 --batch 16", width: 80, height: 24)
        guard session.waitUntil("the setup screen", condition: { $0.contains("Enter starts run 1") && $0.contains("sentiment") }) != nil else { return }
        session.sendKeys("Enter")
        guard session.waitForText("running") != nil else { return }
        session.sendKeys("o")
        guard session.waitUntil("the confusion matrix", condition: { $0.contains("confusion matrix") && $0.contains("true╲pred") }) != nil else { return }
        session.sendKeys("/")
        session.type("a wonderful, moving film")
        session.sendKeys("Enter")
        guard let scored = session.waitUntil("the sentence's class probabilities", condition: { screen in
            screen.contains("typed: a wonderful, moving film")
                && screen.range(of: #"positive +[01]\.\d{3}"#, options: .regularExpression) != nil
                && screen.range(of: #"negative +[01]\.\d{3}"#, options: .regularExpression) != nil
        }) else { return }
        XCTAssertTrue(scored.contains("worst classified"), scored)
        session.sendKeys("q")
        XCTAssertEqual(session.waitForExit(timeout: 20), 0)
    }
}
