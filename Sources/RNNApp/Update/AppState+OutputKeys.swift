import DisplayFormat
import RNNEngine
import RNNTraining
import TerminalUI

extension AppState {
    /// What the open view needs from the active run's trainer, derived from the state alone: the
    /// prediction at the gate cursor, the task output view's sample/reports/sentence, the surgery's
    /// scores. nil when nothing is open that needs one. The frame loop sends it when it changes.
    public var insightRequest: (runID: Int, request: InsightRequest)? {
        guard let run = activeRun, !isShowingHelp else { return nil }
        var request = InsightRequest()
        switch screen {
        case .gates:
            if let snapshot = run.gateSnapshot {
                request.cursor = .init(probeIndex: snapshot.probeIndex, time: gates.timestep)
            }
        case .output:
            request.taskOutput = .init(prime: output.prime, temperature: output.temperature,
                                       sampleLength: OutputViewState.sampleLength, sentence: output.sentence)
        case .setup, .training, .runs, .gradients, .statistics, .text:
            return nil
        }
        request.surgery = run.insight.intervention != nil
        return (run.runID, request)
    }

    /// Unit surgery on the gate cursor's unit: ablate (toggle), clamp a gate (cycle through the cell's
    /// choices, then off), release all, apply during training too (toggle); and the importance table.
    mutating func handleSurgeryAction(_ action: KeyAction) -> [AppEffect] {
        guard let run = activeRun, let index = runIndex(run.runID) else { return [] }
        if action == .computeImportance {
            post("computing the importance table (one validation pass per unit)…")
            return [.send(runID: run.runID, .requestImportance)]
        }
        let cell = run.setup.cell
        let layer = gates.layer, unit = gates.unit
        var surgery = run.insight.intervention ?? Intervention()
        let current = surgery.edits.firstIndex { $0.layer == layer && $0.unit == unit }
        switch action {
        case .ablateUnit:
            if let current, surgery.edits[current].action == .ablate {
                surgery.edits.remove(at: current)
            } else {
                if let current { surgery.edits.remove(at: current) }
                surgery.edits.append(.init(layer: layer, unit: unit, action: .ablate))
            }
        case .clampGate:
            let choices = Self.clampChoices(cell)
            guard !choices.isEmpty else {
                post("a vanilla RNN has no gates to clamp: a ablates the unit")
                return []
            }
            let position = current.flatMap { choices.firstIndex(of: surgery.edits[$0].action) }
            if let current { surgery.edits.remove(at: current) }
            let next = position.map { $0 + 1 } ?? 0
            if next < choices.count { surgery.edits.append(.init(layer: layer, unit: unit, action: choices[next])) }
        case .releaseSurgery:
            guard run.insight.intervention != nil else {
                post("no surgery to release")
                return []
            }
            surgery = Intervention()
        case .toggleSurgeryTraining:
            runs[index].insight.alsoTraining.toggle()
            post(runs[index].insight.alsoTraining
                 ? "surgery applies during training too: the run learns around it"
                 : "surgery applies to evaluation, probes and samples only")
            if surgery.isEmpty { return [] }
        default:
            return []
        }
        surgery.appliesDuringTraining = runs[index].insight.alsoTraining
        let sent: Intervention? = surgery.isEmpty ? nil : surgery
        runs[index].insight.intervention = sent
        if sent == nil { runs[index].insight.surgery = nil }
        return [.send(runID: run.runID, .change(.intervention(sent)))]
    }

    /// The gate clamps `z` cycles through: LSTM forget = 1, forget = 0, input = 0; GRU z = 1, z = 0.
    static func clampChoices(_ cell: CellKind) -> [Intervention.Action] {
        switch cell {
        case .lstm: [.clamp(.forget, value: 1), .clamp(.forget, value: 0), .clamp(.input, value: 0)]
        case .gru: [.clamp(.update, value: 1), .clamp(.update, value: 0)]
        case .rnn: []
        }
    }

    /// Output-view actions: sampling temperature, and typing a prime (language models) or a sentence
    /// (classifiers) at the bottom line.
    mutating func handleOutputAction(_ action: KeyAction) -> [AppEffect] {
        let temperatures = OutputViewState.temperatures
        switch action {
        case .lowerTemperature, .raiseTemperature:
            let position = temperatures.firstIndex { $0 >= output.temperature - 1e-9 } ?? temperatures.count - 1
            let next = action == .raiseTemperature ? min(position + 1, temperatures.count - 1) : max(position - 1, 0)
            output.temperature = temperatures[next]
            post("sampling temperature \(Format.trimmed(output.temperature, digits: 1))")
        case .typeOutputText:
            switch activeRun?.task {
            case .languageModel: prompt = ValuePrompt(purpose: .prime, text: output.prime)
            case .classification, .multiLabel: prompt = ValuePrompt(purpose: .sentence, text: output.sentence ?? "")
            default: post("only language models (a prime) and text classifiers (a sentence) take typed text")
            }
        default:
            break
        }
        return []
    }

    /// Enter on a typed prime or sentence: the next request carries it.
    mutating func applyTypedText(_ typed: ValuePrompt) -> [AppEffect] {
        switch typed.purpose {
        case .prime: output.prime = typed.text
        case .sentence: output.sentence = typed.text.isEmpty ? nil : typed.text
        case .learningRate, .label, .probeText: break
        }
        return []
    }
}
