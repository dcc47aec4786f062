/// A copy of an optimizer's state (moments, step count, rule), kept in arenas allocated once so that
/// refreshing it is a memcpy per moment. The trainer's last good state holds one.
public final class OptimizerStateCopy {
    public internal(set) var kind: OptimizerKind?
    public internal(set) var stepCount = 0
    var firstMoment: FloatArena?
    var secondMoment: FloatArena?

    public init() {}

    /// Floats held (for memory estimates).
    public var floatCount: Int { (firstMoment?.count ?? 0) + (secondMoment?.count ?? 0) }
}

extension Optimizer {
    /// Copies moments, step count and rule into `copy`, allocating its arenas the first time only.
    /// Cost: one memcpy per moment.
    public func copyState(into copy: OptimizerStateCopy) {
        copy.kind = kind
        copy.stepCount = stepCount
        copy.firstMoment = Self.copied(firstMoment, reusing: copy.firstMoment)
        copy.secondMoment = Self.copied(secondMoment, reusing: copy.secondMoment)
    }

    /// Puts back a state taken with `copyState(into:)`. Cost: one memcpy per moment.
    public func restoreState(from copy: OptimizerStateCopy) {
        kind = copy.kind
        stepCount = copy.stepCount
        firstMoment = Self.copied(copy.firstMoment, reusing: firstMoment)
        secondMoment = Self.copied(copy.secondMoment, reusing: secondMoment)
    }

    /// `source` copied into `target` (allocated when missing or of another size); nil when there is no source.
    private static func copied(_ source: FloatArena?, reusing target: FloatArena?) -> FloatArena? {
        guard let source else { return nil }
        let destination = target?.count == source.count ? target! : FloatArena(count: source.count)
        destination.copy(from: source)
        return destination
    }
}
