import Foundation
import RNNEngine
import RNNTraining

/// A run exported as a PyTorch project. DIR gets:
///
///     model.py                 Net (embedding / rnn / head: the checkpoint's names), GRUResetBefore, losses
///     train.py                 the run's optimizer, rate, schedule, clipping, batches; DDP under torchrun
///     export.json              model shape, training settings, dataset facts, expected_first_loss,
///                              checkpoint_metadata (what train.py writes back into its checkpoint)
///     data.safetensors         every batch of the run's epoch 0 and of its validation split, time-major:
///                              <split>.<i>.inputs  (T, B) token ids or (T, B, D) features
///                              <split>.<i>.targets (T, B) / (B) class ids, (T, B, O) / (B, O) values
///                              <split>.<i>.mask    (T, B) when the batch pads; ids are F32 (exact < 2^24)
///     checkpoint.safetensors   the run's weights, byte for byte
///
/// `expectedFirstLoss` is the engine's loss of train batch 0 on these weights from a zero state with no
/// dropout: train.py prints its own next to it.
struct PyTorchExport {
    let setup: TrainingSetup
    let info: DatasetInfo
    let checkpointBytes: Data
    let checkpoint: Checkpoint
    let stepsPerEpoch: Int
    let totalSteps: Int?
    let trainBatches: [Batch]
    let validationBatches: [Batch]
    let expectedFirstLoss: Double

    init(run: URL, checkpoint checkpointURL: URL, datasetOverride: String?) throws {
        let validated: ValidatedCheckpoint
        do { validated = try ValidatedCheckpoint.load(path: checkpointURL.path) } catch { throw CLIError("\(error)") }
        checkpoint = validated.checkpoint
        checkpointBytes = try Data(contentsOf: checkpointURL)
        let configURL = run.appendingPathComponent("config.json")
        var setup: TrainingSetup
        if FileManager.default.fileExists(atPath: configURL.path) {
            do { setup = try TrainingSetup.read(configAt: configURL.path) } catch { throw CLIError("\(error)") }
        } else if let stored = validated.recordedSetup {
            setup = stored
        } else {
            throw CLIError("\(configURL.path) is missing and \(checkpointURL.path) has no rnn_tui.setup metadata: nothing says how the run trained")
        }
        if let datasetOverride { setup.dataset = datasetOverride }
        setup.initialCheckpoint = checkpointURL.path
        let session = try TrainingSession(setup: setup, threadCount: 1)
        self.setup = session.setup
        info = session.dataset.info
        stepsPerEpoch = session.stepsPerEpoch
        totalSteps = session.totalSteps
        let batchSize = session.setup.batchSize, sequenceLength = session.setup.sequenceLength
        trainBatches = (0..<stepsPerEpoch).map {
            session.dataset.trainBatch(index: $0, epoch: 0, batchSize: batchSize, sequenceLength: sequenceLength)
        }
        validationBatches = session.dataset.validationBatches(
            batchSize: batchSize, sequenceLength: sequenceLength, limit: session.setup.validationLimit)
        let loss = session.model.forward(trainBatches[0], training: false, carryState: false).loss
        // Seven significant digits: far inside the 1e-4 comparison, and stable across kernel orderings.
        expectedFirstLoss = Double(String(format: "%.7g", loss)) ?? loss
    }

