import DisplayFormat
import Foundation
import RNNTraining
import TerminalUI

extension AppState {
    // MARK: The listing

    /// A new listing of the run folders; the very first one (at start) opens the browser when there are
    /// runs and nothing else has been shown yet.
    mutating func receiveRunListing(_ entries: [RunEntry], at date: Date) -> [AppEffect] {
        let isFirst = browser.listedAt == nil
        browser.replace(entries, at: date)
        if isFirst, !entries.isEmpty, screen == .setup, activeRun == nil, !browser.hasOpenedOnce {
            browser.hasOpenedOnce = true
            screen = .runs
        }
        return []
    }

    /// The runs-browser keys, the compared-run switch and continuing an opened past run.
    mutating func handleBrowserAction(_ action: KeyAction) -> [AppEffect] {
        switch action {
        case .showRuns:
            isShowingHelp = false
            browser.hasOpenedOnce = true
            screen = .runs
            return [.listRuns]
        case .nextComparedRun:
            return switchToNextComparedRun()
        case .continueRun:
            guard let run = activeRun else { return [] }
            guard run.isPastRun, let path = run.folderPath else {
                post("C continues a past run opened from the runs browser (R); this one is already live")
                return []
            }
            return resume(runID: run.runID, path: path)
        case .previousRun:
            browser.moveSelection(by: -1)
        case .nextRun:
            browser.moveSelection(by: 1)
        case .openRun:
            guard let entry = usableSelection(for: "open") else { return [] }
            comparedRunIDs = []
            return open(entry)
        case .resumeSelectedRun:
            guard let entry = usableSelection(for: "resume") else { return [] }
            guard entry.isResumable else {
                post("\(entry.displayName) has no trainer state, so it cannot resume exactly; f forks its settings", isError: true)
                return []
            }
            comparedRunIDs = []
            var effects = open(entry)
            if entry.status == .finished {
                post("\(entry.displayName) finished its steps, so resuming trains nothing; f forks it to train more")
                return effects
            }
            if let run = activeRun, run.isPastRun { effects += resume(runID: run.runID, path: entry.path) }
            return effects
        case .forkRun:
            guard let entry = usableSelection(for: "fork"), let setup = entry.setup else { return [] }
            form = SetupForm(setup: setup, entryNames: datasetEntries.map(\.name))
            screen = .setup
            post("fork of \(entry.displayName): change what you like, Enter starts a new run")
        case .toggleMark:
            guard let entry = browser.selected else { return [] }
            if browser.marked.remove(entry.path) == nil { browser.marked.insert(entry.path) }
            browser.moveSelection(by: 1)
        case .overlayMarked:
            return overlayMarkedRuns()
        case .labelRun:
            guard let entry = browser.selected else { return [] }
            prompt = ValuePrompt(purpose: .label(path: entry.path), text: entry.label ?? "")
        case .deleteRun:
            guard let entry = browser.selected else { return [] }
            if runs.contains(where: { $0.folderPath == entry.path && !$0.hasEnded && !$0.isPastRun }) {
                post("\(entry.displayName) is training in this notebook; stop it (s, Enter on a new run) before deleting", isError: true)
                return []
            }
            browser.pendingDeletion = entry.path
        case .confirmDeletion:
            guard let path = browser.pendingDeletion else { return [] }
            browser.pendingDeletion = nil
            runs.removeAll { $0.folderPath == path && $0.isPastRun && $0.runID != activeRunID }
            return [.deleteRun(path: path)]
        case .cancelDeletion:
            browser.pendingDeletion = nil
            post("kept it")
        default:
            break
        }
        return []
    }

    /// The selected entry when it can be `verb`ed (it has a readable config), else a notice saying why.
    private mutating func usableSelection(for verb: String) -> RunEntry? {
        guard let entry = browser.selected else {
            post("no runs yet: s sets one up")
            return nil
        }
        guard entry.setup != nil else {
            post("\(entry.name) is damaged and cannot \(verb): \(entry.problem ?? "no config.json")", isError: true)
            return nil
        }
        return entry
    }

