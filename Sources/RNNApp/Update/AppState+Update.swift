import DisplayFormat
import RNNTraining
import TerminalUI

extension AppState {
    /// The one place state changes: applies `message` and returns what the outside world should do.
    public mutating func update(_ message: AppMessage) -> [AppEffect] {
        switch message {
        case .key(let key):
            return handleKey(key)
        case .mouse(let event):
            return handleMouse(event)
        case .resize(let newWidth, let newHeight):
            width = max(0, newWidth)
            height = max(0, newHeight)
            keepGateCursorVisible()
            return []
        case .trainer(let runID, let event):
            handleTrainerEvent(event, runID: runID)
            return []
        case .tick(let seconds):
            now = seconds
            if let notice, !notice.isError, seconds - notice.postedAt > Notice.lifetime { self.notice = nil }
            return []
        case .runsListed(let entries, let date):
            return receiveRunListing(entries, at: date)
        case .runHistory(let runID, let history):
            if let index = runIndex(runID) { runs[index].load(history) }
            return []
        case .notice(let text, let isError):
            post(text, isError: isError)
            return []
        }
    }

    // MARK: Keys

    /// The key-binding contexts in force, most specific first.
    var keyContexts: [KeyContext] {
        if prompt != nil { return [.prompt] }
        if browser.pendingDeletion != nil { return [.confirm] }
        if isShowingHelp { return [.help] }
        switch screen {
        case .runs: return [.runs, .anywhere]
        case .setup: return [.setup, .anywhere]
        case .training: return [.training, .anywhere]
        case .gates: return [.gates, .surgery, .training, .anywhere]
        case .output: return [.output, .surgery, .training, .anywhere]
        case .gradients, .statistics, .text: return [insightContext ?? .training, .training, .anywhere]
        }
    }

    /// Looks `key` up in `KeyBindings` and does what it is bound to; unbound keys do nothing.
    private mutating func handleKey(_ key: Key) -> [AppEffect] {
        let action = KeyBindings.action(for: key, in: keyContexts) { character in
            if prompt != nil { return !character.isNewline }
            return screen == .setup && form.acceptsTyping(character)
        }
        guard let action else { return [] }
        let requested = analysisRequest
        var effects = perform(action, key: key)
        if analysisRequest != requested, let run = activeRun, !run.hasEnded, !shouldQuit {
            effects.append(.send(runID: run.runID, .requestAnalysis(analysisRequest)))
        }
        return effects
    }

    /// Does one bound action; `key` is the key that asked (the character typed, for text).
    mutating func perform(_ action: KeyAction, key: Key) -> [AppEffect] {
        switch action {
        case .quit: return quit()
        case .closeHelp:
            isShowingHelp = false
            return []
        case .nextHelpPage, .previousHelpPage:
            let count = KeyBindings.helpPages(rows: HelpLayout.bodyRows(height: height)).count
            helpPage = (helpPage + (action == .nextHelpPage ? 1 : count - 1)) % max(1, count)
            return []
        case .applyPrompt, .cancelPrompt, .promptDeleteBackward, .promptType:
            return handlePromptAction(action, key: key)
        case .previousField, .nextField, .decreaseValue, .increaseValue, .typeValue, .deleteBackward, .startRun, .backToRun,
            .completePath:
            return handleSetupAction(action, key: key)
        case .cursorLeft, .cursorRight, .cursorUp, .cursorDown, .pageUnitsUp, .pageUnitsDown, .firstTimestep, .lastTimestep,
            .previousProbe, .nextProbe, .previousLayer, .nextLayer, .focusPanel, .toggleGlance, .nextUnitOrder:
            return screen == .gates ? handleGateAction(action) : handleInsightAction(action)
        case .toggleGradientSource, .nextSignal, .toggleRanking, .typeProbeText, .toggleTypedText:
            return handleInsightAction(action)
        case .showHelp, .cycleView, .showLoss, .showGates, .showSetup, .dismiss, .showOutput, .showGradientFlow,
            .showGateStatistics, .showUnitText:
            return handleViewAction(action)
        case .ablateUnit, .clampGate, .releaseSurgery, .toggleSurgeryTraining, .computeImportance:
            return handleSurgeryAction(action)
        case .lowerTemperature, .raiseTemperature, .typeOutputText:
            return handleOutputAction(action)
        case .pauseResume, .stepOnce, .doubleLearningRate, .halveLearningRate, .typeLearningRate, .nextOptimizer,
            .nextClipNorm, .halveBatchSize, .doubleBatchSize, .lowerDropout, .raiseDropout, .restart, .saveCheckpoint,
            .toggleSmoothing, .toggleLogScale, .cycleXAxis:
            return handleRunAction(action)
        case .showRuns, .nextComparedRun, .previousRun, .nextRun, .openRun, .resumeSelectedRun, .forkRun, .toggleMark,
            .overlayMarked, .labelRun, .deleteRun, .confirmDeletion, .cancelDeletion, .continueRun:
            return handleBrowserAction(action)
        }
    }

