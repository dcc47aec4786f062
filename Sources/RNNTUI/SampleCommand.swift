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
        model.resetState()
        var context = try loaded.encode(prime)
        if context.isEmpty {
            // Start from a newline when the vocabulary has one, else from token 0.
            context = [Int32(vocabulary.tokens.firstIndex(of: "\n") ?? 0)]
        } else {
            FileHandle.standardOutput.write(Data(prime.utf8))
        }
        var output = ""
        var next = context
        for _ in 0..<length {
            model.forward(Batch(timeSteps: next.count, batchSize: 1, tokens: next), training: false, carryState: true)
            let outputs = model.lastOutputs()
            let logits = outputs[(outputs.count - config.outputSize)...]
            let token = Self.draw(Array(logits), temperature: temperature, excluding: vocabulary.unknownIndex, random: &random)
            output += vocabulary.tokens[token]
            next = [Int32(token)]
            if output.utf8.count >= 4096 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
        }
        FileHandle.standardOutput.write(Data((output + "\n").utf8))
    }

    /// Draws an index from softmax(logits / temperature); temperature 0 is argmax.
    static func draw(_ logits: [Float], temperature: Double, excluding excluded: Int?, random: inout SeededRandom) -> Int {
        var best = 0
        for index in logits.indices where index != excluded && (best == excluded || logits[index] > logits[best]) { best = index }
        guard temperature > 0 else { return best }
        let largest = Double(logits[best])
        var weights = logits.enumerated().map { index, logit in
            index == excluded ? 0 : Foundation.exp((Double(logit) - largest) / temperature)
        }
        let total = weights.reduce(0, +)
        var threshold = random.nextUnit() * total
        for index in weights.indices {
            threshold -= weights[index]
            if threshold <= 0 { return index }
        }
        weights.removeAll()
        return best
    }
}
