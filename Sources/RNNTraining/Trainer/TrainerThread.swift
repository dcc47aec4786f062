import Dispatch
import Foundation
import Synchronization
import RNNEngine

/// Runs a `TrainingSession` on its own thread. It never touches the screen: it posts `TrainerEvent`s
/// through `post` and takes `TrainerCommand`s through `send`, applied between steps.
public final class TrainerThread: Sendable {
    private let setup: TrainingSetup
    private let runDirectory: String?
    /// Continue the run saved in `runDirectory` (to `resumeSteps` steps in all, when given) instead of a new one.
    private let resuming: Bool
    private let resumeSteps: Int?
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
    /// - resuming: continue the run saved in `runDirectory` (to `resumeSteps` steps in all, when given).
    public init(
        setup: TrainingSetup, runDirectory: String?, threadCount: Int = 2, gateInterval: Double = 0.25,
        resuming: Bool = false, resumeSteps: Int? = nil, post: @escaping @Sendable (TrainerEvent) -> Void
    ) {
        self.resuming = resuming
        self.resumeSteps = resumeSteps
        self.setup = setup
        self.runDirectory = runDirectory
        self.threadCount = threadCount
        self.gateInterval = gateInterval
        self.post = post
    }

    /// A trainer that continues the run saved in `runDirectory` exactly where it stopped (`TrainingSession.resume`).
    public convenience init(
        resuming runDirectory: String, steps: Int? = nil, threadCount: Int = 2, gateInterval: Double = 0.25,
        post: @escaping @Sendable (TrainerEvent) -> Void
    ) {
        self.init(setup: TrainingSetup(), runDirectory: runDirectory, threadCount: threadCount, gateInterval: gateInterval,
                  resuming: true, resumeSteps: steps, post: post)
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
        guard done.wait(timeout: .now() + timeout) == .success else { return false }
        done.signal()  // so every later wait (another caller, the exit) returns at once
        return true
    }

    private func run() {
        // Yield the CPU to the UI thread the moment it wakes for a key: the trainer (and the compute
        // threads its pool starts from here, which inherit this) runs one nice level lower.
        Self.lowerPriorityOfCurrentThread()
        post(.status(.preparing))
        let session: TrainingSession
        var recorder: RunRecorder?
        do {
            if resuming, let runDirectory {
                session = try TrainingSession.resume(
                    from: try RunFolder(path: runDirectory), steps: resumeSteps, threadCount: threadCount, cancellation: cancellation)
            } else {
                session = try TrainingSession(setup: setup, threadCount: threadCount, cancellation: cancellation)
            }
            if let runDirectory {
                recorder = try RunRecorder(session: session, folder: try RunFolder(path: runDirectory), resuming: resuming, problem: { [post] in post(.message($0)) })
            }
        } catch {
            post(.status(.failed("\(error)")))
            waitForStop()
            return
        }
        var summary = session.summary
        summary.runDirectory = recorder?.folder.url.path
        post(.started(summary))
        post(.status(.running))
        post(.gates(session.gateSnapshot(probeIndex: 0)))

        var paused = false, finished = session.isFinished, stepsAllowed = 0  // a resumed run may have ended
        var probeIndex = 0, gatesRequested = false
        var lastGates = DispatchTime.now().uptimeNanoseconds
        let insight = InsightScheduler(post: post)
        var analysis: AnalysisRequest?, analysisPacer = AnalysisPacer()
        func save(to path: String?) {
            if path == nil, let recorder {
                if recorder.save(session, status: .running) { post(.checkpointSaved(path: recorder.folder.checkpointURL.path)) }
                return
            }
            guard let path else {
                post(.message("no run folder to save into; give a path"))
                return
            }
            do {
                let url = URL(fileURLWithPath: path)
                try session.checkpoint().write(to: url)
                post(.checkpointSaved(path: url.path))
            } catch {
                post(.message("saving \(path) failed: \(error)"))
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
                case .requestAnalysis(let request):
                    analysis = request
                    analysisPacer.reset()
                case .probeText(let text):
                    do { post(.textProbe(try session.textProbe(text))) } catch { post(.message("\(error)")) }
                case .stop:
                    break loop
                case .requestInsight, .requestImportance:
                    _ = insight.handle(command)
                case .change(let change):
                    do {
                        if let applied = try session.apply(change) {
                            post(.hyperparametersChanged(applied))
                            recorder?.recordChange(applied)
                        }
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
            insight.run(session)
            if let analysis, analysisPacer.isDue(now: Self.seconds(), step: session.step) {
                let started = Self.seconds()
                if let event = session.insightEvent(for: analysis) { post(event) }
                let ended = Self.seconds()
                analysisPacer.record(step: session.step, cost: ended - started, now: ended)
            }
            if finished || (paused && stepsAllowed == 0) {
                _ = wake.wait(timeout: .now() + 0.2)
                continue
            }
            if paused { stepsAllowed -= 1 }

            let outcome = session.advance(recording: recorder)
            for applied in outcome.replayed { post(.hyperparametersChanged(applied)) }
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
            let now = DispatchTime.now().uptimeNanoseconds
            if paused || Double(now - lastGates) / 1e9 >= gateInterval {
                post(.gates(session.gateSnapshot(probeIndex: probeIndex)))
                lastGates = now
            }
            if session.isFinished {
                finished = true
                if let recorder, outcome.savedAtEnd == true { post(.checkpointSaved(path: recorder.folder.checkpointURL.path)) }
                post(.status(.finished))
            }
        }
        if !finished { recorder?.finish(session) }
        post(.status(.stopped))
    }

    private static func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

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
