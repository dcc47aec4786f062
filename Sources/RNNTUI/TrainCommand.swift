import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// `rnn-tui train`: trains headless and writes DIR/config.json, DIR/checkpoint.safetensors, DIR/metrics.csv.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train headless; write config.json, checkpoint.safetensors and metrics.csv into --out."
    )

    @OptionGroup var options: SetupOptions
    @Option(help: "Run folder. (default: runs/DATE-TIME-CELL)")
    var out: String?
    @Option(parsing: .unconditional, help: "Compute threads for the engine, \(SetupLimits.threadCount.requirement). (default: 2, or the thread count of the run --resume continues)")
    var threads: Int?
    @Option(help: "Continue the run in this folder exactly where it stopped; only --steps (all steps of the run) and --threads may be given beside it.")
    var resume: String?
    @Flag(help: "Print a plain line per epoch even on a terminal (no progress bar).")
    var plain = false

    func validate() throws {
        if let threads { try SetupOptions.require("--threads", threads, SetupLimits.threadCount) }
        if let out { try SetupOptions.requireNonEmpty("--out", out, expected: "a folder path (or leave --out out for runs/DATE-TIME-CELL)") }
        if let resume { try SetupOptions.requireNonEmpty("--resume", resume, expected: "a run folder") }
    }

    func run() throws {
        let (session, recorder) = try prepareRun()
        let setup = session.setup
        let folder = recorder.folder
        let info = session.dataset.info
        let interrupted = InterruptFlag.install()
        print("rnn-tui train: \(session.model.config.cell.rawValue) H=\(session.model.config.hiddenSize) ×\(session.model.config.layerCount), \(session.model.parameterCount) parameters; dataset \(info.name) (\(info.task.rawValue), \(info.trainCount) train / \(info.validationCount) val); baseline \(Format.number(info.baselineLoss)) (\(info.baselineDescription))")
        for note in info.notes { print("  note: \(note)") }
        print("  \(session.stepsPerEpoch) steps per epoch, \(session.totalSteps.map(String.init) ?? "unbounded") steps; writing \(folder.url.path)")

        let progress = ProgressDisplay(enabled: !plain && isatty(STDOUT_FILENO) != 0)
        var lastEvaluation: EvaluationMetrics?
        var epochLosses = 0.0, epochSteps = 0
        while !session.isFinished && !interrupted.isSet {
            for change in recorder.beforeStep(session) { progress.finishLine(); print("  step \(session.step + 1): \(change)") }
            let metrics = session.trainStep()
            recorder.afterStep(metrics, session: session)
            epochLosses += metrics.trainLoss
            epochSteps += 1
            if session.evaluationDue {
                let evaluation = session.evaluate()
                recorder.afterEvaluation(evaluation, session: session)
                lastEvaluation = evaluation
            }
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
        if session.diverged { print("diverged: the loss became \(session.lastTrainLoss); weights are those of the last finite step") }
        if session.stoppedEarly { print("stopped early: no better validation loss in \(setup.earlyStoppingPatience ?? 0) evaluations") }
        if interrupted.isSet { print("interrupted at step \(session.step); saving") }
        guard recorder.finish(session) else { throw CLIError("saving \(folder.url.path) failed") }
        print("wrote \(folder.checkpointURL.path) and the trainer state (resume with --resume \(folder.url.path))")
        if interrupted.isSet { throw ExitCode(130) }
    }
}
