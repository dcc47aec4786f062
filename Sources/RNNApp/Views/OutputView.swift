import DisplayFormat
import RNNEngine
import RNNTraining
import TerminalUI

/// The task output view (`o`): what the model does with its current weights. Language models: a live
/// sample, regenerated every few seconds, with its temperature and prime. Classifiers: the validation
/// confusion matrix with class names, the worst-classified examples, a typed sentence's probabilities.
/// Forecasting: predicted against actual over the validation range in original units, RMSE and MAE
/// next to persistence's, and with a horizon K > 1 the K-step fans. A right column shows the unit
/// surgery's Δ and the importance table. Cost: O(visible cells + validation sample) per frame.
enum OutputView {
    static func render(_ state: AppState, into buffer: inout CellBuffer, theme: Theme) {
        Chrome.header(state, title: "output", into: &buffer, theme: theme)
        defer {
            Chrome.noticeLine(state, into: &buffer, theme: theme)
            Chrome.footer(KeyBindings.outputFooter, active: state.activeRun?.status == .paused, into: &buffer, theme: theme)
        }
        guard let run = state.activeRun else { return }
        let sideWidth = buffer.width >= 120 ? 38 : 30
        let body = Rect(x: 1, y: 2, width: buffer.width - sideWidth - 4, height: buffer.height - 4)
        let side = Rect(x: buffer.width - sideWidth, y: 2, width: sideWidth - 1, height: buffer.height - 4)
        buffer.render(Rule(.vertical, style: theme.border), in: Rect(x: side.x - 2, y: side.y, width: 1, height: side.height))
        var info = " task output · step \(Format.count(run.currentStep))"
        switch run.task {
        case .languageModel: info += " · sample every few seconds from the current weights"
        case .classification: info += " · validation sample"
        case .multiLabel: info += " · per-label probabilities"
        case .regression: info += " · validation range in original units"
        case nil: break
        }
        buffer.write(info, x: 0, y: 1, style: theme.label, maxWidth: buffer.width)
        switch run.task {
        case .languageModel: drawSample(run, state: state, in: body, into: &buffer, theme: theme)
        case .classification, .multiLabel: drawClassification(run, state: state, in: body, into: &buffer, theme: theme)
        case .regression: drawForecast(run, in: body, into: &buffer, theme: theme)
        case nil: waiting("waiting for the trainer…", in: body, into: &buffer, theme: theme)
        }
        SurgeryPanel.render(run, state: state, in: side, into: &buffer, theme: theme)
    }

    static func waiting(_ text: String, in area: Rect, into buffer: inout CellBuffer, theme: Theme) {
        buffer.write(text, x: area.x + max(0, (area.width - text.count) / 2), y: area.y + area.height / 2, style: theme.dim,
                     maxWidth: area.width)
    }

    // MARK: Language models

