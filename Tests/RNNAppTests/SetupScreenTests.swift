import Foundation
import RNNEngine
import RNNTraining
import TerminalUI
import XCTest
@testable import RNNApp

/// The setup screen's run-length and schedule fields, the typed path (checked as typed, `~`, Tab
/// completion), the CSV rows and the reader's decisions, and the prompt that starts selected.
final class SetupScreenTests: XCTestCase {
    /// Fixture files under a relative folder (so paths, and so snapshots, read the same on any machine).
    static let folder = ".build/test-fixtures/setup"

    override func setUp() {
        super.setUp()
        let fileManager = FileManager.default
        try? fileManager.createDirectory(atPath: Self.folder + "/weights", withIntermediateDirectories: true)
        let files = [
            "weather.csv": "date,temp,humidity\n2024-01-01,1.5,80\n2024-01-02,,81\n2024-01-03,2.5,NA\n2024-01-04,3.0,79\n",
            "reviews.csv": "review,sentiment,id\ngreat film,pos,1\nawful,neg,2\nfine,pos,3\n",
            "notes.txt": "some text\n",
        ]
        for (name, text) in files { try? text.write(toFile: Self.folder + "/" + name, atomically: true, encoding: .utf8) }
    }

    private func press(_ keys: [Key], on state: inout AppState) -> [AppEffect] { keys.flatMap { state.update(.key($0)) } }
    private func type(_ text: String, on state: inout AppState) -> [AppEffect] { press(text.map { Key.character($0) }, on: &state) }

