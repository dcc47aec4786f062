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
}
