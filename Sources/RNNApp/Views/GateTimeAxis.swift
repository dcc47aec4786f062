import DisplayFormat
import TerminalUI

/// The rows under the gate heatmaps: the inputs (characters, whole words, or numeric values as bars with
/// their markers on a row of their own), then timestep numbers every 10. Cost O(visible timesteps).
struct GateTimeAxis {
    var labels: [String]
    var kind: TimeAxisKind
    var timeSteps: Int
    var timeOffset: Int
    var visibleTimes: Int
    var cursor: Int

    /// Rows drawn: 2, or 3 with a marker row.
    var rowCount: Int { 2 + kind.extraRows }

    /// Draws from row `y` with the heatmap's first column at `x`.
    func draw(x: Int, y: Int, into buffer: inout CellBuffer, theme: Theme) {
        var row = y
        if case .numbers(marked: true) = kind {
            buffer.write("mark", x: 0, y: row, style: theme.dim)
            for column in 0..<visibleTimes {
                let time = timeOffset + column
                let marked = label(time).hasPrefix("*")
                buffer.set(x + column, row, marked ? "*" : "·", style: time == cursor ? theme.focus : (marked ? theme.warning : theme.dim))
            }
            row += 1
        }
        buffer.write(kind == .characters || kind == .words ? "input" : "value", x: 0, y: row, style: theme.dim)
        if timeOffset > 0 { buffer.set(x - 1, row, "◂", style: theme.accent) }
        if timeOffset + visibleTimes < timeSteps { buffer.set(x + visibleTimes, row, "▸", style: theme.accent) }
        switch kind {
        case .characters:
            for column in 0..<visibleTimes {
                let time = timeOffset + column
                buffer.set(x + column, row, DisplayText.axisCharacter(label(time)), style: time == cursor ? theme.focus : theme.plain)
            }
        case .words:
            drawWords(x: x, y: row, into: &buffer, theme: theme)
        case .numbers:
            drawValues(x: x, y: row, into: &buffer, theme: theme)
        }
        drawNumbers(x: x, y: row + 1, into: &buffer, theme: theme)
    }

    private func label(_ time: Int) -> String { time >= 0 && time < labels.count ? labels[time] : "" }

    /// Each word at its timestep's column where it fits whole before the next placed one (the cursor's
    /// first); a timestep whose word did not fit shows `·`.
    private func drawWords(x: Int, y: Int, into buffer: inout CellBuffer, theme: Theme) {
        var occupied = [Bool](repeating: false, count: visibleTimes + 1)
        func place(_ column: Int) -> Bool {
            let word = DisplayText.sanitized(label(timeOffset + column))
            let end = column + word.count
            guard !word.isEmpty, end <= visibleTimes, !occupied[column..<min(visibleTimes, end + 1)].contains(true) else { return false }
            let time = timeOffset + column
            buffer.write(word, x: x + column, y: y, style: time == cursor ? theme.focus : theme.plain)
            for index in column..<end { occupied[index] = true }
            if end < visibleTimes { occupied[end] = true }
            return true
        }
        if (timeOffset..<(timeOffset + visibleTimes)).contains(cursor) { _ = place(cursor - timeOffset) }
        for column in 0..<visibleTimes where !occupied[column] {
            if !place(column) { buffer.set(x + column, y, "·", style: timeOffset + column == cursor ? theme.focus : theme.dim) }
        }
    }

    /// ▁…█ from the lowest to the highest value shown.
    private func drawValues(x: Int, y: Int, into buffer: inout CellBuffer, theme: Theme) {
        let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let values = (0..<visibleTimes).map { Self.value(label(timeOffset + $0)) }
        let finite = values.compactMap { $0 }
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        for (column, value) in values.enumerated() {
            let time = timeOffset + column
            guard let value else {
                buffer.set(x + column, y, "?", style: theme.dim)
                continue
            }
            let position = high > low ? (value - low) / (high - low) : 0.5
            let bar = bars[min(bars.count - 1, max(0, Int((position * Double(bars.count - 1)).rounded())))]
            buffer.set(x + column, y, bar, style: time == cursor ? theme.focus : theme.accent)
        }
    }

    /// A timestep label's number, without its marker.
    static func value(_ label: String) -> Double? {
        Double(label.hasPrefix("*") ? String(label.dropFirst()) : label)
    }

    private func drawNumbers(x: Int, y: Int, into buffer: inout CellBuffer, theme: Theme) {
        buffer.write("t", x: 0, y: y, style: theme.dim)
        var nextFree = 0
        for column in 0..<visibleTimes {
            let time = timeOffset + column
            guard (time % 10 == 0 || time == cursor) && column >= nextFree else { continue }
            let text = String(time)
            if column + text.count <= visibleTimes {
                buffer.write(text, x: x + column, y: y, style: time == cursor ? theme.focus : theme.dim)
                nextFree = column + text.count + 1
            }
        }
    }
}
