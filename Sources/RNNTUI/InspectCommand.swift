import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// `rnn-tui inspect`: runs one sequence through a checkpoint and prints every layer's h, c, gates (and
/// with targets the loss's gradient reaching each h and c) as JSON, streamed.
struct InspectCommand: ParsableCommand {
    /// The most numbers one `inspect` prints (about 20 bytes each: ~400 MB of JSON). Longer sequences
    /// are refused before anything runs; inspect a shorter stretch.
    static let numberLimit = 20_000_000

    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Run one sequence (batch of one, zero state) and print h, c, gates, logits, loss and dh/dc as JSON.",
        discussion: """
            Output: {"cell": "lstm", "tokens": [...], "layers": [{"h": [[H] per timestep], "c": [...] (LSTM only), \
            "gates": {"i": [[H] per timestep], "f": ..., "g": ..., "o": ...}, "dh": [[H] per timestep], \
            "dc": [...] (LSTM)}, ...], "logits": [[O] per timestep], "predictions": [[O] per timestep], "loss": L}. \
            GRU gates are r, z, n; RNN has "gates": {}. "dh" (the total derivative dL/dh_t: through the head at t, \
            the recurrence into t+1 and the layer above), "dc" and "loss" appear only with --targets. \
            "predictions" (the outputs in the data's own units) appears for regression models trained on \
            normalised data. --features and regression --targets are in the data's own units unless --normalized. \
            A multi-label model adds "probabilities": {"label": p, ...}, σ of the head at the last timestep; \
            its --targets are one 0/1 value per label. The output is streamed; more than \(numberLimit) numbers is refused.
            """
    )

    @Option(help: "The checkpoint (.safetensors).")
    var checkpoint: String
    @Option(parsing: .unconditional, help: "Token ids, comma separated (3,1,4).")
    var tokens: String?
    @Option(parsing: .unconditional, help: "Text for character or word models (tokenised with the checkpoint's vocabulary).")
    var text: String?
    @Option(parsing: .unconditional, help: "Numeric models: timesteps separated by ';', features by ',' (-1.5,1;0.5,0), in the data's own units.")
    var features: String?
    @Flag(help: "--features and regression --targets are already normalised (as the model sees them).")
    var normalized = false
    @Option(parsing: .unconditional, help: "Targets: one per timestep for every-step heads, one for last-step heads; values for regression.")
    var targets: String?
    @Option(help: "Write d loss / d parameter for every tensor here (needs --targets).")
    var grads: String?
    @OptionGroup var surgery: InterventionOptions

    func validate() throws {
        let inputs = [tokens, text, features].compactMap { $0 }
        guard inputs.count == 1 else { throw ValidationError("give exactly one of --tokens, --text or --features") }
        if grads != nil && targets == nil { throw ValidationError("--grads needs --targets (the loss to differentiate)") }
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(path: checkpoint)
        let config = loaded.model.config
        let context = PredictionContext(checkpoint: loaded.validated)
        var batch = try ModelInput.batch(loaded, tokens: tokens, text: text, features: features, normalized: normalized)
        if let targets {
            let rows = config.head.isEveryStep ? batch.timeSteps : 1
            if config.head.isClassification {
                let values = try LoadedCheckpoint.parseIntegers(targets, flag: "--targets")
                guard values.count == rows else {
                    throw CLIError("--targets has \(values.count) values; this \(config.head.rawValue) model needs \(rows)")
                }
                batch.targetTokens = values
            } else {
                let values = try LoadedCheckpoint.parseFloats(targets, flag: "--targets")
                guard values.count == rows * config.outputSize else {
                    throw CLIError("--targets has \(values.count) values; this \(config.head.rawValue) model needs \(rows * config.outputSize)")
                }
                batch.targetValues = normalized ? values : values.map { Float(FeatureWindow.normalizedTarget(Double($0), context: context)) }
            }
        }
        do { try loaded.model.validate(batch) } catch { throw CLIError("\(error)") }
        if let intervention = try surgery.intervention(for: config) {
            do { try loaded.model.setIntervention(intervention) } catch { throw CLIError("\(error)") }
        }
        let hasTargets = batch.targetTokens != nil || batch.targetValues != nil
        let denormalize = !config.head.isClassification && context.normalization?.targetColumn != nil
        let count = InspectJSON.numberCount(config: config, timeSteps: batch.timeSteps, gradients: hasTargets, predictions: denormalize)
        guard count <= Self.numberLimit else {
            throw CLIError("inspect would print \(count) numbers for \(batch.timeSteps) timesteps (\(config.layerCount) layers × H = \(config.hiddenSize)); the limit is \(Self.numberLimit): inspect a shorter sequence")
        }

        let probe = loaded.model.probe(batch)
        if let grads {
            loaded.model.zeroGradients()
            loaded.model.forward(batch, training: false, carryState: false)
            loaded.model.backward()
            do {
                try SafeTensors.write(loaded.model.namedGradients(), metadata: ["cell": config.cell.rawValue],
                                      to: URL(fileURLWithPath: grads))
            } catch {
                throw CLIError("\(error)")
            }
        }
        var probabilities: [(label: String, probability: Double)]?
        if config.head == .multiLabelLast, probe.timeSteps > 0 {
            let last = Array(probe.outputs[((probe.timeSteps - 1) * probe.outputSize)...])
            probabilities = loaded.validated.labelProbabilities(logits: last)
        }
        var output = StreamedOutput()
        InspectJSON.write(cell: config.cell, tokens: batch.tokens, probe: probe,
                          predictions: denormalize ? context : nil, probabilities: probabilities, to: &output)
        output.write("\n")
        output.flush()
    }
}

