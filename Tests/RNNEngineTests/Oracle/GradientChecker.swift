import Foundation
import RNNEngine

/// Compares analytic gradients (the Float engine's) with central finite differences of the Double oracle's
/// loss, element by element. An element passes when |analytic − numeric| ≤ absolute + relative·|numeric|.
struct GradientChecker {
    /// Half-step of the central difference, in Double.
    var step = 1e-5
    var absoluteTolerance = 5e-6
    var relativeTolerance = 5e-4

    struct Report: CustomStringConvertible {
        var elementCount = 0
        var maximumAbsoluteError = 0.0
        /// max |a − n| / |n| over elements with |n| ≥ 1e-3.
        var maximumRelativeError = 0.0
        var largestGradient = 0.0
        /// "name[index]: analytic a, numeric n" for every element outside tolerance (first few only).
        var mismatches: [String] = []
        var mismatchCount = 0

        var description: String {
            String(format: "%d elements, max |g| %.3g, max abs err %.3g, max rel err %.3g, %d outside tolerance",
                   elementCount, largestGradient, maximumAbsoluteError, maximumRelativeError, mismatchCount)
        }
    }

    /// Checks every element of every tensor in `analytic` against d loss / d parameter, where `loss`
    /// evaluates the oracle at a perturbed copy of `reference`'s parameters.
    func compare(
        analytic: [NamedTensor], reference: ReferenceNetwork, loss: (ReferenceNetwork) -> Double
    ) -> Report {
        var report = Report()
        var network = reference
        for tensor in analytic {
            guard let original = network.parameters[tensor.name], original.count == tensor.values.count else {
                report.mismatchCount += 1
                report.mismatches.append("\(tensor.name): the oracle has no tensor of \(tensor.values.count) values")
                continue
            }
            for index in 0..<original.count {
                network.parameters[tensor.name]![index] = original[index] + step
                let plus = loss(network)
                network.parameters[tensor.name]![index] = original[index] - step
                let minus = loss(network)
                network.parameters[tensor.name]![index] = original[index]
                let numeric = (plus - minus) / (2 * step)
                let value = Double(tensor.values[index])
                let error = abs(value - numeric)
                report.elementCount += 1
                report.largestGradient = max(report.largestGradient, abs(numeric))
                report.maximumAbsoluteError = max(report.maximumAbsoluteError, error)
                if abs(numeric) >= 1e-3 { report.maximumRelativeError = max(report.maximumRelativeError, error / abs(numeric)) }
                if error > absoluteTolerance + relativeTolerance * abs(numeric) {
                    report.mismatchCount += 1
                    if report.mismatches.count < 8 {
                        report.mismatches.append("\(tensor.name)[\(index)]: analytic \(value), numeric \(numeric)")
                    }
                }
            }
        }
        return report
    }
}

/// Small deterministic batches for the oracle tests.
enum OracleBatch {
    /// A (T, B) batch that fits `config`: random tokens or features, targets for its head, and a right-padded
    /// mask when `lengths` (B) is given.
    static func make(_ config: ModelConfig, timeSteps: Int, batchSize: Int, lengths: [Int]? = nil, seed: UInt64) -> Batch {
        var random = SeededRandom(seed: seed)
        let positions = timeSteps * batchSize
        var batch = Batch(timeSteps: timeSteps, batchSize: batchSize)
        switch config.input {
        case .embedding(let vocabularySize, _), .oneHot(let vocabularySize):
            batch.tokens = (0..<positions).map { _ in Int32(random.next() % UInt64(vocabularySize)) }
        case .numeric(let featureCount):
            batch.features = (0..<(positions * featureCount)).map { _ in random.uniform(-1, 1) }
        }
        let targetRows = config.head.isEveryStep ? positions : batchSize
        if config.head.isClassification {
            batch.targetTokens = (0..<targetRows).map { _ in Int32(random.next() % UInt64(config.outputSize)) }
        } else if config.head == .multiLabelLast {
            batch.targetValues = (0..<(targetRows * config.outputSize)).map { _ in random.next() % 2 == 0 ? 0 : 1 }
        } else {
            batch.targetValues = (0..<(targetRows * config.outputSize)).map { _ in random.uniform(-1, 1) }
        }
        if let lengths {
            batch.mask = (0..<positions).map { position in position / batchSize < lengths[position % batchSize] ? 1 : 0 }
        }
        return batch
    }
}
