import Dispatch
import Foundation
import Synchronization
import RNNEngine

/// Runs a `TrainingSession` on its own thread. It never touches the screen: it posts `TrainerEvent`s
/// through `post` and takes `TrainerCommand`s through `send`, applied between steps.
public final class TrainerThread: Sendable {
    private let setup: TrainingSetup
    private let runDirectory: String?
    private let threadCount: Int
    /// Minimum wall time between two automatic gate snapshots.
    private let gateInterval: Double
    private let post: @Sendable (TrainerEvent) -> Void
    private let commands = Mutex<[TrainerCommand]>([])
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    /// Set by `.stop`: ends the step in progress within a timestep (the engine checks it).
    private let cancellation = CancellationFlag()

    /// - runDirectory: when set, the run writes config.json, metrics.csv and checkpoints there.
    public init(
        setup: TrainingSetup, runDirectory: String?, threadCount: Int = 2, gateInterval: Double = 0.25,
        post: @escaping @Sendable (TrainerEvent) -> Void
    ) {
        self.setup = setup
        self.runDirectory = runDirectory
        self.threadCount = threadCount
        self.gateInterval = gateInterval
        self.post = post
    }

    public func start() {
        let thread = Thread { [self] in
            self.run()
            self.done.signal()
        }
        thread.name = "rnn-tui trainer"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues a command; it applies before the next step (or at once while paused). `.stop` also
    /// cancels the step in progress, so a run of any size stops within about a timestep.
    public func send(_ command: TrainerCommand) {
        if command == .stop { cancellation.cancel() }
        commands.withLock { $0.append(command) }
        wake.signal()
    }

    /// Asks the run to stop and waits (up to `timeout` seconds) until it has.
    @discardableResult
    public func stopAndWait(timeout: Double = 10) -> Bool {
        send(.stop)
        return done.wait(timeout: .now() + timeout) == .success
    }

    private func run() {
        // Yield the CPU to the UI thread the moment it wakes for a key: the trainer (and the compute
        // threads its pool starts from here, which inherit this) runs one nice level lower.
        Self.lowerPriorityOfCurrentThread()
        post(.status(.preparing))
        let session: TrainingSession
        do {
            session = try TrainingSession(setup: setup, threadCount: threadCount, cancellation: cancellation)
            if let runDirectory { try session.attach(to: RunFolder(path: runDirectory)) }
        } catch {
            post(.status(.failed("\(error)")))
            waitForStop()
            return
        }
        var summary = session.summary
        summary.runDirectory = session.folder?.url.path
        post(.started(summary))
        post(.status(.running))
        post(.gates(session.gateSnapshot(probeIndex: 0)))

        var paused = false, finished = false, stepsAllowed = 0
        var probeIndex = 0, gatesRequested = false
        var lastGates = DispatchTime.now().uptimeNanoseconds
        func save(to path: String?) {
            do {
                let url = try session.save(to: path.map { URL(fileURLWithPath: $0) })
                post(.checkpointSaved(path: url.path))
            } catch {
                post(.message("saving failed: \(error)"))
            }
        }

        loop: while true {
            for command in commands.withLock({ queue -> [TrainerCommand] in defer { queue.removeAll() }; return queue }) {
                switch command {
                case .pause:
                    paused = true
                    if !finished { post(.status(.paused)) }
                case .resume:
                    paused = false
                    if !finished { post(.status(.running)) }
                case .stepOnce:
                    stepsAllowed += 1
                case .saveCheckpoint(let path):
                    save(to: path)
                case .requestGates(let index):
                    probeIndex = index
                    gatesRequested = true
                case .stop:
                    break loop
                case .change(let change):
                    do {
                        if let applied = try session.apply(change) { post(.hyperparametersChanged(applied)) }
                    } catch {
                        post(.message("\(error)"))
                    }
                }
            }
            if gatesRequested {
                gatesRequested = false
                post(.gates(session.gateSnapshot(probeIndex: probeIndex)))
                lastGates = DispatchTime.now().uptimeNanoseconds
            }
            if finished || (paused && stepsAllowed == 0) {
                _ = wake.wait(timeout: .now() + 0.2)
                continue
            }
            if paused { stepsAllowed -= 1 }

            let outcome = session.advance()
            guard let metrics = outcome.metrics else { break loop }  // cancelled: a stop is queued
            post(.step(metrics))
            if let divergence = outcome.divergence {
                // Rolled back already: wait for a lower learning rate and `.resume`.
                paused = true
                stepsAllowed = 0
                post(.status(.diverged(divergence)))
                post(.gates(session.gateSnapshot(probeIndex: probeIndex)))
                continue
            }
            if let evaluation = outcome.evaluation { post(.evaluation(evaluation)) }
            if let path = outcome.savedCheckpoint { post(.checkpointSaved(path: path)) }
            if let problem = outcome.saveError { post(.message("saving failed: \(problem)")) }
            let now = DispatchTime.now().uptimeNanoseconds
            if paused || Double(now - lastGates) / 1e9 >= gateInterval {
                post(.gates(session.gateSnapshot(probeIndex: probeIndex)))
                lastGates = now
            }
            if session.isFinished {
                finished = true
                post(.status(.finished))
            }
        }
        session.flushLog()
        post(.status(.stopped))
    }

    private static func lowerPriorityOfCurrentThread() {
        #if os(Linux)
        // On Linux the nice value is per thread, and `who == 0` names the calling thread.
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        _ = setpriority(which, 0, getpriority(which, 0) + 5)
        #endif
    }

    private func waitForStop() {
        while true {
            let stop = commands.withLock { queue -> Bool in
                defer { queue.removeAll() }
                return queue.contains(.stop)
            }
            if stop { return }
            _ = wake.wait(timeout: .now() + 0.5)
        }
    }
}
