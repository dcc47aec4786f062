import TerminalUI

/// Every key of the notebook, in one table: it drives key handling (`AppState.update`), the help screen
/// (its sections, in this order) and every footer, so a key cannot exist without its help line. A screen
/// added later adds its context and rows here and names its footer's actions.
public enum KeyBindings {
    public static let table: [KeyBinding] = [
        // MARK: Anywhere
        KeyBinding(.anywhere, "?", "this help (Esc closes)", footer: ("?", "help"), [(.character("?"), .showHelp)]),
        KeyBinding(.anywhere, "q", "quit (also Ctrl-C)", footer: ("q", "quit"),
                   [(.character("q"), .quit), (.key(.control("c")), .quit)]),
        KeyBinding(.anywhere, "Tab", "cycle views: loss ↔ gates", [(.key(.tab), .cycleView), (.key(.backTab), .cycleView)]),
        KeyBinding(.anywhere, "l", "loss view", footer: ("l", "loss"), [(.character("l"), .showLoss)]),
        KeyBinding(.anywhere, "g", "gate view", footer: ("g", "gates"), [(.character("g"), .showGates)]),
        KeyBinding(.anywhere, "s", "setup screen (new run)", footer: ("s", "setup"), [(.character("s"), .showSetup)]),
        KeyBinding(.anywhere, "R", "runs browser", footer: ("R", "runs"), [(.character("R"), .showRuns)]),
        KeyBinding(.anywhere, "v", "next compared run", footer: ("v", "next run"), [(.character("v"), .nextComparedRun)]),
        KeyBinding(.anywhere, "C", "continue an opened past run", [(.character("C"), .continueRun)]),
        KeyBinding(.anywhere, "G", "gradient flow through time", footer: ("G", "grad flow"), [(.character("G"), .showGradientFlow)]),
        KeyBinding(.anywhere, "S", "gate statistics (saturation)", footer: ("S", "saturation"), [(.character("S"), .showGateStatistics)]),
        KeyBinding(.anywhere, "T", "text coloured by a unit", footer: ("T", "text"), [(.character("T"), .showUnitText)]),
        KeyBinding(.anywhere, "Esc", "close · cancel · dismiss", [(.key(.escape), .dismiss)]),
        KeyBinding(.anywhere, "o", "task output view", footer: ("o", "output"), [(.character("o"), .showOutput)]),

        // MARK: Runs browser
        KeyBinding(.runs, "↑ ↓", "move between runs", footer: ("↑↓", "run"), [
            (.key(.up), .previousRun), (.character("k"), .previousRun), (.key(.down), .nextRun), (.character("j"), .nextRun),
        ]),
        KeyBinding(.runs, "Enter", "open: curves and gates", footer: ("Enter", "open"), [(.key(.enter), .openRun)]),
        KeyBinding(.runs, "r", "resume the run here", footer: ("r", "resume"), [(.character("r"), .resumeSelectedRun)]),
        KeyBinding(.runs, "f", "fork: setup with its values", footer: ("f", "fork"), [(.character("f"), .forkRun)]),
        KeyBinding(.runs, "space", "mark / unmark to compare", footer: ("space", "mark"),
                   [(.character(" "), .toggleMark), (.character("m"), .toggleMark)]),
        KeyBinding(.runs, "o", "overlay the marked runs", footer: ("o", "overlay"), [(.character("o"), .overlayMarked)]),
        KeyBinding(.runs, "t", "label the run", footer: ("t", "label"), [(.character("t"), .labelRun)]),
        KeyBinding(.runs, "x", "delete the run (asks first)", footer: ("x", "delete"),
                   [(.character("x"), .deleteRun), (.key(.delete), .deleteRun)]),

        // MARK: Deleting a run
        KeyBinding(.confirm, "y", "delete it", footer: ("y", "delete"), [(.character("y"), .confirmDeletion)]),
        KeyBinding(.confirm, "n Esc", "keep it", footer: ("n", "keep"),
                   [(.character("n"), .cancelDeletion), (.key(.escape), .cancelDeletion)]),
        KeyBinding(.confirm, "Ctrl-C", "quit", [(.key(.control("c")), .quit)]),

        // MARK: Setup screen
        KeyBinding(.setup, "↑ ↓", "move between fields", footer: ("↑↓", "field"), [
            (.key(.up), .previousField), (.key(.backTab), .previousField), (.character("k"), .previousField),
            (.key(.down), .nextField), (.character("j"), .nextField),
        ]),
        KeyBinding(.setup, "← →", "change the value", footer: ("←→", "change"),
                   [(.key(.left), .decreaseValue), (.key(.right), .increaseValue)]),
        KeyBinding(.setup, "0-9 .", "type a value", footer: ("0-9", "type"),
                   [(.text, .typeValue), (.key(.backspace), .deleteBackward), (.key(.delete), .deleteBackward)]),
        KeyBinding(.setup, "Tab", "complete the dataset path", footer: ("Tab", "complete"),
                   [(.key(.tab), .completePath)]),
        KeyBinding(.setup, "Enter", "start training", footer: ("Enter", "start"), [(.key(.enter), .startRun)]),
        KeyBinding(.setup, "Esc", "back to the running run", footer: ("Esc", "back to run"), [(.key(.escape), .backToRun)]),

        // MARK: Loss and gate views
        KeyBinding(.training, "space", "pause / resume", footer: ("space", "pause"), activeFooterText: "resume",
                   [(.character(" "), .pauseResume)]),
        KeyBinding(.training, "n", "one step (while paused)", footer: ("n", "step"), [(.character("n"), .stepOnce)]),
        KeyBinding(.training, "+ -", "learning rate × 2 / ÷ 2", footer: ("+/-", "lr"), [
            (.character("+"), .doubleLearningRate), (.character("-"), .halveLearningRate), (.character("_"), .halveLearningRate),
        ]),
        KeyBinding(.training, "=", "type a learning rate", footer: ("=", "type lr"), [(.character("="), .typeLearningRate)]),
        KeyBinding(.training, "O", "cycle optimizer", footer: ("O", "optimizer"), [(.character("O"), .nextOptimizer)]),
        KeyBinding(.training, "c", "clip off/0.5/1/2/5/10", footer: ("c", "clip"), [(.character("c"), .nextClipNorm)]),
        KeyBinding(.training, "b B", "batch size ÷ 2 / × 2", footer: ("b/B", "batch"),
                   [(.character("b"), .halveBatchSize), (.character("B"), .doubleBatchSize)]),
        KeyBinding(.training, "d D", "dropout − 0.1 / + 0.1", footer: ("d/D", "dropout"),
                   [(.character("d"), .lowerDropout), (.character("D"), .raiseDropout)]),
        KeyBinding(.training, "r", "restart: new run, same setup", footer: ("r", "restart"), [(.character("r"), .restart)]),
        KeyBinding(.training, "w", "save a checkpoint", footer: ("w", "save"), [(.character("w"), .saveCheckpoint)]),
        KeyBinding(.training, "e L", "EMA smoothing / log y axis",
                   [(.character("e"), .toggleSmoothing), (.character("L"), .toggleLogScale)]),
        KeyBinding(.training, "x", "x axis: steps/tokens/time", footer: ("x", "x axis"), [(.character("x"), .cycleXAxis)]),

        // MARK: Gate view
        KeyBinding(.gates, "← → ↑ ↓", "move the cursor (t, unit)", footer: ("←→↑↓", "cursor"), [
            (.key(.left), .cursorLeft), (.key(.right), .cursorRight), (.key(.up), .cursorUp), (.key(.down), .cursorDown),
        ]),
        KeyBinding(.gates, "PgUp PgDn", "page units", footer: ("PgUp/Dn", "units"),
                   [(.key(.pageUp), .pageUnitsUp), (.key(.pageDown), .pageUnitsDown)]),
        KeyBinding(.gates, "Home End", "first / last t", [(.key(.home), .firstTimestep), (.key(.end), .lastTimestep)]),
        KeyBinding(.gates, "[ ]", "previous / next probe", footer: ("[ ]", "probe"),
                   [(.character("["), .previousProbe), (.character("]"), .nextProbe)]),
        KeyBinding(.gates, "< >", "previous / next layer", footer: ("< >", "layer"), [
            (.character("<"), .previousLayer), (.character(","), .previousLayer),
            (.character(">"), .nextLayer), (.character("."), .nextLayer),
        ]),
        KeyBinding(.gates, "f", "focus one gate / all", footer: ("f", "focus"), [(.character("f"), .focusPanel)]),
        KeyBinding(.gates, "z", "all units at a glance / rows", footer: ("z", "glance"), [(.character("z"), .toggleGlance)]),
        KeyBinding(.gates, "u", "sort units: index, var, sat", footer: ("u", "order"), [(.character("u"), .nextUnitOrder)]),

        // MARK: Gradient flow view
        KeyBinding(.gradients, "v", "probe / validation sample", footer: ("v", "probe/val"), [(.character("v"), .toggleGradientSource)]),
        KeyBinding(.gradients, "< >", "previous / next layer (map)", footer: ("< >", "layer"), [
            (.character("<"), .previousLayer), (.character(","), .previousLayer),
            (.character(">"), .nextLayer), (.character("."), .nextLayer),
        ]),
        KeyBinding(.gradients, "[ ]", "previous / next probe", footer: ("[ ]", "probe"),
                   [(.character("["), .previousProbe), (.character("]"), .nextProbe)]),
        KeyBinding(.gradients, "↑↓ PgUpDn", "scroll the heatmap's units", footer: ("↑↓", "units"), [
            (.key(.up), .cursorUp), (.key(.down), .cursorDown), (.key(.pageUp), .pageUnitsUp), (.key(.pageDown), .pageUnitsDown),
        ]),

        // MARK: Gate statistics view
        KeyBinding(.statistics, "< >", "previous / next layer", footer: ("< >", "layer"), [
            (.character("<"), .previousLayer), (.character(","), .previousLayer),
            (.character(">"), .nextLayer), (.character("."), .nextLayer),
        ]),

        // MARK: Text coloured by a unit
        KeyBinding(.text, "↑ ↓", "previous / next unit", footer: ("↑↓", "unit"), [
            (.key(.up), .cursorUp), (.key(.down), .cursorDown), (.key(.pageUp), .pageUnitsUp), (.key(.pageDown), .pageUnitsDown),
        ]),
        KeyBinding(.text, "x", "signal: h, c or a gate", footer: ("x", "signal"), [(.character("x"), .nextSignal)]),
        KeyBinding(.text, "m", "units that vary most here", footer: ("m", "most varying"), [(.character("m"), .toggleRanking)]),
        KeyBinding(.text, "/", "type text to colour", footer: ("/", "type text"), [(.character("/"), .typeProbeText)]),
        KeyBinding(.text, "p", "probe / typed text", [(.character("p"), .toggleTypedText)]),
        KeyBinding(.text, "< >", "previous / next layer", [
            (.character("<"), .previousLayer), (.character(","), .previousLayer),
            (.character(">"), .nextLayer), (.character("."), .nextLayer),
        ]),
        KeyBinding(.text, "[ ]", "previous / next probe", [(.character("["), .previousProbe), (.character("]"), .nextProbe)]),

        // MARK: Unit surgery (gate view), importance (gate and output views)
        KeyBinding(.surgery, "a K", "ablate unit / clamp a gate", footer: ("a/K", "ablate/clamp"),
                   [(.character("a"), .ablateUnit), (.character("K"), .clampGate)]),
        KeyBinding(.surgery, "X A", "release / in training too", footer: ("X", "release"),
                   [(.character("X"), .releaseSurgery), (.character("A"), .toggleSurgeryTraining)]),
        KeyBinding(.surgery, "I", "importance table", footer: ("I", "importance"), [(.character("I"), .computeImportance)]),

        // MARK: Task output view
        KeyBinding(.output, "t T", "temperature down / up", footer: ("t/T", "temperature"),
                   [(.character("t"), .lowerTemperature), (.character("T"), .raiseTemperature)]),
        KeyBinding(.output, "/", "type a prime or a sentence", footer: ("/", "type"), [(.character("/"), .typeOutputText)]),

        // MARK: Help screen
        KeyBinding(.help, "Esc", "close help", footer: ("Esc", "close help"), [
            (.key(.escape), .closeHelp), (.key(.enter), .closeHelp), (.character("?"), .closeHelp), (.character("h"), .closeHelp),
        ]),
        KeyBinding(.help, "PgDn PgUp", "more keys / back", footer: ("PgDn", "more keys"),
                   [(.key(.pageDown), .nextHelpPage), (.key(.pageUp), .previousHelpPage), (.character(" "), .nextHelpPage)]),
        KeyBinding(.help, "q", "quit", footer: ("q", "quit"), [(.character("q"), .quit), (.key(.control("c")), .quit)]),

        // MARK: Typing a value at the bottom line
        KeyBinding(.prompt, "Enter", "apply", footer: ("Enter", "apply"), [(.key(.enter), .applyPrompt)]),
        KeyBinding(.prompt, "Esc", "cancel", footer: ("Esc", "cancel"), [(.key(.escape), .cancelPrompt)]),
        KeyBinding(.prompt, "Backspace", "delete the last character",
                   [(.key(.backspace), .promptDeleteBackward), (.key(.delete), .promptDeleteBackward)]),
        KeyBinding(.prompt, "0-9 . e -", "type the value (text for /)", [(.text, .promptType)]),
        KeyBinding(.prompt, "Ctrl-C", "quit", [(.key(.control("c")), .quit)]),
    ]

