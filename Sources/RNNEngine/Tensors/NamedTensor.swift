/// A tensor with a name and a shape, detached from any arena: what checkpoints read and write.
/// values: row-major, `shape.reduce(1, *)` elements.
public struct NamedTensor: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }

    public var elementCount: Int { shape.reduce(1, *) }
}
