import Foundation
import RNNEngine
import TerminalUI
@testable import RNNApp
@testable import RNNTraining

/// Synthetic gradient flows and gate statistics for the insight views: deterministic, no trainer.
enum InsightFixtures {
    /// A flow whose norm shrinks by `decay` per step back in time from t = T−1 (a vanilla RNN: 0.85, a
    /// gated cell: 0.995), two layers, |∂L/∂h_t| per unit for a probe.
    static func gradientFlow(cell: CellKind, decay: Double, timeSteps: Int = 100, hiddenSize: Int = 32, layers: Int = 2,
                             validation: Bool = false, step: Int = 1200) -> GradientFlow {
        let flowLayers = (0..<layers).map { layer -> GradientFlow.Layer in
            let norms = (0..<timeSteps).map { t -> Double in
                let decayed: Double = pow(decay, Double(timeSteps - 1 - t))
                return 0.08 * decayed * (1 + 0.2 * Double(layer))
            }
            var magnitudes: [Float]?
            if !validation {
                var values: [Float] = []
                for t in 0..<timeSteps {
                    for u in 0..<hiddenSize {
                        let wobble: Double = 1 + 0.8 * sin(Double(u) * 0.7 + Double(t) * 0.05)
                        values.append(Float(norms[t] / Double(hiddenSize).squareRoot() * wobble))
                    }
                }
                magnitudes = values
            }
            return GradientFlow.Layer(norms: norms, cellNorms: nil, magnitudes: magnitudes)
        }
        var flow = GradientFlow(batches: [], cell: cell, step: step)
        flow.source = validation ? .validation(sequences: 32) : .probe(index: 0)
        flow.timeSteps = timeSteps
        flow.hiddenSize = hiddenSize
        flow.layers = flowLayers
        flow.loss = 0.0421
        return flow
    }

    /// Statistics with a spread of saturations and time scales (τ from 1 to ~1000 across units).
    static func gateStatistics(cell: CellKind, hiddenSize: Int = 64, layers: Int = 2, step: Int = 1200) -> GateStatistics {
        let layerStats = (0..<layers).map { layer -> GateStatistics.Layer in
            let gates = cell.gateNames.enumerated().map { index, name -> GateStatistics.Gate in
                let left = (0..<hiddenSize).map { u in 0.5 + 0.45 * sin(Double(u) * 0.37 + Double(index)) }
                let right = left.enumerated().map { u, l in (1 - l) * (0.5 + 0.5 * cos(Double(u) * 0.21 + Double(layer))) }
                let mean = (0..<hiddenSize).map { u in name == "f" || name == "z" ? 1 - pow(10, -3 * Double(u) / Double(hiddenSize)) : 0.5 }
                return GateStatistics.Gate(name: name, leftSaturated: left, rightSaturated: right, mean: mean)
            }
            let memory = gates.first { $0.name == "f" || $0.name == "z" }
            return GateStatistics.Layer(
                gates: gates, timeScales: memory.map { $0.mean.map { 1 / max(1e-12, 1 - $0) } },
                saturatedFraction: cell == .rnn ? 0.234 : nil, spectralRadius: cell == .rnn ? 0.91 : nil)
        }
        return GateStatistics(step: step, cell: cell, sequences: 32, timestepsCounted: 3200, layers: layerStats)
    }

    /// A training state (run 1 of `cell`) on `key`'s view with the flow and statistics of each run.
    static func insightState(cell: CellKind = .lstm, task: TaskKind = .regression, colorMode: ColorMode = .palette256,
                             width: Int = 80, height: Int = 24) -> AppState {
        var state = Fixtures.trainingState(task, cell: cell, colorMode: colorMode, width: width, height: height, steps: 300)
        _ = state.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: cell))))
        _ = state.update(.trainer(runID: 1, .gradientFlow(gradientFlow(cell: cell, decay: cell == .rnn ? 0.85 : 0.995))))
        _ = state.update(.trainer(runID: 1, .gradientFlow(gradientFlow(cell: cell, decay: cell == .rnn ? 0.88 : 0.996, validation: true))))
        _ = state.update(.trainer(runID: 1, .gateStatistics(gateStatistics(cell: cell))))
        return state
    }

    /// Three runs as in the adding compare: a tanh RNN (run 1), a GRU (run 2), then the active LSTM (run 3).
    static func comparedState(colorMode: ColorMode = .palette256, width: Int, height: Int) -> AppState {
        var state = Fixtures.trainingState(.regression, cell: .rnn, colorMode: colorMode, width: width, height: height, steps: 200)
        _ = state.update(.trainer(runID: 1, .gradientFlow(gradientFlow(cell: .rnn, decay: 0.85, layers: 1))))
        for (runID, cell) in [(2, CellKind.gru), (3, .lstm)] {
            _ = state.update(.key(.character("r")))
            var setup = Fixtures.setup(.regression, cell: cell)
            setup.layerCount = 1
            for event in Fixtures.events(.regression, setup: setup, steps: 200) { _ = state.update(.trainer(runID: runID, event)) }
            _ = state.update(.trainer(runID: runID, .gradientFlow(gradientFlow(cell: cell, decay: cell == .gru ? 0.99 : 0.995, layers: 1))))
        }
        _ = state.update(.key(.character("G")))
        return state
    }
}
