import ArgumentParser

@main
struct RNNTUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnn-tui",
        abstract: "An interactive terminal notebook for recurrent neural networks (RNN, LSTM, GRU).",
        discussion: """
            With no subcommand, opens the terminal notebook: pick a cell, hyperparameters and a dataset, \
            then watch it train (loss curves, live gate heatmaps). The subcommands run the same engine headless.
            """,
        subcommands: [NotebookCommand.self, TrainCommand.self, InspectCommand.self, SampleCommand.self, BenchCommand.self],
        defaultSubcommand: NotebookCommand.self
    )
}
