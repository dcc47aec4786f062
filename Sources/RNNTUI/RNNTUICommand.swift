import ArgumentParser
import Foundation

@main
struct RNNTUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnn-tui",
        abstract: "An interactive terminal notebook for recurrent neural networks (RNN, LSTM, GRU).",
        discussion: """
            With no subcommand, opens the terminal notebook: pick a cell, hyperparameters and a dataset, \
            then watch it train (loss curves, live gate heatmaps). The subcommands run the same engine headless.
            """,
        version: RNNTUIVersion.current,
        subcommands: [
            NotebookCommand.self, TrainCommand.self, RunsCommand.self, CompareCommand.self, InspectCommand.self,
            PredictCommand.self, GradFlowCommand.self, SampleCommand.self, BenchCommand.self, ExportCommand.self,
            PlotCommand.self,
        ],
        defaultSubcommand: NotebookCommand.self
    )
}

extension RNNTUICommand {
    /// Parses and runs like ArgumentParser's own `main()`, but a bad flag or file ends in ONE line on
    /// stderr (`rnn-tui: error: …`) instead of a usage dump; `--help` and clean exits behave as usual.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode || error is CleanExit {
                exit(withError: error)
            }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("rnn-tui: error: \(message)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
