import ArgumentParser
import Foundation
import NotebookRuntime
import RNNTraining
import TerminalBackend

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
    @Option(parsing: .unconditional, help: "Compute threads for the trainer, \(SetupLimits.threadCount.requirement).")
    var threads: Int = 2
    @Option(parsing: .unconditional, help: "Screen frames per second at most, \(Self.framesPerSecond.requirement).")
    var fps: Int = 30
    @Flag(help: "Leave the mouse to the terminal (its own text selection): no clicks or wheel in the notebook; every key works the same.")
    var noMouse = false

    static let framesPerSecond = SetupLimit(name: "frames per second", 1...120)

    func validate() throws {
        try SetupOptions.require("--threads", threads, SetupLimits.threadCount)
        try SetupOptions.require("--fps", fps, Self.framesPerSecond)
        try SetupOptions.requireNonEmpty("--runs", runs, expected: "a folder path")
    }

    func run() throws {
        let terminal: Terminal
        do {
            terminal = try Terminal(reportsMouse: !noMouse)
        } catch {
            throw CLIError("\(error)")
        }
        let loop = NotebookLoop(screen: terminal, setup: try options.resolvedSetup(), runsFolder: runs, threadCount: threads,
                                framesPerSecond: fps)
        let exit = loop.run()
        if let signal = exit.signal { throw ExitCode(128 + signal) }
    }
}
