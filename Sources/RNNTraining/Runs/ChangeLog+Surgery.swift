import Foundation
import RNNEngine

/// Unit surgery in the change log, so the notebook's lesions are recorded beside the run and replayed
/// by `--config`:
///
///     {"edits":[{"layer":0,"unit":5,"action":"ablate"},
///               {"layer":0,"unit":3,"action":"clamp","gate":"f","value":1}],"training":false}
///
/// `null` releases it. "training" true: the run trained with the edits in force.
extension ChangeLog {
    static func surgeryJSON(_ intervention: Intervention?) -> String {
        guard let intervention else { return "null" }
        let edits = intervention.edits.map { edit -> String in
            let head = "{\"layer\":\(edit.layer),\"unit\":\(edit.unit),"
            switch edit.action {
            case .ablate: return head + "\"action\":\"ablate\"}"
            case .clamp(let gate, let value): return head + "\"action\":\"clamp\",\"gate\":\"\(gate.rawValue)\",\"value\":\(value == 1 ? 1 : 0)}"
            }
        }
        return "{\"edits\":[\(edits.joined(separator: ","))],\"training\":\(intervention.appliesDuringTraining)}"
    }

    static func surgery(from value: Any?) throws -> Intervention? {
        if value is NSNull { return nil }
        guard let object = value as? [String: Any], let edits = object["edits"] as? [[String: Any]] else {
            throw TrainingError("surgery must be null or {\"edits\": [...], \"training\": true|false}")
        }
        let parsed = try edits.map { edit -> Intervention.Edit in
            guard let layer = (edit["layer"] as? NSNumber)?.intValue, layer >= 0,
                  let unit = (edit["unit"] as? NSNumber)?.intValue, unit >= 0 else {
                throw TrainingError("a surgery edit needs a \"layer\" and a \"unit\" (whole numbers ≥ 0)")
            }
            switch edit["action"] as? String {
            case "ablate":
                return .init(layer: layer, unit: unit, action: .ablate)
            case "clamp":
                guard let name = edit["gate"] as? String, let gate = Intervention.Gate(rawValue: name),
                      let number = (edit["value"] as? NSNumber)?.floatValue, number == 0 || number == 1 else {
                    throw TrainingError("a clamp needs a \"gate\" (i, f, o or z) and a \"value\" of 0 or 1")
                }
                return .init(layer: layer, unit: unit, action: .clamp(gate, value: number))
            default:
                throw TrainingError("a surgery edit's \"action\" must be ablate or clamp")
            }
        }
        return Intervention(edits: parsed, appliesDuringTraining: (object["training"] as? Bool) ?? false)
    }
}
