import DisplayFormat
import RNNTraining
import TerminalUI

/// The loss chart's input built from the runs: one list of series (each run's train curve, the
/// active run's validation curve on top), the active run's change marks and learning-rate track, the
/// task's baseline, and a note for the runs on other data left off. A single run is the special case.
enum LossChart {
    /// Curve patterns of the runs besides the active one (solid), in order.
    static let linePatterns: [LineStyle] = [.dotted, .dashDot, .longDash, .sparse, .dashed]
    /// Marks told apart without colour: the active run first, then the others in order.
    static let marks: [Character] = ["●", "○", "■", "□", "▲", "△", "◆", "◇", "×", "+"]

    /// The chart of the active run and the kept runs on its data (`AppState.chartRuns`).
    static func chart(_ state: AppState, theme: Theme) -> LineChart {
        let (runs, otherData) = state.chartRuns
        return chart(runs, otherData: otherData, options: state.chart, theme: theme)
    }

    /// The chart of `runs` (oldest first; the last is the one whose validation curve, marks, lr track
    /// and baseline are drawn), with a note counting `otherData` runs left off. Any list of runs on one
    /// dataset works: a compare view passes the runs it compares.
    static func chart(_ runs: [RunRecord], otherData: Int, options: ChartOptions, theme: Theme) -> LineChart {
        guard let active = runs.last else { return LineChart(series: [], styles: theme.chartStyles) }
        let axis = options.xAxis
        let noColor = theme.mode == .none
        let names = legendNames(runs)
        var series: [ChartSeries] = []
        func trainPoints(_ run: RunRecord) -> [(x: Double, y: Double)] {
            let points = options.smoothing ? run.smoothedTrainLoss.plotPoints : run.trainLoss.plotPoints
            return run.clock.converted(points, to: axis)
        }
        let others = runs.dropLast()
        for (position, run) in others.enumerated() {
            series.append(ChartSeries(name: names[run.runID] ?? "run \(run.runID)", points: trainPoints(run),
                                      style: theme.runCurve(position + 1), line: linePatterns[position % linePatterns.count],
                                      mark: noColor ? marks[(position + 1) % marks.count] : nil))
        }
        let trainName = options.smoothing ? "train (EMA)" : "train"
        let isComparing = !others.isEmpty
        series.append(ChartSeries(name: isComparing ? (names[active.runID] ?? trainName) : trainName,
                                  points: trainPoints(active), style: theme.train, line: .solid,
                                  mark: noColor && isComparing ? marks[0] : nil))
        series.append(ChartSeries(name: "val", points: active.clock.converted(active.validationLoss.plotPoints, to: axis),
                                  style: theme.validation, line: noColor || isComparing ? .dashed : .solid))
        let markSteps = active.markers.map { (x: Double($0.step), y: 0.0) }
        let markX = active.clock.converted(markSteps, to: axis)
        let markers = zip(active.markers, markX).map { ChartMark(x: $1.x, label: $0.label) }
        var notes: [String] = []
        if options.logScale { notes.append("log y") }
        if otherData > 0 { notes.append("\(otherData) run\(otherData == 1 ? "" : "s") on other data not shown") }
        let baseline = active.summary.map { ChartBaseline(value: $0.dataset.baselineLoss, label: "baseline " + Format.loss($0.dataset.baselineLoss)) }
        let track = ChartTrack(name: "lr", points: active.clock.converted(active.learningRates.plotPoints, to: axis),
                               style: theme.accent)
        return LineChart(series: series, markers: markers, baseline: baseline, track: active.learningRates.isEmpty ? nil : track,
                         xAxis: axis, logScale: options.logScale, legendSuffix: notes.joined(separator: " · "),
                         emptyText: active.hasEnded ? "no steps were taken" : "waiting for the first step…",
                         styles: theme.chartStyles)
    }

    /// Each run's legend name: its label, else its cell and size ("LSTM 128", "GRU 2×64") and the
    /// settings that differ between the runs ("lr 0.01", "adam"); "run N" first where names still tie.
    static func legendNames(_ runs: [RunRecord]) -> [Int: String] {
        let settings: [(String, (TrainingSetup) -> String)] = [
            ("", { $0.optimizer.kind.rawValue }),
            ("lr ", { Format.learningRate($0.optimizer.learningRate) }),
            ("batch ", { String($0.batchSize) }),
            ("seq ", { String($0.sequenceLength) }),
            ("dropout ", { Format.trimmed(Double($0.dropout), digits: 2) }),
            ("clip ", { $0.clipNorm.map { Format.significant(Double($0)) } ?? "off" }),
            ("emb ", { String($0.embeddingSize) }),
            ("", { $0.cell == .rnn ? $0.nonlinearity.rawValue : "" }),
            ("seed ", { String($0.seed) }),
        ]
        let differing = settings.filter { _, value in Set(runs.map { value($0.setup) }.filter { !$0.isEmpty }).count > 1 }
        var names: [Int: String] = [:]
        for run in runs {
            if let label = run.label, !label.isEmpty {
                names[run.runID] = DisplayText.sanitized(label)
                continue
            }
            let setup = run.setup
            let size = setup.layerCount > 1 ? "\(setup.layerCount)×\(setup.hiddenSize)" : "\(setup.hiddenSize)"
            var parts = [setup.cell.displayName + " " + size]
            for (prefix, value) in differing where !value(setup).isEmpty { parts.append(prefix + value(setup)) }
            names[run.runID] = parts.joined(separator: " ")
        }
        let counts = Dictionary(grouping: names.values, by: { $0 }).mapValues(\.count)
        for (runID, name) in names where counts[name, default: 0] > 1 { names[runID] = "run \(runID) " + name }
        return names
    }
}
