import DisplayFormat
import RNNEngine
import RNNTraining
import TerminalUI

extension AppState {
    /// The clip values `c` cycles through; nil is off.
    static let clipChoices: [Float?] = [nil, 0.5, 1, 2, 5, 10]

    /// Loss- and gate-view actions: pause/step, live changes, restart, save and chart toggles.
    mutating func handleRunAction(_ action: KeyAction) -> [AppEffect] {
        switch action {
        case .toggleSmoothing:
            chart.smoothing.toggle()
            post("EMA smoothing of the train loss " + (chart.smoothing ? "on" : "off"))
        case .toggleLogScale:
            chart.logScale.toggle()
            post("loss axis " + (chart.logScale ? "log scale" : "linear"))
        case .cycleXAxis:
            chart.xAxis = chart.xAxis.next
            post("x axis: " + chart.xAxis.title + (chart.xAxis == .tokens ? " seen" : ""))
        case .restart:
            guard let run = activeRun else { return [] }
            let compared = comparedRunIDs
            let effects = startRun(run.liveSetup)
            // A restarted compared run takes its place in the comparison.
            if let position = compared.firstIndex(of: run.runID), let newID = activeRunID, let index = runIndex(newID) {
                comparedRunIDs = compared
                comparedRunIDs[position] = newID
                runs[index].label = run.label
            }
            return effects
        case .pauseResume:
            guard let run = liveRun() else { return [] }
            let waiting: Bool
            switch run.status {
            case .paused, .diverged: waiting = true
            default: waiting = false
            }
            return [.send(runID: run.runID, waiting ? .resume : .pause)]
        case .stepOnce:
            guard let run = liveRun() else { return [] }
            guard run.status == .paused || run.isDiverged else {
                post("one step works while paused: press space first")
                return []
            }
            return [.send(runID: run.runID, .stepOnce)]
        case .saveCheckpoint:
            guard let run = activeRun else { return [] }
            if case .failed = run.status {
                post("run \(run.runID) failed; there is nothing to save", isError: true)
                return []
            }
            post("saving a checkpoint…")
            return [.send(runID: run.runID, .saveCheckpoint(path: nil))]
        case .doubleLearningRate:
            return changeLearningRate { $0 * 2 }
        case .halveLearningRate:
            return changeLearningRate { $0 / 2 }
        case .typeLearningRate:
            guard let run = liveRun() else { return [] }
            prompt = ValuePrompt(purpose: .learningRate, text: Format.learningRate(run.liveSetup.optimizer.learningRate),
                                 isSelected: true)
        case .nextOptimizer:
            return liveChange { setup in
                setup.optimizer.kind = SetupForm.cycle(OptimizerKind.allCases, setup.optimizer.kind, 1)
                return .optimizer(setup.optimizer.kind)
            }
        case .nextClipNorm:
            return liveChange { setup in
                let index = Self.clipChoices.firstIndex { $0 == setup.clipNorm } ?? 0
                setup.clipNorm = Self.clipChoices[(index + 1) % Self.clipChoices.count]
                return .clipNorm(setup.clipNorm)
            }
        case .halveBatchSize, .doubleBatchSize:
            let grow = action == .doubleBatchSize
            return liveChange { setup in
                let size = grow ? setup.batchSize * 2 : setup.batchSize / 2
                setup.batchSize = SetupLimits.batchSize.clamped(size, otherwise: setup.batchSize)
                return .batchSize(setup.batchSize)
            }
        case .lowerDropout, .raiseDropout:
            let step: Float = action == .raiseDropout ? 0.1 : -0.1
            return liveChange { setup in
                let tenths = ((setup.dropout + step) * 10).rounded()
                setup.dropout = SetupLimits.dropout.clamped(tenths / 10, otherwise: setup.dropout)
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
            let rate = transform(setup.optimizer.learningRate)
            setup.optimizer.learningRate = SetupLimits.learningRate.clamped(rate, otherwise: setup.optimizer.learningRate)
            return .learningRate(setup.optimizer.learningRate)
        }
    }

    /// While a value is typed at the bottom line: Enter applies, Esc cancels.
    mutating func handlePromptAction(_ action: KeyAction, key: Key) -> [AppEffect] {
        guard var current = prompt else { return [] }
        switch action {
        case .cancelPrompt:
            prompt = nil
        case .promptDeleteBackward:
            if current.isSelected { current.text = "" } else if !current.text.isEmpty { current.text.removeLast() }
            current.isSelected = false
            prompt = current
        case .promptType:
            guard case .character(let character) = key else { return [] }
            if current.isSelected { current.text = "" }
            current.isSelected = false
            if current.text.count < current.purpose.maximumLength { current.text.append(character) }
            prompt = current
        case .applyPrompt:
            prompt = nil
            if case .probeText = current.purpose {
                guard let run = activeRun, !run.hasEnded, !current.text.isEmpty else { return [] }
                return [.send(runID: run.runID, .probeText(current.text))]
            }
            if case .label(let path) = current.purpose {
                return [.labelRun(path: path, label: current.text)]
            }
            if case .learningRate = current.purpose {} else { return applyTypedText(current) }
            guard let value = parseLearningRate(current.text) else {
                post("learning rate '\(current.text)' is not allowed: type a number \(SetupLimits.learningRate.requirement) like 0.002 or 1e-3", isError: true)
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

extension ValuePrompt.Purpose {
    /// Characters the prompt takes at most.
    var maximumLength: Int {
        switch self {
        case .learningRate: 24
        case .label: 40
        case .prime, .sentence: 160
        case .probeText: 256
        }
    }

    /// What the prompt line calls the value.
    var title: String {
        switch self {
        case .learningRate: "learning rate"
        case .label: "label (empty removes it)"
        case .prime: "prime text"
        case .sentence: "sentence"
        case .probeText: "text"
        }
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
