import Foundation
import RNNApp
import Synchronization
import TerminalUI

/// A monotonic clock a test moves by hand: the fake screen advances it by each wait it is asked for, so a
/// frame loop runs simulated seconds in no time.
final class FakeClock: Sendable {
    private let nanoseconds = Atomic<UInt64>(1_000_000_000)

    var now: UInt64 { nanoseconds.load(ordering: .relaxed) }
    func advance(milliseconds: Int) { nanoseconds.add(UInt64(max(0, milliseconds)) * 1_000_000, ordering: .relaxed) }
}

/// A screen with no terminal behind it: keeps the newest frame, and plays a script of inputs, each step
/// waiting until its condition holds on the state of the newest frame. Without a fake clock a wait
/// blocks for the time the loop asks (as a terminal's read does); past `deadline` it quits with Ctrl-C
/// and records that it timed out, so a broken loop fails the test instead of hanging it.
final class FakeScreen: Screen {
    struct Step {
        var name: String
        var condition: (AppState) -> Bool
        var inputs: [TerminalInput]
        /// Runs when the step fires (after its condition held, before its inputs are read).
        var action: (() -> Void)?
    }

    let colorMode: ColorMode = .none
    private(set) var size: (width: Int, height: Int)
    private(set) var lastFrame: CellBuffer?
    /// The fake-clock time of every present, oldest first (empty without a fake clock).
    private(set) var presentTimes: [UInt64] = []
    private(set) var presentCount = 0
    private(set) var restoreCount = 0
    private(set) var timedOut = false
    private(set) var firedSteps: [String] = []
    var terminationSignal: Int32?
    /// The state of the newest frame (the loop's `onFrame` sets it).
    var latestState: AppState?

    private var steps: [Step]
    private var queued: [TerminalInput] = []
    private let clock: FakeClock?
    private let deadline: Date

    init(width: Int = 80, height: Int = 24, clock: FakeClock? = nil, timeout: TimeInterval = 120, steps: [Step]) {
        size = (width, height)
        self.clock = clock
        self.steps = steps
        deadline = Date().addingTimeInterval(timeout)
    }

    var remainingSteps: [String] { steps.map(\.name) }

    func present(_ buffer: CellBuffer) {
        lastFrame = buffer
        presentCount += 1
        if let clock { presentTimes.append(clock.now) }
    }

    func nextInput(timeoutMilliseconds: Int) -> TerminalInput? {
        if !queued.isEmpty { return take() }
        if let step = steps.first, let state = latestState, step.condition(state) {
            steps.removeFirst()
            firedSteps.append(step.name)
            step.action?()
            queued = step.inputs
            if !queued.isEmpty { return take() }
        }
        if Date() > deadline {
            timedOut = true
            return .key(.control("c"))
        }
        guard timeoutMilliseconds > 0 else { return nil }
        if let clock {
            clock.advance(milliseconds: timeoutMilliseconds)
        } else {
            // A terminal's read blocks this long when no key comes; cap it so conditions are checked often.
            Thread.sleep(forTimeInterval: Double(min(timeoutMilliseconds, 20)) / 1000)
        }
        return nil
    }

    func restore() { restoreCount += 1 }

    private func take() -> TerminalInput {
        let input = queued.removeFirst()
        if case .resize(let width, let height) = input { size = (width, height) }
        return input
    }
}

extension FakeScreen.Step {
    init(name: String, condition: @escaping (AppState) -> Bool, inputs: [TerminalInput]) {
        self.init(name: name, condition: condition, inputs: inputs, action: nil)
    }

    init(_ name: String, when condition: @escaping (AppState) -> Bool, press keys: [Key] = [], then action: (() -> Void)? = nil) {
        self.init(name: name, condition: condition, inputs: keys.map(TerminalInput.key), action: action)
    }
}
