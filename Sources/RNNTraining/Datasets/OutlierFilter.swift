/// Outliers in one numeric column of a series, found with a Hampel filter: a value is an outlier when its
/// robust z, |x − m| / s, exceeds the threshold, where m is the median of the `window` values centred on it
/// (fewer at the ends) and s = 1.4826 · their median absolute deviation (MAD), the standard deviation for
/// normal data. Where a window's MAD is 0 (a flat stretch) the whole column's scale stands in: its MAD, or
/// when more than half the column is one value, 1.2533 · its mean absolute deviation from the median (also
/// the standard deviation for normal data); where that is 0 too, any departure from the median counts.
/// NaN (missing) values are skipped.
/// Cost: O(n · window · log window) time, O(window) extra memory.
enum OutlierFilter {
    /// Rows in the rolling window (centred; half on each side).
    static let window = 25
    static let madToStandardDeviation = 1.4826

    /// An outlier: its row, its robust z, and the median and scale it was measured against.
    struct Outlier: Equatable {
        var row: Int
        var z: Double
        var median: Double
        var scale: Double
    }

    /// Every outlier of `values` at `threshold`, in row order.
    static func find(_ values: [Float], threshold: Double) -> [Outlier] {
        let known = values.filter { !$0.isNaN }.map(Double.init)
        guard !known.isEmpty else { return [] }
        let columnScale = Self.columnScale(known.sorted())
        let half = window / 2
        var outliers: [Outlier] = []
        var neighbourhood: [Double] = []
        neighbourhood.reserveCapacity(window)
        for row in values.indices where !values[row].isNaN {
            neighbourhood.removeAll(keepingCapacity: true)
            for other in max(0, row - half)...min(values.count - 1, row + half) where !values[other].isNaN {
                neighbourhood.append(Double(values[other]))
            }
            neighbourhood.sort()
            let median = Self.median(ofSorted: neighbourhood)
            var scale = madToStandardDeviation * medianAbsoluteDeviation(neighbourhood)
            if !(scale > 0) { scale = columnScale }
            let deviation = abs(Double(values[row]) - median)
            guard deviation > 0 else { continue }
            let z = scale > 0 ? deviation / scale : .infinity
            if z > threshold { outliers.append(Outlier(row: row, z: z, median: median, scale: scale)) }
        }
        return outliers
    }

    /// Clamps each outlier to the edge of the accepted band, median ± threshold · scale (its side).
    static func clip(_ values: inout [Float], _ outliers: [Outlier], threshold: Double) {
        for outlier in outliers {
            let band = outlier.scale.isFinite ? threshold * outlier.scale : 0
            values[outlier.row] = Float(Double(values[outlier.row]) > outlier.median ? outlier.median + band : outlier.median - band)
        }
    }

    /// Treats each outlier as missing and fills it by linear interpolation between its neighbours.
    static func interpolate(_ values: inout [Float], _ outliers: [Outlier]) {
        for outlier in outliers { values[outlier.row] = .nan }
        MissingValueFilling.interpolate(&values)
    }

    static let meanDeviationToStandardDeviation = 1.2533

    /// The scale of a whole sorted, non-empty column: 1.4826 · MAD, else 1.2533 · mean |x − median|.
    static func columnScale(_ sorted: [Double]) -> Double {
        let scale = madToStandardDeviation * medianAbsoluteDeviation(sorted)
        guard !(scale > 0) else { return scale }
        let center = median(ofSorted: sorted)
        return meanDeviationToStandardDeviation * sorted.reduce(0) { $0 + abs($1 - center) } / Double(sorted.count)
    }

    /// The median of a sorted, non-empty array.
    static func median(ofSorted sorted: [Double]) -> Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The median of |x − median| over a sorted, non-empty array.
    static func medianAbsoluteDeviation(_ sorted: [Double]) -> Double {
        let center = median(ofSorted: sorted)
        return median(ofSorted: sorted.map { abs($0 - center) }.sorted())
    }
}
