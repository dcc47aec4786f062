import Dispatch
import Foundation
import RNNApp
import RNNTraining
import Synchronization
import TerminalBackend

/// Messages posted by trainer threads, waiting for the UI thread to drain them once per frame.
final class TrainerInbox: Sendable {
    private let pending = Mutex<[AppMessage]>([])

    func post(runID: Int, _ event: TrainerEvent) {
        pending.withLock { $0.append(.trainer(runID: runID, event)) }
    }

    /// Everything posted since the last drain, oldest first, with all but the newest gate snapshot of
    /// each run dropped (only the newest one is ever drawn).
    func drain() -> [AppMessage] {
        let messages = pending.withLock { queue -> [AppMessage] in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        var newestGates: [Int: Int] = [:]
        for (index, message) in messages.enumerated() {
            if case .trainer(let runID, .gates) = message { newestGates[runID] = index }
        }
        return messages.enumerated().compactMap { index, message in
            if case .trainer(let runID, .gates) = message, newestGates[runID] != index { return nil }
            return message
        }
    }
}

/// The UI thread's frame loop (btop-style): wait for a key until the next frame deadline, apply keys at
/// once, then at each deadline drain the trainers' messages, update, render into a cell buffer and let
/// the backend flush what changed. The only thread that touches the terminal.
final class NotebookLoop {
    private let terminal: Terminal
    private var state: AppState
    private let inbox = TrainerInbox()
    private var trainers: [Int: TrainerThread] = [:]
    /// Trainers asked to stop (a new run, restart, back to setup): the exit waits for their last save too.
    private var stoppingTrainers: [TrainerThread] = []
    private let runsFolder: String
    private let threadCount: Int
    private let frameNanoseconds: UInt64

    init(setup: TrainingSetup, runsFolder: String, threadCount: Int, framesPerSecond: Int) throws {
        do {
            terminal = try Terminal()
        } catch {
            throw CLIError("\(error)")
        }
        state = AppState(datasetEntries: DatasetCatalog.entries(), colorMode: terminal.colorMode, setup: setup)
        self.runsFolder = runsFolder
        self.threadCount = threadCount
        frameNanoseconds = UInt64(1_000_000_000 / framesPerSecond)
    }

    /// Runs until the person quits or a signal arrives; restores the terminal and stops every trainer.
    /// Returns the terminating signal, if one ended the loop.
    func run() -> Int32? {
        defer {
            terminal.restore()
            for trainer in trainers.values { trainer.send(.stop) }
            for trainer in trainers.values { trainer.stopAndWait(timeout: 5) }
            for trainer in stoppingTrainers { trainer.stopAndWait(timeout: 5) }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        apply(state.update(.resize(width: terminal.size.width, height: terminal.size.height)))
        var buffer = CellBuffer(width: terminal.size.width, height: terminal.size.height)
        var nextFrame = start
        var dirty = true
        while !state.shouldQuit && !Terminal.terminationRequested {
            let now = DispatchTime.now().uptimeNanoseconds
            let wait = nextFrame > now ? Int((nextFrame - now) / 1_000_000) : 0
            if let input = terminal.nextInput(timeoutMilliseconds: wait) {
                handle(input)
                // Take every key already typed before drawing, without waiting.
                while let more = terminal.nextInput(timeoutMilliseconds: 0) { handle(more) }
                dirty = true
            }
            let frameTime = DispatchTime.now().uptimeNanoseconds
            guard frameTime >= nextFrame || dirty else { continue }
            for message in inbox.drain() { apply(state.update(message)) }
            apply(state.update(.tick(seconds: Double(frameTime - start) / 1e9)))
            if buffer.width != state.width || buffer.height != state.height {
                buffer = CellBuffer(width: state.width, height: state.height)
            }
            render(state, into: &buffer)
            terminal.present(buffer)
            dirty = false
            nextFrame = max(nextFrame + frameNanoseconds, frameTime + frameNanoseconds / 2)
        }
        return Terminal.terminationSignal
    }

    private func handle(_ input: TerminalInput) {
        switch input {
        case .key(let key):
            apply(state.update(.key(key)))
        case .resize(let width, let height):
            apply(state.update(.resize(width: width, height: height)))
        }
    }

    private func apply(_ effects: [AppEffect]) {
        for effect in effects {
            switch effect {
            case .startRun(let runID, let setup):
                let inbox = self.inbox
                let trainer = TrainerThread(
                    setup: setup, runDirectory: RunFolder.defaultPath(cell: setup.cell, base: runsFolder),
                    threadCount: threadCount, post: { event in inbox.post(runID: runID, event) })
                trainers[runID] = trainer
                trainer.start()
            case .send(let runID, let command):
                trainers[runID]?.send(command)
                if command == .stop, let trainer = trainers.removeValue(forKey: runID) {
                    stoppingTrainers.append(trainer)
                    // It finishes (and saves) on its own thread; the exit waits for it.
                    DispatchQueue.global().async { trainer.stopAndWait(timeout: 10) }
                }
            case .quit:
                break
            }
        }
    }
}
