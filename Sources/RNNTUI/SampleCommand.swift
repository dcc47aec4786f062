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
    @Option(parsing: .unconditional, help: "Characters to generate, \(Self.characterCount.requirement).")
    var length: Int = 200
    @Option(parsing: .unconditional, help: "Softmax temperature, \(Self.temperatureLimit.requirement); 0 always takes the most likely character.")
    var temperature: Double = 0.8
    @Option(parsing: .unconditional, help: "Text to start from (its characters are printed first). (default: a newline, not printed)")
    var prime: String = ""
    @Option(parsing: .unconditional, help: "Random seed, a whole number ≥ 0.", transform: SetupOptions.parseSeed)
    var seed: UInt64 = 1
    @OptionGroup var surgery: InterventionOptions

    static let characterCount = SetupLimit(name: "length", 0...1_000_000)
    static let temperatureLimit = SetupLimit<Double>(
        name: "temperature", lowerBound: 0, includesLowerBound: true, upperBound: 1000, includesUpperBound: true,
        requirement: "0…1000")

    func validate() throws {
        try SetupOptions.require("--length", length, Self.characterCount)
        try SetupOptions.require("--temperature", temperature, Self.temperatureLimit)
        try SetupOptions.requireNonEmpty("--checkpoint", checkpoint, expected: "a .safetensors path")
    }

    func run() throws {
        let validated = try LoadedCheckpoint.validated(path: checkpoint)
        var sampler: CharacterSampler
        do { sampler = try CharacterSampler(checkpoint: validated, prime: prime) } catch { throw CLIError("\(checkpoint): \(error)") }
        var random = SeededRandom(seed: seed)
        if let intervention = try surgery.intervention(for: validated.config) {
            do { try sampler.model.setIntervention(intervention) } catch { throw CLIError("\(error)") }
        }
        FileHandle.standardOutput.write(Data(prime.utf8))
        var output = ""
        for _ in 0..<length {
            do { output += try sampler.next(temperature: temperature, random: &random) } catch { throw CLIError("\(error)") }
            if output.utf8.count >= 4096 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
        }
        FileHandle.standardOutput.write(Data((output + "\n").utf8))
    }
}
