import Foundation
import XCTest
import RNNEngine
@testable import RNNTraining

/// Every checkpoint a command reads goes through `ValidatedCheckpoint`: metadata that contradicts the tensors
/// is refused in one line naming the key or tensor (each case here crashed `sample` or `inspect`, or read out
/// of bounds, before), and a valid checkpoint of every kind still loads and runs.
final class CheckpointValidationTests: XCTestCase {
    private func refuse(_ checkpoint: Checkpoint, mentions phrases: [String], line: UInt = #line) {
        refuse(tensors: checkpoint.tensors, metadata: checkpoint.metadata, mentions: phrases, line: line)
    }

    private func refuse(tensors: [NamedTensor], metadata: [String: String], mentions phrases: [String], line: UInt = #line) {
        let data = SafeTensors.encode(tensors, metadata: metadata)
        XCTAssertThrowsError(try ValidatedCheckpoint.decode(data, source: "model.safetensors"), line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("model.safetensors: "), message, line: line)
            XCTAssertFalse(message.contains("\n"), message, line: line)
            for phrase in phrases { XCTAssertTrue(message.contains(phrase), "\(message) should mention \(phrase)", line: line) }
        }
    }

    private func replacing(_ checkpoint: Checkpoint, key: String, with value: String?) -> Checkpoint {
        var changed = checkpoint
        changed.metadata[key] = value
        return changed
    }

    private func vocabulary(_ tokens: [String], unknownIndex: Int?, paddingIndex: Int? = nil) -> String {
        CheckpointFixtures.json(Vocabulary(level: .character, tokens: tokens, unknownIndex: unknownIndex, paddingIndex: paddingIndex))
    }

    func testEveryValidFixtureLoadsAndRunsTheCommandsSteps() throws {
        for fixture in CheckpointFixtures.all {
            let validated = try ValidatedCheckpoint.decode(CheckpointFixtures.encode(fixture.checkpoint), source: fixture.name)
            XCTAssertNoThrow(try CheckpointFixtures.exercise(validated), fixture.name)
        }
    }

    // MARK: - The crashes of issue 8, each reproduced by its mutated checkpoint

    func testVocabularyShorterThanTheHeadIsRefused() {
        // Was: index out of range in `sample` (a drawn id past the vocabulary's end).
        let model = CheckpointFixtures.characterModel()
        refuse(replacing(model, key: CheckpointMetadata.vocabularyKey, with: vocabulary(["a", "b"], unknownIndex: 1)),
               mentions: [CheckpointMetadata.vocabularyKey, "2 tokens", "6"])
    }

    func testVocabularyLongerThanTheInputIsRefused() {
        // Was: out-of-range ids reaching the one-hot gather (SIGSEGV) or the embedding table (silent read).
        for model in [CheckpointFixtures.characterModel(), CheckpointFixtures.characterModel(embedding: 3)] {
            let tokens = CheckpointFixtures.characters + ["x", "y", "z"]
            refuse(replacing(model, key: CheckpointMetadata.vocabularyKey, with: vocabulary(tokens, unknownIndex: 0)),
                   mentions: [CheckpointMetadata.vocabularyKey, "9 tokens", "input takes 6"])
        }
    }

    func testHeadWithZeroRowsIsRefused() {
        // Was: accepted by the loader, then out of range.
        let model = CheckpointFixtures.characterModel()
        let tensors = model.tensors.map { tensor -> NamedTensor in
            switch tensor.name {
            case "head.weight": NamedTensor(name: tensor.name, shape: [0, tensor.shape[1]], values: [])
            case "head.bias": NamedTensor(name: tensor.name, shape: [0], values: [])
            default: tensor
            }
        }
        var metadata = model.metadata
        metadata[CheckpointMetadata.vocabularyKey] = nil
        refuse(tensors: tensors, metadata: metadata, mentions: ["head.weight", "no output rows"])
    }

    func testUnknownAndPaddingIndicesOutsideTheVocabularyAreRefused() {
        // Was: an integer conversion trap encoding --text / --prime with an unknown index of 2^31.
        let model = CheckpointFixtures.characterModel()
        let tokens = CheckpointFixtures.characters
        for index in [1 << 31, Int(Int32.max), tokens.count, -1] {
            refuse(replacing(model, key: CheckpointMetadata.vocabularyKey, with: vocabulary(tokens, unknownIndex: index)),
                   mentions: ["unknown token's index \(index)", "0..<\(tokens.count)"])
        }
        refuse(replacing(model, key: CheckpointMetadata.vocabularyKey, with: vocabulary(tokens, unknownIndex: 0, paddingIndex: 1 << 40)),
               mentions: ["padding token's index"])
    }

    func testNumericInputKindOnACharacterModelIsRefused() {
        // Was: a nil unwrap in the forward pass (tokens fed to a model that then expects features).
        let model = CheckpointFixtures.characterModel()
        refuse(replacing(model, key: Checkpoint.inputKey, with: "numeric"), mentions: [CheckpointMetadata.vocabularyKey, "numeric"])
        refuse(replacing(CheckpointFixtures.characterModel(embedding: 3), key: Checkpoint.inputKey, with: "numeric"),
               mentions: [Checkpoint.inputKey, "embedding.weight"])
        refuse(replacing(model, key: Checkpoint.inputKey, with: "embedding"), mentions: ["no embedding.weight"])
        refuse(replacing(model, key: Checkpoint.inputKey, with: "pictures"), mentions: ["pictures"])
        // Without the vocabulary a numeric reading is consistent, and a text command refuses it in words.
        var numeric = replacing(model, key: Checkpoint.inputKey, with: "numeric")
        numeric.metadata[CheckpointMetadata.vocabularyKey] = nil
        numeric.metadata[CheckpointMetadata.taskKey] = nil
        let validated = try? ValidatedCheckpoint.decode(CheckpointFixtures.encode(numeric), source: "x")
        XCTAssertNotNil(validated)
        XCTAssertThrowsError(try CharacterSampler(checkpoint: validated!, prime: "")) { error in
            XCTAssertTrue("\(error)".contains("character language model"), "\(error)")
        }
    }

    func testNonFiniteWeightsAreRefusedNamingTheTensor() {
        // Was: all-NaN tensors loaded and `inspect` printed null everywhere with exit 0.
        let model = CheckpointFixtures.characterModel(cell: .gru)
        for bad in [Float.nan, .infinity, -.infinity] {
            let tensors = model.tensors.map { tensor in
                tensor.name == "rnn.weight_hh_l0" ? NamedTensor(name: tensor.name, shape: tensor.shape, values: tensor.values.map { _ in bad }) : tensor
            }
            refuse(tensors: tensors, metadata: model.metadata, mentions: ["rnn.weight_hh_l0", "non-finite"])
        }
    }

    // MARK: - The rest of the class: every metadata entry checked against the tensors

    func testClassNamesNormalisationAndTaskMustAgreeWithTheModel() {
        let classifier = CheckpointFixtures.classifier()
        refuse(replacing(classifier, key: CheckpointMetadata.classNamesKey, with: CheckpointFixtures.json(["only"])),
               mentions: [CheckpointMetadata.classNamesKey, "1 classes", "2 rows"])
        refuse(replacing(classifier, key: CheckpointMetadata.normalizationKey, with: CheckpointFixtures.json(
            FeatureNormalization(columns: ["x"], means: [0], standardDeviations: [1]))), mentions: ["takes tokens"])
        refuse(replacing(classifier, key: CheckpointMetadata.taskKey, with: "languageModel"), mentions: ["classifyLast"])
        refuse(replacing(classifier, key: CheckpointMetadata.taskKey, with: "poetry"), mentions: ["poetry"])

        let regression = CheckpointFixtures.regression()
        let key = CheckpointMetadata.normalizationKey
        refuse(replacing(regression, key: key, with: CheckpointFixtures.json(
            FeatureNormalization(columns: ["x"], means: [0], standardDeviations: [1]))), mentions: [key, "1 columns", "2 features"])
        refuse(replacing(regression, key: key, with: CheckpointFixtures.json(
            FeatureNormalization(columns: ["x", "y"], means: [0, 1], standardDeviations: [1, 0]))), mentions: ["standard deviation of column 2"])
        refuse(replacing(regression, key: key, with: CheckpointFixtures.json(
            FeatureNormalization(columns: ["x", "y"], means: [0, 1], standardDeviations: [1, 1], targetColumn: "z"))), mentions: ["\"z\""])
        refuse(replacing(regression, key: CheckpointMetadata.classNamesKey, with: CheckpointFixtures.json(["a"])),
               mentions: ["not a classifier"])
        refuse(replacing(regression, key: CheckpointMetadata.vocabularyKey, with: vocabulary(["a", "b"], unknownIndex: nil)),
               mentions: ["numeric features"])
    }

    func testMetadataThatIsNotJSONIsRefusedNamingTheKey() {
        let model = CheckpointFixtures.characterModel()
        for key in [CheckpointMetadata.vocabularyKey, CheckpointMetadata.classNamesKey, CheckpointMetadata.normalizationKey] {
            for text in ["", "{", "[1,2]", "{\"level\": \"character\"}", "null"] {
                refuse(replacing(model, key: key, with: text), mentions: ["metadata \(key) is not"])
            }
        }
    }

    func testTheInitMismatchIsSaidInWords() throws {
        let validated = try ValidatedCheckpoint(CheckpointFixtures.regression())
        let info = DatasetInfo(
            name: "corpus", task: .languageModel, input: .tokens(vocabularySize: 65), head: .tokenEveryStep, outputSize: 65,
            baselineLoss: 4, baselineDescription: "unigram", statefulBatches: true, trainCount: 1, validationCount: 1)
        let problem = try XCTUnwrap(validated.problem(fitting: info))
        XCTAssertEqual(
            problem,
            "the checkpoint takes 2 numeric features per timestep and predicts 1 number at the last step; "
                + "dataset corpus gives tokens from a vocabulary of 65 and wants a model that predicts the next of 65 tokens at every step")
        XCTAssertFalse(problem.contains("featureCount"))

        // Inference takes any depth; a run (and so --init) takes what SetupLimits allows.
        let deep = try ValidatedCheckpoint(CheckpointFixtures.regression(layers: 5))
        XCTAssertNoThrow(try CheckpointFixtures.exercise(try ValidatedCheckpoint(CheckpointFixtures.regression(layers: 4))))
        let series = DatasetInfo(
            name: "series", task: .regression, input: .features(featureCount: 2), head: .regressLast, outputSize: 1,
            baselineLoss: 1, baselineDescription: "persistence", statefulBatches: false, trainCount: 1, validationCount: 1)
        XCTAssertEqual(deep.problem(fitting: series), "the checkpoint's layer count must be 1…4, got 5")
    }

    func testAFIFOOrADeviceIsNotARegularFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe.txt").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for path in [fifo, "/dev/null"] {
            XCTAssertThrowsError(try DatasetCatalog.load(path, sequenceLength: 8, options: DatasetOptions())) { error in
                XCTAssertTrue("\(error)".contains("\(path): is not a regular file"), "\(error)")
            }
            XCTAssertThrowsError(try ValidatedCheckpoint.load(path: path)) { error in
                XCTAssertTrue("\(error)".contains("\(path): is not a regular file"), "\(error)")
            }
        }
        XCTAssertThrowsError(try DatasetCatalog.load(folder.path + "/", sequenceLength: 8, options: DatasetOptions())) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
    }
}

