import DisplayFormat
import RNNEngine
import RNNTraining
import TerminalUI

/// Unit surgery and importance, as lines for a side column: the intervention in force, the validation
/// loss and metric with it next to the unmodified ones (Δ), and the importance table (units whose
/// ablation hurts most). Cost: O(lines shown).
enum SurgeryPanel {
    static func lines(_ run: RunRecord, state: AppState, width: Int, theme: Theme, importanceRows: Int = 8) -> [(String, CellStyle)] {
        var lines: [(String, CellStyle)] = [("unit surgery", theme.title)]
        let insight = run.insight
        if let intervention = insight.intervention {
            for text in Chrome.wrap(intervention.summary, width: width) { lines.append((text, theme.warning)) }
            if let surgery = insight.surgery, surgery.intervention == intervention {
                lines.append(contentsOf: scoreLines(surgery, width: width, theme: theme))
            } else {
                lines.append(("scoring the validation sample…", theme.dim))
            }
        } else {
            lines.append(("none · a ablates, z clamps", theme.dim))
            lines.append(("the gate cursor's unit (l\(state.gates.layer):\(state.gates.unit))", theme.dim))
        }
        lines.append(("", theme.plain))
        lines.append(("importance: loss rise at h=0", theme.title))
        if let table = insight.importance {
            if let step = insight.importanceStep { lines.append(("at step \(Format.count(step)) · I recomputes", theme.dim)) }
            for entry in table.prefix(importanceRows) {
                let name = Format.padded("l\(entry.layer):\(entry.unit)", 8)
                let rise = (entry.increase >= 0 ? "+" : "") + Format.decimal(entry.increase, digits: 4)
                lines.append((name + Format.rightAligned(rise, 10) + Format.rightAligned(Format.decimal(entry.loss, digits: 3), 7), theme.plain))
            }
        } else {
            lines.append(("I computes it", theme.dim))
        }
        return lines.map { (String($0.0.prefix(width)), $0.1) }
    }

    /// "loss 1.520 → 1.893" then "  Δ +0.373", and the accuracy alike (short enough for the gate panel).
    static func scoreLines(_ surgery: InsightSnapshot.Surgery, width: Int, theme: Theme) -> [(String, CellStyle)] {
        func pair(_ name: String, _ without: Double, _ with: Double, worse: Bool) -> [(String, CellStyle)] {
            let change = with - without
            return [(name + " " + Format.decimal(without, digits: 3) + " → " + Format.decimal(with, digits: 3), theme.plain),
                    ("  Δ " + (change >= 0 ? "+" : "") + Format.decimal(change, digits: 3), worse ? theme.error : theme.good)]
        }
        var lines = pair("loss", surgery.without.loss, surgery.with.loss, worse: surgery.with.loss > surgery.without.loss)
        if let before = surgery.without.accuracy, let after = surgery.with.accuracy {
            lines += pair("acc", before, after, worse: after < before)
        }
        return lines
    }

    static func render(_ run: RunRecord, state: AppState, in area: Rect, into buffer: inout CellBuffer, theme: Theme) {
        for (offset, line) in lines(run, state: state, width: area.width, theme: theme,
                                    importanceRows: max(1, area.height - 9)).enumerated() where offset < area.height {
            buffer.write(line.0, x: area.x, y: area.y + offset, style: line.1, maxWidth: area.width)
        }
    }
}
