import DisplayFormat
import RNNEngine
import RNNTraining
import TerminalUI

/// The gate view's prediction at the cursor, as side-panel lines: a language model's top next tokens
/// and the true one's rank; a classifier's class probabilities after reading up to t and a sparkline
/// of p(class) over the sequence; a forecast against its target in the data's units; multi-label
/// per-label probabilities. Then the surgery's Δ when one is in force. Cost: O(lines + T).
enum GatePredictionPanel {
    static func lines(_ run: RunRecord, state: AppState, width: Int, theme: Theme) -> [(String, CellStyle)] {
        var lines: [(String, CellStyle)] = []
        // The surgery first: it answers the key just pressed, and fits in three lines.
        if run.insight.intervention != nil {
            lines.append(("surgery Δ" + (run.insight.alsoTraining ? " (training too)" : ""), theme.title))
            if let surgery = run.insight.surgery, surgery.intervention == run.insight.intervention {
                lines.append(delta("loss", surgery.without.loss, surgery.with.loss, worse: surgery.with.loss > surgery.without.loss, theme: theme))
                if let before = surgery.without.accuracy, let after = surgery.with.accuracy {
                    lines.append(delta("acc", before, after, worse: after < before, theme: theme))
                }
            } else {
                lines.append(("scoring…", theme.dim))
            }
        }
        if let cursor = run.insight.cursor, cursor.probeIndex == run.gateSnapshot?.probeIndex {
            let current = cursor.time == state.gates.timestep
            lines.append(("prediction at t \(cursor.time)" + (current ? "" : " …"), theme.title))
            lines.append(contentsOf: predictionLines(cursor, width: width, theme: theme))
        }
        return lines.map { (String($0.0.prefix(width)), $0.1) }
    }

    static func predictionLines(_ cursor: InsightSnapshot.CursorPrediction, width: Int, theme: Theme) -> [(String, CellStyle)] {
        var lines: [(String, CellStyle)] = []
        let labelWidth = max(4, width - 8)
        func row(_ label: String, _ probability: Double, style: CellStyle) -> (String, CellStyle) {
            (Format.padded(OutputView.abbreviated(label, labelWidth - 1), labelWidth) + Format.rightAligned(Format.decimal(probability, digits: 3), 8), style)
        }
        switch cursor.prediction {
        case .nextToken(let top, let trueToken, let rank):
            if let trueToken, let rank {
                lines.append(("true " + quoted(trueToken.label) + " rank \(rank)", rank == 1 ? theme.good : theme.warning))
            }
            for candidate in top {
                lines.append(row(quoted(candidate.label), candidate.probability, style: candidate.index == trueToken?.index ? theme.good : theme.plain))
            }
        case .classes(let classes):
            let best = classes.max { $0.probability < $1.probability }
            if let best, let trajectory = cursor.trajectory, !trajectory.isEmpty {
                let values = trajectory.map { $0.indices.contains(best.index) ? $0[best.index] : 0 }
                let columns = max(1, width - 2)
                let resampled = (0..<min(columns, values.count)).map { column -> Double in
                    values[min(values.count - 1, column * values.count / min(columns, values.count))]
                }
                lines.append(("p(" + OutputView.abbreviated(best.label, width - 3) + ") by t", theme.label))
                lines.append((String(resampled.map { Sparkline.block($0, maximum: 1) }), theme.accent))
            }
            for candidate in classes.sorted(by: { $0.probability > $1.probability }) {
                lines.append(row(candidate.label, candidate.probability, style: candidate.index == best?.index ? theme.bold : theme.plain))
            }
        case .values(let predicted, let target):
            for (index, value) in predicted.enumerated() {
                let name = predicted.count > 1 ? "pred[\(index + 1)]" : "predicted"
                lines.append((Format.padded(name, 10) + Format.rightAligned(Format.significant(value), width - 10), theme.bold))
                if let target, target.indices.contains(index) {
                    lines.append((Format.padded(predicted.count > 1 ? "true[\(index + 1)]" : "target", 10)
                        + Format.rightAligned(Format.significant(target[index]), width - 10), theme.label))
                }
            }
            if target == nil { lines.append(("target at the last t", theme.dim)) }
        }
        return lines
    }

    /// "loss +0.373 → 1.893": the change, then the value with the surgery.
    static func delta(_ name: String, _ without: Double, _ with: Double, worse: Bool, theme: Theme) -> (String, CellStyle) {
        let change = with - without
        return (Format.padded(name, 5) + (change >= 0 ? "+" : "") + Format.decimal(change, digits: 3) + " → " + Format.decimal(with, digits: 3),
                worse ? theme.error : theme.good)
    }

    static func quoted(_ label: String) -> String { "'" + DisplayText.sanitized(label) + "'" }
}
