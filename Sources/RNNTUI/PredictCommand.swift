import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// `rnn-tui predict`: what a checkpoint predicts for an input, in the data's own terms.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Print a checkpoint's prediction: next-token top-k, class probabilities, or a forecast in original units.",
        discussion: """
            Language models: the --top most likely next tokens after the text. Classifiers (character or word \
            level): every class's probability after reading the text (--json adds them at every timestep). \
            Regression and forecasting: the prediction after the window, denormalised with the checkpoint's \
            statistics; --input FILE.csv takes the file's last rows (the training window length) of the columns \
            the model was trained on, --features takes the values (original units unless --normalized). \
            --ablate/--clamp/--layer apply unit surgery as in inspect.
            """
    )

    @Option(help: "The checkpoint (.safetensors).")
    var checkpoint: String
    @Option(help: "Text for language models and classifiers.")
    var text: String?
    @Option(help: "Token ids, comma separated (3,1,4).")
    var tokens: String?
    @Option(help: "A CSV with the columns the forecasting model was trained on; its last rows are the window.")
    var input: String?
    @Option(parsing: .unconditional, help: "Numeric models: timesteps separated by ';', features by ',' (-1.5,1;0.5,0).")
    var features: String?
    @Flag(help: "--features are already normalised (as the model sees them).")
    var normalized = false
    @Option(help: "How many next tokens (or classes) to list.")
    var top: Int = 5
    @Flag(help: "Print JSON instead of lines.")
    var json = false
    @OptionGroup var surgery: InterventionOptions

    func validate() throws {
        guard [text, tokens, input, features].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --text, --tokens, --input or --features")
        }
        guard top > 0 else { throw ValidationError("--top \(top) must be positive") }
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(path: checkpoint)
        let config = loaded.model.config
        let context = PredictionContext(checkpoint: loaded.validated)
        let batch: Batch
        if let input {
            guard case .numeric(let featureCount) = config.input else {
                throw CLIError("--input: this checkpoint takes tokens; use --text or --tokens")
            }
            let window = loaded.validated.recordedSetup?.sequenceLength
            let rows: [[Double]]
            do {
                rows = try FeatureWindow.read(csv: input, normalization: context.normalization, featureCount: featureCount, lastRows: window)
            } catch { throw CLIError("\(error)") }
            guard !rows.isEmpty else { throw CLIError("\(input): no data rows") }
            batch = Batch(timeSteps: rows.count, batchSize: 1,
                          features: FeatureWindow.modelInput(rows, normalization: context.normalization, alreadyNormalized: false))
        } else {
            batch = try ModelInput.batch(loaded, tokens: tokens, text: text, features: features, normalized: normalized)
        }
        do { try loaded.model.validate(batch) } catch { throw CLIError("\(error)") }
        if let intervention = try surgery.intervention(for: config) {
            do { try loaded.model.setIntervention(intervention) } catch { throw CLIError("\(error)") }
        }
        let probe = loaded.model.probe(batch, gradients: false)
        let last = probe.timeSteps - 1
        let prediction = PredictionReader.prediction(at: last, probe: probe, batch: nil, context: context, top: top)
        print(json ? Self.json(prediction, probe: probe, context: context) : Self.lines(prediction, context: context, top: top))
    }

    static func lines(_ prediction: TimestepPrediction, context: PredictionContext, top: Int) -> String {
        switch prediction {
        case .nextToken(let candidates, _, _):
            return candidates.map { String(format: "%.4f  ", $0.probability) + quoted($0.label) }.joined(separator: "\n")
        case .classes(let classes):
            let sorted = classes.sorted { $0.probability > $1.probability }.prefix(top)
            let width = sorted.map(\.label.count).max() ?? 0
            return sorted.map { $0.label.padding(toLength: width, withPad: " ", startingAt: 0) + String(format: "  %.4f", $0.probability) }
                .joined(separator: "\n")
        case .values(let predicted, _):
            let name = context.normalization?.targetColumn ?? "output"
            return predicted.enumerated().map { index, value in
                (predicted.count > 1 ? "\(name)[\(index)]" : name) + ": " + String(format: "%.6g", value)
            }.joined(separator: "\n")
        }
    }

    static func json(_ prediction: TimestepPrediction, probe: ProbeResult, context: PredictionContext) -> String {
        func candidates(_ list: [TimestepPrediction.Candidate], key: String) -> String {
            "[" + list.map { "{\"\(key)\": \(quoted($0.label)), \"index\": \($0.index), \"probability\": \(number($0.probability))}" }
                .joined(separator: ", ") + "]"
        }
        switch prediction {
        case .nextToken(let top, _, _):
            return "{\"task\": \"language_model\", \"next\": \(candidates(top, key: "token"))}"
        case .classes(let classes):
            let trajectory = PredictionReader.classTrajectory(probe: probe)
                .map { "[" + $0.map(number).joined(separator: ", ") + "]" }.joined(separator: ", ")
            let names = (0..<probe.outputSize).map { quoted(context.label(ofOutput: $0)) }.joined(separator: ", ")
            return "{\"task\": \"classification\", \"classes\": \(candidates(classes, key: "class")), \"class_names\": [\(names)], \"by_timestep\": [\(trajectory)]}"
        case .values(let predicted, _):
            let target = context.normalization?.targetColumn.map(quoted) ?? "null"
            return "{\"task\": \"regression\", \"target\": \(target), \"prediction\": [\(predicted.map(number).joined(separator: ", "))]}"
        }
    }

    static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
