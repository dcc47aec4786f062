/// The newest `capacity` values of a stream, oldest first (a ring buffer). O(1) append, O(capacity) memory.
public struct RecentValues: Sendable, Equatable {
    public let capacity: Int
    private var storage: [Double] = []
    private var start = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(self.capacity)
    }

    public var count: Int { storage.count }

    public mutating func append(_ value: Double) {
        if storage.count < capacity {
            storage.append(value)
        } else {
            storage[start] = value
            start = (start + 1) % capacity
        }
    }

    /// The newest `limit` values, oldest first.
    public func suffix(_ limit: Int) -> [Double] {
        let taken = min(max(0, limit), storage.count)
        return (storage.count - taken..<storage.count).map { storage[(start + $0) % storage.count] }
    }

    public var last: Double? { storage.isEmpty ? nil : storage[(start + storage.count - 1) % storage.count] }
}