/// Turning the command-line input flags into a batch of one for a checkpoint.
enum ModelInput {
    static func batch(_ loaded: LoadedCheckpoint, tokens: String?, text: String?, features: String?, normalized: Bool) throws -> Batch {
        if let features {
            guard case .numeric(let featureCount) = loaded.model.config.input else {
                throw CLIError("--features: this checkpoint takes tokens; use --tokens or --text")
            }
            let steps = try features.split(separator: ";").enumerated().map { index, step in
                let values = try LoadedCheckpoint.parseFloats(String(step), flag: "--features")
                guard values.count == featureCount else {
                    throw CLIError("--features: timestep \(index + 1) has \(values.count) values; the model takes \(featureCount)")
                }
                return values.map(Double.init)
            }
            guard !steps.isEmpty else { throw CLIError("--features is empty") }
            let normalization = loaded.validated.normalization
            return Batch(timeSteps: steps.count, batchSize: 1,
                         features: FeatureWindow.modelInput(steps, normalization: normalization, alreadyNormalized: normalized))
        }
        guard loaded.model.config.input.takesTokens else {
            throw CLIError("this checkpoint takes numeric features; use --features")
        }
        let ids = try text.map { try loaded.encode($0) } ?? LoadedCheckpoint.parseIntegers(tokens ?? "", flag: "--tokens")
        guard !ids.isEmpty else { throw CLIError("the sequence is empty") }
        return Batch(timeSteps: ids.count, batchSize: 1, tokens: ids)
    }
}

/// Standard output through a 64 KiB buffer, so a large JSON document is never held whole.
struct StreamedOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 65_536 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The exact JSON `inspect` prints, keys in a fixed order, written piece by piece.
enum InspectJSON {
    /// How many numbers `write` prints for a sequence of `timeSteps`.
    static func numberCount(config: ModelConfig, timeSteps: Int, gradients: Bool, predictions: Bool) -> Int {
        let lstm = config.cell == .lstm
        let perLayer = config.cell.gateCount * (config.cell == .rnn ? 0 : 1) + 1 + (lstm ? 1 : 0) + (gradients ? (lstm ? 2 : 1) : 0)
        let hidden = config.layerCount * perLayer * config.hiddenSize
        let outputs = (predictions ? 2 : 1) * config.outputSize
        let (product, overflow) = timeSteps.multipliedReportingOverflow(by: hidden + outputs + 1)
        return overflow ? Int.max : product
    }

    static func write(
        cell: CellKind, tokens: [Int32]?, probe: ProbeResult, predictions context: PredictionContext?,
        probabilities: [(label: String, probability: Double)]? = nil, to output: inout StreamedOutput
    ) {
        output.write("{\"cell\": \"\(cell.rawValue)\"")
        if let tokens { output.write(", \"tokens\": [\(tokens.map(String.init).joined(separator: ", "))]") }
        output.write(", \"layers\": [")
        for (index, layer) in probe.layers.enumerated() {
            output.write(index == 0 ? "{\"h\": " : ", {\"h\": ")
            matrix(layer.hidden, columns: probe.hiddenSize, to: &output)
            if let cellState = layer.cell {
                output.write(", \"c\": ")
                matrix(cellState, columns: probe.hiddenSize, to: &output)
            }
            output.write(", \"gates\": {")
            for (gateIndex, gate) in layer.gates.enumerated() {
                output.write("\(gateIndex == 0 ? "" : ", ")\"\(gate.name)\": ")
                matrix(gate.values, columns: probe.hiddenSize, to: &output)
            }
            output.write("}")
            if let gradient = layer.hiddenGradient {
                output.write(", \"dh\": ")
                matrix(gradient, columns: probe.hiddenSize, to: &output)
            }
            if let gradient = layer.cellGradient {
                output.write(", \"dc\": ")
                matrix(gradient, columns: probe.hiddenSize, to: &output)
            }
            output.write("}")
        }
        output.write("], \"logits\": ")
        matrix(probe.outputs, columns: probe.outputSize, to: &output)
        if let context {
            output.write(", \"predictions\": ")
            matrix(probe.outputs.map { Float(context.denormalizedOutput(Double($0))) }, columns: probe.outputSize, to: &output)
        }
        if let probabilities {
            let fields = probabilities.map { "\(string($0.label)): \(number(Float($0.probability)))" }
            output.write(", \"probabilities\": {\(fields.joined(separator: ", "))}")
        }
        if let loss = probe.loss { output.write(", \"loss\": \(number(Float(loss)))") }
        output.write("}")
    }

    static func matrix(_ values: [Float], columns: Int, to output: inout StreamedOutput) {
        guard columns > 0 else { return output.write("[]") }
        output.write("[")
        for start in stride(from: 0, to: values.count, by: columns) {
            output.write((start == 0 ? "[" : ", [") + values[start..<min(values.count, start + columns)].map(number).joined(separator: ", ") + "]")
        }
        output.write("]")
    }

    /// A JSON string literal.
    static func string(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Shortest round-trip decimal; JSON has no NaN or infinity, so those become null.
    static func number(_ value: Float) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}
