import Foundation
import RNNEngine
@testable import RNNTraining

/// Small valid checkpoints of every cell, input kind and head, with the metadata `train` writes, and the
/// steps the commands take with a loaded checkpoint (so tests and the fuzz run the commands' code).
enum CheckpointFixtures {
    /// A valid checkpoint and what it is, for messages.
    struct Fixture {
        var name: String
        var checkpoint: Checkpoint
    }

    static let characters = ["\n", " ", "a", "b", "c", CharacterCorpusDataset.unknownSymbol]

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    /// A character language model over `characters` (unknown symbol last), one-hot or embedded.
    static func characterModel(cell: CellKind = .lstm, nonlinearity: Nonlinearity = .tanh, gruResetAfter: Bool = true,
                               embedding: Int = 0, layers: Int = 1, hidden: Int = 4, seed: UInt64 = 1) -> Checkpoint {
        let size = characters.count
        let input: InputEncoding = embedding > 0 ? .embedding(vocabularySize: size, dimension: embedding) : .oneHot(vocabularySize: size)
        let config = ModelConfig(cell: cell, nonlinearity: nonlinearity, gruResetAfter: gruResetAfter, input: input,
                                 hiddenSize: hidden, layerCount: layers, head: .tokenEveryStep, outputSize: size)
        let vocabulary = Vocabulary(level: .character, tokens: characters, unknownIndex: size - 1)
        return Checkpoint(model: RecurrentModel(config: config, seed: seed, threadCount: 1), extraMetadata: [
            CheckpointMetadata.vocabularyKey: json(vocabulary),
            CheckpointMetadata.taskKey: TaskKind.languageModel.rawValue,
            CheckpointMetadata.datasetKey: "tiny.txt",
            CheckpointMetadata.setupKey: json(TrainingSetup()),
        ])
    }

    /// A word-level text classifier: vocabulary with padding and unknown tokens, class names.
    static func classifier(cell: CellKind = .gru, nonlinearity: Nonlinearity = .tanh, gruResetAfter: Bool = true,
                           embedding: Int = 3, hidden: Int = 4, seed: UInt64 = 2) -> Checkpoint {
        let tokens = ["<pad>", "<unk>", "good", "bad", "film"]
        let input: InputEncoding = embedding > 0 ? .embedding(vocabularySize: tokens.count, dimension: embedding) : .oneHot(vocabularySize: tokens.count)
        let config = ModelConfig(cell: cell, nonlinearity: nonlinearity, gruResetAfter: gruResetAfter, input: input,
                                 hiddenSize: hidden, head: .classifyLast, outputSize: 2)
        let vocabulary = Vocabulary(level: .word, tokens: tokens, unknownIndex: 1, paddingIndex: 0)
        return Checkpoint(model: RecurrentModel(config: config, seed: seed, threadCount: 1), extraMetadata: [
            CheckpointMetadata.vocabularyKey: json(vocabulary),
            CheckpointMetadata.classNamesKey: json(["negative", "positive"]),
            CheckpointMetadata.taskKey: TaskKind.classification.rawValue,
        ])
    }

    /// A numeric regression model with normalisation statistics.
    static func regression(cell: CellKind = .rnn, nonlinearity: Nonlinearity = .tanh, gruResetAfter: Bool = true,
                           everyStep: Bool = false, layers: Int = 1, hidden: Int = 3, seed: UInt64 = 3) -> Checkpoint {
        let config = ModelConfig(cell: cell, nonlinearity: nonlinearity, gruResetAfter: gruResetAfter,
                                 input: .numeric(featureCount: 2), hiddenSize: hidden, layerCount: layers,
                                 head: everyStep ? .regressEveryStep : .regressLast, outputSize: 1)
        let normalization = FeatureNormalization(columns: ["x", "y"], means: [0.5, -1], standardDeviations: [2, 0.25], targetColumn: "y")
        return Checkpoint(model: RecurrentModel(config: config, seed: seed, threadCount: 1), extraMetadata: [
            CheckpointMetadata.normalizationKey: json(normalization),
            CheckpointMetadata.taskKey: TaskKind.regression.rawValue,
        ])
    }