    private static func drawSample(_ run: RunRecord, state: AppState, in area: Rect, into buffer: inout CellBuffer, theme: Theme) {
        var y = area.y
        let temperature = Format.trimmed(state.output.temperature, digits: 1)
        var heading = "sample · temperature \(temperature)"
        if let step = run.insight.sampleStep { heading += " · drawn at step \(Format.count(step))" }
        buffer.write(heading, x: area.x, y: y, style: theme.title, maxWidth: area.width)
        y += 1
        let prime = state.output.prime.isEmpty ? "(a new line)" : "'" + DisplayText.sanitized(state.output.prime) + "'"
        buffer.write("prime " + prime + "   / types another", x: area.x, y: y, style: theme.dim, maxWidth: area.width)
        y += 2
        guard let sample = run.insight.sample else {
            waiting("drawing the first sample…", in: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y), into: &buffer, theme: theme)
            return
        }
        if let problem = sample.problem {
            for line in Chrome.wrap(problem, width: area.width) where y < area.maxY {
                buffer.write(line, x: area.x, y: y, style: theme.error)
                y += 1
            }
            return
        }
        var lines: [(text: String, isPrime: Bool)] = []
        let full = sample.prime + sample.text
        var primeLeft = sample.prime.count
        for paragraph in full.split(separator: "\n", omittingEmptySubsequences: false) {
            for line in Chrome.wrap(DisplayText.sanitized(String(paragraph)), width: area.width) {
                lines.append((line, primeLeft > 0))
                primeLeft -= line.count
            }
            primeLeft -= 1
            if paragraph.isEmpty { lines.append(("", false)) }
        }
        for line in lines.prefix(max(0, area.maxY - y)) {
            buffer.write(line.text, x: area.x, y: y, style: line.isPrime ? theme.accent : theme.plain)
            y += 1
        }
    }

    // MARK: Classifiers

    private static func drawClassification(_ run: RunRecord, state: AppState, in area: Rect, into buffer: inout CellBuffer, theme: Theme) {
        var y = area.y
        func line(_ text: String, style: CellStyle, x: Int? = nil) {
            guard y < area.maxY else { return }
            buffer.write(text, x: x ?? area.x, y: y, style: style, maxWidth: area.maxX - (x ?? area.x))
            y += 1
        }
        if let report = run.insight.classification {
            let count = report.confusion.joined().reduce(0, +)
            line("confusion matrix · accuracy \(Format.percent(report.accuracy))", style: theme.title)
            line("\(Format.count(count)) validation sequences", style: theme.dim)
            let names = report.classNames.map { DisplayText.sanitized($0) }
            let rowLabel = min(12, max(6, (names.map(\.count).max() ?? 4) + 1))
            let column = min(9, max(6, (names.map(\.count).max() ?? 4) + 1))
            let shown = min(names.count, max(1, (area.width - rowLabel) / column))
            var header = Format.padded("true╲pred", rowLabel)
            for name in names.prefix(shown) { header += Format.rightAligned(abbreviated(name, column - 1), column) }
            line(header, style: theme.label)
            for (truth, row) in report.confusion.enumerated().prefix(min(shown, max(1, area.maxY - y - 8))) {
                guard y < area.maxY else { break }
                buffer.write(Format.padded(abbreviated(names[truth], rowLabel - 1), rowLabel), x: area.x, y: y, style: theme.label)
                for (predicted, value) in row.prefix(shown).enumerated() {
                    buffer.write(Format.rightAligned(Format.count(value), column), x: area.x + rowLabel + predicted * column, y: y,
                                 style: predicted == truth ? theme.good : (value > 0 ? theme.warning : theme.dim))
                }
                y += 1
            }
            if shown < names.count { line("(first \(shown) of \(names.count) classes)", style: theme.dim) }
            y += 1
            line("worst classified · p(true class)", style: theme.title)
            for example in report.worst where y < area.maxY - 4 {
                let predicted = example.probabilities.indices.max { example.probabilities[$0] < example.probabilities[$1] } ?? 0
                let head = Format.decimal(example.probabilities[example.trueClass], digits: 2) + " " + abbreviated(names[example.trueClass], 10)
                    + "→" + abbreviated(names[predicted], 10) + " "
                buffer.write(head, x: area.x, y: y, style: theme.warning, maxWidth: area.width)
                buffer.write(abbreviated(DisplayText.sanitized(example.text), area.width - head.count), x: area.x + head.count, y: y, style: theme.plain)
                y += 1
            }
            y += 1
        } else if run.task == .classification {
            line("measuring the validation sample…", style: theme.dim)
            y += 1
        } else {
            for text in Chrome.wrap("multi-label: each label's probability is independent (σ of its logit)", width: area.width) {
                line(text, style: theme.dim)
            }
            y += 1
        }
        drawSentence(run, state: state, in: Rect(x: area.x, y: y, width: area.width, height: area.maxY - y), into: &buffer, theme: theme)
    }

    private static func drawSentence(_ run: RunRecord, state: AppState, in area: Rect, into buffer: inout CellBuffer, theme: Theme) {
        var y = area.y
        guard y < area.maxY else { return }
        guard let typed = state.output.sentence else {
            buffer.write("/ types a sentence to classify", x: area.x, y: y, style: theme.dim, maxWidth: area.width)
            return
        }
        buffer.write("typed: " + abbreviated(DisplayText.sanitized(typed), area.width - 7), x: area.x, y: y, style: theme.title)
        y += 1
        guard let sentence = run.insight.sentence, sentence.text == typed else {
            if y < area.maxY { buffer.write("reading it…", x: area.x, y: y, style: theme.dim) }
            return
        }
        if let problem = sentence.problem {
            for text in Chrome.wrap(problem, width: area.width) where y < area.maxY {
                buffer.write(text, x: area.x, y: y, style: theme.error)
                y += 1
            }
            return
        }
        let nameWidth = min(14, max(6, (sentence.classes.map(\.label.count).max() ?? 4) + 1))
        let barWidth = max(4, min(30, area.width - nameWidth - 8))
        for candidate in sentence.classes.sorted(by: { $0.probability > $1.probability }) where y < area.maxY {
            buffer.write(Format.padded(abbreviated(DisplayText.sanitized(candidate.label), nameWidth - 1), nameWidth), x: area.x, y: y, style: theme.label)
            buffer.write(Format.decimal(candidate.probability, digits: 3), x: area.x + nameWidth, y: y, style: theme.bold)
            buffer.write(ProgressBar.text(candidate.probability, width: barWidth), x: area.x + nameWidth + 7, y: y, style: theme.accent)
            y += 1
        }
    }

    // MARK: Forecasting

    private static func drawForecast(_ run: RunRecord, in area: Rect, into buffer: inout CellBuffer, theme: Theme) {
        guard let report = run.insight.forecast else {
            let everyStep = run.summary?.model.head == .regressEveryStep
            waiting(everyStep ? "a target at every step: the gate view's panel shows each t" : "measuring the validation range…",
                    in: area, into: &buffer, theme: theme)
            return
        }
        let target = report.target.map(DisplayText.sanitized) ?? "target"
        var series: [ChartSeries]
        var errors: String, persistence: String?
        if let fan = run.insight.forecastFan, fan.horizon > 1 {
            series = [ChartSeries(name: "actual " + target, points: fan.actual.enumerated().map { (Double($0), $1) }, style: theme.validation)]
            for (index, piece) in fan.fans.enumerated() {
                series.append(ChartSeries(name: "\(fan.horizon)-step forecast", points: piece.values.enumerated().map { (Double(piece.origin + $0), $1) },
                                          style: theme.train, inLegend: index == 0))
            }
            errors = "\(fan.horizon) steps: RMSE \(Format.significant(fan.rootMeanSquaredError)) · MAE \(Format.significant(fan.meanAbsoluteError))"
            if let rmse = fan.persistenceRootMeanSquaredError, let mae = fan.persistenceMeanAbsoluteError {
                persistence = "persistence RMSE \(Format.significant(rmse)) · MAE \(Format.significant(mae))"
            }
        } else {
            series = [
                ChartSeries(name: "actual " + target, points: report.actual.enumerated().map { (Double($0), $1) }, style: theme.validation),
                ChartSeries(name: "predicted", points: report.predicted.enumerated().map { (Double($0), $1) }, style: theme.train),
            ]
            errors = "RMSE \(Format.significant(report.rootMeanSquaredError)) · MAE \(Format.significant(report.meanAbsoluteError))"
            if let rmse = report.persistenceRootMeanSquaredError, let mae = report.persistenceMeanAbsoluteError {
                persistence = "persistence RMSE \(Format.significant(rmse)) · MAE \(Format.significant(mae))"
            }
        }
        let chart = LineChart(series: series, xAxis: .timesteps, emptyText: "no validation windows", styles: theme.chartStyles)
        buffer.render(chart, in: Rect(x: area.x, y: area.y, width: area.width, height: area.height - 2))
        buffer.write(errors + " (original units)", x: area.x, y: area.maxY - 2, style: theme.bold, maxWidth: area.width)
        buffer.write(persistence ?? "no persistence baseline: the input does not carry the target", x: area.x, y: area.maxY - 1,
                     style: theme.dim, maxWidth: area.width)
    }

    /// `text` in at most `width` columns, ending in "…" when cut (at a space when one is near).
    static func abbreviated(_ text: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        guard width > 1 else { return "…" }
        var cut = String(text.prefix(width - 1))
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > width / 2 { cut = String(cut[..<space]) }
        return cut + "…"
    }
}