    // MARK: Footers: the actions each screen hints at, in order (the last two always show)

    public static let setupFooter: [KeyAction] = [
        .startRun, .nextField, .increaseValue, .typeValue, .completePath, .backToRun, .showHelp, .quit,
    ]
    public static let lossFooter: [KeyAction] = [
        .pauseResume, .stepOnce, .doubleLearningRate, .typeLearningRate, .nextOptimizer, .nextClipNorm, .doubleBatchSize,
        .raiseDropout, .showGates, .showSetup, .restart, .saveCheckpoint, .showHelp, .quit,
    ]
    public static let gatesFooter: [KeyAction] = [
        .cursorLeft, .pageUnitsDown, .nextProbe, .nextLayer, .focusPanel, .pauseResume, .showLoss, .showHelp, .quit,
    ]
    public static let outputFooter: [KeyAction] = [
        .typeOutputText, .lowerTemperature, .computeImportance, .pauseResume, .showGates, .showLoss, .showHelp, .quit,
    ]
    public static let runsFooter: [KeyAction] = [
        .openRun, .resumeSelectedRun, .forkRun, .toggleMark, .overlayMarked, .labelRun, .deleteRun, .showSetup, .showHelp, .quit,
    ]
    public static let confirmFooter: [KeyAction] = [.confirmDeletion, .cancelDeletion]
    public static let helpFooter: [KeyAction] = [.closeHelp, .nextHelpPage, .quit]
    public static let gradientsFooter: [KeyAction] = [
        .toggleGradientSource, .nextLayer, .nextProbe, .cursorDown, .showGateStatistics, .showGates, .pauseResume, .showLoss,
        .showHelp, .quit,
    ]
    public static let statisticsFooter: [KeyAction] = [
        .nextLayer, .showGradientFlow, .showUnitText, .showGates, .pauseResume, .showLoss, .showHelp, .quit,
    ]
    public static let textFooter: [KeyAction] = [
        .cursorDown, .nextSignal, .toggleRanking, .typeProbeText, .showGates, .pauseResume, .showLoss, .showHelp, .quit,
    ]
    public static let promptHints: [KeyAction] = [.applyPrompt, .cancelPrompt]