    private func state(width: Int = 80, height: Int = 24) -> AppState {
        var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256)
        _ = state.update(.resize(width: width, height: height))
        return state
    }

    private func focus(_ field: SetupField, in state: inout AppState) {
        for _ in 0..<SetupField.allCases.count where state.form.focus != field { _ = press([.down], on: &state) }
        XCTAssertEqual(state.form.focus, field)
    }

    /// On the dataset row, "path…" chosen and `path` typed.
    private func typedPath(_ path: String, width: Int = 80, height: Int = 24) -> AppState {
        var state = state(width: width, height: height)
        focus(.dataset, in: &state)
        _ = press([.left], on: &state)
        XCTAssertTrue(state.form.isPathChosen)
        _ = type(path, on: &state)
        return state
    }

    // MARK: Run length and schedule

    func testRunLengthFieldsTypeAndStep() {
        var state = state()
        focus(.steps, in: &state)
        XCTAssertEqual(state.form.valueText(.steps), "0 (until stopped)")
        _ = type("2500", on: &state)
        _ = press([.down], on: &state)
        XCTAssertEqual(state.form.setup.steps, 2500)
        _ = press([.right, .right], on: &state)
        XCTAssertEqual(state.form.setup.epochs, 2)
        _ = press([.down], on: &state)
        _ = type("0", on: &state)
        _ = press([.down], on: &state)
        XCTAssertTrue(state.form.error?.contains("eval interval '0' is not allowed") ?? false, state.form.error ?? "")
        XCTAssertEqual(state.form.setup.evaluationInterval, 100)
        _ = press([.escape, .right], on: &state)
        XCTAssertEqual(state.form.setup.earlyStoppingPatience, 2)
        _ = press([.left], on: &state)
        XCTAssertNil(state.form.setup.earlyStoppingPatience)
        focus(.steps, in: &state)
        _ = type("0", on: &state)
        let effects = press([.enter], on: &state)
        guard case .startRun(_, let setup)? = effects.last else { return XCTFail("\(effects)") }
        XCTAssertNil(setup.steps, "0 = until stopped")
        XCTAssertEqual(setup.epochs, 2)
    }

    func testScheduleShowsTheFieldsOfItsKind() {
        var state = state()
        focus(.schedule, in: &state)
        XCTAssertFalse(state.form.visibleFields.contains(.decayInterval))
        _ = press([.right], on: &state)
        XCTAssertEqual(state.form.setup.schedule, .stepDecay(interval: 1000, factor: 0.5))
        XCTAssertTrue(state.form.visibleFields.contains(.decayFactor))
        _ = press([.down, .down], on: &state)
        XCTAssertEqual(state.form.focus, .decayFactor)
        _ = type("0.3", on: &state)
        _ = press([.up], on: &state)
        _ = type("200", on: &state)
        _ = press([.up], on: &state)
        XCTAssertEqual(state.form.setup.schedule, .stepDecay(interval: 200, factor: 0.3))
        _ = press([.right], on: &state)
        XCTAssertEqual(state.form.setup.schedule, .cosine(totalSteps: 0, minimumFactor: 0.1))
        XCTAssertEqual(Array(state.form.visibleFields.drop { $0 != .schedule }.prefix(3)), [.schedule, .cosineSteps, .cosineMinimum])
        _ = press([.down], on: &state)
        XCTAssertEqual(state.form.valueText(.cosineSteps), "0 (the run's length)")
        _ = press([.up, .left], on: &state)
        XCTAssertEqual(state.form.setup.schedule, .stepDecay(interval: 1000, factor: 0.5), "back to step decay, its defaults")
        for (width, height) in ScreenSnapshotTests.sizes {
            _ = state.update(.resize(width: width, height: height))
            assertSnapshot(Fixtures.rendered(state), named: "setup-schedule.\(width)x\(height)")
        }
    }

    func testTheFormScrollsToKeepTheFocusInView() {
        var state = state()
        focus(.patience, in: &state)
        let text = Fixtures.rendered(state).text
        XCTAssertTrue(text.contains("▸ patience"), text)
        XCTAssertTrue(text.contains("▲"), "rows above are scrolled off:\n\(text)")
        for (width, height) in ScreenSnapshotTests.sizes {
            _ = state.update(.resize(width: width, height: height))
            assertSnapshot(Fixtures.rendered(state), named: "setup-run-length.\(width)x\(height)")
        }
    }

    // MARK: Prompts start selected

    func testTheLearningRatePromptStartsSelectedSoTypingReplacesIt() {
        var state = Fixtures.trainingState(.languageModel, steps: 20)
        _ = press([.character("=")], on: &state)
        XCTAssertEqual(state.prompt?.text, "0.002")
        XCTAssertEqual(state.prompt?.isSelected, true)
        for (width, height) in ScreenSnapshotTests.sizes {
            _ = state.update(.resize(width: width, height: height))
            assertSnapshot(Fixtures.rendered(state), named: "training-prompt-selected.\(width)x\(height)")
        }
        _ = type("0.0005", on: &state)
        XCTAssertEqual(state.prompt?.text, "0.0005")
        XCTAssertEqual(press([.enter], on: &state), [.send(runID: 1, .setLearningRate(0.0005))])
        // Backspace on the selection clears it.
        _ = press([.character("="), .backspace], on: &state)
        XCTAssertEqual(state.prompt?.text, "")
    }

    // MARK: Paths

    func testPathIsCheckedAsTyped() {
        var state = typedPath(Self.folder + "/nope.csv")
        XCTAssertEqual(state.form.pathStatus, .missing)
        XCTAssertTrue(Fixtures.rendered(state).text.contains("✕ no such file"))
        XCTAssertEqual(press([.enter], on: &state), [])
        XCTAssertTrue(state.form.error?.contains("no such file") ?? false)
        _ = press([.escape], on: &state)
        for _ in 0..<"nope.csv".count { _ = press([.backspace], on: &state) }
        XCTAssertEqual(state.form.pathStatus, .directory)
        XCTAssertTrue(Fixtures.rendered(state).text.contains("✕ a directory"))
        _ = type("notes.txt", on: &state)
        XCTAssertEqual(state.form.pathStatus, .file(bytes: 10))
        XCTAssertTrue(Fixtures.rendered(state).text.contains("✓ file, 10 bytes"))
        XCTAssertEqual(DatasetPath.status(of: "/dev/null"), .notRegularFile)
    }

    func testTildeIsExpanded() {
        let home = NSString(string: "~").expandingTildeInPath
        XCTAssertEqual(DatasetPath.expanded("~/data/a.csv"), home + "/data/a.csv")
        XCTAssertEqual(DatasetPath.expanded("data/~a.csv"), "data/~a.csv")
        var state = typedPath("~/")
        XCTAssertEqual(state.form.pathStatus, .directory)
        XCTAssertEqual(state.form.setupToStart.dataset, home + "/")
        _ = press([.enter], on: &state)
        XCTAssertTrue(state.form.error?.contains("'~/': a directory") ?? false, state.form.error ?? "")
    }

    func testTabCompletesUniqueNamesAndListsAmbiguousOnes() {
        var state = typedPath(Self.folder + "/we")
        _ = press([.tab], on: &state)
        XCTAssertEqual(state.form.typedPath, Self.folder + "/we", "weather.csv and weights/ share only 'we'")
        XCTAssertEqual(state.form.completions, ["weather.csv", "weights/"])
        for (width, height) in ScreenSnapshotTests.sizes {
            _ = state.update(.resize(width: width, height: height))
            assertSnapshot(Fixtures.rendered(state), named: "setup-completion.\(width)x\(height)")
        }
        _ = type("i", on: &state)
        _ = press([.tab], on: &state)
        XCTAssertEqual(state.form.typedPath, Self.folder + "/weights/")
        XCTAssertEqual(state.form.completions, [])
        XCTAssertEqual(state.screen, .setup, "Tab on the path does not switch views")
        // Common prefix: "re" → "reviews.csv" in one press; a folder prefix completes to the folder.
        XCTAssertEqual(DatasetPath.complete(Self.folder + "/re").text, Self.folder + "/reviews.csv")
        XCTAssertEqual(DatasetPath.complete(".build/test-fixtures/se").text, ".build/test-fixtures/setup/")
        XCTAssertEqual(DatasetPath.complete(Self.folder + "/zzz"), DatasetPath.Completion(text: Self.folder + "/zzz", candidates: []))
    }

    func testTypingOverASelectedPathReplacesIt() {
        var state = typedPath(Self.folder + "/notes.txt")
        _ = press([.up, .down], on: &state)
        XCTAssertTrue(state.form.isPathSelected)
        _ = type(Self.folder + "/weather.csv", on: &state)
        XCTAssertEqual(state.form.typedPath, Self.folder + "/weather.csv")
    }

    // MARK: CSV

    func testForecastCSVShowsWhatTheReaderDecidesAndTakesAChosenTarget() {
        var state = typedPath(Self.folder + "/weather.csv", width: 120, height: 40)
        XCTAssertEqual(state.form.csvPreview?.columns.map(\.name), ["date", "temp", "humidity"])
        XCTAssertTrue(state.form.visibleFields.contains(.targetColumn))
        XCTAssertFalse(state.form.visibleFields.contains(.textColumn))
        let decisions = state.form.csvPreview!.decisions(state.form.setup.datasetOptions)
        XCTAssertEqual(decisions, [
            "forecast 'humidity' one step ahead (last numeric column)",
            "inputs: temp, humidity",
            "ignored: date (not numeric)",
            "2 missing in 4 rows (temp 1, humidity 1) → interpolated",
        ])
        assertSnapshot(Fixtures.rendered(state), named: "setup-csv-forecast.120x40")
        _ = press([.down, .down], on: &state)
        XCTAssertEqual(state.form.focus, .targetColumn)
        _ = press([.right], on: &state)
        XCTAssertEqual(state.form.setup.datasetOptions.targetColumn, "temp")
        _ = press([.down, .right], on: &state)
        XCTAssertEqual(state.form.setup.datasetOptions.missingValues, .ffill)
        XCTAssertTrue(Fixtures.rendered(state).text.contains("forecast 'temp' one step ahead"))
        _ = state.update(.resize(width: 80, height: 24))
        assertSnapshot(Fixtures.rendered(state), named: "setup-csv-forecast.80x24")
        let effects = press([.enter], on: &state)
        guard case .startRun(_, let setup)? = effects.last else { return XCTFail("\(effects)") }
        XCTAssertEqual(setup.datasetOptions.targetColumn, "temp")
        XCTAssertEqual(setup.datasetOptions.missingValues, .ffill)
        XCTAssertNil(setup.datasetOptions.textColumn)
    }

    func testColumnsFromFlagsStayAndAnotherDatasetDropsThem() {
        var setup = TrainingSetup()
        setup.dataset = "samples/sentiment.csv"
        setup.datasetOptions.targetColumn = "load"
        var state = AppState(datasetEntries: Fixtures.entries, colorMode: .palette256, setup: setup)
        XCTAssertEqual(state.form.setupToStart.datasetOptions.targetColumn, "load", "a --target flag is kept")
        focus(.dataset, in: &state)
        _ = press([.left], on: &state)
        XCTAssertNil(state.form.setupToStart.datasetOptions.targetColumn)
    }

    func testTheDefaultTargetIsSpelledOutWhenTheRunStarts() {
        var state = typedPath(Self.folder + "/weather.csv")
        let effects = press([.enter], on: &state)
        guard case .startRun(_, let setup)? = effects.last else { return XCTFail("\(effects)") }
        XCTAssertEqual(setup.datasetOptions.targetColumn, "humidity")
    }

    func testClassificationCSVPicksTextAndLabelColumns() {
        var state = typedPath(Self.folder + "/reviews.csv", width: 120, height: 40)
        XCTAssertFalse(state.form.isClassifyingCSV, "no text,label header: forecasting by default")
        _ = press([.down], on: &state)
        XCTAssertEqual(state.form.focus, .csvTask)
        _ = press([.right], on: &state)
        XCTAssertTrue(state.form.isClassifyingCSV)
        XCTAssertEqual(state.form.setup.datasetOptions.textColumn, "review")
        XCTAssertEqual(state.form.setup.datasetOptions.labelColumn, "sentiment")
        XCTAssertEqual(Array(state.form.visibleFields.drop { $0 != .csvTask }),
                       [.csvTask, .textColumn, .labelColumn, .tokenization, .missingValues])
        let decisions = state.form.csvPreview!.decisions(state.form.setup.datasetOptions)
        XCTAssertEqual(decisions, ["classification: text 'review', label 'sentiment', word tokens", "labels seen: pos, neg",
                                   "ignored: id"])
        _ = press([.down, .down, .down, .right], on: &state)
        XCTAssertEqual(state.form.setup.datasetOptions.tokenization, .character)
        for (width, height) in ScreenSnapshotTests.sizes {
            _ = state.update(.resize(width: width, height: height))
            assertSnapshot(Fixtures.rendered(state), named: "setup-csv-classify.\(width)x\(height)")
        }
        let effects = press([.enter], on: &state)
        guard case .startRun(_, let setup)? = effects.last else { return XCTFail("\(effects)") }
        XCTAssertEqual(setup.datasetOptions.textColumn, "review")
        XCTAssertNil(setup.datasetOptions.targetColumn)
    }

    func testPreviewReadsABoundedSample() throws {
        let path = Self.folder + "/long.csv"
        var text = "a,b\n"
        for row in 0..<20_000 { text += "\(row),\(row % 7 == 0 ? "" : String(row))\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let preview = try CSVPreview.read(path, byteLimit: 4096)
        XCTAssertTrue(preview.isTruncated)
        XCTAssertGreaterThan(preview.sampledRows, 100)
        XCTAssertLessThan(preview.sampledRows, 1000)
        XCTAssertTrue(preview.decisions(DatasetOptions())[0].hasPrefix("forecast 'b'"))
        XCTAssertTrue(preview.decisions(DatasetOptions()).last!.contains("in the first"))
        XCTAssertThrowsError(try CSVPreview.read(Self.folder + "/missing.csv"))
    }
}
