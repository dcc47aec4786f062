import ArgumentParser

/// `rnn-tui` / `rnn-tui notebook`: the terminal notebook.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Open the terminal notebook (the default when no subcommand is given)."
    )

    func run() throws {
        print(RNNTUICommand.helpMessage())
    }
}
