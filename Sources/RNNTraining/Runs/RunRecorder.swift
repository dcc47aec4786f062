import Foundation
import RNNEngine

/// Keeps a run folder complete while its session trains, so no run is ever lost: config.json at the
/// start, metrics.csv rows, every live change in changes.jsonl, `best.safetensors` at each new best
/// validation loss, and checkpoint + trainer state (see `TrainerState`) every `saveInterval` seconds of
/// training and whenever the run stops. status.json says where the run stands.
///
/// Used from the thread that drives the session (the trainer thread in the notebook), between steps;
/// each save costs one write of the weights and moments, so the UI thread never waits on it.
public final class RunRecorder {
    /// Seconds of training between two periodic saves of checkpoint + trainer state; for a model so large
    /// that a save takes longer than 2 % of that, the interval grows to 50 × the last save's duration.
    public static let saveInterval: Double = 30
    public static let bestCheckpointName = "best.safetensors"

    public let folder: RunFolder
    /// metrics.csv and the TensorBoard event file.
    private let log: RunLogs
    private let info: DatasetInfo
    private let parameterCount: Int
    /// Recorded changes still to replay, in step order.
    private var pendingChanges: [RecordedChange]
    private var lastSave = DispatchTime.now().uptimeNanoseconds
    private let minimumSaveInterval: Double
    private var currentSaveInterval: Double
    private var bestSaved: Double
    private var bestStep: Int?
    /// Lines in changes.jsonl; the trainer state records it, so a resume drops changes made after a save.
    private var changesRecorded = 0
    private let problem: (String) -> Void

    /// Starts recording `session` into `folder`.
    /// - resuming: the folder already holds this run up to `session.step`: metrics rows and changes after
    ///   that step (written after the last save) are dropped, and new ones are appended.
    /// - replaying: live changes to apply again at their steps (`beforeStep`), e.g. from a run's changes.jsonl.
    /// - problem: told about a save that failed (training goes on).
    /// - saveInterval: seconds between periodic saves (tests shorten it).
    public init(
        session: TrainingSession, folder: RunFolder, resuming: Bool = false, replaying: [RecordedChange] = [],
        saveInterval: Double = RunRecorder.saveInterval, problem: @escaping (String) -> Void = { _ in }
    ) throws {
        self.folder = folder
        minimumSaveInterval = saveInterval
        currentSaveInterval = saveInterval
        info = session.dataset.info
        parameterCount = session.model.parameterCount
        pendingChanges = replaying.filter { $0.step > session.step }.sorted { $0.step < $1.step }
        self.problem = problem
        bestSaved = session.bestValidationLoss
        if resuming {
            try Self.truncate(metricsAt: folder.metricsURL, afterStep: session.step)
            changesRecorded = try Self.truncate(changesIn: folder.url, keeping: (try? TrainerState.read(from: folder.url))?.changesRecorded ?? 0)
            bestStep = (try? RunStatusFile.read(in: folder.url))?.bestStep
        } else {
            try folder.writeConfig(session.setup)
            // A reused folder: what an earlier run left must not pass for this run's state.
            for stale in [ChangeLog.url(in: folder.url), TrainerState.jsonURL(in: folder.url), TrainerState.tensorsURL(in: folder.url),
                          folder.url.appendingPathComponent(Self.bestCheckpointName)] {
                try? FileManager.default.removeItem(at: stale)
            }
        }
        log = try RunLogs(folder: folder, appending: resuming, gates: { [unowned session] in session.gateSnapshot(probeIndex: 0) })
        // (A reopened run that has already ended keeps saying so.)
        try writeStatus(session.isFinished ? (session.diverged ? .diverged : .finished) : .running, session: session)
    }

    /// Before each training step (after the previous step's evaluation): a save when `saveInterval` has
    /// passed, then the replayed changes due before this step. Returns what changed, for display.
    public func beforeStep(_ session: TrainingSession) -> [String] {
        let now = DispatchTime.now().uptimeNanoseconds
        if session.step > 0 && Double(now - lastSave) / 1e9 >= currentSaveInterval {
            save(session, status: .running)
        }
        var described: [String] = []
        while let next = pendingChanges.first, next.step <= session.step + 1 {
            pendingChanges.removeFirst()
            do {
                if let text = try session.apply(next.command) {
                    described.append(text)
                    recordChange(next.command, beforeStep: session.step + 1, description: text)
                }
            } catch {
                problem("replaying the change at step \(next.step): \(error)")
            }
        }
        return described
    }

