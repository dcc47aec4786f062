import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// `rnn-tui export pytorch RUN_DIR --out DIR`: the run as a small PyTorch project (see `PyTorchExport`).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run in another framework's terms.",
        subcommands: [ExportPyTorchCommand.self]
    )
}

struct ExportPyTorchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pytorch",
        abstract: "Write a PyTorch project for a run: model.py, train.py (DDP-ready), its data and weights.",
        discussion: """
            DIR gets model.py (nn.Module with the checkpoint's names), train.py (same optimizer, rate, schedule, \
            clipping and batches; runs under torchrun --nproc_per_node N), data.safetensors (the run's train and \
            validation batches), checkpoint.safetensors (the run's weights) and export.json (settings and the \
            first batch's loss as rnn-tui computes it). Needs torch, safetensors and numpy.
            """
    )

    @Argument(help: "The run folder (config.json and checkpoint.safetensors).")
    var runDirectory: String
    @Option(help: "The folder to write (created if missing).")
    var out: String
    @Option(help: "Weights to export (default: RUN_DIR/checkpoint.safetensors).")
    var checkpoint: String?
    @Option(help: "Read the data from here instead of the run's own --dataset (a moved file).")
    var dataset: String?

    func run() throws {
        let run = URL(fileURLWithPath: runDirectory, isDirectory: true)
        let checkpointURL = checkpoint.map { URL(fileURLWithPath: $0) } ?? run.appendingPathComponent("checkpoint.safetensors")
        do {
            let export = try PyTorchExport(run: run, checkpoint: checkpointURL, datasetOverride: dataset)
            try export.write(to: URL(fileURLWithPath: out, isDirectory: true))
            print("wrote \(out): model.py, train.py, export.json, data.safetensors (\(export.trainBatches.count) train / \(export.validationBatches.count) validation batches), checkpoint.safetensors")
            print("  first batch loss on these weights: \(Format.number(export.expectedFirstLoss)); run: cd \(out) && python train.py  (or torchrun --nproc_per_node 2 train.py)")
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(error)")
        }
    }
}
