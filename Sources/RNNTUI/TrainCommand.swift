import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// `rnn-tui train`: trains headless and writes DIR/config.json, DIR/checkpoint.safetensors, DIR/metrics.csv.
///
/// Exit status: 0 done; 1 bad input (one line on stderr); 3 diverged (the last good weights are saved);
/// 128 + signal when interrupted by Ctrl-C (130) or SIGTERM (143), after saving.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train headless; write config.json, checkpoint.safetensors and metrics.csv into --out.",
        discussion: "Exit status: 0 done, 1 bad input, 3 diverged (last good weights saved), 130/143 interrupted (saved)."
    )

    /// Exit status of a run that diverged; its last good checkpoint has been written.
    static let divergedExitCode: Int32 = 3

    @OptionGroup var options: SetupOptions
    @Option(help: "Run folder (default: runs/DATE-TIME-CELL).")
    var out: String?
    @Option(help: "Compute threads for the engine.")
    var threads: Int = 2
    @Option(help: "Also save the checkpoint every this many steps (0: only at the end).")
    var saveEvery: Int = 0
    @Flag(help: "Print a plain line per epoch even on a terminal (no progress bar).")
    var plain = false

    func validate() throws {
        guard (1...64).contains(threads) else { throw ValidationError("--threads \(threads) must be 1…64") }
        guard saveEvery >= 0 else { throw ValidationError("--save-every \(saveEvery) must be 0 or more") }
    }

    func run() throws {
        var setup = options.setup
        if setup.epochs == nil && setup.steps == nil { setup.epochs = 3 }
        let interrupted = InterruptFlag.install()
        let session: TrainingSession
        do {
            session = try TrainingSession(setup: setup, threadCount: threads, cancellation: interrupted.cancellation)
            let folder = try RunFolder(path: out ?? RunFolder.defaultPath(cell: session.setup.cell))
            try session.attach(to: folder, checkpointInterval: saveEvery > 0 ? saveEvery : nil)
        } catch {
            throw CLIError("\(error)")
        }
        let folder = session.folder!
        let info = session.dataset.info
        print("rnn-tui train: \(session.model.config.cell.rawValue) H=\(session.model.config.hiddenSize) ×\(session.model.config.layerCount), \(session.model.parameterCount) parameters; dataset \(info.name) (\(info.task.rawValue), \(info.trainCount) train / \(info.validationCount) val); baseline \(Format.number(info.baselineLoss)) (\(info.baselineDescription))")
        for note in info.notes { print("  note: \(note)") }
        let memory = MemoryEstimate(config: session.model.config, batchSize: session.setup.batchSize, timeSteps: session.setup.sequenceLength)
        print("  \(session.stepsPerEpoch) steps per epoch, \(session.totalSteps.map(String.init) ?? "unbounded") steps; memory ≈ \(MemoryEstimate.text(memory.totalBytes)) (limit \(MemoryEstimate.text(MemoryGuard.limitBytes))); writing \(folder.url.path)")

        let progress = ProgressDisplay(enabled: !plain && isatty(STDOUT_FILENO) != 0)
        var lastEvaluation: EvaluationMetrics?
        var epochLosses = 0.0, epochSteps = 0
        var saved = false
        while !session.isFinished && !interrupted.isSet {
            let outcome = session.advance()
            guard let metrics = outcome.metrics else { break }  // interrupted mid-step
            if let divergence = outcome.divergence {
                progress.finishLine()
                let path = try saveCheckpoint(session)
                print("rnn-tui train: \(divergence.description); wrote the last good weights to \(path)")
                throw ExitCode(Self.divergedExitCode)
            }
            if let problem = outcome.saveError { throw CLIError(problem) }
            saved = outcome.savedCheckpoint != nil && session.isFinished
            epochLosses += metrics.trainLoss
            epochSteps += 1
            if let evaluation = outcome.evaluation { lastEvaluation = evaluation }
            progress.update(metrics, evaluation: lastEvaluation, info: info)
            if session.batchIndex == 0 || session.isFinished {
                progress.finishLine()
                print(Format.epochLine(
                    epoch: session.batchIndex == 0 ? metrics.epoch : metrics.epoch + 1, step: metrics.step,
                    trainLoss: epochLosses / Double(max(1, epochSteps)), evaluation: lastEvaluation, info: info,
                    tokensPerSecond: metrics.tokensPerSecond))
                epochLosses = 0
                epochSteps = 0
            }
        }
        progress.finishLine()
        if session.stoppedEarly { print("stopped early: no better validation loss in \(setup.earlyStoppingPatience ?? 0) evaluations") }
        if interrupted.isSet {
            print("interrupted at step \(session.step); saving")
            fflush(nil)  // all C streams: print is buffered when stdout is a pipe
        }
        let path = saved ? folder.checkpointURL.path : try saveCheckpoint(session)
        print("wrote \(path)")
        if interrupted.isSet { throw ExitCode(interrupted.exitStatus) }
    }

    private func saveCheckpoint(_ session: TrainingSession) throws -> String {
        do {
            return try session.save().path
        } catch {
            throw CLIError("\(error)")
        }
    }
}