    func write(to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data((PyTorchExportTemplates.model + "\n").utf8).write(to: directory.appendingPathComponent("model.py"), options: .atomic)
            try Data((PyTorchExportTemplates.train + "\n").utf8).write(to: directory.appendingPathComponent("train.py"), options: .atomic)
            try exportJSON().write(to: directory.appendingPathComponent("export.json"), options: .atomic)
            try checkpointBytes.write(to: directory.appendingPathComponent("checkpoint.safetensors"), options: .atomic)
        } catch {
            throw CLIError("\(directory.path): cannot write the export (\(error.localizedDescription))")
        }
        try SafeTensors.write(dataTensors(), metadata: dataMetadata(), to: directory.appendingPathComponent("data.safetensors"))
    }

    // MARK: - data.safetensors

    func dataTensors() -> [NamedTensor] {
        var tensors: [NamedTensor] = []
        for (split, batches) in [("train", trainBatches), ("validation", validationBatches)] {
            for (index, batch) in batches.enumerated() {
                tensors += Self.tensors(of: batch, prefix: "\(split).\(index)", head: checkpoint.config.head,
                                        outputSize: checkpoint.config.outputSize)
            }
        }
        return tensors
    }

    static func tensors(of batch: Batch, prefix: String, head: HeadKind, outputSize: Int) -> [NamedTensor] {
        let time = batch.timeSteps, rows = batch.batchSize
        var tensors: [NamedTensor] = []
        if let tokens = batch.tokens {
            tensors.append(NamedTensor(name: "\(prefix).inputs", shape: [time, rows], values: tokens.map(Float.init)))
        } else if let features = batch.features {
            tensors.append(NamedTensor(name: "\(prefix).inputs", shape: [time, rows, features.count / max(1, time * rows)], values: features))
        }
        if let targets = batch.targetTokens {
            tensors.append(NamedTensor(name: "\(prefix).targets", shape: head.isEveryStep ? [time, rows] : [rows], values: targets.map(Float.init)))
        } else if let values = batch.targetValues {
            tensors.append(NamedTensor(name: "\(prefix).targets", shape: head.isEveryStep ? [time, rows, outputSize] : [rows, outputSize], values: values))
        }
        if let mask = batch.mask {
            tensors.append(NamedTensor(name: "\(prefix).mask", shape: [time, rows], values: mask))
        }
        return tensors
    }

    /// The vocabulary, class names and normalisation (as in checkpoints), and how to read the tensors.
    func dataMetadata() -> [String: String] {
        var metadata = CheckpointMetadata.encode(setup: setup, dataset: info)
        metadata.removeValue(forKey: CheckpointMetadata.setupKey)
        metadata["format"] = "rnn-tui export 1: <split>.<batch>.inputs/targets/mask, time-major; token and class ids as F32"
        return metadata
    }

    // MARK: - export.json

    struct ExportFile: Encodable {
        struct Model: Encodable {
            var cell: String, nonlinearity: String, gruResetAfter: Bool
            var input: String, inputSize: Int, vocabularySize: Int?
            var hiddenSize: Int, layers: Int, dropout: Float, head: String, outputSize: Int
        }
        struct Schedule: Encodable {
            var kind: String
            var interval: Int?, factor: Float?, totalSteps: Int?, minimumFactor: Float?
        }
        struct Training: Encodable {
            var optimizer: String, learningRate: Float, momentum: Float, nesterov: Bool
            var beta1: Float, beta2: Float, epsilon: Float, rmspropAlpha: Float, weightDecay: Float
            var clipNorm: Float?, schedule: Schedule
            var batchSize: Int, sequenceLength: Int, epochs: Int?, steps: Int?, totalSteps: Int?, stepsPerEpoch: Int
            var evaluationInterval: Int, patience: Int?, carryState: Bool, seed: UInt64, unitForgetBias: Bool
        }
        struct DatasetFacts: Encodable {
            var name: String, task: String, baselineLoss: Double, baselineDescription: String
            var trainBatches: Int, validationBatches: Int
        }
        var model: Model
        var training: Training
        var dataset: DatasetFacts
        var expectedFirstLoss: Double
        var checkpointMetadata: [String: String]
    }

    func exportJSON() throws -> Data {
        let config = checkpoint.config
        let inputName: String, vocabularySize: Int?
        switch config.input {
        case .embedding(let size, _): (inputName, vocabularySize) = ("embedding", size)
        case .oneHot(let size): (inputName, vocabularySize) = ("one_hot", size)
        case .numeric: (inputName, vocabularySize) = ("numeric", nil)
        }
        let schedule: ExportFile.Schedule
        switch setup.schedule {
        case .constant: schedule = .init(kind: "constant")
        case .stepDecay(let interval, let factor): schedule = .init(kind: "step", interval: interval, factor: factor)
        case .cosine(let total, let minimum): schedule = .init(kind: "cosine", totalSteps: total, minimumFactor: minimum)
        }
        let optimizer = setup.optimizer
        let file = ExportFile(
            model: .init(
                cell: config.cell.rawValue, nonlinearity: config.nonlinearity.rawValue, gruResetAfter: config.gruResetAfter,
                input: inputName, inputSize: config.input.inputSize, vocabularySize: vocabularySize,
                hiddenSize: config.hiddenSize, layers: config.layerCount, dropout: setup.dropout,
                head: config.head.rawValue, outputSize: config.outputSize),
            training: .init(
                optimizer: optimizer.kind.rawValue, learningRate: optimizer.learningRate, momentum: optimizer.momentum,
                nesterov: optimizer.nesterov, beta1: optimizer.beta1, beta2: optimizer.beta2, epsilon: optimizer.epsilon,
                rmspropAlpha: optimizer.rmspropAlpha, weightDecay: optimizer.weightDecay, clipNorm: setup.clipNorm,
                schedule: schedule, batchSize: setup.batchSize, sequenceLength: setup.sequenceLength,
                epochs: setup.epochs, steps: setup.steps, totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch,
                evaluationInterval: setup.evaluationInterval, patience: setup.earlyStoppingPatience,
                carryState: info.statefulBatches && setup.truncatedBPTT, seed: setup.seed,
                unitForgetBias: setup.unitForgetBias),
            dataset: .init(
                name: info.name, task: info.task.rawValue, baselineLoss: info.baselineLoss,
                baselineDescription: info.baselineDescription, trainBatches: trainBatches.count,
                validationBatches: validationBatches.count),
            expectedFirstLoss: expectedFirstLoss, checkpointMetadata: checkpoint.metadata)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(file) + Data("\n".utf8)
    }
}
