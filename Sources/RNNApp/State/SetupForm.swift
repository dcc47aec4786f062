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
    }

    public var isPathChosen: Bool { datasetChoice == entryNames.count }

    /// The dataset name or path the run will load.
    public var datasetName: String { isPathChosen ? typedPath : entryNames[datasetChoice] }

    // MARK: Focus

    mutating func moveFocus(by offset: Int) {
        commitTypedValue()
        let fields = SetupField.allCases
        let index = (focus.rawValue + offset + fields.count) % fields.count
        focus = fields[index]
    }

    /// Focuses `field` (a click on it), applying a value typed into the one focused before, as moving does.
    mutating func focus(on field: SetupField) {
        guard field != focus else { return }
        commitTypedValue()
        focus = field
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
        case .horizon:
            setup.datasetOptions.horizon = Self.preset([1, 2, 3, 6, 12, 24, 48], setup.datasetOptions.horizon, direction)
        case .outliers:
            setup.datasetOptions.outliers = Self.cycle(DatasetOptions.OutlierPolicy.allCases, setup.datasetOptions.outliers, direction)
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
            typedPath.append(character)
            setup.dataset = typedPath
        } else {
            typedValue = (typedValue ?? "") + String(character)
        }
    }

    mutating func deleteBackward() {
        if focus == .dataset, isPathChosen {
            if !typedPath.isEmpty { typedPath.removeLast() }
            setup.dataset = typedPath
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
        func whole(_ limit: SetupLimit<Int>) -> Int? {
            guard let value = Int(text), limit.contains(value) else { return nil }
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
        case .cell, .gruConvention, .nonlinearity, .optimizer, .dataset, .outliers:
            break
        }
        return nil
    }

    /// Checks what the whole form would start; nil when it can start.
    func startProblem() -> String? {
        if datasetName.trimmingWhitespace.isEmpty {
            return "dataset path is empty: type a path to a .txt or .csv file, or pick a built-in task with ← →"
        }
        return nil
    }

    // MARK: Display

    /// Whether `field` shows text being typed (a number, or the dataset path), with the cursor after it.
    func isTyping(into field: SetupField) -> Bool {
        field == focus && (typedValue != nil || (field == .dataset && isPathChosen))
    }

    /// Whether `field` is drawn as "◂ value ▸": the focused choice (not a number, not a path being typed), which
    /// ← → or a click on an arrow steps through.
    func showsChoiceArrows(_ field: SetupField) -> Bool {
        field == focus && !isTyping(into: field) && !field.isNumeric
    }

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
        }
    }

    // MARK: Helpers

    static func cycle<T: Equatable>(_ all: [T], _ current: T, _ direction: Int) -> T {
        let index = all.firstIndex(of: current) ?? 0
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
