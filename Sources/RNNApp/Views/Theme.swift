import TerminalUI

/// The product's look: maps notebook concepts (train curve, validation, a paused run) onto TerminalUI
/// styles, adapted to the terminal's colors. Under `.none` only attributes
/// (bold, dim, reverse) remain, so meaning never rests on color alone.
struct Theme {
    let mode: ColorMode

    /// A foreground from the 256-color palette or its basic-color fallback; none under NO_COLOR.
    func color(_ indexed: UInt8, basic: UInt8) -> TerminalColor {
        switch mode {
        case .palette256: .indexed(indexed)
        case .basic8: .basic(basic)
        case .none: .default
        }
    }

    func foreground(_ indexed: UInt8, basic: UInt8, bold: Bool = false, dim: Bool = false) -> CellStyle {
        CellStyle(foreground: color(indexed, basic: basic), bold: bold, dim: dim)
    }

    var plain: CellStyle { .plain }
    var bold: CellStyle { CellStyle(bold: true) }
    var dim: CellStyle { CellStyle(dim: true) }
    var header: CellStyle { CellStyle(reverse: true) }
    var headerBold: CellStyle { CellStyle(bold: true, reverse: true) }
    var focus: CellStyle { CellStyle(bold: true, reverse: true) }
    var key: CellStyle { foreground(117, basic: 6, bold: true) }
    var title: CellStyle { foreground(252, basic: 7, bold: true) }
    var border: CellStyle { foreground(240, basic: 7, dim: mode != .palette256) }
    var label: CellStyle { foreground(250, basic: 7) }
    var train: CellStyle { foreground(39, basic: 6) }
    var validation: CellStyle { foreground(214, basic: 3, bold: mode == .none) }
    var previousRun: CellStyle { foreground(242, basic: 7, dim: true) }
    var marker: CellStyle { foreground(170, basic: 5) }
    /// The curve of the `index`-th compared run (0 is the active run's train colour).
    func runCurve(_ index: Int) -> CellStyle {
        let palette: [(UInt8, UInt8)] = [(39, 6), (114, 2), (203, 1), (141, 5), (221, 3), (44, 4), (175, 7), (250, 7)]
        let (indexed, basic) = palette[index % palette.count]
        return foreground(indexed, basic: basic)
    }
    var error: CellStyle { foreground(203, basic: 1, bold: true) }
    var warning: CellStyle { foreground(214, basic: 3, bold: true) }
    var good: CellStyle { foreground(114, basic: 2) }
    var accent: CellStyle { foreground(117, basic: 6) }

    /// The loss chart's axes, legend and change marks.
    var chartStyles: LineChart.Styles { LineChart.Styles(label: label, dim: dim, border: border, marker: marker, baseline: dim) }
    /// The gate heatmaps' legend row.
    var legendStyles: HeatmapLegend.Styles { HeatmapLegend.Styles(prefix: dim, names: title, ends: label) }

    /// A footer of key hints.
    func footer(_ hints: [KeyHintBar.Hint]) -> KeyHintBar { KeyHintBar(hints, keyStyle: key, actionStyle: dim) }

    func status(_ status: RunStatusKind) -> CellStyle {
        switch status {
        case .running: foreground(114, basic: 2, bold: true)
        case .paused, .preparing: foreground(221, basic: 3, bold: true)
        case .problem: foreground(203, basic: 1, bold: true)
        case .done: foreground(117, basic: 6, bold: true)
        }
    }
}

/// Status families that share a color.
enum RunStatusKind { case running, paused, preparing, problem, done }
