import Foundation
import RNNEngine

/// Saving a run's whole state and continuing it exactly (see `TrainerState` for the files).
extension TrainingSession {
    /// The counters and the tensor half of the trainer state as they are now. Cost: a copy of the
    /// optimizer moments and the carried state.
    public func trainerState(changesRecorded: Int = 0) -> (state: TrainerState, tensors: TrainerState.Tensors) {
        let state = TrainerState(
            step: step, epoch: epoch, batchIndex: batchIndex,
            lastTrainLoss: lastTrainLoss.isFinite ? lastTrainLoss : nil,
            bestValidationLoss: bestValidationLoss.isFinite ? bestValidationLoss : nil,
            evaluationsSinceBest: evaluationsSinceBest, stoppedEarly: stoppedEarly,
            evaluationPending: evaluationPending ? true : nil, diverged: diverged,
            elapsedSeconds: elapsedSeconds, smoothedTokensPerSecond: smoothedTokensPerSecond,
            dropoutRandomState: String(model.dropoutRandomState, radix: 16).leftPadded(to: 16),
            optimizerStepCount: optimizer.stepCount, optimizerKind: optimizer.kind, setup: setup, threadCount: threadCount,
            changesRecorded: changesRecorded, workingDirectory: FileManager.default.currentDirectoryPath, savedAt: Date())
        let carried = dataset.info.statefulBatches && setup.truncatedBPTT ? model.carriedRecurrentState : nil
        return (state, TrainerState.Tensors(optimizer: optimizer.state, carried: carried))
    }

    /// A checkpoint that also names the step it was taken at (`rnn_tui.step`; PyTorch ignores metadata).
    public func checkpointAtStep() -> Checkpoint {
        var checkpoint = checkpoint()
        checkpoint.metadata[TrainerState.stepKey] = "\(step)"
        return checkpoint
    }

    /// Writes `checkpoint.safetensors`, `trainer-state.safetensors` and `trainer-state.json` (in that
    /// order, each durably and atomically), so the folder can resume at this step. Runs on the trainer's
    /// thread between steps; costs one copy and one write of the weights and moments.
    /// - changesRecorded: lines of changes.jsonl the state includes.
    /// - startingSetup: the setup the run started with (config.json: `--config` replays changes.jsonl over
    ///   it); its model is this one's. nil writes the setup as it is now.
    public func saveResumableState(in folder: RunFolder, changesRecorded: Int = 0, startingSetup: TrainingSetup? = nil) throws {
        // The checkpoint with config.json (the run folder's one save path), then the trainer state.
        try folder.save(checkpointAtStep(), setup: startingSetup ?? setup)
        let (state, tensors) = trainerState(changesRecorded: changesRecorded)
        try DurableFile.write(
            TrainerState.encodeTensors(tensors, step: step, hiddenSize: model.config.hiddenSize),
            to: TrainerState.tensorsURL(in: folder.url))
        try DurableFile.write(try state.encoded(), to: TrainerState.jsonURL(in: folder.url))
    }

    /// Rebuilds the session a run folder saved, at the step it saved: weights, optimizer moments and
    /// step count, counters, schedule position, dropout generator, data position and carried state.
    /// With the same thread count the following steps give bit-identical losses to a run that never
    /// stopped.
    ///
    /// - steps: the run's new total (all steps, not more steps); it must exceed the steps taken, and it
    ///   replaces an epoch bound. A cosine schedule keeps the length it was resolved to at the start.
    /// Throws a one-line `TrainingError` naming the file when the folder cannot resume.
    public static func resume(
        from folder: RunFolder, steps: Int? = nil, threadCount: Int = 2, cancellation: CancellationFlag = CancellationFlag()
    ) throws -> TrainingSession {
        let directory = folder.url
        let path = directory.path
        guard FileManager.default.fileExists(atPath: TrainerState.jsonURL(in: directory).path) else {
            let hint = FileManager.default.fileExists(atPath: folder.checkpointURL.path)
                ? "; only its weights can be reused, with --init \(folder.checkpointURL.path)" : ""
            throw TrainingError("\(path): no trainer-state.json, so this run cannot be resumed exactly\(hint)")
        }
        if let status = try? RunStatusFile.read(in: directory), status.status == .running, status.pid != getpid(), status.ownerIsAlive {
            throw TrainingError("\(path): the run is training now (process \(status.pid)); stop it before resuming")
        }
        let state = try TrainerState.read(from: directory)
        let (tensors, tensorStep) = try TrainerState.readTensors(from: directory, optimizerStepCount: state.optimizerStepCount)
        let checkpoint = try ValidatedCheckpoint.load(path: folder.checkpointURL.path).checkpoint
        let checkpointStep = checkpoint.metadata[TrainerState.stepKey].flatMap { Int($0) }
        guard tensorStep == state.step, checkpointStep == state.step else {
            throw TrainingError("\(path): checkpoint (step \(checkpointStep.map(String.init) ?? "?")), trainer-state.safetensors (step \(tensorStep.map(String.init) ?? "?")) and trainer-state.json (step \(state.step)) disagree; the last save was interrupted")
        }
        var setup = state.setup
        if let steps {
            guard steps > state.step else {
                throw TrainingError("--steps \(steps) must exceed the \(state.step) steps \(path) has already taken (it counts all steps of the run)")
            }
            setup.steps = steps
            setup.epochs = nil
        }
        // Build from the run's own checkpoint, so the architecture is exactly the saved one.
        var construction = setup
        construction.initialCheckpoint = folder.checkpointURL.path
        // A dataset file named relative to where the run started, when it is not found from here.
        if let start = state.workingDirectory, !setup.dataset.hasPrefix("/"), setup.dataset.contains("/"),
           !FileManager.default.fileExists(atPath: setup.dataset) {
            let original = URL(fileURLWithPath: start).appendingPathComponent(setup.dataset).path
            if FileManager.default.fileExists(atPath: original) { construction.dataset = original }
        }
        let session: TrainingSession
        do {
            session = try TrainingSession(setup: construction, threadCount: threadCount, cancellation: cancellation)
        } catch let error as TrainingError {
            throw TrainingError("\(path): \(error.description)")
        }
        session.setup = setup
        do {
            try session.optimizer.restore(tensors.optimizer, kind: state.optimizerKind ?? (state.optimizerStepCount > 0 ? setup.optimizer.kind : nil))
            try session.model.restoreCarriedState(tensors.carried)
        } catch let error as ModelError {
            throw TrainingError("\(TrainerState.tensorsURL(in: directory).path): \(error.description)")
        }
        guard let dropoutState = UInt64(state.dropoutRandomState, radix: 16) else {
            throw TrainingError("\(TrainerState.jsonURL(in: directory).path): dropoutRandomState \(state.dropoutRandomState.debugDescription) is not 16 hex digits")
        }
        session.model.dropoutRandomState = dropoutState
        session.step = state.step
        session.epoch = state.epoch
        session.batchIndex = state.batchIndex
        session.lastTrainLoss = state.lastTrainLoss ?? .nan
        session.bestValidationLoss = state.bestValidationLoss ?? .infinity
        session.evaluationsSinceBest = state.evaluationsSinceBest
        session.evaluationPending = state.evaluationPending ?? false
        // Asking to resume means continuing: early stopping starts counting again.
        session.stoppedEarly = false
        if state.stoppedEarly { session.evaluationsSinceBest = 0 }
        session.elapsedSeconds = state.elapsedSeconds
        session.smoothedTokensPerSecond = state.smoothedTokensPerSecond
        return session
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