    /// Every cell (RNN tanh and relu, LSTM, GRU both conventions) × input kind (one-hot, embedding,
    /// numeric) × head (every-step softmax, last-step classifier, last-step and every-step regression).
    static var all: [Fixture] {
        let cells: [(String, CellKind, Nonlinearity, Bool)] = [
            ("rnn-tanh", .rnn, .tanh, true), ("rnn-relu", .rnn, .relu, true), ("lstm", .lstm, .tanh, true),
            ("gru-after", .gru, .tanh, true), ("gru-before", .gru, .tanh, false),
        ]
        var fixtures: [Fixture] = []
        for (index, (name, cell, nonlinearity, resetAfter)) in cells.enumerated() {
            fixtures.append(Fixture(name: "\(name) one-hot language model", checkpoint: characterModel(
                cell: cell, nonlinearity: nonlinearity, gruResetAfter: resetAfter, layers: 1 + index % 2)))
            fixtures.append(Fixture(name: "\(name) embedding language model", checkpoint: characterModel(
                cell: cell, nonlinearity: nonlinearity, gruResetAfter: resetAfter, embedding: 3)))
            fixtures.append(Fixture(name: "\(name) classifier", checkpoint: classifier(
                cell: cell, nonlinearity: nonlinearity, gruResetAfter: resetAfter, embedding: index % 2 == 0 ? 3 : 0)))
            fixtures.append(Fixture(name: "\(name) numeric regression", checkpoint: regression(
                cell: cell, nonlinearity: nonlinearity, gruResetAfter: resetAfter, everyStep: index % 2 == 1,
                layers: 1 + index % 3)))
        }
        return fixtures
    }

    static func encode(_ checkpoint: Checkpoint) -> Data {
        SafeTensors.encode(checkpoint.tensors, metadata: checkpoint.metadata)
    }

    /// What the commands do with a validated checkpoint: `sample` (a character model: prime, draw a few),
    /// `inspect` (encode text or parse ids, validate the batch, probe, loss and gradients) and `train --init`
    /// (fit against a dataset description, rebuild the model, load the weights). Returns a line describing
    /// what ran; throws the commands' one-line errors.
    @discardableResult
    static func exercise(_ validated: ValidatedCheckpoint) throws -> String {
        let config = validated.config
        let model = try validated.makeModel(threadCount: 1)
        var batch: Batch
        switch config.input {
        case .numeric(let featureCount):
            batch = Batch(timeSteps: 3, batchSize: 1, features: (0..<(3 * featureCount)).map { Float($0) / 7 - 0.5 })
        case .embedding(let size, _), .oneHot(let size):
            if let vocabulary = validated.vocabulary, vocabulary.level == .character {
                batch = Batch(timeSteps: 3, batchSize: 1, tokens: try validated.characterIDs(of: "ab€"))
            } else {
                batch = Batch(timeSteps: 3, batchSize: 1, tokens: (0..<3).map { Int32($0 % size) })
            }
        }
        let rows = config.head.isEveryStep ? batch.timeSteps : 1
        if config.head.isClassification {
            batch.targetTokens = (0..<rows).map { Int32($0 % config.outputSize) }
        } else {
            batch.targetValues = (0..<(rows * config.outputSize)).map { Float($0) / 3 }
        }
        try model.validate(batch)
        _ = model.probe(batch)
        model.zeroGradients()
        let loss = model.forward(batch, training: false, carryState: false).loss
        model.backward()
        var text = ""
        if let sampler = try? CharacterSampler(checkpoint: validated, prime: "ba") {
            var sampler = sampler
            var random = SeededRandom(seed: 5)
            for temperature in [0, 0.8] { text += try sampler.next(temperature: temperature, random: &random) }
        }
        let datasetInput: DatasetInput
        switch config.input {
        case .embedding(let size, _), .oneHot(let size): datasetInput = .tokens(vocabularySize: size)
        case .numeric(let featureCount): datasetInput = .features(featureCount: featureCount)
        }
        let info = DatasetInfo(
            name: "fixture", task: validated.task ?? .regression, input: datasetInput,
            head: config.head, outputSize: config.outputSize, baselineLoss: 1, baselineDescription: "fixture",
            statefulBatches: false, trainCount: 1, validationCount: 1)
        if let problem = validated.problem(fitting: info) { throw TrainingError(problem) }
        let retrained = RecurrentModel(config: config, seed: 1, threadCount: 1)
        try retrained.loadParameters(validated.checkpoint.tensors)
        return "loss \(loss), sampled \(text.debugDescription)"
    }
}