/// Keeps `ValidatedCheckpoint` the only way product code opens a checkpoint: outside the engine's checkpoint
/// folder and `ValidatedCheckpoint.swift`, no source file calls the unvalidated readers.
final class CheckpointLoadingRouteTests: XCTestCase {
    func testNoCommandReadsACheckpointAroundTheValidation() throws {
        var sources = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { sources.deleteLastPathComponent() }
        sources.appendPathComponent("Sources")
        // TrainerState.swift reads the trainer-state tensors (moments, carried state), not a checkpoint; it
        // checks their names and shapes against the model itself.
        let allowed = ["RNNEngine/Checkpoint/", "RNNTraining/Runs/ValidatedCheckpoint.swift", "RNNTraining/Trainer/TrainerState.swift"]
        let readers = ["Checkpoint.load(", "SafeTensors.read(", "SafeTensors.decode(", "Checkpoint(tensors:"]
        let files = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var checked = 0
        for case let url as URL in files where url.pathExtension == "swift" {
            let relative = String(url.path.dropFirst(sources.path.count + 1))
            guard !allowed.contains(where: relative.hasPrefix) else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for reader in readers {
                // `ValidatedCheckpoint.load(` is the allowed route: only a call not part of a longer name counts.
                var searchFrom = text.startIndex
                while let range = text.range(of: reader, range: searchFrom..<text.endIndex) {
                    let before = range.lowerBound == text.startIndex ? " " : text[text.index(before: range.lowerBound)]
                    XCTAssertTrue(before.isLetter || before.isNumber || before == "_",
                                   "\(relative) calls \(reader); open checkpoints with ValidatedCheckpoint.load")
                    searchFrom = range.upperBound
                }
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 20, "found the sources")
    }
}
