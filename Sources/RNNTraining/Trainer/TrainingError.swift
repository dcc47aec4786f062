/// A problem that stops a run before or while it trains, said in one line.
public struct TrainingError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
