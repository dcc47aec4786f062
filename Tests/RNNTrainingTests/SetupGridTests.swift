import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// `--vary` grids and flag overrides over a base setup (defaults or a run's config.json).
final class SetupGridTests: XCTestCase {
    private var base: TrainingSetup {
        var setup = SetupOverrides.commandLineDefaults
        setup.dataset = "adding"
        setup.seed = 42
        setup.datasetOptions.seed = 42
        setup.steps = 100
        return setup
    }

    func testOneFieldGivesOneSetupPerValueWithTheSameSeed() throws {
        let variants = try SetupGrid.expand(base: base, vary: ["cell=rnn,lstm,gru"])
        XCTAssertEqual(variants.map(\.setup.cell), [.rnn, .lstm, .gru])
        XCTAssertEqual(variants.map(\.label), ["cell=rnn", "cell=lstm", "cell=gru"])
        for variant in variants {
            XCTAssertEqual(variant.setup.seed, 42)
            XCTAssertEqual(variant.setup.datasetOptions.seed, 42)
            var same = variant.setup
            same.cell = base.cell
            XCTAssertEqual(same, base, "only the varied field differs")
        }
    }

    func testRepeatedVaryMakesARowMajorGrid() throws {
        let variants = try SetupGrid.expand(base: base, vary: ["hidden=32,128", "lr=0.01,0.002,0.0005"])
        XCTAssertEqual(variants.count, 6)
        XCTAssertEqual(variants.map(\.setup.hiddenSize), [32, 32, 32, 128, 128, 128])
        XCTAssertEqual(variants.map(\.setup.optimizer.learningRate), [0.01, 0.002, 0.0005, 0.01, 0.002, 0.0005])
        XCTAssertEqual(variants[4].label, "hidden=128 lr=0.002")
    }

    func testOptimizerClipAndStepsFields() throws {
        let variants = try SetupGrid.expand(base: base, vary: ["optimizer=sgd,adam", "clip=0,1", "steps=50"])
        XCTAssertEqual(variants.map(\.setup.optimizer.kind), [.sgd, .sgd, .adam, .adam])
        XCTAssertEqual(variants.map(\.setup.clipNorm), [nil, 1, nil, 1])
        XCTAssertEqual(Set(variants.map(\.setup.steps)), [50])
    }

    func testBadArgumentsAreRefusedNamingThem() {
        func message(_ vary: [String]) -> String {
            do {
                _ = try SetupGrid.expand(base: base, vary: vary)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(message(["size=1,2"]).contains("unknown field \"size\""))
        XCTAssertTrue(message(["cell"]).contains("expected FIELD=v1,v2"))
        XCTAssertTrue(message(["cell=lstm,"]).contains("a value is empty"))
        XCTAssertTrue(message(["cell=lstm,lstm"]).contains("repeated"))
        XCTAssertTrue(message(["cell=lstm", "cell=gru"]).contains("given twice"))
        XCTAssertTrue(message(["hidden=abc"]).contains("--vary hidden=abc: \"abc\" is not a valid integer"))
        XCTAssertTrue(message(["cell=tree"]).contains("not one of rnn, lstm, gru"))
        XCTAssertTrue(message(["layers=1,9"]).contains("--vary layers=9: layers must be \(SetupLimits.layerCount.requirement)"), message(["layers=1,9"]))
        XCTAssertTrue(message([]).contains("--vary is required"))
    }

    func testOverridesKeepTheBaseExceptWhatIsGiven() {
        var config = base
        config.cell = .gru
        config.hiddenSize = 64
        config.epochs = 4
        config.steps = nil
        config.clipNorm = 2
        config.schedule = .cosine(totalSteps: 400, minimumFactor: 0.1)
        var overrides = SetupOverrides()
        XCTAssertEqual(overrides.applied(to: config), config, "nothing given changes nothing")

        overrides.hiddenSize = 32
        overrides.clip = 0
        overrides.seed = 9
        overrides.steps = 250
        let applied = overrides.applied(to: config)
        XCTAssertEqual(applied.cell, .gru)
        XCTAssertEqual(applied.hiddenSize, 32)
        XCTAssertNil(applied.clipNorm, "clip 0 turns clipping off")
        XCTAssertEqual(applied.seed, 9)
        XCTAssertEqual(applied.datasetOptions.seed, 9, "the data follows the seed")
        XCTAssertEqual(applied.steps, 250)
        XCTAssertNil(applied.epochs, "a bound given replaces both")
        XCTAssertEqual(applied.schedule, .cosine(totalSteps: 250, minimumFactor: 0.1), "the cosine follows the new length")
    }

    func testConfigFileReadsBackAndNamesItsProblems() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try RunFolder(path: folder.path)
        try run.writeConfig(base)
        XCTAssertEqual(try TrainingSetup.read(configAt: run.configURL.path), base)
        XCTAssertEqual(try TrainingSetup.read(configAt: folder.path), base, "a run folder names its config.json")
        try Data("{\"cell\": \"lstm\"}".utf8).write(to: run.configURL)
        XCTAssertThrowsError(try TrainingSetup.read(configAt: run.configURL.path)) { error in
            XCTAssertTrue("\(error)".contains("config.json: not a run configuration (missing"), "\(error)")
        }
    }
}
