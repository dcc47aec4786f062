import RNNEngine

extension TrainingSetup {
    /// Vocabulary assumed for the estimate before the dataset is read (the setup screen).
    public static let assumedVocabularySize = 256

    /// The memory training this setup takes (`MemoryEstimate`, what `MemoryGuard` checks), for the
    /// dataset described by `info`, or, before it is read, for token input and output of
    /// `assumedVocabularySize`. Cost: arithmetic only; the setup screen calls it as sizes are typed.
    public func memoryEstimate(dataset info: DatasetInfo? = nil) -> MemoryEstimate {
        let input: InputEncoding
        switch info?.input ?? .tokens(vocabularySize: Self.assumedVocabularySize) {
        case .tokens(let vocabularySize):
            input = embeddingSize > 0 ? .embedding(vocabularySize: vocabularySize, dimension: embeddingSize) : .oneHot(vocabularySize: vocabularySize)
        case .features(let featureCount):
            input = .numeric(featureCount: featureCount)
        }
        let config = ModelConfig(
            cell: cell, nonlinearity: nonlinearity, gruResetAfter: gruResetAfter, input: input,
            hiddenSize: max(1, hiddenSize), layerCount: max(1, layerCount), dropout: dropout,
            head: info?.head ?? .tokenEveryStep, outputSize: info?.outputSize ?? Self.assumedVocabularySize)
        return MemoryEstimate(config: config, batchSize: max(1, batchSize), timeSteps: max(1, sequenceLength))
    }
}
