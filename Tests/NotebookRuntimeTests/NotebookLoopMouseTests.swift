import Foundation
import RNNApp
import RNNTraining
import TerminalUI
import XCTest
@testable import NotebookRuntime

/// Mouse input through the real frame loop: a click on what a frame drew reaches the state, then the wheel.
final class NotebookLoopMouseTests: XCTestCase {
    /// The (x, y) where `text` starts in `buffer`, first from the top.
    private func position(of text: String, in buffer: CellBuffer) -> (x: Int, y: Int)? {
        for (y, row) in buffer.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = row.range(of: text) { return (row.distance(from: row.startIndex, to: range.lowerBound), y) }
        }
        return nil
    }

    func testAClickOnADrawnFieldFocusesItAndTheWheelMovesOn() throws {
        // The loop's first frame: the setup screen of this setup at 120×40.
        var initial = AppState(datasetEntries: DatasetCatalog.entries(), colorMode: .none, setup: TrainingSetup())
        _ = initial.update(.resize(width: 120, height: 40))
        var frame = CellBuffer(width: 120, height: 40)
        render(initial, into: &frame)
        let optimizer = try XCTUnwrap(position(of: " optimizer ", in: frame))

        let clock = FakeClock()
        let screen = FakeScreen(width: 120, height: 40, clock: clock, steps: [
            .init(name: "click optimizer", condition: { $0.screen == .setup && $0.form.focus == .cell },
                  inputs: [.mouse(MouseEvent(x: optimizer.x + 3, y: optimizer.y, button: .left))]),
            .init(name: "wheel down", condition: { $0.form.focus == .optimizer },
                  inputs: [.mouse(MouseEvent(x: 70, y: 20, button: .wheelDown))]),
            .init("quit", when: { $0.form.focus == .learningRate }, press: [.character("q")]),
        ])
        let loop = NotebookLoop(screen: screen, setup: TrainingSetup(), runsFolder: "unused-runs", threadCount: 1,
                                framesPerSecond: 30, clock: { clock.now })
        loop.onFrame = { [unowned screen] state in screen.latestState = state }
        _ = loop.run()

        XCTAssertFalse(screen.timedOut, "still waiting for: \(screen.remainingSteps)")
        XCTAssertEqual(screen.firedSteps, ["click optimizer", "wheel down", "quit"])
        let last = try XCTUnwrap(screen.lastFrame)
        XCTAssertNotNil(position(of: "▸ learning rate", in: last), last.text)
    }

    func testAClickAfterAKeyIsHandledOnceTheFrameShowingTheKeyIsDrawn() throws {
        // ↑ from the first field wraps to the last: at 80×24 the form scrolls, and row 1 then holds a field
        // (it held the "Model" heading before).
        let clock = FakeClock()
        let screen = FakeScreen(width: 80, height: 24, clock: clock, steps: [
            .init(name: "up and a click on row 1 together", condition: { $0.screen == .setup && $0.form.focus == .cell },
                  inputs: [.key(.up), .mouse(MouseEvent(x: 8, y: 1, button: .left))]),
            .init("quit", when: { $0.form.focus != .cell && $0.form.focus != $0.form.visibleFields.last },
                  press: [.character("q")]),
        ])
        var drawnFocus: [SetupField] = []
        let loop = NotebookLoop(screen: screen, setup: TrainingSetup(), runsFolder: "unused-runs", threadCount: 1,
                                framesPerSecond: 30, clock: { clock.now })
        loop.onFrame = { [unowned screen] state in
            screen.latestState = state
            if drawnFocus.last != state.form.focus { drawnFocus.append(state.form.focus) }
        }
        _ = loop.run()

        XCTAssertFalse(screen.timedOut, "still waiting for: \(screen.remainingSteps)")
        let last = try XCTUnwrap(drawnFocus.dropFirst().first)
        XCTAssertEqual(drawnFocus.count, 3, "cell, then the last field drawn, then the clicked one: \(drawnFocus)")
        XCTAssertNotEqual(last, .cell)
        let clicked = try XCTUnwrap(drawnFocus.last)
        XCTAssertNotEqual(clicked, last, "the click landed on the scrolled form's row 1, not on a heading")
    }
}
