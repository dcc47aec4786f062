import ArgumentParser
import Foundation
import RNNEngine

/// `--ablate`, `--clamp`, `--layer`: unit surgery for `inspect` and `predict`, as the notebook applies it.
struct InterventionOptions: ParsableArguments {
    @Option(help: "Units to ablate (h = 0 after every step), comma separated: 3,17.")
    var ablate: String?
    @Option(help: ArgumentHelp(
        "Pin a gate: GATE=VALUE[:UNIT,UNIT…] (all units of the layer when none are given). Repeatable.",
        discussion: "LSTM gates i, f, o; GRU z; VALUE 0 or 1. Examples: --clamp f=1:5,6  --clamp z=0"))
    var clamp: [String] = []
    @Option(help: "The layer --ablate and --clamp apply to (0 = the first).")
    var layer: Int = 0

    /// The intervention these flags describe for `config` (nil when none), or a one-line error.
    func intervention(for config: ModelConfig) throws -> Intervention? {
        var edits: [Intervention.Edit] = []
        if let ablate {
            for unit in try parseUnits(ablate, flag: "--ablate") { edits.append(.init(layer: layer, unit: unit, action: .ablate)) }
        }
        for text in clamp {
            let (head, unitsText) = text.split(separator: ":", maxSplits: 1).map(String.init).splitFirst()
            let parts = head.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let gate = Intervention.Gate(rawValue: parts[0].trimmingCharacters(in: .whitespaces)) else {
                throw CLIError("--clamp \"\(text)\": expected GATE=VALUE[:UNITS] with GATE one of i, f, o (LSTM) or z (GRU), e.g. f=1:5,6")
            }
            guard let value = Float(parts[1].trimmingCharacters(in: .whitespaces)), value == 0 || value == 1 else {
                throw CLIError("--clamp \"\(text)\": the value must be 0 or 1")
            }
            let units = try unitsText.map { try parseUnits($0, flag: "--clamp") } ?? Array(0..<config.hiddenSize)
            for unit in units { edits.append(.init(layer: layer, unit: unit, action: .clamp(gate, value: value))) }
        }
        guard !edits.isEmpty else { return nil }
        let intervention = Intervention(edits: edits)
        do { try intervention.validate(for: config) } catch { throw CLIError("\(error)") }
        return intervention
    }

    private func parseUnits(_ text: String, flag: String) throws -> [Int] {
        try text.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { position, part in
            guard let unit = Int(part.trimmingCharacters(in: .whitespaces)) else {
                throw CLIError("\(flag): \"\(part)\" (item \(position + 1)) is not a unit index; expected a list like 3,17")
            }
            return unit
        }
    }
}

private extension Array where Element == String {
    /// (first, second?) of a one- or two-element split.
    func splitFirst() -> (String, String?) { (first ?? "", count > 1 ? self[1] : nil) }
}
