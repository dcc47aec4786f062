import RNNTraining
import TerminalUI

/// The whole app: which screen shows, the setup form, every run kept for comparison, and the view
/// options. Changed only by `update(_:)`; drawn only by `render(_:into:)`.
public struct AppState: Sendable {
    public enum Screen: Sendable, Equatable {
        case setup, training, gates
        /// The task output view: live samples, confusion matrix, forecast against the truth.
        case output
        /// The runs browser (`RunsBrowserView`).
        case runs
        /// ‖∂L/∂h_t‖ against t per layer, and |∂L/∂h_t| per unit (the vanishing-gradient view).
        case gradients
        /// Gate saturation, memory time scales, tanh saturation and spectral radius.
        case statistics
        /// The probe's (or typed) text coloured by one unit's value.
        case text
    }

    /// Runs kept (the active one and earlier ones for comparison); older ones are dropped.
    public static let maximumKeptRuns = 12
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public internal(set) var screen: Screen = .setup
    public internal(set) var isShowingHelp = false
    /// The help page shown (small windows split the help into pages).
    public internal(set) var helpPage = 0
    public internal(set) var width = AppState.minimumWidth
    public internal(set) var height = AppState.minimumHeight
    /// The newest `tick` time, in seconds.
    public internal(set) var now = 0.0
    public var colorMode: ColorMode
    public let datasetEntries: [DatasetCatalog.Entry]
    public internal(set) var form: SetupForm
    /// Oldest first; the active run is the last one started.
    public internal(set) var runs: [RunRecord] = []
    public internal(set) var activeRunID: Int?
    var nextRunID = 1
    /// A value being typed at the bottom line (the learning rate), if any.
    public internal(set) var prompt: ValuePrompt?
    public internal(set) var notice: Notice?
    public internal(set) var chart = ChartOptions()
    public internal(set) var gates = GateViewState()
    public internal(set) var output = OutputViewState()
    public internal(set) var insight = InsightViewState()
    public internal(set) var shouldQuit = false
    /// The runs browser's listing, cursor and marks.
    public internal(set) var browser = RunsBrowserState()
    /// Runs drawn together on the loss chart (compared or overlaid from the browser), in legend order;
    /// `v` switches the active run among them. Empty when no comparison is open.
    public internal(set) var comparedRunIDs: [Int] = []

    public init(datasetEntries: [DatasetCatalog.Entry], colorMode: ColorMode, setup: TrainingSetup = TrainingSetup()) {
        self.datasetEntries = datasetEntries
        self.colorMode = colorMode
        self.form = SetupForm(setup: setup, entryNames: datasetEntries.map(\.name))
    }

    public var activeRun: RunRecord? {
        guard let activeRunID else { return nil }
        return runs.last { $0.runID == activeRunID }
    }

    /// The newest run before the active one with a curve.
    public var comparisonRun: RunRecord? {
        runs.last { $0.runID != activeRunID && !$0.trainLoss.isEmpty }
    }

    /// The runs drawn together on the loss chart, oldest first and the active run last: every kept run
    /// (or, with a comparison open, every compared run) with a curve on the same data as the active one. `otherData` counts those left off.
    public var chartRuns: (runs: [RunRecord], otherData: Int) {
        guard let active = activeRun else { return ([], 0) }
        var shown: [RunRecord] = []
        var otherData = 0
        // With a comparison open (rnn-tui compare, or runs overlaid from the browser) only its runs.
        let comparing = comparedRunIDs.count > 1 && comparedRunIDs.contains(active.runID)
        for run in runs where run.runID != active.runID && !run.trainLoss.isEmpty {
            if comparing && !comparedRunIDs.contains(run.runID) { continue }
            if run.hasSameData(as: active) { shown.append(run) } else { otherData += 1 }
        }
        return (shown + [active], otherData)
    }

    func runIndex(_ runID: Int) -> Int? { runs.lastIndex { $0.runID == runID } }
}

/// Chart toggles.
public struct ChartOptions: Sendable, Equatable {
    /// Draw the train loss's exponential moving average instead of the raw per-step values.
    public var smoothing = true
    public var logScale = false
    /// What the x axis counts: steps, tokens seen or wall time.
    public var xAxis: ChartXAxis = .steps
}

/// A short message on the line above the footer: events, errors, confirmations.
public struct Notice: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    /// When the notice was posted (tick time); plain notices disappear after `lifetime` seconds,
    /// errors stay until Esc.
    public var postedAt: Double
    public static let lifetime = 6.0
}

/// A value typed at the bottom line.
public struct ValuePrompt: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        case learningRate
        /// The text a language model's sample starts from.
        case prime
        /// A sentence for a classifier to score.
        case sentence
        /// A label for the run folder at `path` (empty removes it).
        case label(path: String)
        /// Text for the text-coloured-by-a-unit view to probe.
        case probeText
    }
    public var purpose: Purpose
    public var text: String = ""
    /// The text is selected (as the prompt opens with the current value): typing replaces it,
    /// Backspace clears it.
    public var isSelected = false
}

/// The gate view's cursor and viewport. unit: row (0..<H), timestep: column (0..<T).
public struct GateViewState: Sendable, Equatable {
    public var layer = 0
    public var unit = 0
    public var timestep = 0
    /// First timestep column shown.
    public var timeOffset = 0
    public var probeIndex = 0
    /// Index of the one panel shown full height, nil for all panels.
    public var focusedPanel: Int?
    /// Every unit at a glance: two units per row (half blocks), the gates side by side; with a focused
    /// panel, all its units at once. Off: one row per unit.
    public var glance = false
    /// The order of the unit rows.
    public var unitOrder = UnitOrder.index
}
