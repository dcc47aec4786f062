import TerminalUI
import XCTest
@testable import RNNApp

/// The one key table: every key has a help line, every footer entry a key, and handling follows the table.
final class KeyBindingTests: XCTestCase {
    func testEveryActionIsBoundAndHandled() {
        let bound = Set(KeyBindings.table.flatMap(\.actions))
        XCTAssertEqual(bound, Set(KeyAction.allCases), "an action without a key, or a key without an action")
        for binding in KeyBindings.table {
            XCTAssertFalse(binding.keys.isEmpty, "\(binding.actions) has no keys on its help line")
            XCTAssertFalse(binding.text.isEmpty, "\(binding.actions) has no help text")
            XCTAssertFalse(binding.mappings.isEmpty)
        }
    }

    /// At 80×24 a help column is 39 wide (two columns in 78) and the keys take 10: every line must fit in the
    /// 28 columns left (one blank before the next column), so no description is ever cut.
    func testEveryHelpLineFitsItsColumnAtEightyColumns() {
        for binding in KeyBindings.table {
            XCTAssertLessThanOrEqual(binding.text.count, 28, "'\(binding.text)' (\(binding.keys)) is cut at 80 columns")
            XCTAssertLessThanOrEqual(binding.keys.count, 9, "keys '\(binding.keys)' run into their text")
        }
    }

    func testNoKeyIsBoundTwiceInOneContext() {
        for context in KeyContext.allCases {
            let patterns = KeyBindings.bindings(in: context).flatMap(\.mappings).map(\.pattern)
            XCTAssertEqual(patterns.count, Set(patterns).count, "\(context) binds a key twice")
        }
    }

    func testEveryFooterEntryComesFromTheTable() {
        for (footer, contexts) in [(KeyBindings.setupFooter, [KeyContext.setup]), (KeyBindings.lossFooter, []),
                                   (KeyBindings.gatesFooter, []), (KeyBindings.helpFooter, [.help]),
                                   (KeyBindings.gradientsFooter, [.gradients]), (KeyBindings.statisticsFooter, [.statistics]),
                                   (KeyBindings.textFooter, [.text]),
                                   (KeyBindings.promptHints, [.prompt])] {
            XCTAssertEqual(KeyBindings.footer(footer, preferring: contexts).count, footer.count,
                           "a footer names an action with no footer hint: \(footer)")
        }
        XCTAssertEqual(KeyBindings.footer([.pauseResume]).first?.action, "pause")
        XCTAssertEqual(KeyBindings.footer([.pauseResume], active: true).first?.action, "resume")
    }

    func testTheHelpScreenListsEveryRowOfItsContexts() {
        let state = Fixtures.trainingState(.languageModel, width: 120, height: 40, steps: 10)
        var help = state
        _ = help.update(.key(.character("?")))
        let text = Fixtures.rendered(help).text
        for context in KeyBindings.helpColumns.joined() {
            for binding in KeyBindings.bindings(in: context) {
                XCTAssertTrue(text.contains(binding.text), "help misses '\(binding.text)' of \(context)")
            }
        }
    }

    func testLookupFollowsContextOrderAndTypedTextComesFirst() {
        XCTAssertEqual(KeyBindings.action(for: .up, in: [.gates, .training, .anywhere]), .cursorUp)
        XCTAssertEqual(KeyBindings.action(for: .up, in: [.setup, .anywhere]), .previousField)
        XCTAssertEqual(KeyBindings.action(for: .escape, in: [.setup, .anywhere]), .backToRun)
        XCTAssertEqual(KeyBindings.action(for: .escape, in: [.training, .anywhere]), .dismiss)
        XCTAssertNil(KeyBindings.action(for: .up, in: [.training, .anywhere]), "arrows do nothing on the loss view")
        XCTAssertEqual(KeyBindings.action(for: .character("q"), in: [.setup, .anywhere]), .quit)
        XCTAssertEqual(KeyBindings.action(for: .character("q"), in: [.setup, .anywhere]) { _ in true }, .typeValue,
                       "a path field takes q as text")
        XCTAssertEqual(KeyBindings.action(for: .control("c"), in: [.prompt]), .quit)
    }

    func testStateHandlesKeysThroughTheTable() {
        var state = Fixtures.trainingState(.languageModel, steps: 10)
        XCTAssertEqual(state.keyContexts, [.training, .anywhere])
        _ = state.update(.key(.character("g")))
        XCTAssertEqual(state.keyContexts, [.gates, .surgery, .training, .anywhere])
        _ = state.update(.key(.character("=")))
        XCTAssertEqual(state.keyContexts, [.prompt])
        _ = state.update(.key(.character("q")))
        XCTAssertFalse(state.shouldQuit, "q is typed into the prompt")
        XCTAssertEqual(state.prompt?.text.last, "q")
        _ = state.update(.key(.escape))
        _ = state.update(.key(.character("?")))
        XCTAssertEqual(state.keyContexts, [.help])
        _ = state.update(.key(.character("h")))
        XCTAssertFalse(state.isShowingHelp)
        XCTAssertEqual(state.update(.key(.control("c"))), [.quit])
    }
}
