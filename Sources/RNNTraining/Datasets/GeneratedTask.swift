import RNNEngine

/// A dataset whose sequences are generated on demand from (seed, split, sample index): the adding
/// problem, the copy task, the noisy sines. It only says how to make a batch of given samples; the
/// epoch order, validation chunks and probes are shared here.
protocol GeneratedTask: Dataset {
    var seed: UInt64 { get }
    /// The batch of `samples` (indices into the split) at `sequenceLength`; split 0 trains, 1 validates.
    func makeBatch(split: UInt64, samples: [Int], sequenceLength: Int) -> Batch
}

extension GeneratedTask {
    public func trainBatchCount(batchSize: Int, sequenceLength: Int) -> Int {
        EpochOrder.batchCount(sampleCount: info.trainCount, batchSize: batchSize)
    }

    public func trainBatch(index: Int, epoch: Int, batchSize: Int, sequenceLength: Int) -> Batch {
        let samples = EpochOrder.sampleIndices(
            index: index, epoch: epoch, batchSize: batchSize, sampleCount: info.trainCount, seed: seed)
        return makeBatch(split: 0, samples: samples, sequenceLength: sequenceLength)
    }

    public func validationBatches(batchSize: Int, sequenceLength: Int, limit: Int) -> [Batch] {
        EpochOrder.validationChunks(sampleCount: info.validationCount, batchSize: batchSize, limit: limit).map {
            makeBatch(split: 1, samples: Array($0), sequenceLength: sequenceLength)
        }
    }

    public var probeCount: Int { min(info.validationCount, 100) }

    /// The validation sample a probe shows.
    func probeBatch(index: Int, sequenceLength: Int) -> Batch {
        makeBatch(split: 1, samples: [index % probeCount], sequenceLength: sequenceLength)
    }
}
