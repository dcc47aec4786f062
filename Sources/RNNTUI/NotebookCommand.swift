import ArgumentParser
import Foundation
import RNNApp
import RNNTraining

/// `rnn-tui` / `rnn-tui notebook`: the terminal notebook. The setup screen starts from the flags
/// (same as `train`), so `rnn-tui --dataset adding --cell gru` opens with those chosen.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Open the terminal notebook (the default when no subcommand is given)."
    )

    @OptionGroup var options: SetupOptions
    @Option(help: "Folder that holds one run folder per run (config.json, metrics.csv, checkpoints).")
    var runs: String = "runs"
    @Option(help: "Compute threads for the trainer.")
    var threads: Int = 2
    @Option(help: "Frames per second at most.")
    var fps: Int = 30

    func validate() throws {
        guard (1...64).contains(threads) else { throw ValidationError("--threads \(threads) must be 1…64") }
        guard (1...120).contains(fps) else { throw ValidationError("--fps \(fps) must be 1…120") }
    }

    func run() throws {
        let loop = try NotebookLoop(setup: try options.resolvedSetup(), runsFolder: runs, threadCount: threads, framesPerSecond: fps)
        let signal = loop.run()
        if let signal { throw ExitCode(128 + signal) }
    }
}
