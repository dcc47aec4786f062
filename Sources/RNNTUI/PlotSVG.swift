import Foundation

/// One run's curves for `PlotSVG`, already on the chosen x axis.
struct PlotRun {
    var name: String
    /// (x, loss) of every training step and of every evaluation, in x order.
    var train: [(x: Double, y: Double)]
    var validation: [(x: Double, y: Double)]
    /// The no-learning loss of the run's dataset and what it is, when known.
    var baseline: (value: Double, description: String)?
    /// Live hyperparameter changes: where they took effect and what changed ("lr 0.002 → 0.001").
    var changes: [(x: Double, label: String)]
}

/// The notebook's loss chart as a standalone SVG: overlaid train (thin) and validation (thick, dots)
/// curves per run, dashed baselines, dotted change marks, axes with round ticks, a legend; linear or
/// log-10 loss axis. Pure: the same runs give the same text (coordinates printed with one decimal).
/// Cost: linear in the points; curves longer than `maximumPoints` are averaged in equal groups.
struct PlotSVG {
    var width = 960.0, height = 540.0
    var logScale = false
    var xLabel = "step"
    var maximumPoints = 1500

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]

    private var left: Double { 78 }
    private var right: Double { width - 210 }
    private var top: Double { 44 }
    private var bottom: Double { height - 58 }

    func render(_ runs: [PlotRun]) -> String {
        let finite = { (point: (x: Double, y: Double)) in point.x.isFinite && point.y.isFinite && (!logScale || point.y > 0) }
        let runs = runs.map { run -> PlotRun in
            var run = run
            run.train = Self.thin(run.train.filter(finite), to: maximumPoints)
            run.validation = run.validation.filter(finite)
            return run
        }
        let points = runs.flatMap { $0.train + $0.validation }
        var ys = points.map(\.y) + runs.compactMap { $0.baseline?.value }.filter { $0.isFinite && (!logScale || $0 > 0) }
        if ys.isEmpty { ys = [logScale ? 1 : 0] }
        var xs = points.map(\.x) + runs.flatMap { $0.changes.map(\.x) }
        if xs.isEmpty { xs = [0] }
        let xAxis = Axis(low: min(0, xs.min()!), high: xs.max()!, log: false)
        let yAxis = Axis(low: ys.min()!, high: ys.max()!, log: logScale)

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.f(width))" height="\(Self.f(height))" \
            viewBox="0 0 \(Self.f(width)) \(Self.f(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Self.f(left))" y="24" font-size="15" font-weight="bold">\(Self.escape(runs.map(\.name).joined(separator: " · ")))</text>

            """
        // Grid, ticks and axis labels.
        for tick in yAxis.ticks() {
            let y = mapY(tick, yAxis)
            svg += "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(y))\" x2=\"\(Self.f(right))\" y2=\"\(Self.f(y))\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(Self.f(left - 6))\" y=\"\(Self.f(y + 4))\" text-anchor=\"end\" fill=\"#444\">\(Self.label(tick))</text>\n"
        }
        for tick in xAxis.ticks() {
            let x = mapX(tick, xAxis)
            svg += "<line x1=\"\(Self.f(x))\" y1=\"\(Self.f(top))\" x2=\"\(Self.f(x))\" y2=\"\(Self.f(bottom))\" stroke=\"#f0f0f0\"/>\n"
            svg += "<text x=\"\(Self.f(x))\" y=\"\(Self.f(bottom + 18))\" text-anchor=\"middle\" fill=\"#444\">\(Self.label(tick))</text>\n"
        }
        svg += "<rect x=\"\(Self.f(left))\" y=\"\(Self.f(top))\" width=\"\(Self.f(right - left))\" height=\"\(Self.f(bottom - top))\" fill=\"none\" stroke=\"#888\"/>\n"
        svg += "<text x=\"\(Self.f((left + right) / 2))\" y=\"\(Self.f(height - 16))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        svg += "<text x=\"18\" y=\"\(Self.f((top + bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(Self.f((top + bottom) / 2)))\">\(logScale ? "loss (log scale)" : "loss")</text>\n"

        // Baselines (one line per distinct value), change marks, then the curves on top.
        var drawnBaselines: [Double] = []
        for run in runs {
            guard let baseline = run.baseline, baseline.value.isFinite, !logScale || baseline.value > 0,
                  !drawnBaselines.contains(baseline.value) else { continue }
            drawnBaselines.append(baseline.value)
            let y = mapY(baseline.value, yAxis)
            svg += "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(y))\" x2=\"\(Self.f(right))\" y2=\"\(Self.f(y))\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>\n"
            svg += "<text x=\"\(Self.f(left + 6))\" y=\"\(Self.f(y - 5))\" fill=\"#555\" font-size=\"11\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">baseline \(Self.label(baseline.value)) (\(Self.escape(baseline.description)))</text>\n"
        }
        for (index, run) in runs.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            for (order, change) in run.changes.enumerated() {
                let x = mapX(change.x, xAxis)
                svg += "<line x1=\"\(Self.f(x))\" y1=\"\(Self.f(top))\" x2=\"\(Self.f(x))\" y2=\"\(Self.f(bottom))\" stroke=\"\(color)\" stroke-dasharray=\"2 3\"/>\n"
                let y = top + 12 + Double(order % 4) * 12
                svg += "<text x=\"\(Self.f(x + 3))\" y=\"\(Self.f(y))\" fill=\"\(color)\" font-size=\"10\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">\(Self.escape(change.label))</text>\n"
            }
        }
        for (index, run) in runs.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            if !run.train.isEmpty {
                svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-opacity=\"0.45\" stroke-width=\"1\" points=\"\(polyline(run.train, xAxis, yAxis))\"/>\n"
            }
            if !run.validation.isEmpty {
                svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.2\" points=\"\(polyline(run.validation, xAxis, yAxis))\"/>\n"
                for point in run.validation {
                    svg += "<circle cx=\"\(Self.f(mapX(point.x, xAxis)))\" cy=\"\(Self.f(mapY(point.y, yAxis)))\" r=\"2.6\" fill=\"\(color)\"/>\n"
                }
            }
        }
        // Legend.
        var y = top + 6
        for (index, run) in runs.enumerated() {
            let color = Self.palette[index % Self.palette.count], x = right + 16
            svg += "<text x=\"\(Self.f(x))\" y=\"\(Self.f(y + 4))\" font-weight=\"bold\">\(Self.escape(Self.shortName(run.name)))</text>\n"
            svg += "<line x1=\"\(Self.f(x))\" y1=\"\(Self.f(y + 18))\" x2=\"\(Self.f(x + 26))\" y2=\"\(Self.f(y + 18))\" stroke=\"\(color)\" stroke-opacity=\"0.45\" stroke-width=\"1\"/>\n"
            svg += "<text x=\"\(Self.f(x + 32))\" y=\"\(Self.f(y + 22))\">train</text>\n"
            svg += "<line x1=\"\(Self.f(x))\" y1=\"\(Self.f(y + 34))\" x2=\"\(Self.f(x + 26))\" y2=\"\(Self.f(y + 34))\" stroke=\"\(color)\" stroke-width=\"2.2\"/>\n"
            svg += "<text x=\"\(Self.f(x + 32))\" y=\"\(Self.f(y + 38))\">validation\(run.validation.last.map { " (last \(Self.label($0.y)))" } ?? "")</text>\n"
            y += 56
        }
        if !drawnBaselines.isEmpty {
            let x = right + 16
            svg += "<line x1=\"\(Self.f(x))\" y1=\"\(Self.f(y + 2))\" x2=\"\(Self.f(x + 26))\" y2=\"\(Self.f(y + 2))\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>\n"
            svg += "<text x=\"\(Self.f(x + 32))\" y=\"\(Self.f(y + 6))\">baseline</text>\n"
            y += 20
        }
        if runs.contains(where: { !$0.changes.isEmpty }) {
            let x = right + 16
            svg += "<line x1=\"\(Self.f(x + 13))\" y1=\"\(Self.f(y - 6))\" x2=\"\(Self.f(x + 13))\" y2=\"\(Self.f(y + 8))\" stroke=\"#555\" stroke-dasharray=\"2 3\"/>\n"
            svg += "<text x=\"\(Self.f(x + 32))\" y=\"\(Self.f(y + 6))\">hyperparameter change</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    // MARK: - Geometry

    private func mapX(_ value: Double, _ axis: Axis) -> Double { left + axis.fraction(value) * (right - left) }
    private func mapY(_ value: Double, _ axis: Axis) -> Double { bottom - axis.fraction(value) * (bottom - top) }

    private func polyline(_ points: [(x: Double, y: Double)], _ xAxis: Axis, _ yAxis: Axis) -> String {
        points.map { "\(Self.f(mapX($0.x, xAxis))),\(Self.f(mapY($0.y, yAxis)))" }.joined(separator: " ")
    }

    /// At most `limit` points: consecutive groups averaged (x and y), so a long noisy curve keeps its trend.
    static func thin(_ points: [(x: Double, y: Double)], to limit: Int) -> [(x: Double, y: Double)] {
        guard points.count > limit, limit > 0 else { return points }
        let group = (points.count + limit - 1) / limit
        return stride(from: 0, to: points.count, by: group).map { start in
            let slice = points[start..<min(points.count, start + group)]
            let count = Double(slice.count)
            return (slice.reduce(0) { $0 + $1.x } / count, slice.reduce(0) { $0 + $1.y } / count)
        }
    }

    /// A value axis: linear, or log 10 (values > 0), with round tick values.
    struct Axis {
        var low: Double, high: Double, log: Bool

        init(low: Double, high: Double, log: Bool) {
            self.log = log
            var low = log ? Foundation.log10(low) : low, high = log ? Foundation.log10(high) : high
            if high - low < 1e-12 {
                let pad = log ? 0.5 : max(abs(low) * 0.1, 0.5)
                low -= pad
                high += pad
            } else {
                let pad = (high - low) * 0.04
                high += pad
                if !log && low != 0 { low -= pad }
            }
            self.low = low
            self.high = high
        }

        func fraction(_ value: Double) -> Double {
            let position = log ? Foundation.log10(value) : value
            return (position - low) / (high - low)
        }

        /// 1-2-5 steps giving about 6 ticks; on a log axis powers of ten (and 2×, 5× when they are few).
        func ticks() -> [Double] {
            if log {
                var ticks: [Double] = []
                let decades = Int(Foundation.floor(low))...Int(Foundation.ceil(high))
                let multipliers: [Double] = decades.count <= 4 ? [1, 2, 5] : [1]
                for decade in decades {
                    for multiplier in multipliers {
                        let value = multiplier * Foundation.pow(10, Double(decade))
                        let position = Foundation.log10(value)
                        if position >= low - 1e-9 && position <= high + 1e-9 { ticks.append(value) }
                    }
                }
                return ticks
            }
            let rough = (high - low) / 6
            let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(rough)))
            let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
            var ticks: [Double] = []
            var value = Foundation.ceil(low / step - 1e-9) * step
            while value <= high + 1e-9 * step {
                ticks.append(abs(value) < step * 1e-9 ? 0 : value)
                value += step
            }
            return ticks
        }
    }

    // MARK: - Text

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A tick or value label: up to 4 significant digits, k/M for large numbers.
    static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1_000_000 { return String(format: "%gM", (value / 1_000_000 * 1000).rounded() / 1000) }
        if magnitude >= 10_000 { return String(format: "%gk", (value / 1000 * 100).rounded() / 100) }
        return String(format: "%.4g", value)
    }

    static func shortName(_ name: String) -> String {
        let last = name.split(separator: "/").last.map(String.init) ?? name
        return last.count > 24 ? String(last.prefix(23)) + "…" : last
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
