import Dispatch
import Foundation
import RNNApp
import RNNTraining
import TerminalUI

/// The UI thread's frame loop (btop-style): wait for a key until the next frame deadline, apply keys at
/// once, then at each deadline drain the trainers' messages (`TrainerInbox`), update, render into a cell
/// buffer and let the screen flush what changed. The only thread that touches the screen; trainers run
/// on their own threads (`TrainerThread`) and only post.
public final class NotebookLoop {
    /// How a loop ended.
    public struct Exit: Sendable, Equatable {
        /// The signal that ended it (SIGINT, SIGTERM, SIGHUP), nil when the person quit.
        public var signal: Int32?
        /// Trainers that had not stopped when the shutdown wait ran out (0 when all stopped).
        public var trainersStillRunning: Int
    }

    private let screen: any Screen
    public private(set) var state: AppState
    /// Where the trainers post; public so tests can post as a trainer would.
    public let inbox = TrainerInbox()
    private var trainers: [Int: TrainerThread] = [:]
    /// Past runs opened from the browser (their curves, and probes of their checkpoints).
    private var viewers: [Int: RunViewer] = [:]
    /// The compared runs `run()` starts with (`rnn-tui compare`).
    private let comparison: [AppState.ComparedRun]
    /// Background work on run folders (listing, labels, deletions), in order.
    private let folderQueue = DispatchQueue(label: "rnn-tui runs folder")
    /// Trainers asked to stop (a new run, restart, back to setup): the exit waits for their last save too.
    private var stoppingTrainers: [TrainerThread] = []
    private let runsFolder: String
    private let threadCount: Int
    /// Compute threads of each trainer while several train at once.
    private let sharedThreadCount: Int
    private let frameNanoseconds: UInt64
    private let shutdownTimeout: Double
    private let clock: @Sendable () -> UInt64
    /// Called after each frame is presented, with the state it shows (tests watch the loop through it).
    public var onFrame: ((AppState) -> Void)?
    /// Frames presented so far.
    public private(set) var frameCount = 0
    /// A click read after other input, handled once the frame showing that input is drawn.
    private var heldMouseInput: TerminalInput?
    /// The insight request last sent (`AppState.insightRequest`), so it is sent again only when it changes.
    private var sentInsight: (runID: Int, request: InsightRequest)?

    /// - clock: monotonic nanoseconds (the system's uptime clock unless a test brings its own).
    /// - shutdownTimeout: how long quitting waits for each trainer to stop, in seconds.
    public init(
        screen: any Screen, setup: TrainingSetup, datasetEntries: [DatasetCatalog.Entry] = DatasetCatalog.entries(),
        runsFolder: String, threadCount: Int, framesPerSecond: Int, shutdownTimeout: Double = 5,
        comparison: [AppState.ComparedRun] = [], sharedThreadCount: Int = 1,
        clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) {
        self.screen = screen
        state = AppState(datasetEntries: datasetEntries, colorMode: screen.colorMode, setup: setup)
        self.runsFolder = runsFolder
        self.threadCount = threadCount
        self.comparison = comparison
        self.sharedThreadCount = sharedThreadCount
        frameNanoseconds = UInt64(1_000_000_000 / max(1, framesPerSecond))
        self.shutdownTimeout = shutdownTimeout
        self.clock = clock
    }

    /// Runs until the person quits or a signal arrives; restores the screen, then stops every trainer
    /// (each finishes the commands it was given first, so a save asked for before quitting is written).
    public func run() -> Exit {
        let start = clock()
        apply(state.update(.resize(width: screen.size.width, height: screen.size.height)))
        // The first screen: the browser when runs exist (a listing is a directory read, done once here).
        apply(state.update(.runsListed(RunIndex(directory: runsFolder).list(), at: Date())))
        if !comparison.isEmpty { apply(state.startComparison(comparison)) }
        var buffer = CellBuffer(width: screen.size.width, height: screen.size.height)
        var nextFrame = start
        var dirty = true
        while !state.shouldQuit && screen.terminationSignal == nil {
            let now = clock()
            // Rounded up, so the last fraction of a millisecond is waited for rather than spun through.
            let wait = nextFrame > now ? Int((nextFrame - now + 999_999) / 1_000_000) : 0
            let held = heldMouseInput
            heldMouseInput = nil
            if let input = held ?? screen.nextInput(timeoutMilliseconds: wait) {
                handle(input)
                // Take every key already typed before drawing, without waiting. A click is hit-tested against the
                // layout on screen, so one that follows other input waits for the frame showing that input, and
                // none is taken after a click before its frame is drawn.
                if !input.isMouse {
                    while !state.shouldQuit, let more = screen.nextInput(timeoutMilliseconds: 0) {
                        if more.isMouse {
                            heldMouseInput = more
                            break
                        }
                        handle(more)
                    }
                }
                dirty = true
            }
            let frameTime = clock()
            guard frameTime >= nextFrame || dirty else { continue }
            for message in inbox.drain() { apply(state.update(message)) }
            apply(state.update(.tick(seconds: Double(frameTime - start) / 1e9)))
            sendInsightRequestIfChanged()
            if buffer.width != state.width || buffer.height != state.height {
                buffer = CellBuffer(width: state.width, height: state.height)
            }
            render(state, into: &buffer)
            screen.present(buffer)
            frameCount += 1
            onFrame?(state)
            dirty = false
            nextFrame = max(nextFrame + frameNanoseconds, frameTime + frameNanoseconds / 2)
        }
        let signal = screen.terminationSignal
        screen.restore()
        return Exit(signal: signal, trainersStillRunning: stopAllTrainers())
    }

