import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// `rnn-tui grad-flow`: how much of the loss's gradient reaches each timestep, averaged over validation
/// sequences of the checkpoint's own dataset: the vanishing-gradient test, headless.
struct GradFlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grad-flow",
        abstract: "Mean ‖dL/dh_t‖ per timestep over validation sequences, and the ratio ‖dL/dh_1‖ / ‖dL/dh_T‖.",
        discussion: """
            Rebuilds the checkpoint's dataset from its recorded setup (or --dataset), runs --sequences validation \
            sequences from a zero state and prints, per layer, the mean over sequences of ‖dL/dh_t‖ (each \
            sequence's gradient of its own loss) at the first, middle and last timestep and the ratio first/last. \
            --json prints every timestep.
            """
    )

    @Option(help: "The checkpoint (.safetensors), trained by rnn-tui train.")
    var checkpoint: String
    @Option(help: "The dataset (default: the one the checkpoint was trained on).")
    var dataset: String?
    @Option(help: "Sequence length (default: the training one).")
    var seqLen: Int?
    @Option(help: "Validation sequences to average over.")
    var sequences: Int = 256
    @Flag(help: "Print JSON: {\"layers\": [{\"norms\": [T], \"ratio\": r}], \"sequences\": n, \"loss\": L}.")
    var json = false

    func validate() throws {
        guard sequences > 0 else { throw ValidationError("--sequences \(sequences) must be positive") }
        if let seqLen, !SetupLimits.sequenceLength.contains(seqLen) {
            throw ValidationError("--seq-len \(seqLen) must be in \(SetupLimits.sequenceLength.lowerBound)…\(SetupLimits.sequenceLength.upperBound)")
        }
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(path: checkpoint)
        let setup = loaded.validated.recordedSetup ?? TrainingSetup()
        guard let name = dataset ?? loaded.validated.recordedSetup?.dataset else {
            throw CLIError("\(checkpoint) does not record its dataset; give --dataset")
        }
        let sequenceLength = seqLen ?? setup.sequenceLength
        var options = setup.datasetOptions
        options.seed = setup.seed
        let data: any Dataset
        do { data = try DatasetCatalog.load(name, sequenceLength: sequenceLength, options: options) } catch { throw CLIError("\(error)") }
        let batches = data.validationBatches(batchSize: 32, sequenceLength: sequenceLength, limit: sequences)
        let model = loaded.model
        var recorded: [(gradients: HiddenGradients, lengths: [Int])] = []
        for batch in batches {
            do { try model.validate(batch) } catch { throw CLIError("\(checkpoint) does not fit dataset \(name): \(error)") }
            if let gradients = model.hiddenGradients(batch) { recorded.append((gradients, batch.lengths)) }
        }
        guard !recorded.isEmpty else { throw CLIError("dataset \(name) has no validation sequences with targets") }
        let flow = GradientFlow(batches: recorded, cell: model.config.cell)
        let count: Int
        if case .validation(let sequences) = flow.source { count = sequences } else { count = 0 }
        if json {
            let layers = flow.layers.indices.map { layer in
                "{\"norms\": [" + flow.layers[layer].norms.map(Self.number).joined(separator: ", ") + "], \"ratio\": "
                    + Self.number(flow.firstToLastRatio(layer: layer) ?? .nan) + "}"
            }
            print("{\"cell\": \"\(model.config.cell.rawValue)\", \"sequences\": \(count), \"loss\": \(Self.number(flow.loss)), \"layers\": [\(layers.joined(separator: ", "))]}")
            return
        }
        print("\(model.config.cell.rawValue), \(count) validation sequences of \(name), T = \(flow.timeSteps), mean loss \(String(format: "%.4g", flow.loss))")
        for (index, layer) in flow.layers.enumerated() {
            let last = layer.norms.lastIndex { $0 > 0 } ?? (layer.norms.count - 1)
            let middle = last / 2
            print(String(format: "layer %d: ‖dL/dh_t‖ at t = 1: %.3e, t = %d: %.3e, t = %d: %.3e; ratio t=1 / t=%d: %.3e",
                         index, layer.norms.first ?? 0, middle + 1, layer.norms[middle], last + 1, layer.norms[last], last + 1,
                         flow.firstToLastRatio(layer: index) ?? .nan))
        }
    }

    static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
}
