import ArgumentParser
import Foundation
import RNNEngine
import NotebookRuntime
import RNNApp
import RNNTraining
import TerminalBackend

/// `rnn-tui compare --vary FIELD=v1,v2 … [train flags]`: one run per combination of the values, on the
/// same data with the same seed (so the same batches). Without `--headless` the notebook opens training
/// them all at once (one compute thread each, all curves on one chart, `v` switches between them);
/// `--headless` trains them one after another. Either way each gets a run folder under `--runs`.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train one run per --vary value (same data, same seed) and compare them.",
        discussion: "Example: rnn-tui compare --vary cell=rnn,lstm,gru --dataset adding --seq-len 100 (add --headless to print instead)"
    )

    @Option(help: ArgumentHelp(
        "A setup field and the values to try, FIELD=v1,v2 (repeat for a grid). Fields: \(SetupGrid.fields.map(\.name).joined(separator: ", ")).",
        valueName: "field=values"))
    var vary: [String] = []
    @OptionGroup var options: SetupOptions
    @Option(help: "Folder that gets one run folder per compared run.")
    var runs: String = "runs"
    @Option(help: "Compute threads for the engine.")
    var threads: Int = 2
    @Flag(help: "Train the runs one after another without the notebook, printing each evaluation.")
    var headless = false
    @Option(help: ArgumentHelp("Compute threads of each trainer in the notebook while several train (for measuring).", visibility: .hidden))
    var threadsEach: Int = 1
    @Option(parsing: .unconditional, help: "Screen frames per second at most (the notebook), \(NotebookCommand.framesPerSecond.requirement).")
    var fps: Int = 30

    func validate() throws {
        guard (1...64).contains(threads) else { throw ValidationError("--threads \(threads) must be 1…64") }
        guard !vary.isEmpty else { throw ValidationError("--vary is required (for example --vary cell=rnn,lstm,gru)") }
        try SetupOptions.require("--fps", fps, NotebookCommand.framesPerSecond)
        try SetupOptions.require("--threads-each", threadsEach, SetupLimits.threadCount)
    }

    func run() throws {
        let variants = try self.variants()
        let stamp = RunFolder.defaultPath(cell: variants[0].setup.cell, base: runs)
            .split(separator: "/").last.map { String($0.prefix(15)) } ?? "compare"
        guard headless else { return try openNotebook(variants, stamp: stamp) }
        let interrupted = InterruptFlag.install()
        print("rnn-tui compare: \(variants.count) runs (\(variants.map(\.label).joined(separator: "; "))), seed \(variants[0].setup.seed)")
        var results: [(variant: SetupGrid.Variant, path: String, best: Double, last: Double?, steps: Int, seconds: Double)] = []
        for variant in variants where !interrupted.isSet {
            let folderPath = Self.freshPath("\(runs)/\(Self.folderName(variant, stamp: stamp))")
            let (session, recorder) = try Self.prepare(variant.setup, folder: folderPath, threads: threads, cancellation: interrupted.cancellation)
            print("[\(variant.label)] \(session.model.config.cell.rawValue) H=\(session.model.config.hiddenSize) ×\(session.model.config.layerCount), \(session.model.parameterCount) parameters, \(session.totalSteps.map(String.init) ?? "unbounded") steps → \(folderPath)")
            let started = Date()
            var last: Double?
            while !session.isFinished && !interrupted.isSet {
                let outcome = session.advance(recording: recorder)
                guard let metrics = outcome.metrics else { break }
                if let divergence = outcome.divergence {
                    print("[\(variant.label)] \(divergence.description); the next run starts")
                    break
                }
                if let evaluation = outcome.evaluation {
                    last = evaluation.validationLoss
                    print("[\(variant.label)] step \(evaluation.step) train \(Format.number(metrics.trainLoss)) val \(Format.number(evaluation.validationLoss)) (baseline \(Format.number(session.dataset.info.baselineLoss)))")
                }
            }
            guard recorder.finish(session) else { throw CLIError("saving \(folderPath) failed") }
            results.append((variant, folderPath, session.bestValidationLoss, last, session.step, Date().timeIntervalSince(started)))
        }
        print("")
        let header = ["RUN", "STEPS", "BEST VAL", "LAST VAL", "TIME", "FOLDER"]
        let rows = results.map { result -> [String] in
            [result.variant.label, "\(result.steps)", result.best.isFinite ? Format.number(result.best) : "-",
             result.last.map { Format.number($0) } ?? "-", Format.duration(result.seconds), result.path]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces))
        }
        if interrupted.isSet {
            print("interrupted; every run so far is saved (resume one with rnn-tui train --resume FOLDER)")
            throw ExitCode(130)
        }
    }

    /// The notebook training every variant at once, all on one chart.
    private func openNotebook(_ variants: [SetupGrid.Variant], stamp: String) throws {
        let terminal: Terminal
        do { terminal = try Terminal() } catch { throw CLIError("\(error)") }
        let compared = variants.map {
            AppState.ComparedRun(label: $0.label, setup: $0.setup, folderName: Self.folderName($0, stamp: stamp))
        }
        let loop = NotebookLoop(screen: terminal, setup: variants[0].setup, runsFolder: runs, threadCount: threads,
                                framesPerSecond: fps, comparison: compared, sharedThreadCount: threadsEach)
        let exit = loop.run()
        if let signal = exit.signal { throw ExitCode(128 + signal) }
    }

    /// A compared run's folder name: the shared time stamp and the values varied, `20261201-2310-cell-gru`.
    static func folderName(_ variant: SetupGrid.Variant, stamp: String) -> String {
        let slug = variant.values.map { "\($0.field)-\($0.value)" }.joined(separator: "-")
            .map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }
        return "\(stamp)-\(String(slug))"
    }

    /// The compared setups: the flags (over `--config`) with each `--vary` combination applied.
    func variants() throws -> [SetupGrid.Variant] {
        var base = try options.resolvedSetup()
        if base.epochs == nil && base.steps == nil { base.epochs = 3 }
        do {
            return try SetupGrid.expand(base: base, vary: vary)
        } catch let error as TrainingError {
            throw CLIError(error.description)
        }
    }

    private static func prepare(_ setup: TrainingSetup, folder: String, threads: Int, cancellation: CancellationFlag) throws -> (TrainingSession, RunRecorder) {
        do {
            let session = try TrainingSession(setup: setup, threadCount: threads, cancellation: cancellation)
            let recorder = try RunRecorder(session: session, folder: try RunFolder(path: folder), problem: {
                FileHandle.standardError.write(Data("rnn-tui: warning: \($0)\n".utf8))
            })
            return (session, recorder)
        } catch {
            throw CLIError("\(error)")
        }
    }

    private static func freshPath(_ stem: String) -> String {
        var candidate = stem, suffix = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(stem)-\(suffix)"
            suffix += 1
        }
        return candidate
    }
}
