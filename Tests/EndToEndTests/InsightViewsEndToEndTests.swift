import Foundation
import XCTest

/// The insight views in the real notebook, driven in tmux: gradient flow (probe, then a validation
/// sample), gate statistics, the gate view's glance mode, and text coloured by a unit with typed text.
final class InsightViewsEndToEndTests: XCTestCase {
    private var runsFolder = ""

    override func setUpWithError() throws {
        runsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-tui-e2e-insight-\(UUID().uuidString)").path
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

    func testGradientFlowStatisticsAndGlanceOnAVanillaRNN() throws {
        let session = try startNotebook("--dataset adding --cell rnn --seq-len 30 --hidden 16 --batch 8")
        guard session.waitUntil("the setup screen", timeout: 15, condition: { $0.contains("adding") && $0.contains("RNN") }) != nil
        else { return }
        session.sendKeys("Enter")
        guard session.waitForText("running", timeout: 20) != nil else { return }

        session.sendKeys("G")
        guard session.waitUntil("the probe's gradient flow with its heatmap", timeout: 20, condition: { screen in
            ["gradient flow", "probe 1/", "‖∂L/∂h₀‖/‖∂L/∂h_T‖", "|∂L/∂h_t| layer 1", "log y"].allSatisfy { screen.contains($0) }
        }) != nil else { return }
        session.sendKeys("v")
        guard session.waitUntil("the validation sample's mean norms", timeout: 20, condition: { screen in
            screen.contains("validation · mean over") && screen.contains("v switches to the probe")
        }) != nil else { return }

        session.sendKeys("S")
        guard session.waitUntil("the vanilla RNN's statistics", timeout: 20, condition: { screen in
            ["gate statistics", "saturated tanh values", "spectral radius ρ(W_hh)", "ρ(W_hh) against the step"].allSatisfy { screen.contains($0) }
        }) != nil else { return }

        session.sendKeys("g")
        guard session.waitForText("input", timeout: 10) != nil else { return }
        session.sendKeys("z")
        guard session.waitUntil("the glance mode with the numeric axis", timeout: 10, condition: { screen in
            screen.contains("glance") && screen.contains("mark") && screen.contains("value") && screen.contains("▀")
        }) != nil else { return }
        session.sendKeys("u")
        guard session.waitForText("by variance", timeout: 10) != nil else { return }

        session.sendKeys("q")
        XCTAssertEqual(session.waitForExit(timeout: 10), 0)
    }

    func testTextColouredByAUnitWithTypedText() throws {
        let session = try startNotebook("--dataset corpus --hidden 16 --seq-len 40 --batch 8", width: 80, height: 24)
        guard session.waitUntil("the setup screen", timeout: 15, condition: { $0.contains("corpus") && $0.contains("LSTM") }) != nil
        else { return }
        session.sendKeys("Enter")
        guard session.waitForText("running", timeout: 20) != nil else { return }
        session.sendKeys("T")
        guard session.waitUntil("the probe's text by unit 0", timeout: 20, condition: { screen in
            ["text by unit", "unit 0 of 16", "h (hidden)", "vary most (m)"].allSatisfy { screen.contains($0) }
        }) != nil else { return }
        session.sendKeys("Down", "x")
        guard session.waitUntil("unit 1's cell state", timeout: 10, condition: { $0.contains("unit 1 of 16") && $0.contains("c (cell)") }) != nil
        else { return }
        session.sendKeys("/")
        guard session.waitForText("text:", timeout: 10) != nil else { return }
        session.type("say \"hi\"")
        session.sendKeys("Enter")
        guard session.waitUntil("the typed text coloured", timeout: 20, condition: { screen in
            screen.contains("typed text") && screen.contains("say \"hi\"")
        }) != nil else { return }
        session.sendKeys("m")
        guard session.waitForText("most varying on this text", timeout: 10) != nil else { return }
        session.sendKeys("q")
        XCTAssertEqual(session.waitForExit(timeout: 10), 0)
    }
}
