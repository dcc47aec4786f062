import DisplayFormat
import RNNEngine
import RNNTraining
import TerminalUI

/// The setup screen's form: a `TrainingSetup` being edited, the focused field, a value being typed,
/// and the dataset choice (one of the catalog entries, or a typed path).
public struct SetupForm: Sendable, Equatable {
    public internal(set) var setup: TrainingSetup
    public internal(set) var focus: SetupField = .cell
    /// Text typed into the focused numeric field, not yet applied.
    public internal(set) var typedValue: String?
    /// Index into the catalog entries; `entryNames.count` means "path…".
    public internal(set) var datasetChoice: Int
    public internal(set) var typedPath: String
    public internal(set) var error: String?
    /// The typed path is selected (just focused): typing replaces it, Backspace clears it.
    public internal(set) var isPathSelected = false
    /// What the typed path is on disk, checked as typed.
    public internal(set) var pathStatus: DatasetPath.Status = .empty
    /// The names Tab found when more than one matched.
    public internal(set) var completions: [String] = []
    /// The header and a bounded sample of a typed .csv path, read when the path changes.
    public internal(set) var csvPreview: CSVPreview?
    /// Why the .csv path could not be previewed.
    public internal(set) var csvProblem: String?
    let entryNames: [String]

    init(setup: TrainingSetup, entryNames: [String]) {
        self.setup = setup
        self.entryNames = entryNames
        if let index = entryNames.firstIndex(of: setup.dataset) {
            datasetChoice = index
            typedPath = ""
        } else {
            datasetChoice = entryNames.count
            typedPath = setup.dataset
        }
        refreshPath()
    }

    public var isPathChosen: Bool { datasetChoice == entryNames.count }

    /// The dataset name or path the run will load.
    public var datasetName: String { isPathChosen ? typedPath : entryNames[datasetChoice] }

    /// Whether the dataset is a typed path to a .csv file (its CSV rows show).
    public var isCSVPath: Bool { isPathChosen && typedPath.trimmingWhitespace.lowercased().hasSuffix(".csv") }

    /// Whether the CSV file will be read as classification with the options chosen so far.
    public var isClassifyingCSV: Bool {
        csvPreview?.isClassification(setup.datasetOptions)
            ?? (setup.datasetOptions.textColumn != nil || setup.datasetOptions.labelColumn != nil)
    }

    /// The fields shown, in order: the schedule's parameters for its kind only, the CSV rows for a
    /// .csv path only (the target for forecasting; text, label and tokens for classification).
    public var visibleFields: [SetupField] { SetupField.allCases.filter(isVisible) }

    func isVisible(_ field: SetupField) -> Bool {
        switch field {
        case .decayInterval, .decayFactor:
            if case .stepDecay = setup.schedule { return true }
            return false
        case .cosineSteps, .cosineMinimum:
            if case .cosine = setup.schedule { return true }
            return false
        case .csvTask, .missingValues: return isCSVPath
        case .targetColumn: return isCSVPath && !isClassifyingCSV
        case .textColumn, .labelColumn, .tokenization: return isCSVPath && isClassifyingCSV
        // Series options: not for a CSV file read as a text classifier.
        case .horizon, .outliers: return !(isCSVPath && isClassifyingCSV)
        default: return true
        }
    }

    // MARK: Focus

    mutating func moveFocus(by offset: Int) {
        commitTypedValue()
        let fields = visibleFields
        let index = fields.firstIndex(of: focus) ?? 0
        focus = fields[(index + offset + fields.count) % fields.count]
        completions = []
        isPathSelected = focus == .dataset && isPathChosen && !typedPath.isEmpty
    }

    // MARK: Paths

    /// Re-checks the typed path and re-reads the CSV preview when the file changed (bounded read).
    mutating func refreshPath() {
        guard isPathChosen else {
            pathStatus = .empty
            csvPreview = nil
            csvProblem = nil
            return
        }
        pathStatus = DatasetPath.status(of: typedPath)
        guard isCSVPath, pathStatus.isUsable else {
            csvPreview = nil
            csvProblem = nil
            return
        }
        let path = SampleFiles.resolve(DatasetPath.expanded(typedPath.trimmingWhitespace))
        guard csvPreview?.path != path else { return }
        do {
            csvPreview = try CSVPreview.read(path)
            csvProblem = nil
        } catch {
            csvPreview = nil
            csvProblem = "\(error)"
        }
        keepColumnsValid()
    }

