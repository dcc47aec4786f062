import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// `rnn-tui sample`: generates text from a character model.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate text from a character-level language-model checkpoint."
    )

    @Option(help: "The checkpoint (.safetensors) of a character model.")
    var checkpoint: String
    @Option(help: "Characters to generate.")
    var length: Int = 200
    @Option(help: "Softmax temperature; 0 always takes the most likely character.")
    var temperature: Double = 0.8
    @Option(help: "Text to start from (its characters are printed first).")
    var prime: String = ""
    @Option(help: "Random seed.")
    var seed: UInt64 = 1
    @OptionGroup var surgery: InterventionOptions

    func validate() throws {
        guard (0...1_000_000).contains(length) else { throw ValidationError("--length \(length) must be 0…1000000") }
        guard temperature >= 0, temperature.isFinite else { throw ValidationError("--temperature \(temperature) must be ≥ 0") }
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(path: checkpoint)
        let config = loaded.model.config
        guard config.head == .tokenEveryStep, let vocabulary = loaded.vocabulary, vocabulary.level == .character else {
            throw CLIError("\(checkpoint): sample needs a character language model (a checkpoint trained on a .txt corpus)")
        }
        var random = SeededRandom(seed: seed)
        let model = loaded.model
        if let intervention = try surgery.intervention(for: config) {
            do { try model.setIntervention(intervention) } catch { throw CLIError("\(error)") }
        }
        let context = try loaded.encode(prime)
        if !context.isEmpty { FileHandle.standardOutput.write(Data(prime.utf8)) }
        var output = ""
        _ = TextSampler.sample(
            model: model, vocabulary: vocabulary, prime: context, length: length, temperature: temperature, random: &random
        ) { piece in
            output += piece
            if output.utf8.count >= 4096 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
        }
        FileHandle.standardOutput.write(Data((output + "\n").utf8))
    }
}
