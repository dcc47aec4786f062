import TerminalUI

/// What a key asks of the notebook. `KeyBindings.table` says which keys do it where; `AppState.perform`
/// does it. A new key is a new row in the table, so it always has its help line.
public enum KeyAction: Sendable, Hashable, CaseIterable {
    // Anywhere (setup, loss and gate views)
    case showHelp, quit, cycleView, showLoss, showGates, showSetup, dismiss
    case showGradientFlow, showGateStatistics, showUnitText
    // Setup screen
    case previousField, nextField, decreaseValue, increaseValue, typeValue, deleteBackward, startRun, backToRun
    // Loss and gate views
    case pauseResume, stepOnce, doubleLearningRate, halveLearningRate, typeLearningRate, nextOptimizer
    case nextClipNorm, halveBatchSize, doubleBatchSize, lowerDropout, raiseDropout, restart, saveCheckpoint
    case toggleSmoothing, toggleLogScale
    // Gate view
    case cursorLeft, cursorRight, cursorUp, cursorDown, pageUnitsUp, pageUnitsDown, firstTimestep, lastTimestep
    case previousProbe, nextProbe, previousLayer, nextLayer, focusPanel
    case toggleGlance, nextUnitOrder
    // Insight views (gradient flow, gate statistics, text coloured by a unit)
    case toggleGradientSource, nextSignal, toggleRanking, typeProbeText, toggleTypedText
    // Help screen
    case closeHelp
    // The value typed at the bottom line
    case applyPrompt, cancelPrompt, promptDeleteBackward, promptType
}

/// Where a key binding works. The help screen shows the first four as its sections.
public enum KeyContext: Sendable, Hashable, CaseIterable {
    case anywhere, setup, training, gates
    case gradients, statistics, text
    /// While the help screen shows.
    case help
    /// While a value is typed at the bottom line.
    case prompt

    /// The help screen's heading for the context.
    public var title: String {
        switch self {
        case .anywhere: "Everywhere"
        case .setup: "Setup screen"
        case .training: "Training (every run view)"
        case .gates: "Gate view"
        case .gradients: "Gradient flow view"
        case .statistics: "Gate statistics view"
        case .text: "Text coloured by a unit"
        case .help: "Help screen"
        case .prompt: "Typing a value"
        }
    }
}

/// Which keys a mapping takes.
public enum KeyPattern: Sendable, Hashable {
    case key(Key)
    /// Any printable character the focused input accepts (a digit in a number field, anything in a path).
    case text
}
