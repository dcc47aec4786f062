import Foundation
import RNNEngine

/// Text from a language model, char-rnn style: read the prime, then draw one token at a time from
/// softmax(logits / temperature) and feed it back, carrying the state (`RecurrentModel.continueSequence`,
/// so a running session's training state is untouched). The intervention in force applies.
public enum TextSampler {
    /// `length` tokens after `prime` (ids; empty: start from a newline token when the vocabulary has one,
    /// else token 0), as text. `excluding` (the unknown token) is never drawn. Cost: one single-step
    /// forward pass per token plus one over the prime.
    public static func sample(
        model: RecurrentModel, vocabulary: Vocabulary, prime: [Int32], length: Int, temperature: Double,
        random: inout SeededRandom, emit: (String) -> Void = { _ in }
    ) -> String {
        let start = prime.isEmpty ? [Int32(vocabulary.tokens.firstIndex(of: "\n") ?? 0)] : prime
        var state: SequenceState?
        var next = start
        var text = ""
        let separator = vocabulary.level == .word ? " " : ""
        for index in 0..<length {
            let (logits, after) = model.continueSequence(Batch(timeSteps: next.count, batchSize: 1, tokens: next), from: state)
            state = after
            let token = CharacterSampler.draw(logits, temperature: temperature, excluding: vocabulary.unknownIndex, random: &random)
            let piece = (index == 0 && prime.isEmpty ? "" : separator) + vocabulary.tokens[token]
            text += piece
            emit(piece)
            next = [Int32(token)]
        }
        return text
    }
}
