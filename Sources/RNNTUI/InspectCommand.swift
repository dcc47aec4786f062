import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// `rnn-tui inspect`: runs one sequence through a checkpoint and prints every layer's h, c and gates as JSON.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Run one sequence (batch of one, zero state) and print h, c, gates, logits and loss as JSON.",
        discussion: """
            Output: {"cell": "lstm", "tokens": [...], "layers": [{"h": [[H] per timestep], "c": [...] (LSTM only), \
            "gates": {"i": [[H] per timestep], "f": ..., "g": ..., "o": ...}}, ...], "logits": [[O] per timestep], \
            "loss": L}. GRU gates are r, z, n; RNN has "gates": {}. "loss" appears only with --targets. \
            A multi-label model adds "probabilities": {"label": p, ...}, σ of the head at the last timestep; \
            its --targets are one 0/1 value per label.
            """
    )

    @Option(help: "The checkpoint (.safetensors).")
    var checkpoint: String
    @Option(parsing: .unconditional, help: "Token ids, comma separated (3,1,4).")
    var tokens: String?
    @Option(parsing: .unconditional, help: "Text for character models (encoded with the checkpoint's vocabulary).")
    var text: String?
    @Option(parsing: .unconditional, help: "Numeric models: timesteps separated by ';', features by ',' (0.1,1;0.5,0).")
    var features: String?
    @Option(parsing: .unconditional, help: "Targets: one per timestep for every-step heads, one for last-step heads; values for regression.")
    var targets: String?
    @Option(help: "Write d loss / d parameter for every tensor here (needs --targets).")
    var grads: String?

    func validate() throws {
        let inputs = [tokens, text, features].compactMap { $0 }
        guard inputs.count == 1 else { throw ValidationError("give exactly one of --tokens, --text or --features") }
        if grads != nil && targets == nil { throw ValidationError("--grads needs --targets (the loss to differentiate)") }
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(path: checkpoint)
        let config = loaded.model.config
        var batch = try makeBatch(loaded)
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
                batch.targetValues = values
            }
        }
        do { try loaded.model.validate(batch) } catch { throw CLIError("\(error)") }

        let probe = loaded.model.probe(batch)
        var loss: Double?
        if batch.targetTokens != nil || batch.targetValues != nil {
            loaded.model.zeroGradients()
            loss = loaded.model.forward(batch, training: false, carryState: false).loss
            if let grads {
                loaded.model.backward()
                do {
                    try SafeTensors.write(loaded.model.namedGradients(), metadata: ["cell": config.cell.rawValue],
                                          to: URL(fileURLWithPath: grads))
                } catch {
                    throw CLIError("\(error)")
                }
            }
        }
        var probabilities: [(label: String, probability: Double)]?
        if config.head == .multiLabelLast, probe.timeSteps > 0 {
            let last = Array(probe.outputs[((probe.timeSteps - 1) * probe.outputSize)...])
            probabilities = loaded.validated.labelProbabilities(logits: last)
        }
        print(InspectJSON.render(cell: config.cell, tokens: batch.tokens, probe: probe, loss: loss, probabilities: probabilities))
    }

    private func makeBatch(_ loaded: LoadedCheckpoint) throws -> Batch {
        if let features {
            guard case .numeric(let featureCount) = loaded.model.config.input else {
                throw CLIError("--features: this checkpoint takes tokens; use --tokens or --text")
            }
            let steps = try features.split(separator: ";").enumerated().map { index, step in
                let values = try LoadedCheckpoint.parseFloats(String(step), flag: "--features")
                guard values.count == featureCount else {
                    throw CLIError("--features: timestep \(index + 1) has \(values.count) values; the model takes \(featureCount)")
                }
                return values
            }
            guard !steps.isEmpty else { throw CLIError("--features is empty") }
            return Batch(timeSteps: steps.count, batchSize: 1, features: steps.flatMap { $0 })
        }
        guard loaded.model.config.input.takesTokens else {
            throw CLIError("this checkpoint takes numeric features; use --features")
        }
        let ids = try text.map { try loaded.encode($0) } ?? LoadedCheckpoint.parseIntegers(tokens ?? "", flag: "--tokens")
        guard !ids.isEmpty else { throw CLIError("the sequence is empty") }
        return Batch(timeSteps: ids.count, batchSize: 1, tokens: ids)
    }
}

/// The exact JSON `inspect` prints, keys in a fixed order.
enum InspectJSON {
    static func render(
        cell: CellKind, tokens: [Int32]?, probe: ProbeResult, loss: Double?,
        probabilities: [(label: String, probability: Double)]? = nil
    ) -> String {
        var parts: [String] = ["\"cell\": \"\(cell.rawValue)\""]
        if let tokens { parts.append("\"tokens\": [\(tokens.map(String.init).joined(separator: ", "))]") }
        let layers = probe.layers.map { layer -> String in
            var fields = ["\"h\": \(matrix(layer.hidden, columns: probe.hiddenSize))"]
            if let cellState = layer.cell { fields.append("\"c\": \(matrix(cellState, columns: probe.hiddenSize))") }
            let gates = layer.gates.map { "\"\($0.name)\": \(matrix($0.values, columns: probe.hiddenSize))" }
            fields.append("\"gates\": {\(gates.joined(separator: ", "))}")
            return "{\(fields.joined(separator: ", "))}"
        }
        parts.append("\"layers\": [\(layers.joined(separator: ", "))]")
        parts.append("\"logits\": \(matrix(probe.outputs, columns: probe.outputSize))")
        if let probabilities {
            let fields = probabilities.map { "\(string($0.label)): \(number(Float($0.probability)))" }
            parts.append("\"probabilities\": {\(fields.joined(separator: ", "))}")
        }
        if let loss { parts.append("\"loss\": \(number(Float(loss)))") }
        return "{\(parts.joined(separator: ", "))}"
    }

    static func matrix(_ values: [Float], columns: Int) -> String {
        guard columns > 0 else { return "[]" }
        let rows = stride(from: 0, to: values.count, by: columns).map { start in
            "[" + values[start..<min(values.count, start + columns)].map(number).joined(separator: ", ") + "]"
        }
        return "[" + rows.joined(separator: ", ") + "]"
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