    /// Sends every trainer `.stop` at once, then waits for each; returns how many did not stop in time.
    private func stopAllTrainers() -> Int {
        for trainer in trainers.values { trainer.send(.stop) }
        let stillRunning = (Array(trainers.values) + stoppingTrainers)
            .filter { !$0.stopAndWait(timeout: shutdownTimeout) }.count
        trainers.removeAll()
        stoppingTrainers.removeAll()
        return stillRunning
    }

    /// The open view's needs go to the active trainer when they change; a trainer no longer active is
    /// told that nothing is open.
    private func sendInsightRequestIfChanged() {
        let wanted = state.insightRequest
        guard wanted?.runID != sentInsight?.runID || wanted?.request != sentInsight?.request else { return }
        if let old = sentInsight, old.runID != wanted?.runID { trainers[old.runID]?.send(.requestInsight(nil)) }
        if let wanted { trainers[wanted.runID]?.send(.requestInsight(wanted.request)) }
        sentInsight = wanted
    }

    private func handle(_ input: TerminalInput) {
        switch input {
        case .key(let key):
            apply(state.update(.key(key)))
        case .mouse(let event):
            apply(state.update(.mouse(event)))
        case .resize(let width, let height):
            apply(state.update(.resize(width: width, height: height)))
        }
    }

    private func apply(_ effects: [AppEffect]) {
        for effect in effects {
            switch effect {
            case .startRun(let runID, let setup):
                startTrainer(runID: runID, setup: setup, folder: RunFolder.defaultPath(cell: setup.cell, base: runsFolder),
                             startingTogether: effects)
            case .startNamedRun(let runID, let setup, let folderName):
                startTrainer(runID: runID, setup: setup, folder: Self.freshPath("\(runsFolder)/\(folderName)"),
                             startingTogether: effects)
            case .resumeRun(let runID, let path):
                viewers.removeValue(forKey: runID)?.wait()
                let inbox = self.inbox
                let trainer = TrainerThread(resuming: path, threadCount: trainerThreadCount(startingTogether: effects),
                                            post: { event in inbox.post(runID: runID, event) })
                trainers[runID] = trainer
                trainer.start()
            case .openRun(let runID, let path):
                let inbox = self.inbox
                viewers[runID] = RunViewer(runID: runID, folder: path, post: { inbox.post($0) })
            case .listRuns:
                listRunsInBackground()
            case .labelRun(let path, let label):
                let index = RunIndex(directory: runsFolder), inbox = self.inbox
                folderQueue.async {
                    do { try index.label(path, as: label) } catch { inbox.post(.notice("\(error)", isError: true)) }
                }
                listRunsInBackground()
            case .deleteRun(let path):
                let index = RunIndex(directory: runsFolder), inbox = self.inbox
                folderQueue.async {
                    do {
                        try index.delete(path)
                        inbox.post(.notice("deleted \(path)", isError: false))
                    } catch {
                        inbox.post(.notice("\(error)", isError: true))
                    }
                }
                listRunsInBackground()
            case .send(let runID, let command):
                if case .requestGates(let probeIndex) = command, let viewer = viewers[runID] {
                    viewer.requestGates(runID: runID, probeIndex: probeIndex)
                }
                trainers[runID]?.send(command)
                if command == .stop, let trainer = trainers.removeValue(forKey: runID) {
                    stoppingTrainers.append(trainer)
                    // It finishes on its own thread; keep nothing that would hold it.
                    DispatchQueue.global().async { trainer.stopAndWait(timeout: 10) }
                }
            case .quit:
                break
            }
        }
    }

    private func startTrainer(runID: Int, setup: TrainingSetup, folder: String, startingTogether effects: [AppEffect]) {
        let inbox = self.inbox
        let trainer = TrainerThread(setup: setup, runDirectory: folder, threadCount: trainerThreadCount(startingTogether: effects),
                                    post: { event in inbox.post(runID: runID, event) })
        trainers[runID] = trainer
        trainer.start()
    }

    /// Compute threads for a trainer that starts now: all of `threadCount` when it trains alone,
    /// `sharedThreadCount` (1) when several train at once (each trainer's own pool would otherwise
    /// oversubscribe the cores; measured in the README).
    private func trainerThreadCount(startingTogether effects: [AppEffect]) -> Int {
        let starting = effects.filter {
            switch $0 {
            case .startRun, .startNamedRun, .resumeRun: true
            default: false
            }
        }.count
        return trainers.count + starting > 1 ? sharedThreadCount : threadCount
    }

    private func listRunsInBackground() {
        let index = RunIndex(directory: runsFolder), inbox = self.inbox
        folderQueue.async { inbox.post(.runsListed(index.list(), at: Date())) }
    }

    /// `stem`, or `stem-2`, `stem-3`… when a folder of that name exists.
    private static func freshPath(_ stem: String) -> String {
        var candidate = stem, suffix = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(stem)-\(suffix)"
            suffix += 1
        }
        return candidate
    }
}

extension TerminalInput {
    var isMouse: Bool {
        if case .mouse = self { return true }
        return false
    }
}