    // MARK: Lookups

    /// The rows of `context`, in table order.
    public static func bindings(in context: KeyContext) -> [KeyBinding] { table.filter { $0.context == context } }

    /// What `key` does when `contexts` are active (the first context wins). In each context typed text
    /// goes first to an input that `acceptsText`, then exact keys are looked up. Cost O(table).
    public static func action(for key: Key, in contexts: [KeyContext],
                              acceptsText: (Character) -> Bool = { _ in false }) -> KeyAction? {
        for context in contexts {
            let rows = bindings(in: context)
            if case .character(let character) = key, acceptsText(character),
               let typing = rows.lazy.flatMap(\.mappings).first(where: { $0.pattern == .text }) {
                return typing.action
            }
            if let match = rows.lazy.flatMap(\.mappings).first(where: { $0.pattern == .key(key) }) {
                return match.action
            }
        }
        return nil
    }

    /// The row that does `action`, looked up in `contexts` first (the help screen's own "quit", say).
    public static func binding(for action: KeyAction, preferring contexts: [KeyContext] = []) -> KeyBinding? {
        for context in contexts {
            if let row = table.first(where: { $0.context == context && $0.actions.contains(action) }) { return row }
        }
        return table.first { $0.actions.contains(action) }
    }

    /// The footer hints of `actions`, in order; `active` picks the toggled text (a paused run's "resume").
    public static func footer(_ actions: [KeyAction], preferring contexts: [KeyContext] = [],
                              active: Bool = false) -> [KeyHintBar.Hint] {
        actions.compactMap { binding(for: $0, preferring: contexts)?.footerHint(active: active) }
    }

