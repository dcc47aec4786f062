import RNNEngine

extension ValidatedCheckpoint {
    /// Why this checkpoint cannot start training on a dataset described by `info`, in words
    /// ("the checkpoint takes one-hot tokens over 65 symbols and predicts …; dataset adding gives …"); nil when it fits.
    /// Its structure must also be one a run may have (`SetupLimits`): inference takes any depth, training does not.
    public func problem(fitting info: DatasetInfo) -> String? {
        if let problem = SetupLimits.layerCount.problem(with: config.layerCount, label: "the checkpoint's layer count") {
            return problem
        }
        if let problem = SetupLimits.hiddenSize.problem(with: config.hiddenSize, label: "the checkpoint's hidden size") {
            return problem
        }
        if case .embedding(_, let dimension) = config.input,
           let problem = SetupLimits.embeddingSize.problem(with: dimension, label: "the checkpoint's embedding size") {
            return problem
        }
        let inputFits: Bool
        switch (config.input, info.input) {
        case (.embedding(let vocabularySize, _), .tokens(let datasetVocabulary)),
             (.oneHot(let vocabularySize), .tokens(let datasetVocabulary)):
            inputFits = vocabularySize == datasetVocabulary
        case (.numeric(let featureCount), .features(let datasetFeatures)):
            inputFits = featureCount == datasetFeatures
        default:
            inputFits = false
        }
        guard !inputFits || config.outputSize != info.outputSize || config.head != info.head else { return nil }
        return "the checkpoint takes \(Self.words(config.input)) and \(Self.words(config.head, outputSize: config.outputSize)); "
            + "dataset \(info.name) gives \(Self.words(info.input)) and wants a model that \(Self.words(info.head, outputSize: info.outputSize))"
    }

    static func words(_ input: InputEncoding) -> String {
        switch input {
        case .embedding(let vocabularySize, let dimension): "tokens from a vocabulary of \(vocabularySize) (embedded in \(dimension) dimensions)"
        case .oneHot(let vocabularySize): "tokens from a vocabulary of \(vocabularySize) (one-hot)"
        case .numeric(let featureCount): "\(featureCount) numeric feature\(featureCount == 1 ? "" : "s") per timestep"
        }
    }

    static func words(_ input: DatasetInput) -> String {
        switch input {
        case .tokens(let vocabularySize): "tokens from a vocabulary of \(vocabularySize)"
        case .features(let featureCount): "\(featureCount) numeric feature\(featureCount == 1 ? "" : "s") per timestep"
        }
    }

    static func words(_ head: HeadKind, outputSize: Int) -> String {
        switch head {
        case .tokenEveryStep: "predicts the next of \(outputSize) tokens at every step"
        case .classifyLast: "picks one of \(outputSize) classes at the last step"
        case .regressLast: "predicts \(outputSize) number\(outputSize == 1 ? "" : "s") at the last step"
        case .regressEveryStep: "predicts \(outputSize) number\(outputSize == 1 ? "" : "s") at every step"
        case .multiLabelLast: "scores \(outputSize) independent label\(outputSize == 1 ? "" : "s") at the last step"
        }
    }
}
