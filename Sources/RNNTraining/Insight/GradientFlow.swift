import Foundation
import RNNEngine

/// How much gradient reaches each timestep: per layer, ‖∂L/∂h_t‖ against t (the vanishing-gradient test),
/// for one probe sequence or averaged over a validation batch. T = timesteps, H = hidden size.
///
/// For a probe, `magnitudes` keeps |∂L/∂h_t| per unit (the units × time heatmap). For a batch, each
/// sequence's gradient is that of its own mean loss (`HiddenGradients.sequenceScales`), and norms[t] is
/// the mean of the per-sequence norms over the sequences that are real at t.
public struct GradientFlow: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case probe(index: Int)
        case validation(sequences: Int)
    }

    public struct Layer: Sendable, Equatable {
        /// norms: (T) ‖∂L/∂h_t‖₂.
        public var norms: [Double]
        /// cellNorms: (T) ‖∂L/∂c_t‖₂, LSTM only.
        public var cellNorms: [Double]?
        /// magnitudes: (T, H) |∂L/∂h_t| row-major; probes only.
        public var magnitudes: [Float]?
    }

    /// The training step the weights were at (0 outside a session).
    public var step: Int
    public var source: Source
    public var cell: CellKind
    public var timeSteps: Int
    public var hiddenSize: Int
    public var layers: [Layer]
    /// The loss the gradients are of.
    public var loss: Double

    /// ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ of `layer` (T = the last timestep with a nonzero norm): below 1 the gradient
    /// shrinks on its way back, orders of magnitude below for a vanishing gradient. nil when undefined.
    public func firstToLastRatio(layer: Int) -> Double? {
        guard layers.indices.contains(layer), let last = layers[layer].norms.lastIndex(where: { $0 > 0 }) else { return nil }
        let norms = layers[layer].norms
        return norms[0] / norms[last]
    }

    /// From a probe (batch of one) recorded with targets; nil when it has no gradients.
    public init?(probe: ProbeResult, cell: CellKind, probeIndex: Int, step: Int = 0) {
        guard let loss = probe.loss, probe.layers.allSatisfy({ $0.hiddenGradient != nil }) else { return nil }
        let hidden = probe.hiddenSize, timeSteps = probe.timeSteps
        self.step = step
        source = .probe(index: probeIndex)
        self.cell = cell
        self.timeSteps = timeSteps
        hiddenSize = hidden
        self.loss = loss
        layers = probe.layers.map { trace in
            let gradient = trace.hiddenGradient!
            return Layer(
                norms: Self.rowNorms(gradient, rows: timeSteps, columns: hidden, scale: 1),
                cellNorms: trace.cellGradient.map { Self.rowNorms($0, rows: timeSteps, columns: hidden, scale: 1) },
                magnitudes: gradient.map { abs($0) })
        }
    }

    /// Mean over the sequences of one or more recorded batches (same T), each sequence counted at the
    /// timesteps where it is real.
    public init(batches: [(gradients: HiddenGradients, lengths: [Int])], cell: CellKind, step: Int = 0) {
        let timeSteps = batches.map(\.gradients.timeSteps).max() ?? 0
        let hidden = batches.first?.gradients.hiddenSize ?? 0
        let layerCount = batches.first?.gradients.hidden.count ?? 0
        var sums = [[Double]](repeating: [Double](repeating: 0, count: timeSteps), count: layerCount)
        var cellSums: [[Double]]? = cell == .lstm ? sums : nil
        var counts = [Double](repeating: 0, count: timeSteps)
        var lossTotal = 0.0, sequences = 0
        for (recorded, lengths) in batches {
            let batchSize = recorded.batchSize
            for row in 0..<batchSize where recorded.sequenceScales[row] > 0 {
                sequences += 1
                let scale = Double(recorded.sequenceScales[row])
                for time in 0..<min(lengths[row], recorded.timeSteps) {
                    counts[time] += 1
                    for layer in 0..<layerCount {
                        sums[layer][time] += scale * Self.norm(recorded.hidden[layer], start: (time * batchSize + row) * hidden, count: hidden)
                        if let cellGradients = recorded.cell {
                            cellSums![layer][time] += scale * Self.norm(cellGradients[layer], start: (time * batchSize + row) * hidden, count: hidden)
                        }
                    }
                }
            }
            lossTotal += recorded.loss * Double(batchSize)
        }
        func mean(_ values: [Double]) -> [Double] { zip(values, counts).map { $1 > 0 ? $0 / $1 : 0 } }
        self.step = step
        source = .validation(sequences: sequences)
        self.cell = cell
        self.timeSteps = timeSteps
        hiddenSize = hidden
        let batchRows = batches.reduce(0) { $0 + $1.gradients.batchSize }
        loss = batchRows > 0 ? lossTotal / Double(batchRows) : .nan
        layers = (0..<layerCount).map { layer in
            Layer(norms: mean(sums[layer]), cellNorms: cellSums.map { mean($0[layer]) }, magnitudes: nil)
        }
    }

    static func norm(_ values: [Float], start: Int, count: Int) -> Double {
        var sum = 0.0
        for index in start..<(start + count) { sum += Double(values[index]) * Double(values[index]) }
        return sum.squareRoot()
    }

    static func rowNorms(_ values: [Float], rows: Int, columns: Int, scale: Double) -> [Double] {
        (0..<rows).map { scale * norm(values, start: $0 * columns, count: columns) }
    }
}
