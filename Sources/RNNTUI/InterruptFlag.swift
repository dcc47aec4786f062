import Foundation
import RNNEngine
import Synchronization

/// The signal that asked a headless command to stop (0: none yet).
private let interruptSignal = Atomic<Int32>(0)
/// Handed to the training session, so a signal ends the step in progress (the engine checks it
/// between timesteps and product blocks), not only the loop between steps.
private let interruptCancellation = CancellationFlag()

/// Ctrl-C / SIGTERM / SIGHUP during a headless command: cancel the step in progress so the loop can stop
/// cleanly and save. A second signal exits at once.
struct InterruptFlag {
    static func install() -> InterruptFlag {
        _ = interruptCancellation.isCancelled  // initialise the global before a handler can touch it
        let handler: @convention(c) (Int32) -> Void = { signalNumber in
            if interruptSignal.exchange(signalNumber, ordering: .relaxed) != 0 { _exit(128 + signalNumber) }
            interruptCancellation.cancel()
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        signal(SIGHUP, handler)
        return InterruptFlag()
    }

    var cancellation: CancellationFlag { interruptCancellation }

    var isSet: Bool { interruptSignal.load(ordering: .relaxed) != 0 }

    /// The exit status for the signal received: 128 + its number (130 for Ctrl-C, 143 for SIGTERM).
    var exitStatus: Int32 { 128 + interruptSignal.load(ordering: .relaxed) }
}
