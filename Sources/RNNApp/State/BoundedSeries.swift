/// A history of (x, y) points that never holds more than `capacity` buckets, however long the run.
///
/// Points are appended into buckets of `span` raw points each (their means, minimum and maximum). When
/// the buckets fill up, neighbouring pairs merge and `span` doubles, so the series always covers the
/// whole history at an even resolution. The first and the last raw points are kept exactly.
/// Cost: `append` is amortised O(1); a merge is O(capacity) and happens every `capacity / 2` buckets.
/// Memory: O(capacity) regardless of how many points were appended.
public struct BoundedSeries: Sendable, Equatable {
    /// One bucket: the means of `count` raw points and their extremes.
    public struct Bucket: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var minimum: Double
        public var maximum: Double
        public var count: Int

        init(x: Double, y: Double) {
            self.x = x
            self.y = y
            self.minimum = y
            self.maximum = y
            self.count = 1
        }

        /// Combines two buckets into one covering both (weighted means, extreme extremes).
        func merged(with other: Bucket) -> Bucket {
            let total = count + other.count
            let weight = Double(count) / Double(total)
            var result = self
            result.x = x * weight + other.x * (1 - weight)
            result.y = y * weight + other.y * (1 - weight)
            result.minimum = Swift.min(minimum, other.minimum)
            result.maximum = Swift.max(maximum, other.maximum)
            result.count = total
            return result
        }
    }

    public let capacity: Int
    /// Completed buckets, oldest first; at most `capacity`.
    public private(set) var buckets: [Bucket] = []
    /// The bucket still filling up (fewer than `span` raw points).
    public private(set) var pending: Bucket?
    /// How many raw points one completed bucket holds now.
    public private(set) var span = 1
    /// How many finite points were appended in all.
    public private(set) var appendedCount = 0
    public private(set) var first: (x: Double, y: Double)?
    public private(set) var last: (x: Double, y: Double)?

    /// `capacity` is rounded up to an even number of at least 4.
    public init(capacity: Int = 2048) {
        self.capacity = Swift.max(4, capacity + capacity % 2)
        buckets.reserveCapacity(self.capacity)
    }

    public var isEmpty: Bool { appendedCount == 0 }

    /// Appends one point; non-finite values are dropped (a diverged loss shows as the run's status instead).
    public mutating func append(x: Double, y: Double) {
        guard x.isFinite, y.isFinite else { return }
        appendedCount += 1
        if first == nil { first = (x, y) }
        last = (x, y)
        let point = Bucket(x: x, y: y)
        let filling = pending.map { $0.merged(with: point) } ?? point
        if filling.count >= span {
            buckets.append(filling)
            pending = nil
            if buckets.count >= capacity { halve() }
        } else {
            pending = filling
        }
    }

    /// Merges neighbouring pairs: capacity buckets become capacity / 2 of twice the span.
    private mutating func halve() {
        var merged: [Bucket] = []
        merged.reserveCapacity(capacity)
        var index = 0
        while index + 1 < buckets.count {
            merged.append(buckets[index].merged(with: buckets[index + 1]))
            index += 2
        }
        if index < buckets.count { merged.append(buckets[index]) }
        buckets = merged
        span *= 2
    }

    /// The points to draw, in order: the exact first point, every bucket's mean, the exact last point.
    /// At most capacity + 3 points.
    public var plotPoints: [(x: Double, y: Double)] {
        guard let first, let last else { return [] }
        var points: [(x: Double, y: Double)] = [first]
        points.reserveCapacity(buckets.count + 3)
        for bucket in buckets where bucket.x > first.x && bucket.x < last.x { points.append((bucket.x, bucket.y)) }
        if let pending, pending.x > first.x, pending.x < last.x { points.append((pending.x, pending.y)) }
        if appendedCount > 1 { points.append(last) }
        return points
    }

    public static func == (lhs: BoundedSeries, rhs: BoundedSeries) -> Bool {
        lhs.capacity == rhs.capacity && lhs.buckets == rhs.buckets && lhs.pending == rhs.pending
            && lhs.span == rhs.span && lhs.appendedCount == rhs.appendedCount
            && lhs.first?.x == rhs.first?.x && lhs.first?.y == rhs.first?.y
            && lhs.last?.x == rhs.last?.x && lhs.last?.y == rhs.last?.y
    }
}
