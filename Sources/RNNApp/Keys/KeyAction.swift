import TerminalUI

/// What a key asks of the notebook. `KeyBindings.table` says which keys do it where; `AppState.perform`
/// does it. A new key is a new row in the table, so it always has its help line.
public enum KeyAction: Sendable, Hashable, CaseIterable {
    // Anywhere (setup, loss and gate views)
    case showHelp, quit, cycleView, showLoss, showGates, showSetup, dismiss, showOutput, showRuns, nextComparedRun
    // Runs browser
    case previousRun, nextRun, openRun, resumeSelectedRun, forkRun, toggleMark, overlayMarked, labelRun, deleteRun
    // Deleting a run: the confirmation
    case confirmDeletion, cancelDeletion
    case showGradientFlow, showGateStatistics, showUnitText
    // Setup screen
    case previousField, nextField, decreaseValue, increaseValue, typeValue, deleteBackward, startRun, backToRun
    case completePath
    // Loss and gate views
    case pauseResume, stepOnce, doubleLearningRate, halveLearningRate, typeLearningRate, nextOptimizer
    case nextClipNorm, halveBatchSize, doubleBatchSize, lowerDropout, raiseDropout, restart, saveCheckpoint
    case toggleSmoothing, toggleLogScale, cycleXAxis, continueRun
    // Gate view
    case cursorLeft, cursorRight, cursorUp, cursorDown, pageUnitsUp, pageUnitsDown, firstTimestep, lastTimestep
    case previousProbe, nextProbe, previousLayer, nextLayer, focusPanel
    // Unit surgery (gate view) and the importance table (gate and output views)
    case ablateUnit, clampGate, releaseSurgery, toggleSurgeryTraining, computeImportance
    // Task output view
    case lowerTemperature, raiseTemperature, typeOutputText
    case toggleGlance, nextUnitOrder
    // Insight views (gradient flow, gate statistics, text coloured by a unit)
    case toggleGradientSource, nextSignal, toggleRanking, typeProbeText, toggleTypedText
    // Help screen
    case closeHelp, nextHelpPage, previousHelpPage
    // The value typed at the bottom line
    case applyPrompt, cancelPrompt, promptDeleteBackward, promptType
}

/// Where a key binding works. The help screen shows the first four as its sections.
public enum KeyContext: Sendable, Hashable, CaseIterable {
    case anywhere, setup, training, gates
    /// The gate view's unit surgery and the importance table (also in the output view).
    case surgery
    /// The task output view.
    case output
    /// The runs browser.
    case runs
    /// While a deletion waits for y or n.
    case confirm
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
        case .surgery: "Unit surgery (gates)"
        case .output: "Task output view"
        case .runs: "Runs browser"
        case .confirm: "Deleting a run"
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
