import RNNEngine

/// `--vary FIELD=v1,v2,…` (repeatable): one setup per combination of the values, everything else equal,
/// the seed included, so the runs see the same batches in the same order.
public enum SetupGrid {
    /// One combination of the grid.
    public struct Variant: Sendable, Equatable {
        /// ("cell", "lstm"), ("hidden", "32")… in the order the fields were given.
        public var values: [(field: String, value: String)]
        public var setup: TrainingSetup

        /// "cell=lstm hidden=32": what differs, for legends and folder names.
        public var label: String { values.map { "\($0.field)=\($0.value)" }.joined(separator: " ") }

        public static func == (lhs: Variant, rhs: Variant) -> Bool {
            lhs.label == rhs.label && lhs.setup == rhs.setup
        }
    }

    /// Every field `--vary` takes, named like its `train` flag, with the parser of one value.
    public static let fields: [(name: String, apply: @Sendable (inout SetupOverrides, String) throws -> Void)] = [
        ("cell", { $0.cell = try choice($1, CellKind.self) }),
        ("nonlinearity", { $0.nonlinearity = try choice($1, Nonlinearity.self) }),
        ("gru-convention", { overrides, text in
            guard text == "after" || text == "before" else { throw TrainingError("\"\(text)\" is not after or before") }
            overrides.gruResetAfter = text == "after"
        }),
        ("hidden", { $0.hiddenSize = try number($1) }),
        ("layers", { $0.layerCount = try number($1) }),
        ("embedding", { $0.embeddingSize = try number($1) }),
        ("dropout", { $0.dropout = try number($1) }),
        ("weight-init", { $0.initScheme = try choice($1, InitScheme.self) }),
        ("optimizer", { $0.optimizer = try choice($1, OptimizerKind.self) }),
        ("lr", { $0.learningRate = try number($1) }),
        ("momentum", { $0.momentum = try number($1) }),
        ("weight-decay", { $0.weightDecay = try number($1) }),
        ("clip", { $0.clip = try number($1) }),
        ("schedule", { $0.schedule = try choice($1, SetupOverrides.ScheduleKind.self) }),
        ("batch", { $0.batchSize = try number($1) }),
        ("seq-len", { $0.sequenceLength = try number($1) }),
        ("epochs", { $0.epochs = try number($1) }),
        ("steps", { $0.steps = try number($1) }),
        ("eval-every", { $0.evaluationInterval = try number($1) }),
        ("patience", { $0.patience = try number($1) }),
        ("seed", { $0.seed = try number($1) }),
        ("dataset", { $0.dataset = $1 }),
        ("tokens", { $0.tokenization = try choice($1, DatasetOptions.Tokenization.self) }),
        ("vocab-cap", { $0.vocabularyCap = try number($1) }),
        ("missing", { $0.missingValues = try choice($1, DatasetOptions.MissingValuePolicy.self) }),
        ("target", { $0.targetColumn = $1 }),
    ]

    /// The setups `--vary` arguments describe over `base` (the flags and `--config` already applied),
    /// in row-major order (the last field varies fastest). Each setup is checked like a run's.
    /// Throws a one-line error naming the argument: unknown field, empty or repeated values, a value
    /// that does not parse or that a run refuses.
    public static func expand(base: TrainingSetup, vary arguments: [String]) throws -> [Variant] {
        var axes: [(field: String, values: [String], apply: @Sendable (inout SetupOverrides, String) throws -> Void)] = []
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw TrainingError("--vary \(argument): expected FIELD=v1,v2 (fields: \(fields.map(\.name).joined(separator: ", ")))")
            }
            let name = String(argument[..<equals]).trimmingCharacters(in: .whitespaces)
            guard let field = fields.first(where: { $0.name == name }) else {
                throw TrainingError("--vary \(argument): unknown field \"\(name)\" (fields: \(fields.map(\.name).joined(separator: ", ")))")
            }
            guard !axes.contains(where: { $0.field == name }) else { throw TrainingError("--vary \(name) is given twice") }
            let values = argument[argument.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard !values.isEmpty, !values.contains("") else { throw TrainingError("--vary \(argument): a value is empty") }
            guard Set(values).count == values.count else { throw TrainingError("--vary \(argument): a value is repeated") }
            axes.append((name, values, field.apply))
        }
        guard !axes.isEmpty else { throw TrainingError("--vary is required (for example --vary cell=rnn,lstm,gru)") }

        var combinations: [[Int]] = [[]]
        for axis in axes {
            combinations = combinations.flatMap { prefix in axis.values.indices.map { prefix + [$0] } }
        }
        return try combinations.map { indices in
            var overrides = SetupOverrides()
            var values: [(field: String, value: String)] = []
            for (axis, index) in zip(axes, indices) {
                let value = axis.values[index]
                do { try axis.apply(&overrides, value) } catch let error as TrainingError {
                    throw TrainingError("--vary \(axis.field)=\(value): \(error.description)")
                }
                values.append((axis.field, value))
            }
            let setup = overrides.applied(to: base)
            let label = values.map { "\($0.field)=\($0.value)" }.joined(separator: " ")
            do { try TrainingSession.check(setup) } catch let error as TrainingError {
                throw TrainingError("--vary \(label): \(error.description)")
            }
            return Variant(values: values, setup: setup)
        }
    }

    private static func choice<Choice: RawRepresentable & CaseIterable>(_ text: String, _ type: Choice.Type) throws -> Choice
    where Choice.RawValue == String {
        guard let value = Choice(rawValue: text) else {
            throw TrainingError("\"\(text)\" is not one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    private static func number<Number: LosslessStringConvertible>(_ text: String) throws -> Number {
        guard let value = Number(text) else { throw TrainingError("\"\(text)\" is not a valid \(Number.self == Int.self || Number.self == UInt64.self ? "integer" : "number")") }
        return value
    }
}
