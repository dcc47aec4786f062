import Foundation
import RNNEngine
import RNNTraining
import TerminalUI
import XCTest
@testable import RNNApp

/// The runs browser and what it opens, at 80×24 and 120×40 (and under NO_COLOR, where the cursor is
/// reverse video and marks and damage are words and glyphs, not colours).
final class RunsBrowserSnapshotTests: XCTestCase {
    private func assertAtBothSizes(_ name: String, file: StaticString = #filePath, line: UInt = #line,
                                   _ makeState: (Int, Int) -> AppState) {
        for (width, height) in ScreenSnapshotTests.sizes {
            assertSnapshot(Fixtures.rendered(makeState(width, height)), named: "\(name).\(width)x\(height)", file: file, line: line)
        }
    }

    func testBrowser() {
        assertAtBothSizes("runs-browser") { RunsBrowserFixtures.browserState(width: $0, height: $1) }
    }

    func testBrowserWithMarksAndADeletionToConfirm() {
        assertAtBothSizes("runs-browser-delete") { width, height in
            var state = RunsBrowserFixtures.browserState(width: width, height: height)
            for key: Key in [.character(" "), .character(" "), .down, .down, .character("x")] { _ = state.update(.key(key)) }
            return state
        }
    }

    func testBrowserNoColor() {
        assertAtBothSizes("runs-browser-nocolor") { width, height in
            var state = RunsBrowserFixtures.browserState(colorMode: .none, width: width, height: height)
            for key: Key in [.character(" "), .down, .down, .down] { _ = state.update(.key(key)) }
            return state
        }
        var state = RunsBrowserFixtures.browserState(colorMode: .none)
        _ = state.update(.key(.down))
        let buffer = Fixtures.rendered(state)
        XCTAssertTrue(buffer[5, 4].style.reverse, "the cursor's row is reverse video without colour")
        XCTAssertFalse(buffer[5, 3].style.reverse)
    }

    func testBrowserEmptyAndHelp() {
        assertAtBothSizes("runs-browser-empty") { width, height in
            var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256)
            _ = state.update(.resize(width: width, height: height))
            _ = state.update(.runsListed([], at: RunsBrowserFixtures.listedAt))
            _ = state.update(.key(.character("R")))
            return state
        }
        assertAtBothSizes("runs-help") { width, height in
            var state = RunsBrowserFixtures.browserState(width: width, height: height)
            _ = state.update(.key(.character("?")))
            return state
        }
    }

    /// Three marked runs overlaid: the active one's curves and the others beside it, named in the legend.
    func testOverlaidRuns() {
        assertAtBothSizes("runs-overlay") { width, height in
            var state = RunsBrowserFixtures.browserState(width: width, height: height)
            for key: Key in [.character(" "), .character(" "), .character(" "), .up, .character("o")] { _ = state.update(.key(key)) }
            for (id, (steps, start)) in zip(state.comparedRunIDs, [(200, 0.9), (300, 0.5), (400, 0.7)]) {
                _ = state.update(.runHistory(runID: id, RunsBrowserFixtures.history(steps: steps, start: start)))
            }
            return state
        }
    }
}
