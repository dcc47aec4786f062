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
    @Option(help: "Run folder (default: runs/DATE-TIME-CELL).")
    var out: String?
    @Option(help: "Compute threads for the engine.")
    var threads: Int = 2
    @Flag(help: "Print a plain line per epoch even on a terminal (no progress bar).")
    var plain = false

    func validate() throws {
        guard (1...64).contains(threads) else { throw ValidationError("--threads \(threads) must be 1…64") }
    }

    func run() throws {
        var setup = options.setup
        if setup.epochs == nil && setup.steps == nil { setup.epochs = 3 }
        let session: TrainingSession
        let folder: RunFolder
        do {
            session = try TrainingSession(setup: setup, threadCount: threads)
            folder = try RunFolder(path: out ?? RunFolder.defaultPath(cell: session.setup.cell))
            try folder.writeConfig(session.setup)
        } catch {
            throw CLIError("\(error)")
        }
        let log = try RunLogs(folder: folder, gates: { session.gateSnapshot(probeIndex: 0) })
        let info = session.dataset.info
        let interrupted = InterruptFlag.install()
        print("rnn-tui train: \(session.model.config.cell.rawValue) H=\(session.model.config.hiddenSize) ×\(session.model.config.layerCount), \(session.model.parameterCount) parameters; dataset \(info.name) (\(info.task.rawValue), \(info.trainCount) train / \(info.validationCount) val); baseline \(Format.number(info.baselineLoss)) (\(info.baselineDescription))")
        for note in info.notes { print("  note: \(note)") }
        print("  \(session.stepsPerEpoch) steps per epoch, \(session.totalSteps.map(String.init) ?? "unbounded") steps; writing \(folder.url.path)")

        let progress = ProgressDisplay(enabled: !plain && isatty(STDOUT_FILENO) != 0)
        var lastEvaluation: EvaluationMetrics?
        var epochLosses = 0.0, epochSteps = 0
        while !session.isFinished && !interrupted.isSet {
            let metrics = session.trainStep()
            log.record(metrics)
            epochLosses += metrics.trainLoss
            epochSteps += 1
            if session.evaluationDue {
                let evaluation = session.evaluate()
                log.record(evaluation, epoch: session.epoch, learningRate: session.learningRate)
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
        log.flush()
        if session.diverged { print("diverged: the loss became \(session.lastTrainLoss); weights are those of the last finite step") }
        if session.stoppedEarly { print("stopped early: no better validation loss in \(setup.earlyStoppingPatience ?? 0) evaluations") }
        if interrupted.isSet { print("interrupted at step \(session.step); saving") }
        do {
            try session.checkpoint().write(to: folder.checkpointURL)
        } catch {
            throw CLIError("\(error)")
        }
        print("wrote \(folder.checkpointURL.path)")
        if interrupted.isSet { throw ExitCode(130) }
    }
}
