/// Unit surgery: switch units off or pin a gate, to see what a unit does by what breaks without it.
///
///     ablate u         h_t[u] = 0 after every step (the unit's output, seen by the next step, the layer
///                      above and the head, is zero; an LSTM's c keeps running)
///     clamp f=1 at u   LSTM: the forget gate of unit u is 1 at every step (c never forgets); f=0, i=0, i=1,
///                      o=0, o=1 alike. GRU: z=1 (h' is kept, the input is ignored) or z=0 (no memory).
///
/// Clamp values are 0 or 1 (the ends of a sigmoid), where the gate's own gradient is exactly zero, so
/// backprop through a clamped step needs no special case. Set with `RecurrentModel.setIntervention`.
public struct Intervention: Sendable, Hashable, Codable {
    /// A gate that can be pinned: LSTM input, forget and output gates, GRU update gate.
    public enum Gate: String, Sendable, Hashable, Codable, CaseIterable {
        case input = "i", forget = "f", output = "o", update = "z"

        /// The gate's block in the cell's stacked gates (LSTM i f g o, GRU r z n), or nil when the cell
        /// has no such gate.
        public func blockIndex(in cell: CellKind) -> Int? {
            switch (cell, self) {
            case (.lstm, .input): 0
            case (.lstm, .forget): 1
            case (.lstm, .output): 3
            case (.gru, .update): 1
            default: nil
            }
        }

        /// The gates `cell` lets a person pin.
        public static func clampable(in cell: CellKind) -> [Gate] {
            allCases.filter { $0.blockIndex(in: cell) != nil }
        }
    }

    public enum Action: Sendable, Hashable, Codable {
        case ablate
        /// value: 0 or 1.
        case clamp(Gate, value: Float)
    }

    /// One change to one unit of one layer.
    public struct Edit: Sendable, Hashable, Codable {
        public var layer: Int
        public var unit: Int
        public var action: Action

        public init(layer: Int, unit: Int, action: Action) {
            self.layer = layer
            self.unit = unit
            self.action = action
        }
    }

    public var edits: [Edit]
    /// false (the default): the edits apply to evaluation, probes and samples (forward passes with
    /// `training: false`) only. true: training steps run with them too, so the run learns around the lesion.
    public var appliesDuringTraining: Bool

    public init(edits: [Edit] = [], appliesDuringTraining: Bool = false) {
        self.edits = edits
        self.appliesDuringTraining = appliesDuringTraining
    }

    /// Ablates `units` of `layer`.
    public static func ablating(_ units: [Int], layer: Int) -> Intervention {
        Intervention(edits: units.map { Edit(layer: layer, unit: $0, action: .ablate) })
    }

    public var isEmpty: Bool { edits.isEmpty }

    /// One line for marks and logs: "ablate l0:3,17; clamp f=1 l1:5 (evaluation only)".
    public var summary: String {
        var groups: [(key: String, units: [Int])] = []
        for edit in edits {
            let key: String
            switch edit.action {
            case .ablate: key = "ablate l\(edit.layer)"
            case .clamp(let gate, let value): key = "clamp \(gate.rawValue)=\(value == 1 ? "1" : "0") l\(edit.layer)"
            }
            if let index = groups.firstIndex(where: { $0.key == key }) { groups[index].units.append(edit.unit) } else { groups.append((key, [edit.unit])) }
        }
        let text = groups.map { "\($0.key):\($0.units.map(String.init).joined(separator: ","))" }.joined(separator: "; ")
        return text + (appliesDuringTraining ? " (training too)" : " (evaluation only)")
    }

    /// Checks every edit against `config`; the message names the edit and what would be right.
    public func validate(for config: ModelConfig) throws {
        for edit in edits {
            guard (0..<config.layerCount).contains(edit.layer) else {
                throw ModelError("intervention layer \(edit.layer) is outside 0..<\(config.layerCount)")
            }
            guard (0..<config.hiddenSize).contains(edit.unit) else {
                throw ModelError("intervention unit \(edit.unit) is outside 0..<\(config.hiddenSize) (hidden size)")
            }
            if case .clamp(let gate, let value) = edit.action {
                guard gate.blockIndex(in: config.cell) != nil else {
                    let allowed = Gate.clampable(in: config.cell).map(\.rawValue)
                    throw ModelError("a \(config.cell.rawValue) cell has no gate \(gate.rawValue) to clamp"
                        + (allowed.isEmpty ? " (it has no gates; ablate instead)" : " (clampable: \(allowed.joined(separator: ", ")))"))
                }
                guard value == 0 || value == 1 else {
                    throw ModelError("clamp \(gate.rawValue)=\(value): a gate is clamped to 0 or 1")
                }
            }
        }
    }
}

/// One layer's edits in the form the time loops read: ablated units, then (block offset, unit, value)
/// gate clamps. Built once when the intervention is set.
struct LayerInterventionPlan {
    var ablatedUnits: [Int] = []
    /// (gate block index, unit, value)
    var clamps: [(block: Int, unit: Int, value: Float)] = []

    var isEmpty: Bool { ablatedUnits.isEmpty && clamps.isEmpty }
}