    /// The help screen's two columns when they fit, else the sections flowed down two columns a page.
    public static let helpColumns: [[KeyContext]] = [[.anywhere, .setup, .output], [.training, .gates, .surgery]]

    /// The help screen's pages for a body of `rows` rows: each page two columns of sections. One page
    /// when `helpColumns` fit; otherwise the sections in that order, each whole, filling column after
    /// column. A section takes its title and rows, and a blank row before the next one.
    public static func helpPages(rows: Int) -> [[[KeyContext]]] {
        func height(_ contexts: [KeyContext]) -> Int {
            contexts.map { bindings(in: $0).count + 1 }.reduce(0, +) + max(0, contexts.count - 1)
        }
        if helpColumns.allSatisfy({ height($0) <= rows }) { return [helpColumns] }
        var pages: [[[KeyContext]]] = [], columns: [[KeyContext]] = [], column: [KeyContext] = []
        for context in helpColumns.joined() {
            if !column.isEmpty, height(column + [context]) > rows {
                columns.append(column)
                column = []
                if columns.count == 2 {
                    pages.append(columns)
                    columns = []
                }
            }
            column.append(context)
        }
        columns.append(column)
        pages.append(columns)
        return pages
    }

    /// The help screen's sections: the contexts that work on the screens, each row's keys and text.
    public static func helpSections(_ contexts: [KeyContext]) -> [KeyTable.Section] {
        contexts.map { context in
            KeyTable.Section(title: context.title, rows: bindings(in: context).map { ($0.keys, $0.text) })
        }
    }
}
