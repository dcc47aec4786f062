import RNNEngine
import RNNTraining
import TerminalUI

extension AppState {
    /// What the open screen needs the trainer to compute between steps (nil: nothing beyond the gate
    /// snapshots it always sends). `update` sends it whenever it changes, so a view's work runs only
    /// while that view is open.
    public var analysisRequest: AnalysisRequest? {
        switch screen {
        case .gradients: .gradientFlow(probeIndex: gates.probeIndex, validation: insight.gradientSource == .validation)
        case .statistics: .gateStatistics
        case .setup, .training, .gates, .text, .output, .runs: nil
        }
    }

    /// The key-binding context of an insight screen.
    var insightContext: KeyContext? {
        switch screen {
        case .gradients: .gradients
        case .statistics: .statistics
        case .text: .text
        case .setup, .training, .gates, .output, .runs: nil
        }
    }

    /// The gradient flow the view shows: the active run's, from the chosen source.
    var shownGradientFlow: GradientFlow? {
        guard let run = activeRun else { return nil }
        return insight.gradientSource == .probe ? run.probeGradientFlow : run.validationGradientFlow
    }

    /// The snapshot the text view colours: the typed text's when chosen and there, else the probe's.
    var shownTextSnapshot: GateSnapshot? {
        guard let run = activeRun else { return nil }
        if insight.showsTypedText, let typed = run.typedTextSnapshot { return typed }
        return run.gateSnapshot
    }

    /// The signals a unit's value can be read from in `trace`: h, c (LSTM), then each gate.
    static func signals(of trace: LayerTrace) -> [UnitSignal] {
        [.hidden] + (trace.cell == nil ? [] : [.cell]) + trace.gates.map { .gate($0.name) }
    }

    /// Keys of the gradient-flow, gate-statistics and text views.
    mutating func handleInsightAction(_ action: KeyAction) -> [AppEffect] {
        switch screen {
        case .gradients: return handleGradientAction(action)
        case .statistics:
            let layers = max(1, activeRun?.gateStatistics?.layers.count ?? activeRun?.setup.layerCount ?? 1)
            if action == .nextLayer || action == .previousLayer {
                insight.statisticsLayer = Self.cycled(insight.statisticsLayer, by: action == .nextLayer ? 1 : -1, count: layers)
            }
            return []
        case .text: return handleTextAction(action)
        case .setup, .training, .gates, .output, .runs: return []
        }
    }

    private mutating func handleGradientAction(_ action: KeyAction) -> [AppEffect] {
        let flow = shownGradientFlow
        let layers = max(1, flow?.layers.count ?? activeRun?.setup.layerCount ?? 1)
        let hidden = flow?.hiddenSize ?? 0
        let page = 8
        switch action {
        case .toggleGradientSource:
            insight.gradientSource = insight.gradientSource == .probe ? .validation : .probe
        case .previousLayer, .nextLayer:
            insight.gradientLayer = Self.cycled(insight.gradientLayer, by: action == .nextLayer ? 1 : -1, count: layers)
        case .previousProbe, .nextProbe:
            return changeProbe(by: action == .nextProbe ? 1 : -1)
        case .cursorUp: insight.gradientUnitOffset -= 2
        case .cursorDown: insight.gradientUnitOffset += 2
        case .pageUnitsUp: insight.gradientUnitOffset -= page * 2
        case .pageUnitsDown: insight.gradientUnitOffset += page * 2
        default: break
        }
        insight.gradientUnitOffset = max(0, min(insight.gradientUnitOffset, max(0, hidden - 2)))
        return []
    }

    private mutating func handleTextAction(_ action: KeyAction) -> [AppEffect] {
        let snapshot = shownTextSnapshot
        let layers = max(1, snapshot?.probe.layers.count ?? 1)
        let hidden = snapshot?.probe.hiddenSize ?? 0
        switch action {
        case .cursorUp, .cursorDown, .pageUnitsUp, .pageUnitsDown:
            let step = (action == .pageUnitsUp || action == .pageUnitsDown) ? 10 : 1
            let direction = (action == .cursorDown || action == .pageUnitsDown) ? 1 : -1
            if insight.showsRanking, let ranking = textRanking, !ranking.isEmpty {
                // In the ranking list the cursor walks the list (most varying first).
                let position = ranking.firstIndex { $0.unit == insight.textUnit } ?? 0
                insight.textUnit = ranking[max(0, min(ranking.count - 1, position + direction * step))].unit
            } else {
                insight.textUnit += direction * step
            }
        case .nextSignal:
            guard let snapshot, snapshot.probe.layers.indices.contains(insight.textLayer) else { return [] }
            let signals = Self.signals(of: snapshot.probe.layers[insight.textLayer])
            let position = signals.firstIndex(of: insight.textSignal) ?? -1
            insight.textSignal = signals[(position + 1) % signals.count]
        case .toggleRanking:
            insight.showsRanking.toggle()
        case .typeProbeText:
            guard let run = activeRun, !run.hasEnded else {
                post("the run has ended: typed text is probed only while it runs")
                return []
            }
            guard run.summary?.dataset.head == .tokenEveryStep else {
                post("typed text is probed only by character and word language models")
                return []
            }
            prompt = ValuePrompt(purpose: .probeText)
        case .toggleTypedText:
            guard activeRun?.typedTextSnapshot != nil else {
                post("no typed text yet: press / to type some")
                return []
            }
            insight.showsTypedText.toggle()
        case .previousLayer, .nextLayer:
            insight.textLayer = Self.cycled(insight.textLayer, by: action == .nextLayer ? 1 : -1, count: layers)
        case .previousProbe, .nextProbe:
            insight.showsTypedText = false
            return changeProbe(by: action == .nextProbe ? 1 : -1)
        default:
            break
        }
        insight.textUnit = max(0, min(insight.textUnit, hidden - 1))
        if let snapshot, snapshot.probe.layers.indices.contains(insight.textLayer),
           !Self.signals(of: snapshot.probe.layers[insight.textLayer]).contains(insight.textSignal) {
            insight.textSignal = .hidden
        }
        return []
    }

    /// The units of the text view's layer ordered by how much the chosen signal varies on its text.
    var textRanking: [UnitRanking.Entry]? {
        guard let snapshot = shownTextSnapshot else { return nil }
        return UnitRanking.mostVarying(in: snapshot.probe, layer: insight.textLayer, signal: insight.textSignal)
    }

    /// Moves to the previous or next probe (the trainer sends its snapshot).
    private mutating func changeProbe(by direction: Int) -> [AppEffect] {
        guard let run = activeRun, !run.hasEnded else {
            post("the run has ended: probes change only while it runs")
            return []
        }
        let count = max(1, run.gateSnapshot?.probeCount ?? 1)
        gates.probeIndex = (gates.probeIndex + direction + count) % count
        return [.send(runID: run.runID, .requestGates(probeIndex: gates.probeIndex))]
    }

    static func cycled(_ value: Int, by direction: Int, count: Int) -> Int {
        ((value + direction) % count + count) % count
    }
}
