import Foundation
import Synchronization

private let interruptReceived = Atomic<Bool>(false)

/// Ctrl-C / SIGTERM / SIGHUP during a headless command: set a flag so the loop can stop cleanly and save.
/// A second Ctrl-C exits at once.
struct InterruptFlag {
    static func install() -> InterruptFlag {
        let handler: @convention(c) (Int32) -> Void = { signalNumber in
            if interruptReceived.exchange(true, ordering: .relaxed) { _exit(128 + signalNumber) }
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        signal(SIGHUP, handler)
        return InterruptFlag()
    }

    var isSet: Bool { interruptReceived.load(ordering: .relaxed) }
}
