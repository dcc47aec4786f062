import TerminalUI

/// Tokens seen and seconds trained against the step count, so a chart drawn by step can be redrawn
/// against either. Tokens count batch × sequence length per step (an upper bound for padded batches).
/// Memory: two bounded series, flat in the run's length.
public struct StepClock: Sendable, Equatable {
    /// x: step, y: tokens seen after it.
    public private(set) var tokens = BoundedSeries(capacity: 512)
    /// x: step, y: seconds of training after it.
    public private(set) var seconds = BoundedSeries(capacity: 512)
    private var tokenCount = 0.0
    private var lastStep = 0

    mutating func record(step: Int, tokensPerStep: Int, elapsedSeconds: Double) {
        tokenCount += Double(max(0, step - lastStep) * tokensPerStep)
        lastStep = step
        tokens.append(x: Double(step), y: tokenCount)
        seconds.append(x: Double(step), y: elapsedSeconds)
    }

    /// `points` (increasing x in steps) with x moved onto `axis`, by linear interpolation between the
    /// recorded steps (held at the ends). Cost O(points + recorded).
    public func converted(_ points: [(x: Double, y: Double)], to axis: ChartXAxis) -> [(x: Double, y: Double)] {
        let table: [(x: Double, y: Double)]
        switch axis {
        case .steps, .timesteps: return points
        case .tokens: table = tokens.plotPoints
        case .time: table = seconds.plotPoints
        }
        guard let first = table.first, let last = table.last else { return [] }
        var result: [(x: Double, y: Double)] = []
        result.reserveCapacity(points.count)
        var index = 0
        for point in points {
            let x: Double
            if point.x <= first.x {
                x = first.x > 0 ? first.y * point.x / first.x : first.y
            } else if point.x >= last.x {
                x = last.y
            } else {
                while index + 1 < table.count, table[index + 1].x < point.x { index += 1 }
                let low = table[index], high = table[min(index + 1, table.count - 1)]
                let fraction = high.x > low.x ? (point.x - low.x) / (high.x - low.x) : 0
                x = low.y + fraction * (high.y - low.y)
            }
            result.append((x, point.y))
        }
        return result
    }
}
