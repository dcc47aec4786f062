import Foundation
import RNNEngine

/// The setup fields a person gave explicitly (command-line flags, one `--vary` value), applied over a
/// base: the defaults, or a run's config.json with `--config`. A nil field keeps the base's value.
public struct SetupOverrides: Sendable, Equatable {
    /// `--schedule`'s names.
    public enum ScheduleKind: String, Sendable, CaseIterable {
        case constant, step, cosine
    }

    // Model
    public var cell: CellKind?
    public var nonlinearity: Nonlinearity?
    public var gruResetAfter: Bool?
    public var hiddenSize: Int?
    public var layerCount: Int?
    public var embeddingSize: Int?
    public var dropout: Float?
    public var initScheme: InitScheme?
    public var unitForgetBias: Bool?
    // Optimization
    public var optimizer: OptimizerKind?
    public var learningRate: Float?
    public var momentum: Float?
    public var nesterov: Bool?
    public var weightDecay: Float?
    /// 0 turns clipping off.
    public var clip: Float?
    public var schedule: ScheduleKind?
    public var decayEvery: Int?
    public var decayFactor: Float?
    public var minimumLearningRateFactor: Float?
    public var batchSize: Int?
    public var sequenceLength: Int?
    /// Giving either bound replaces both of the base's.
    public var epochs: Int?
    public var steps: Int?
    public var evaluationInterval: Int?
    public var patience: Int?
    public var carryState: Bool?
    public var seed: UInt64?
    // Data
    public var dataset: String?
    public var validationFraction: Double?
    public var textColumn: String?
    public var labelColumn: String?
    /// Multi-label 0/1 columns (`--label-columns a,b,c`).
    public var labelColumns: [String]?
    public var targetColumn: String?
    public var missingValues: DatasetOptions.MissingValuePolicy?
    public var outliers: DatasetOptions.OutlierPolicy?
    public var outlierZ: Double?
    public var horizon: Int?
    public var tokenization: DatasetOptions.Tokenization?
    public var vocabularyCap: Int?
    public var initialCheckpoint: String?

    public init() {}

    /// The command line's defaults where they differ from `TrainingSetup()`'s: the corpus by name.
    public static var commandLineDefaults: TrainingSetup {
        var setup = TrainingSetup()
        setup.dataset = "corpus"
        return setup
    }

    /// `base` with every given field replaced. A cosine schedule whose schedule, steps, epochs or final
    /// factor is given spans the new `steps` (0: the run's length, resolved when it starts).
    public func applied(to base: TrainingSetup) -> TrainingSetup {
        var setup = base
        func set<Value>(_ keyPath: WritableKeyPath<TrainingSetup, Value>, _ value: Value?) {
            if let value { setup[keyPath: keyPath] = value }
        }
        set(\.cell, cell)
        set(\.nonlinearity, nonlinearity)
        set(\.gruResetAfter, gruResetAfter)
        set(\.hiddenSize, hiddenSize)
        set(\.layerCount, layerCount)
        set(\.embeddingSize, embeddingSize)
        set(\.dropout, dropout)
        set(\.initScheme, initScheme)
        set(\.unitForgetBias, unitForgetBias)
        set(\.optimizer.kind, optimizer)
        set(\.optimizer.learningRate, learningRate)
        set(\.optimizer.momentum, momentum)
        set(\.optimizer.nesterov, nesterov)
        set(\.optimizer.weightDecay, weightDecay)
        if let clip { setup.clipNorm = clip > 0 ? clip : nil }
        set(\.batchSize, batchSize)
        set(\.sequenceLength, sequenceLength)
        if steps != nil || epochs != nil {
            setup.steps = steps
            setup.epochs = epochs
        }
        set(\.evaluationInterval, evaluationInterval)
        if let patience { setup.earlyStoppingPatience = patience }
        set(\.truncatedBPTT, carryState)
        set(\.seed, seed)
        set(\.dataset, dataset)
        set(\.datasetOptions.validationFraction, validationFraction)
        if let textColumn { setup.datasetOptions.textColumn = textColumn }
        if let labelColumn { setup.datasetOptions.labelColumn = labelColumn }
        if let labelColumns { setup.datasetOptions.labelColumns = labelColumns }
        if let targetColumn { setup.datasetOptions.targetColumn = targetColumn }
        set(\.datasetOptions.missingValues, missingValues)
        set(\.datasetOptions.outliers, outliers)
        set(\.datasetOptions.outlierZ, outlierZ)
        set(\.datasetOptions.horizon, horizon)
        set(\.datasetOptions.tokenization, tokenization)
        set(\.datasetOptions.vocabularyCap, vocabularyCap)
        if let initialCheckpoint { setup.initialCheckpoint = initialCheckpoint }
        setup.datasetOptions.seed = setup.seed
        setup.schedule = schedule(over: base.schedule, steps: setup.steps)
        return setup
    }

    private func schedule(over base: LearningRateSchedule, steps: Int?) -> LearningRateSchedule {
        var kind: ScheduleKind
        var interval = 1000, factor: Float = 0.5, minimum: Float = 0.05, length = 0
        switch base {
        case .constant: kind = .constant
        case .stepDecay(let baseInterval, let baseFactor): (kind, interval, factor) = (.step, baseInterval, baseFactor)
        case .cosine(let baseLength, let baseMinimum): (kind, length, minimum) = (.cosine, baseLength, baseMinimum)
        }
        if let schedule { kind = schedule }
        interval = decayEvery ?? interval
        factor = decayFactor ?? factor
        minimum = minimumLearningRateFactor ?? minimum
        if schedule != nil || self.steps != nil || epochs != nil || minimumLearningRateFactor != nil { length = steps ?? 0 }
        switch kind {
        case .constant: return .constant
        case .step: return .stepDecay(interval: interval, factor: factor)
        case .cosine: return .cosine(totalSteps: length, minimumFactor: minimum)
        }
    }
}

extension TrainingSetup {
    /// Reads a run's config.json (or the config.json inside a run folder). Errors name the file and field.
    public static func read(configAt path: String) throws -> TrainingSetup {
        var isFolder: ObjCBool = false
        var url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            url = url.appendingPathComponent("config.json")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError("\(url.path): cannot read the run configuration (\(error.localizedDescription))")
        }
        do {
            return try JSONDecoder().decode(TrainingSetup.self, from: data)
        } catch {
            throw TrainingError("\(url.path): not a run configuration (\(TrainerState.describe(error)))")
        }
    }
}
