import RNNEngine
import RNNTraining

extension AppState {
    /// The clip values `c` cycles through; nil is off.
    static let clipChoices: [Float?] = [nil, 0.5, 1, 2, 5, 10]

    /// Keys in the loss and gate views: view switches, pause/step, live changes, chart toggles.
    mutating func handleRunKey(_ key: Key) -> [AppEffect] {
        if screen == .gates, let effects = handleGateKey(key) { return effects }
        switch key {
        case .tab, .backTab:
            return show(screen == .training ? .gates : .training)
        case .escape:
            notice = nil
            return []
        case .character(let character):
            return handleRunCharacter(character)
        default:
            return []
        }
    }

    private mutating func handleRunCharacter(_ character: Character) -> [AppEffect] {
        switch character {
        case "q": return quit()
        case "?": isShowingHelp = true
        case "l": return show(.training)
        case "g": return show(.gates)
        case "s":
            if let run = activeRun { form = SetupForm(setup: run.liveSetup, entryNames: datasetEntries.map(\.name)) }
            screen = .setup
        case "e":
            chart.smoothing.toggle()
            post("EMA smoothing of the train loss " + (chart.smoothing ? "on" : "off"))
        case "L":
            chart.logScale.toggle()
            post("loss axis " + (chart.logScale ? "log scale" : "linear"))
        case "r":
            guard let run = activeRun else { return [] }
            return startRun(run.liveSetup)
        case " ":
            guard let run = liveRun() else { return [] }
            let waiting: Bool
            switch run.status {
            case .paused, .diverged: waiting = true
            default: waiting = false
            }
            return [.send(runID: run.runID, waiting ? .resume : .pause)]
        case "n":
            guard let run = liveRun() else { return [] }
            guard run.status == .paused || run.isDiverged else {
                post("one step works while paused: press space first")
                return []
            }
            return [.send(runID: run.runID, .stepOnce)]
        case "w":
            guard let run = activeRun else { return [] }
            if case .failed = run.status {
                post("run \(run.runID) failed; there is nothing to save", isError: true)
                return []
            }
            post("saving a checkpoint…")
            return [.send(runID: run.runID, .saveCheckpoint(path: nil))]
        case "+":
            return changeLearningRate { $0 * 2 }
        case "-", "_":
            return changeLearningRate { $0 / 2 }
        case "=":
            guard let run = liveRun() else { return [] }
            prompt = ValuePrompt(purpose: .learningRate, text: Format.learningRate(run.liveSetup.optimizer.learningRate))
        case "O":
            return liveChange { setup in
                setup.optimizer.kind = SetupForm.cycle(OptimizerKind.allCases, setup.optimizer.kind, 1)
                return .optimizer(setup.optimizer.kind)
            }
        case "c":
            return liveChange { setup in
                let index = Self.clipChoices.firstIndex { $0 == setup.clipNorm } ?? 0
                setup.clipNorm = Self.clipChoices[(index + 1) % Self.clipChoices.count]
                return .clipNorm(setup.clipNorm)
            }
        case "b", "B":
            let grow = character == "B"
            return liveChange { setup in
                setup.batchSize = grow ? min(4096, setup.batchSize * 2) : max(1, setup.batchSize / 2)
                return .batchSize(setup.batchSize)
            }
        case "d", "D":
            let step: Float = character == "D" ? 0.1 : -0.1
            return liveChange { setup in
                let tenths = ((setup.dropout + step) * 10).rounded()
                setup.dropout = min(9, max(0, tenths)) / 10
                return .dropout(setup.dropout)
            }
        default:
            break
        }
        return []
    }

    /// The active run if it can still take commands; otherwise posts why not and returns nil.
    private mutating func liveRun() -> RunRecord? {
        guard let run = activeRun else { return nil }
        if run.hasEnded {
            post("run \(run.runID) has ended (\(run.status.word)): r restarts it, s sets up a new run")
            return nil
        }
        return run
    }

    /// Applies `change` to the active run's live setup and sends the typed change it returns.
    private mutating func liveChange(_ change: (inout TrainingSetup) -> HyperparameterChange) -> [AppEffect] {
        guard let run = liveRun(), let index = runIndex(run.runID) else { return [] }
        let made = change(&runs[index].liveSetup)
        return [.send(runID: run.runID, .change(made))]
    }

    private mutating func changeLearningRate(_ transform: (Float) -> Float) -> [AppEffect] {
        liveChange { setup in
            setup.optimizer.learningRate = min(100, max(1e-7, transform(setup.optimizer.learningRate)))
            return .learningRate(setup.optimizer.learningRate)
        }
    }

    /// Keys while a value is typed at the bottom line: Enter applies, Esc cancels.
    mutating func handlePromptKey(_ key: Key) -> [AppEffect] {
        guard var current = prompt else { return [] }
        switch key {
        case .escape:
            prompt = nil
        case .backspace, .delete:
            if !current.text.isEmpty { current.text.removeLast() }
            prompt = current
        case .character(let character) where !character.isNewline:
            if current.text.count < 24 { current.text.append(character) }
            prompt = current
        case .enter:
            prompt = nil
            guard let value = parseLearningRate(current.text) else {
                post("learning rate '\(current.text)' is not allowed: type a positive number like 0.002 or 1e-3", isError: true)
                return []
            }
            return liveChange { setup in
                setup.optimizer.learningRate = value
                return .learningRate(value)
            }
        default:
            break
        }
        return []
    }
}

extension TrainerStatus {
    /// One word for headers and notices.
    var word: String {
        switch self {
        case .preparing: "preparing"
        case .running: "running"
        case .paused: "paused"
        case .diverged: "diverged"
        case .finished: "finished"
        case .stopped: "stopped"
        case .failed: "failed"
        }
    }
}