    /// Notes a live change that takes effect before step `step` (1-based); `description` ("lr 0.002 → 0.001")
    /// also goes to TensorBoard.
    public func recordChange(_ command: TrainerCommand, beforeStep step: Int, description: String? = nil) {
        guard ChangeLog.line(for: RecordedChange(step: step, command: command)) != nil else { return }
        if let description { log.recordChange(step: step, description: description) }
        do {
            try ChangeLog.append(RecordedChange(step: step, command: command), in: folder.url)
            changesRecorded += 1
        } catch {
            problem("\(error)")
        }
    }

    /// After each training step: its metrics row.
    public func afterStep(_ metrics: StepMetrics, session: TrainingSession) {
        log.record(metrics)
    }

    /// After each evaluation: its row, and `best.safetensors` when the validation loss is the best yet.
    public func afterEvaluation(_ evaluation: EvaluationMetrics, session: TrainingSession) {
        log.record(evaluation, epoch: session.epoch, learningRate: session.learningRate)
        guard evaluation.validationLoss.isFinite, evaluation.validationLoss < bestSaved else { return }
        bestSaved = evaluation.validationLoss
        bestStep = session.step
        let checkpoint = session.checkpointAtStep()
        let url = folder.url.appendingPathComponent(Self.bestCheckpointName)
        do { try DurableFile.write(SafeTensors.encode(checkpoint.tensors, metadata: checkpoint.metadata), to: url) } catch {
            problem("\(error)")
        }
    }

    /// Saves checkpoint + trainer state now and marks the run `status` (`running` reads as finished or
    /// diverged once the run has ended, so a save on request never revives it).
    @discardableResult
    public func save(_ session: TrainingSession, status: RunStatus) -> Bool {
        let status = status == .running && session.isFinished ? (session.diverged ? .diverged : .finished) : status
        log.flush()
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            try session.saveResumableState(in: folder, changesRecorded: changesRecorded)
            try writeStatus(status, session: session)
            lastSave = DispatchTime.now().uptimeNanoseconds
            currentSaveInterval = max(minimumSaveInterval, 50 * Double(lastSave - started) / 1e9)
            return true
        } catch {
            lastSave = DispatchTime.now().uptimeNanoseconds  // retry at the next interval, not at every step
            problem("saving \(folder.url.path) failed: \(error)")
            return false
        }
    }

    /// Saves and records why the run ended.
    @discardableResult
    public func finish(_ session: TrainingSession) -> Bool {
        let status: RunStatus = session.diverged ? .diverged : (session.isFinished ? .finished : .stopped)
        return save(session, status: status)
    }

    private func writeStatus(_ status: RunStatus, session: TrainingSession) throws {
        try RunStatusFile(
            status: status, pid: getpid(), host: RunStatusFile.currentHost, step: session.step, updatedAt: Date(),
            dataset: info.name, task: info.task, baselineLoss: info.baselineLoss.isFinite ? info.baselineLoss : nil,
            baseline: info.baselineDescription, parameterCount: parameterCount, bestStep: bestStep,
            bestValidationLoss: session.bestValidationLoss.isFinite ? session.bestValidationLoss : nil
        ).write(in: folder.url)
    }

    // MARK: - Resuming

    /// Keeps metrics.csv's header and the rows of steps ≤ `step`.
    static func truncate(metricsAt url: URL, afterStep step: Int) throws {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return }
        var kept: [Substring] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            if index == 0 { kept.append(line); continue }
            let first = line.prefix { $0 != "," }
            if let rowStep = Int(first), rowStep <= step { kept.append(line) }
        }
        try DurableFile.write(Data((kept.joined(separator: "\n") + "\n").utf8), to: url)
    }

    /// Keeps the first `count` changes (those the saved state includes); returns how many there are.
    static func truncate(changesIn folder: URL, keeping count: Int) throws -> Int {
        let url = ChangeLog.url(in: folder)
        guard FileManager.default.fileExists(atPath: url.path) else { return 0 }
        let kept = try ChangeLog.read(from: url).prefix(count).compactMap(ChangeLog.line(for:))
        try DurableFile.write(Data(kept.map { $0 + "\n" }.joined().utf8), to: url)
        return kept.count
    }
}
