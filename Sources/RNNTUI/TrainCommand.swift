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
    @Option(help: "Run folder. (default: runs/DATE-TIME-CELL)")
    var out: String?
    @Option(parsing: .unconditional, help: "Compute threads for the engine, \(SetupLimits.threadCount.requirement). (default: 2, or the thread count of the run --resume continues)")
    var threads: Int?
    @Option(help: "Continue the run in this folder exactly where it stopped; only --steps (all steps of the run) and --threads may be given beside it.")
    var resume: String?
    @Option(parsing: .unconditional, help: "Also save the checkpoint and trainer state every this many steps. (default: 0, every \(Int(RunRecorder.saveInterval)) s of training and when the run stops)")
    var saveEvery: Int = 0
    @Flag(help: "Print a plain line per epoch even on a terminal (no progress bar).")
    var plain = false

    func validate() throws {
        if let threads { try SetupOptions.require("--threads", threads, SetupLimits.threadCount) }
        if let out { try SetupOptions.requireNonEmpty("--out", out, expected: "a folder path (or leave --out out for runs/DATE-TIME-CELL)") }
        if let resume { try SetupOptions.requireNonEmpty("--resume", resume, expected: "a run folder") }
        guard saveEvery >= 0 else { throw ValidationError("--save-every must be 0 (off) or a whole number of steps, got \(saveEvery)") }
    }

    func run() throws {
        let interrupted = InterruptFlag.install()
        let (session, recorder) = try prepareRun(cancellation: interrupted.cancellation)
        let setup = session.setup
        let folder = recorder.folder
        let info = session.dataset.info
        print("rnn-tui train: \(session.model.config.cell.rawValue) H=\(session.model.config.hiddenSize) ×\(session.model.config.layerCount), \(session.model.parameterCount) parameters; dataset \(info.name) (\(info.task.rawValue), \(info.trainCount) train / \(info.validationCount) val); baseline \(Format.number(info.baselineLoss)) (\(info.baselineDescription))")
        for note in info.notes { print("  note: \(note)") }
        let memory = MemoryEstimate(config: session.model.config, batchSize: session.setup.batchSize, timeSteps: session.setup.sequenceLength)
        print("  \(session.stepsPerEpoch) steps per epoch, \(session.totalSteps.map(String.init) ?? "unbounded") steps; memory ≈ \(MemoryEstimate.text(memory.totalBytes)) (limit \(MemoryEstimate.text(MemoryGuard.limitBytes))); writing \(folder.url.path)")

        let progress = ProgressDisplay(enabled: !plain && isatty(STDOUT_FILENO) != 0)
        var lastEvaluation: EvaluationMetrics?
        var epochLosses = 0.0, epochSteps = 0
        var savedAtEnd = false
        while !session.isFinished && !interrupted.isSet {
            let outcome = session.advance(recording: recorder)
            for change in outcome.replayed { progress.finishLine(); print("  step \(change.step): \(change)") }
            guard let metrics = outcome.metrics else { break }  // interrupted mid-step
            if let divergence = outcome.divergence {
                progress.finishLine()
                guard recorder.finish(session) else { throw CLIError("saving \(folder.url.path) failed") }
                print("rnn-tui train: \(divergence.description); wrote the last good weights to \(folder.checkpointURL.path)")
                throw ExitCode(Self.divergedExitCode)
            }
            savedAtEnd = outcome.savedAtEnd == true
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
        if let scores = lastEvaluation?.labelMetrics {
            print("per-label validation scores at step \(lastEvaluation!.step):")
            for line in Format.labelTable(scores, baseline: info.baselineLabelMetrics) { print(line) }
        }
        if session.stoppedEarly { print("stopped early: no better validation loss in \(setup.earlyStoppingPatience ?? 0) evaluations") }
        if interrupted.isSet {
            print("interrupted at step \(session.step); saving")
            fflush(nil)  // all C streams: print is buffered when stdout is a pipe
        }
        if !savedAtEnd {
            guard recorder.finish(session) else { throw CLIError("saving \(folder.url.path) failed") }
        }
        print("wrote \(folder.checkpointURL.path) and the trainer state (resume with --resume \(folder.url.path))")
        if interrupted.isSet { throw ExitCode(interrupted.exitStatus) }
    }
}