    /// Help, view switches and Esc: the keys that work on every screen.
    private mutating func handleViewAction(_ action: KeyAction) -> [AppEffect] {
        switch action {
        case .showHelp:
            isShowingHelp = true
            helpPage = 0
        case .cycleView:
            if screen == .setup {
                form.commitTypedValue()
                return activeRun == nil ? [] : show(.training)
            }
            return show(screen == .gates ? .training : .gates)
        case .showLoss:
            return show(.training)
        case .showGates:
            return show(.gates)
        case .showOutput:
            return show(.output)
        case .showGradientFlow:
            return show(.gradients)
        case .showGateStatistics:
            return show(.statistics)
        case .showUnitText:
            return show(.text)
        case .showSetup:
            guard screen != .setup else { return [] }
            if let run = activeRun { form = SetupForm(setup: run.liveSetup, entryNames: datasetEntries.map(\.name)) }
            screen = .setup
        case .dismiss:
            notice = nil
        default:
            break
        }
        return []
    }

    mutating func quit() -> [AppEffect] {
        shouldQuit = true
        return [.quit]
    }

    /// Switches between the loss and gate views (and back from setup to a run), asking for a fresh
    /// gate snapshot when the gate view opens.
    mutating func show(_ newScreen: Screen) -> [AppEffect] {
        guard let run = activeRun else {
            screen = .setup
            return []
        }
        let wasGates = screen == .gates || screen == .text
        screen = newScreen
        guard newScreen == .gates || newScreen == .text, !wasGates, !run.hasEnded else { return [] }
        return [.send(runID: run.runID, .requestGates(probeIndex: gates.probeIndex))]
    }

    // MARK: Runs

    /// Starts a new run of `setup`: the previous active run is stopped (its history stays, dimmed on
    /// the chart) and the view switches to training.
    mutating func startRun(_ setup: TrainingSetup) -> [AppEffect] {
        var effects: [AppEffect] = []
        if let previous = activeRun, !previous.hasEnded {
            effects.append(.send(runID: previous.runID, .stop))
        }
        for index in runs.indices { runs[index].gateSnapshot = nil }
        comparedRunIDs = []
        let runID = nextRunID
        nextRunID += 1
        runs.append(RunRecord(runID: runID, setup: setup))
        if runs.count > Self.maximumKeptRuns { runs.removeFirst(runs.count - Self.maximumKeptRuns) }
        activeRunID = runID
        gates = GateViewState()
        screen = .training
        notice = nil
        effects.append(.startRun(runID: runID, setup: setup))
        return effects
    }

    mutating func post(_ text: String, isError: Bool = false) {
        notice = Notice(text: DisplayText.sanitized(text), isError: isError, postedAt: now)
    }

    // MARK: Trainer events

    private mutating func handleTrainerEvent(_ event: TrainerEvent, runID: Int) {
        guard let index = runIndex(runID) else { return }
        let isActive = runID == activeRunID
        switch event {
        case .started(let summary):
            runs[index].summary = summary
            if let folder = summary.runDirectory { runs[index].folderPath = folder }
            runs[index].setup = summary.setup
            runs[index].liveSetup = summary.setup
        case .step(let metrics):
            runs[index].record(metrics)
        case .evaluation(let evaluation):
            runs[index].record(evaluation)
        case .insight(let snapshot):
            runs[index].insight.merge(snapshot)
        case .gates(let snapshot):
            guard isActive else { return }
            runs[index].gateSnapshot = snapshot
            if gates.probeIndex != snapshot.probeIndex { gates.probeIndex = snapshot.probeIndex }
            keepGateCursorVisible()
        case .gradientFlow(let flow):
            runs[index].record(flow)
        case .gateStatistics(let statistics):
            runs[index].record(statistics)
        case .textProbe(let snapshot):
            runs[index].typedTextSnapshot = snapshot
            if isActive { insight.showsTypedText = true }
        case .hyperparametersChanged(let change):
            runs[index].addMarker(change)
            if isActive { post("step \(Format.count(change.step)): \(ChartMarker(change: change).description)") }
        case .status(let status):
            runs[index].status = status
            if case .running = status { runs[index].isPastRun = false }
            guard isActive else { return }
            switch status {
            case .failed(let message): post("run \(runID) failed: \(message)", isError: true)
            case .diverged(let report):
                // What to do comes first, so an 80-column notice line still shows it.
                post("diverged at step \(Format.count(report.step)), rolled back to step \(Format.count(report.rolledBackToStep)): "
                     + "lower the lr and press space · loss \(Format.loss(report.loss))", isError: true)
            case .finished: post("run \(runID) finished")
            default: break
            }
        case .checkpointSaved(let path):
            runs[index].lastCheckpointPath = path
            if isActive { post("checkpoint saved: \(path)") }
        case .message(let text):
            if isActive { post(text, isError: true) }
        }
    }
}