    /// Drops column choices the new file does not have.
    private mutating func keepColumnsValid() {
        guard let preview = csvPreview else { return }
        var options = setup.datasetOptions
        if let target = options.targetColumn, preview.column(target) == nil { options.targetColumn = nil }
        if let text = options.textColumn, preview.column(text) == nil { options.textColumn = nil }
        if let label = options.labelColumn, preview.column(label) == nil { options.labelColumn = nil }
        setup.datasetOptions = options
    }

    /// Tab on the path: completes it (see `DatasetPath.complete`). Returns false when the focused
    /// field is not a typed path.
    mutating func completePath() -> Bool {
        guard focus == .dataset, isPathChosen else { return false }
        let completion = DatasetPath.complete(typedPath)
        typedPath = completion.text
        setup.dataset = typedPath
        completions = completion.candidates
        isPathSelected = false
        error = nil
        refreshPath()
        return true
    }

    // MARK: Left / right

    /// Cycles a choice or steps a number through sensible presets. direction: -1 or +1.
    mutating func adjust(_ direction: Int) {
        typedValue = nil
        error = nil
        switch focus {
        case .cell:
            setup.cell = Self.cycle(CellKind.allCases, setup.cell, direction)
        case .gruConvention:
            setup.gruResetAfter.toggle()
        case .nonlinearity:
            setup.nonlinearity = Self.cycle(Nonlinearity.allCases, setup.nonlinearity, direction)
        case .layerCount:
            setup.layerCount = SetupLimits.layerCount.clamped(setup.layerCount + direction, otherwise: setup.layerCount)
        case .hiddenSize:
            setup.hiddenSize = Self.preset([8, 16, 32, 64, 96, 128, 192, 256, 384, 512, 768, 1024], setup.hiddenSize, direction)
        case .embeddingSize:
            setup.embeddingSize = Self.preset([0, 8, 16, 32, 64, 128, 256, 512], setup.embeddingSize, direction)
        case .dropout:
            let tenths = (Double(setup.dropout) * 10).rounded() + Double(direction)
            setup.dropout = Float(min(9, max(0, tenths)) / 10)
        case .optimizer:
            setup.optimizer.kind = Self.cycle(OptimizerKind.allCases, setup.optimizer.kind, direction)
        case .learningRate:
            let presets: [Double] = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5, 1]
            setup.optimizer.learningRate = Float(Self.preset(presets, Double(setup.optimizer.learningRate), direction))
        case .batchSize:
            setup.batchSize = Self.preset([1, 2, 4, 8, 16, 32, 64, 128, 256, 512], setup.batchSize, direction)
        case .sequenceLength:
            setup.sequenceLength = Self.preset([8, 16, 25, 32, 50, 64, 100, 128, 200, 256, 512], setup.sequenceLength, direction)
        case .clipNorm:
            let presets: [Float] = [0, 0.25, 0.5, 1, 2, 5, 10]
            let value = Self.preset(presets, setup.clipNorm ?? 0, direction)
            setup.clipNorm = value == 0 ? nil : value
        case .seed:
            setup.seed = direction < 0 ? (setup.seed == 0 ? 0 : setup.seed - 1) : setup.seed &+ 1
        case .dataset:
            let count = entryNames.count + 1
            datasetChoice = (datasetChoice + direction + count) % count
            setup.dataset = datasetName
            // Columns picked for one file mean nothing for another dataset.
            setup.datasetOptions.textColumn = nil
            setup.datasetOptions.labelColumn = nil
            setup.datasetOptions.targetColumn = nil
            completions = []
            isPathSelected = isPathChosen && !typedPath.isEmpty
            refreshPath()
        case .horizon:
            setup.datasetOptions.horizon = Self.preset([1, 2, 3, 6, 12, 24, 48], setup.datasetOptions.horizon, direction)
        case .outliers:
            setup.datasetOptions.outliers = Self.cycle(DatasetOptions.OutlierPolicy.allCases, setup.datasetOptions.outliers, direction)
        case .schedule:
            setup.schedule = Self.cycle(Self.scheduleChoices(setup), setup.schedule, direction, by: Self.scheduleKind)
        case .decayInterval:
            if case .stepDecay(let interval, let factor) = setup.schedule {
                setup.schedule = .stepDecay(interval: Self.preset([100, 200, 500, 1000, 2000, 5000, 10_000, 20_000], interval, direction),
                                            factor: factor)
            }
        case .decayFactor:
            if case .stepDecay(let interval, let factor) = setup.schedule {
                setup.schedule = .stepDecay(interval: interval, factor: Self.preset([0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 1], factor, direction))
            }
        case .cosineSteps:
            if case .cosine(let total, let minimum) = setup.schedule {
                setup.schedule = .cosine(totalSteps: Self.preset([0, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000], total, direction),
                                         minimumFactor: minimum)
            }
        case .cosineMinimum:
            if case .cosine(let total, let minimum) = setup.schedule {
                setup.schedule = .cosine(totalSteps: total, minimumFactor: Self.preset([0, 0.01, 0.05, 0.1, 0.2, 0.5], minimum, direction))
            }
        case .steps:
            let value = Self.preset([0, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000], setup.steps ?? 0, direction)
            setup.steps = value == 0 ? nil : value
        case .epochs:
            let value = Self.preset([0, 1, 2, 3, 5, 10, 20, 50, 100], setup.epochs ?? 0, direction)
            setup.epochs = value == 0 ? nil : value
        case .evaluationInterval:
            setup.evaluationInterval = Self.preset([10, 25, 50, 100, 200, 500, 1000, 2000], setup.evaluationInterval, direction)
        case .patience:
            let value = Self.preset([0, 2, 3, 5, 10, 20, 50], setup.earlyStoppingPatience ?? 0, direction)
            setup.earlyStoppingPatience = value == 0 ? nil : value
        case .csvTask:
            setCSVClassification(!isClassifyingCSV)
        case .targetColumn:
            let choices: [String?] = [nil] + (csvPreview?.numericColumns ?? [])
            setup.datasetOptions.targetColumn = Self.cycle(choices, setup.datasetOptions.targetColumn, direction)
        case .textColumn:
            let names = csvPreview?.columns.map(\.name) ?? []
            guard !names.isEmpty else { return }
            let current = setup.datasetOptions.textColumn ?? csvPreview?.column("text")?.name ?? names[0]
            setup.datasetOptions.textColumn = Self.cycle(names, current, direction)
        case .labelColumn:
            let names = csvPreview?.columns.map(\.name) ?? []
            guard !names.isEmpty else { return }
            let current = setup.datasetOptions.labelColumn ?? csvPreview?.column("label")?.name ?? names[names.count - 1]
            setup.datasetOptions.labelColumn = Self.cycle(names, current, direction)
        case .tokenization:
            setup.datasetOptions.tokenization = Self.cycle(DatasetOptions.Tokenization.allCases, setup.datasetOptions.tokenization, direction)
        case .missingValues:
            setup.datasetOptions.missingValues = Self.cycle(DatasetOptions.MissingValuePolicy.allCases,
                                                            setup.datasetOptions.missingValues, direction)
        }
    }

    /// Switches a CSV path between classification (text and label columns) and forecasting (a target).
    private mutating func setCSVClassification(_ classify: Bool) {
        var options = setup.datasetOptions
        let names = csvPreview?.columns.map(\.name) ?? []
        if classify {
            options.targetColumn = nil
            let texts = csvPreview?.columns.filter { $0.kind == .text }.map(\.name) ?? []
            options.textColumn = options.textColumn ?? csvPreview?.column("text")?.name ?? texts.first ?? names.first
            options.labelColumn = options.labelColumn ?? csvPreview?.column("label")?.name
                ?? texts.last { $0 != options.textColumn } ?? names.last { $0 != options.textColumn } ?? names.last
        } else {
            options.textColumn = nil
            options.labelColumn = nil
            options.targetColumn = csvPreview?.target(options)
        }
        setup.datasetOptions = options
    }

    /// The schedules ← → cycles through, keeping the current one's parameters.
    static func scheduleChoices(_ setup: TrainingSetup) -> [LearningRateSchedule] {
        var choices: [LearningRateSchedule] = [.constant, .stepDecay(interval: 1000, factor: 0.5), .cosine(totalSteps: 0, minimumFactor: 0.1)]
        if let index = choices.firstIndex(where: { scheduleKind($0) == scheduleKind(setup.schedule) }) { choices[index] = setup.schedule }
        return choices
    }

    static func scheduleKind(_ schedule: LearningRateSchedule) -> Int {
        switch schedule {
        case .constant: 0
        case .stepDecay: 1
        case .cosine: 2
        }
    }

    // MARK: Typing

    /// Whether `character` would be typed into the focused field (rather than act as a command key).
    func acceptsTyping(_ character: Character) -> Bool {
        if focus == .dataset { return isPathChosen && character != "\t" && !character.isNewline }
        guard focus.isNumeric else { return false }
        if typedValue != nil { return character.isNumber || "._eE-+".contains(character) || character.isLetter }
        return character.isNumber || character == "."
    }

    mutating func type(_ character: Character) {
        error = nil
        if focus == .dataset {
            if isPathSelected { typedPath = "" }
            isPathSelected = false
            typedPath.append(character)
            setup.dataset = typedPath
            completions = []
            refreshPath()
        } else {
            typedValue = (typedValue ?? "") + String(character)
        }
    }

    mutating func deleteBackward() {
        if focus == .dataset, isPathChosen {
            if isPathSelected { typedPath = "" } else if !typedPath.isEmpty { typedPath.removeLast() }
            isPathSelected = false
            setup.dataset = typedPath
            completions = []
            refreshPath()
        } else if var text = typedValue {
            if !text.isEmpty { text.removeLast() }
            typedValue = text
        }
    }

    mutating func cancelTyping() {
        typedValue = nil
        error = nil
    }

    /// Applies the typed value to the focused field. On a bad value keeps the old one and sets `error`
    /// to a line naming the field and what would be right. Returns whether the form is valid.
    @discardableResult
    mutating func commitTypedValue() -> Bool {
        guard let text = typedValue?.trimmingWhitespace else { return true }
        typedValue = nil
        guard !text.isEmpty else { return true }
        if let problem = apply(text) {
            error = problem
            return false
        }
        error = nil
        return true
    }

    private mutating func apply(_ text: String) -> String? {
        let label = focus.label
        /// `zeroMeans`: the field also takes 0 ("until stopped", "off"), outside the limit.
        func whole(_ limit: SetupLimit<Int>, zeroAllowed: Bool = false) -> Int? {
            guard let value = Int(text), limit.contains(value) || (zeroAllowed && value == 0) else { return nil }
            return value
        }
        func wholeProblem(_ limit: SetupLimit<Int>) -> String {
            "\(label) '\(text)' is not allowed: type a whole number \(limit.requirement)"
        }
        func number(_ limit: SetupLimit<Float>) -> Float? {
            guard let value = Float(text), limit.contains(value) else { return nil }
            return value
        }
        func numberProblem(_ limit: SetupLimit<Float>, example: String) -> String {
            "\(label) '\(text)' is not allowed: type a number \(limit.requirement)\(example)"
        }
        switch focus {
        case .layerCount:
            guard let value = whole(SetupLimits.layerCount) else { return wholeProblem(SetupLimits.layerCount) }
            setup.layerCount = value
        case .hiddenSize:
            guard let value = whole(SetupLimits.hiddenSize) else { return wholeProblem(SetupLimits.hiddenSize) }
            setup.hiddenSize = value
        case .embeddingSize:
            guard let value = whole(SetupLimits.embeddingSize) else { return wholeProblem(SetupLimits.embeddingSize) }
            setup.embeddingSize = value
        case .batchSize:
            guard let value = whole(SetupLimits.batchSize) else { return wholeProblem(SetupLimits.batchSize) }
            setup.batchSize = value
        case .sequenceLength:
            guard let value = whole(SetupLimits.sequenceLength) else { return wholeProblem(SetupLimits.sequenceLength) }
            setup.sequenceLength = value
        case .horizon:
            guard let value = whole(SetupLimits.horizon) else { return wholeProblem(SetupLimits.horizon) }
            setup.datasetOptions.horizon = value
        case .seed:
            guard let value = UInt64(text) else { return "seed '\(text)' is not allowed: type a whole number ≥ 0" }
            setup.seed = value
        case .dropout:
            guard let value = number(SetupLimits.dropout) else { return numberProblem(SetupLimits.dropout, example: "") }
            setup.dropout = value
        case .learningRate:
            guard let value = parseLearningRate(text) else {
                return numberProblem(SetupLimits.learningRate, example: " like 0.002 or 1e-3")
            }
            setup.optimizer.learningRate = value
        case .clipNorm:
            if text.lowercased() == "off" || Float(text) == 0 {
                setup.clipNorm = nil
            } else {
                guard let value = number(SetupLimits.clipNorm) else {
                    return numberProblem(SetupLimits.clipNorm, example: "")
                }
                setup.clipNorm = value
            }
        case .steps:
            guard let value = whole(SetupLimits.steps, zeroAllowed: true) else { return wholeProblem(SetupLimits.steps) + " (0 = until stopped)" }
            setup.steps = value == 0 ? nil : value
        case .epochs:
            guard let value = whole(SetupLimits.epochs, zeroAllowed: true) else { return wholeProblem(SetupLimits.epochs) + " (0 = until stopped)" }
            setup.epochs = value == 0 ? nil : value
        case .evaluationInterval:
            guard let value = whole(SetupLimits.evaluationInterval) else { return wholeProblem(SetupLimits.evaluationInterval) }
            setup.evaluationInterval = value
        case .patience:
            guard let value = whole(SetupLimits.patience, zeroAllowed: true) else { return wholeProblem(SetupLimits.patience) + " (0 = off)" }
            setup.earlyStoppingPatience = value == 0 ? nil : value
        case .decayInterval:
            guard let value = whole(SetupLimits.decayInterval) else { return wholeProblem(SetupLimits.decayInterval) }
            if case .stepDecay(_, let factor) = setup.schedule { setup.schedule = .stepDecay(interval: value, factor: factor) }
        case .decayFactor:
            guard let value = number(SetupLimits.decayFactor) else { return numberProblem(SetupLimits.decayFactor, example: ", like 0.5") }
            if case .stepDecay(let interval, _) = setup.schedule { setup.schedule = .stepDecay(interval: interval, factor: value) }
        case .cosineSteps:
            guard let value = whole(SetupLimits.steps, zeroAllowed: true) else { return wholeProblem(SetupLimits.steps) + " (0 = the run's length)" }
            if case .cosine(_, let minimum) = setup.schedule { setup.schedule = .cosine(totalSteps: value, minimumFactor: minimum) }
        case .cosineMinimum:
            guard let value = number(SetupLimits.minimumLearningRateFactor) else {
                return numberProblem(SetupLimits.minimumLearningRateFactor, example: ", like 0.1")
            }
            if case .cosine(let total, _) = setup.schedule { setup.schedule = .cosine(totalSteps: total, minimumFactor: value) }
        case .cell, .gruConvention, .nonlinearity, .optimizer, .dataset, .schedule, .csvTask, .targetColumn, .textColumn,
            .labelColumn, .tokenization, .missingValues, .outliers:
            break
        }
        return nil
    }

    /// Checks what the whole form would start; nil when it can start.
    func startProblem() -> String? {
        if datasetName.trimmingWhitespace.isEmpty {
            return "dataset path is empty: type a path to a .txt or .csv file, or pick a built-in task with ← →"
        }
        if isPathChosen, !pathStatus.isUsable, !entryNames.contains(typedPath.trimmingWhitespace) {
            return "dataset path '\(typedPath)': " + pathStatus.text.replacingOccurrences(of: "✕ ", with: "")
                + "; expected a readable .txt or .csv file (Tab completes)"
        }
        if let csvProblem { return csvProblem }
        return nil
    }

    /// The setup Enter starts: the path with `~` expanded, and for a CSV file its columns spelled out
    /// (the forecast target named even when it is the default, so the run says what it forecasts).
    var setupToStart: TrainingSetup {
        var started = setup
        started.dataset = isPathChosen ? DatasetPath.expanded(datasetName.trimmingWhitespace) : datasetName.trimmingWhitespace
        if isCSVPath, let preview = csvPreview, !isClassifyingCSV, started.datasetOptions.targetColumn == nil {
            started.datasetOptions.targetColumn = preview.target(started.datasetOptions)
        }
        return started
    }

    // MARK: Display

    /// The value shown for `field` (the typed text while typing).
    public func valueText(_ field: SetupField) -> String {
        if field == focus, let typedValue { return typedValue }
        switch field {
        case .cell: return setup.cell.displayName
        case .gruConvention: return setup.gruResetAfter ? "reset after (PyTorch)" : "reset before (Cho)"
        case .nonlinearity: return setup.nonlinearity.rawValue
        case .layerCount: return String(setup.layerCount)
        case .hiddenSize: return String(setup.hiddenSize)
        case .embeddingSize: return setup.embeddingSize == 0 ? "0 (one-hot)" : String(setup.embeddingSize)
        case .dropout: return Format.decimal(Double(setup.dropout), digits: 2)
        case .optimizer: return setup.optimizer.kind.rawValue
        case .learningRate: return Format.learningRate(setup.optimizer.learningRate)
        case .batchSize: return String(setup.batchSize)
        case .sequenceLength: return String(setup.sequenceLength)
        case .clipNorm: return setup.clipNorm.map { Format.significant(Double($0)) } ?? "off"
        case .seed: return String(setup.seed)
        case .dataset: return isPathChosen ? "path… " + typedPath : entryNames[datasetChoice]
        case .horizon:
            let horizon = setup.datasetOptions.horizon
            return horizon == 1 ? "1 (next value)" : "\(horizon) steps"
        case .outliers:
            let options = setup.datasetOptions
            return options.outliers == .keep ? "keep" : "\(options.outliers.rawValue) (z > \(Format.significant(options.outlierZ)))"
        case .schedule:
            switch setup.schedule {
            case .constant: return "constant"
            case .stepDecay: return "step decay"
            case .cosine: return "cosine"
            }
        case .decayInterval:
            if case .stepDecay(let interval, _) = setup.schedule { return Format.count(interval) + " steps" }
            return "—"
        case .decayFactor:
            if case .stepDecay(_, let factor) = setup.schedule { return "× " + Format.trimmed(Double(factor), digits: 3) }
            return "—"
        case .cosineSteps:
            if case .cosine(let total, _) = setup.schedule { return total == 0 ? "0 (the run's length)" : Format.count(total) }
            return "—"
        case .cosineMinimum:
            if case .cosine(_, let minimum) = setup.schedule { return Format.trimmed(Double(minimum), digits: 3) }
            return "—"
        case .steps: return setup.steps.map(Format.count) ?? "0 (until stopped)"
        case .epochs: return setup.epochs.map(String.init) ?? "0 (until stopped)"
        case .evaluationInterval: return "every " + Format.count(setup.evaluationInterval) + " steps"
        case .patience: return setup.earlyStoppingPatience.map { "\($0) evaluations" } ?? "0 (off)"
        case .csvTask: return isClassifyingCSV ? "classify rows" : "forecast a column"
        case .targetColumn:
            if let target = setup.datasetOptions.targetColumn { return target }
            return "auto: " + (csvPreview?.target(setup.datasetOptions) ?? "last numeric")
        case .textColumn: return setup.datasetOptions.textColumn ?? "text"
        case .labelColumn: return setup.datasetOptions.labelColumn ?? "label"
        case .tokenization: return setup.datasetOptions.tokenization.rawValue
        case .missingValues:
            switch setup.datasetOptions.missingValues {
            case .interpolate: return "interpolate"
            case .ffill: return "carry forward"
            case .drop: return "drop the row"
            case .error: return "stop with an error"
            }
        }
    }

    // MARK: Helpers

    static func cycle<T: Equatable>(_ all: [T], _ current: T, _ direction: Int) -> T {
        let index = all.firstIndex(of: current) ?? 0
        return all[(index + direction + all.count) % all.count]
    }

    /// Cycles through `all`, matching the current value by `key` (a schedule by its kind).
    static func cycle<T>(_ all: [T], _ current: T, _ direction: Int, by key: (T) -> Int) -> T {
        let index = all.firstIndex { key($0) == key(current) } ?? 0
        return all[(index + direction + all.count) % all.count]
    }

    /// The next preset above (direction > 0) or below the current value; stays at the ends.
    static func preset<T: Comparable>(_ presets: [T], _ current: T, _ direction: Int) -> T {
        if direction > 0 { return presets.first { $0 > current } ?? max(current, presets.last!) }
        return presets.last { $0 < current } ?? min(current, presets.first!)
    }
}

/// Parses a learning rate `SetupLimits.learningRate` accepts ("0.002", "2e-3"); nil for anything else.
func parseLearningRate(_ text: String) -> Float? {
    guard let value = Float(text.trimmingWhitespace), SetupLimits.learningRate.contains(value) else { return nil }
    return value
}

extension CellKind {
    var displayName: String {
        switch self {
        case .rnn: "RNN"
        case .lstm: "LSTM"
        case .gru: "GRU"
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
