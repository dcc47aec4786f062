import Foundation
import RNNEngine

/// Generates text from a character language model, one character per forward step of a batch of one with
/// the state carried: what `rnn-tui sample` runs. Only a validated checkpoint opens one, so every drawn id
/// has a token and every fed id is inside the model's input.
public struct CharacterSampler {
    public let model: RecurrentModel
    public let vocabulary: Vocabulary
    /// The ids fed at the next step: the primer first, then the last drawn character.
    private var pending: [Int32]

    /// `prime` starts the text (it is fed, not drawn); empty starts from a newline, or token 0 when the
    /// vocabulary has none. Refuses a checkpoint that is not a character language model.
    public init(checkpoint: ValidatedCheckpoint, prime: String, threadCount: Int = 1) throws {
        let config = checkpoint.config
        guard config.head == .tokenEveryStep, config.input.takesTokens, let vocabulary = checkpoint.vocabulary,
              vocabulary.level == .character
        else {
            throw ModelError("sample needs a character language model (a checkpoint trained on a .txt corpus)")
        }
        self.vocabulary = vocabulary
        model = try checkpoint.makeModel(threadCount: threadCount)
        model.resetState()
        pending = try checkpoint.characterIDs(of: prime)
        if pending.isEmpty { pending = [Int32(vocabulary.tokens.firstIndex(of: "\n") ?? 0)] }
    }

    /// Feeds the pending ids, draws the next character from softmax(logits / temperature) (0: the most likely
    /// one; never the unknown token) and returns its text. Cost: one forward step per pending id.
    public mutating func next(temperature: Double, random: inout SeededRandom) throws -> String {
        let batch = Batch(timeSteps: pending.count, batchSize: 1, tokens: pending)
        try model.validate(batch)
        model.forward(batch, training: false, carryState: true)
        let outputs = model.lastOutputs()
        let logits = Array(outputs[(outputs.count - model.config.outputSize)...])
        let token = Self.draw(logits, temperature: temperature, excluding: vocabulary.unknownIndex, random: &random)
        pending = [Int32(token)]
        return vocabulary.tokens[token]
    }

    /// Draws an index from softmax(logits / temperature); temperature 0 is argmax. `excluded` is never drawn
    /// unless it is the only index. Cost: one pass over the logits.
    public static func draw(_ logits: [Float], temperature: Double, excluding excluded: Int?, random: inout SeededRandom) -> Int {
        var best = 0
        for index in logits.indices where index != excluded && (best == excluded || logits[index] > logits[best]) { best = index }
        guard temperature > 0 else { return best }
        let largest = Double(logits[best])
        let weights = logits.enumerated().map { index, logit in
            index == excluded ? 0 : Foundation.exp((Double(logit) - largest) / temperature)
        }
        let total = weights.reduce(0, +)
        guard total.isFinite, total > 0 else { return best }
        var threshold = random.nextUnit() * total
        for index in weights.indices {
            threshold -= weights[index]
            if threshold <= 0 { return index }
        }
        return best
    }
}
