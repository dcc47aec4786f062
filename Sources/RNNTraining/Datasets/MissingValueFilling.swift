/// Fills the gaps (NaN) of one numeric column, in place. O(n).
enum MissingValueFilling {
    /// Linear interpolation between the nearest known neighbours; a leading or trailing gap takes the
    /// nearest known value. Returns how many values were filled.
    @discardableResult
    static func interpolate(_ values: inout [Float]) -> Int {
        var filled = 0
        var previousKnown: Int? = nil
        var position = 0
        while position < values.count {
            guard values[position].isNaN else {
                previousKnown = position
                position += 1
                continue
            }
            var nextKnown = position
            while nextKnown < values.count, values[nextKnown].isNaN { nextKnown += 1 }
            for gap in position..<nextKnown {
                switch (previousKnown, nextKnown < values.count) {
                case (let before?, true):
                    let weight = Float(gap - before) / Float(nextKnown - before)
                    values[gap] = values[before] + weight * (values[nextKnown] - values[before])
                case (let before?, false):
                    values[gap] = values[before]
                case (nil, true):
                    values[gap] = values[nextKnown]
                case (nil, false):
                    continue
                }
                filled += 1
            }
            position = nextKnown
        }
        return filled
    }

    /// Carries the last known value forward; a leading gap takes the first known value.
    @discardableResult
    static func forwardFill(_ values: inout [Float]) -> Int {
        guard var last = values.first(where: { !$0.isNaN }) else { return 0 }
        var filled = 0
        for position in values.indices {
            if values[position].isNaN {
                values[position] = last
                filled += 1
            } else {
                last = values[position]
            }
        }
        return filled
    }
}
