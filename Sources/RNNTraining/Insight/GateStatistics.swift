import Foundation
import RNNEngine

/// Gate statistics over a validation batch, per layer, gate and unit (Karpathy, Johnson & Fei-Fei 2015,
/// "Visualizing and Understanding Recurrent Networks", fig. 3: a gate is left-saturated where its
/// activation is below 0.1 and right-saturated where it is above 0.9), the memory time scale of each
/// unit, and for the vanilla RNN its tanh saturation and the spectral radius of W_hh.
/// Only real (unpadded) timesteps count. H = hidden size.
public struct GateStatistics: Sendable, Equatable {
    public static let leftThreshold = 0.1
    public static let rightThreshold = 0.9

    public struct Gate: Sendable, Equatable {
        /// "i", "f", "g", "o" (LSTM), "r", "z", "n" (GRU).
        public var name: String
        /// leftSaturated[u]: (H) fraction of timesteps with activation < 0.1; rightSaturated[u] > 0.9.
        /// For the tanh blocks (LSTM g, GRU n) the thresholds apply to (a + 1) / 2, i.e. a < −0.8, a > 0.8.
        public var leftSaturated: [Double]
        public var rightSaturated: [Double]
        /// mean[u]: (H) the mean activation.
        public var mean: [Double]
    }

    public struct Layer: Sendable, Equatable {
        public var gates: [Gate]
        /// timeScales[u]: (H) τ = 1 / (1 − mean gate), the steps a unit's memory lasts: the LSTM forget
        /// gate f, the GRU update gate z (z near 1 keeps h'). nil for the vanilla RNN. Capped at 1e6.
        public var timeScales: [Double]?
        /// Vanilla tanh RNN: the fraction of (timestep, unit) values of h with |h| > 0.8 (the same rule as
        /// the gates, on tanh's range); nil otherwise.
        public var saturatedFraction: Double?
        /// Vanilla RNN: the spectral radius of W_hh (largest |eigenvalue|), by power iteration.
        public var spectralRadius: Double?
    }

    public var step: Int
    public var cell: CellKind
    public var sequences: Int
    /// Real timesteps counted, summed over sequences.
    public var timestepsCounted: Int
    public var layers: [Layer]

    public static let timeScaleCap = 1e6

    /// Runs `batches` (zero state, no dropout, the intervention in force) and gathers the statistics.
    /// Cost: one forward pass per sequence (probes of one sequence each, to keep the per-timestep values).
    public static func measure(model: RecurrentModel, batches: [Batch], step: Int = 0) -> GateStatistics {
        let config = model.config, hidden = config.hiddenSize
        let names = config.cell.gateNames
        let tanhBlocks: Set<String> = ["g", "n"]
        var left = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: hidden), count: names.count), count: config.layerCount)
        var right = left, sums = left
        var saturated = [Double](repeating: 0, count: config.layerCount)
        var counted = 0, sequences = 0
        for batch in batches {
            for row in 0..<batch.batchSize {
                let length = batch.length(ofColumn: row)
                guard length > 0 else { continue }
                sequences += 1
                let single = Self.sequence(row, of: batch, length: length)
                let probe = model.probe(single, gradients: false)
                counted += length
                for (layer, trace) in probe.layers.enumerated() {
                    for (gateIndex, gate) in trace.gates.enumerated() {
                        let isTanh = tanhBlocks.contains(gate.name)
                        for index in 0..<(length * hidden) {
                            let raw = Double(gate.values[index])
                            let value = isTanh ? (raw + 1) / 2 : raw
                            let unit = index % hidden
                            sums[layer][gateIndex][unit] += raw
                            if value < leftThreshold { left[layer][gateIndex][unit] += 1 }
                            if value > rightThreshold { right[layer][gateIndex][unit] += 1 }
                        }
                    }
                    if config.cell == .rnn && config.nonlinearity == .tanh {
                        for index in 0..<(length * hidden) where abs(trace.hidden[index]) > 0.8 { saturated[layer] += 1 }
                    }
                }
            }
        }
        let total = Double(max(1, counted))
        let layers = (0..<config.layerCount).map { layer -> Layer in
            let gates = names.indices.map { index in
                Gate(name: names[index], leftSaturated: left[layer][index].map { $0 / total },
                     rightSaturated: right[layer][index].map { $0 / total }, mean: sums[layer][index].map { $0 / total })
            }
            let memoryGate = config.cell == .lstm ? "f" : config.cell == .gru ? "z" : nil
            let timeScales = memoryGate.flatMap { name in gates.first { $0.name == name } }.map { gate in
                gate.mean.map { min(timeScaleCap, 1 / max(1e-12, 1 - $0)) }
            }
            let isRNN = config.cell == .rnn
            return Layer(
                gates: gates, timeScales: timeScales,
                saturatedFraction: isRNN && config.nonlinearity == .tanh ? saturated[layer] / (total * Double(hidden)) : nil,
                spectralRadius: isRNN ? spectralRadius(of: recurrentWeight(model, layer: layer), size: hidden) : nil)
        }
        return GateStatistics(step: step, cell: config.cell, sequences: sequences, timestepsCounted: counted, layers: layers)
    }

    /// Sequence `row` of `batch`, its first `length` steps, as a batch of one (without targets).
    static func sequence(_ row: Int, of batch: Batch, length: Int) -> Batch {
        let batchSize = batch.batchSize
        var single = Batch(timeSteps: length, batchSize: 1)
        if let tokens = batch.tokens { single.tokens = (0..<length).map { tokens[$0 * batchSize + row] } }
        if let features = batch.features {
            let width = features.count / (batch.timeSteps * batchSize)
            var values: [Float] = []
            values.reserveCapacity(length * width)
            for time in 0..<length {
                let start: Int = (time * batchSize + row) * width
                values.append(contentsOf: features[start..<(start + width)])
            }
            single.features = values
        }
        return single
    }

    /// W_hh (H, H) of `layer` (the vanilla RNN's, G = 1).
    static func recurrentWeight(_ model: RecurrentModel, layer: Int) -> [Float] {
        let view = model.layout.views.first { $0.name == "rnn.weight_hh_l\(layer)" }!
        return model.parameters.array(offset: view.offset, count: view.count)
    }

    /// The spectral radius ρ(W) of a square (n, n) row-major matrix: the growth rate of ‖Wᵏ v‖ by power
    /// iteration from a fixed start, averaged over the later iterations so that complex eigenvalue pairs
    /// (which make the iterate rotate instead of converge) still give |λ|. Cost: `iterations` · n².
    public static func spectralRadius(of matrix: [Float], size: Int, iterations: Int = 300) -> Double {
        guard size > 0, matrix.count == size * size else { return 0 }
        var vector = (0..<size).map { 1 + 0.5 * sin(Double($0) * 1.7) }
        var next = vector
        var logGrowth = 0.0, averaged = 0
        for iteration in 0..<iterations {
            for row in 0..<size {
                var sum = 0.0
                for column in 0..<size { sum += Double(matrix[row * size + column]) * vector[column] }
                next[row] = sum
            }
            let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let previous = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0, norm.isFinite else { return norm.isFinite ? 0 : .infinity }
            if iteration >= iterations / 2 {
                logGrowth += log(norm / previous)
                averaged += 1
            }
            for index in 0..<size { vector[index] = next[index] / norm }
        }
        return exp(logGrowth / Double(max(1, averaged)))
    }
}