    /// Shows `entry` on the loss view: the run already in the notebook for that folder, or a past run
    /// whose curves and gates load in the background.
    private mutating func open(_ entry: RunEntry, activate: Bool = true) -> [AppEffect] {
        var effects: [AppEffect] = []
        let runID: Int
        if let existing = runs.last(where: { $0.folderPath == entry.path }) {
            runID = existing.runID
        } else {
            runID = nextRunID
            nextRunID += 1
            runs.append(RunRecord(runID: runID, entry: entry))
            if runs.count > Self.maximumKeptRuns { runs.removeFirst(runs.count - Self.maximumKeptRuns) }
            effects.append(.openRun(runID: runID, path: entry.path))
        }
        if activate {
            if activeRunID != runID { gates = GateViewState() }
            activeRunID = runID
            screen = .training
        }
        return effects
    }

    private mutating func resume(runID: Int, path: String) -> [AppEffect] {
        guard let index = runIndex(runID) else { return [] }
        runs[index].isPastRun = false
        runs[index].status = .preparing
        post("resuming \(runs[index].label ?? (path as NSString).lastPathComponent) from step \(Format.count(runs[index].currentStep))")
        return [.resumeRun(runID: runID, path: path)]
    }

    /// Opens every marked run (or the selected one) and draws them together on the loss chart.
    private mutating func overlayMarkedRuns() -> [AppEffect] {
        let chosen = browser.entries.filter { browser.marked.contains($0.path) && $0.setup != nil }
        guard !chosen.isEmpty else {
            post("mark runs with space first, then o overlays them")
            return []
        }
        var effects: [AppEffect] = []
        var ids: [Int] = []
        for entry in chosen.prefix(Self.maximumKeptRuns) {
            effects += open(entry, activate: false)
            if let run = runs.last(where: { $0.folderPath == entry.path }) { ids.append(run.runID) }
        }
        comparedRunIDs = ids
        let selectedID = browser.selected.flatMap { entry in runs.last { $0.folderPath == entry.path }?.runID }
        activeRunID = selectedID.flatMap { ids.contains($0) ? $0 : nil } ?? ids.first
        gates = GateViewState()
        screen = .training
        browser.marked = []
        let datasets = Set(chosen.compactMap(\.dataset))
        if datasets.count > 1 {
            post("the marked runs use \(datasets.count) datasets; the chart overlays those on the active run's (v switches)")
        }
        return effects
    }

    /// `v`: the next of the compared runs (or of all runs kept, when none are compared) becomes the
    /// active one on every view.
    private mutating func switchToNextComparedRun() -> [AppEffect] {
        let cycle = comparedRunIDs.count > 1 ? comparedRunIDs : runs.map(\.runID)
        guard cycle.count > 1, let current = activeRunID else {
            post("one run only: compare runs with rnn-tui compare, or mark them in the runs browser (R)")
            return []
        }
        let next = cycle[((cycle.firstIndex(of: current) ?? -1) + 1) % cycle.count]
        activeRunID = next
        gates = GateViewState()
        guard let run = activeRun else { return [] }
        post("showing \(run.label ?? "run \(run.runID)")")
        guard screen == .gates, run.gateSnapshot == nil || !run.hasEnded else { return [] }
        return [.send(runID: next, .requestGates(probeIndex: 0))]
    }

    // MARK: A comparison

    /// One compared run to start: its legend label and its setup, in a folder of its own name.
    public struct ComparedRun: Sendable {
        public var label: String
        public var setup: TrainingSetup
        public var folderName: String
        public init(label: String, setup: TrainingSetup, folderName: String) {
            self.label = label
            self.setup = setup
            self.folderName = folderName
        }
    }

    /// Starts every compared run at once (`rnn-tui compare`), all drawn on one chart; the first is active.
    public mutating func startComparison(_ compared: [ComparedRun]) -> [AppEffect] {
        var effects: [AppEffect] = []
        var ids: [Int] = []
        for run in compared {
            let runID = nextRunID
            nextRunID += 1
            var record = RunRecord(runID: runID, setup: run.setup)
            record.label = run.label
            runs.append(record)
            ids.append(runID)
            effects.append(.startNamedRun(runID: runID, setup: run.setup, folderName: run.folderName))
        }
        if runs.count > Self.maximumKeptRuns { runs.removeFirst(runs.count - Self.maximumKeptRuns) }
        comparedRunIDs = ids
        activeRunID = ids.first
        gates = GateViewState()
        screen = .training
        browser.hasOpenedOnce = true
        return effects
    }
}
