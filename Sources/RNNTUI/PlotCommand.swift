import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

/// `rnn-tui plot RUN_DIR… --out FILE.svg`: the notebook's loss chart of one or more runs as a standalone SVG.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw runs' train and validation loss curves into a standalone SVG file.",
        discussion: """
            Reads each RUN_DIR's metrics.csv (and config.json for the dataset's baseline and the tokens axis, \
            changes.jsonl for hyperparameter change marks, the TensorBoard event file for the time axis). \
            The runs are overlaid in one chart with a legend.
            """
    )

    enum XAxis: String, ExpressibleByArgument, CaseIterable {
        case step, tokens, time
    }

    @Argument(help: "Run folders (each with a metrics.csv), or metrics CSV files in that format.")
    var runDirectories: [String]
    @Option(help: "The SVG file to write.")
    var out: String
    @Flag(help: "Log-10 loss axis.")
    var log = false
    @Option(help: "Horizontal axis: step, tokens (step × batch × sequence length, from config.json) or time (seconds since the run's first step, from its TensorBoard event file). Default: step.")
    var x: XAxis = .step
    @Flag(help: "Leave out the baseline line (skips loading each run's dataset).")
    var noBaseline = false

    func validate() throws {
        guard !runDirectories.isEmpty else { throw ValidationError("give at least one run folder") }
    }

    func run() throws {
        let runs = try runDirectories.map(loadRun)
        var chart = PlotSVG()
        chart.logScale = log
        chart.xLabel = switch x {
        case .step: "step"
        case .tokens: "tokens"
        case .time: "seconds"
        }
        let svg = chart.render(runs)
        do {
            try Data(svg.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw CLIError("\(out): cannot write (\(error.localizedDescription))")
        }
        print("wrote \(out): \(runs.count) run(s), \(runs.map { "\($0.train.count)+\($0.validation.count)" }.joined(separator: ", ")) points")
    }

    private func loadRun(_ path: String) throws -> PlotRun {
        // A folder holds metrics.csv; a file is a metrics CSV itself (train.py's pytorch-metrics.csv).
        var isFolder: ObjCBool = true
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        let metricsURL = isFolder.boolValue
            ? URL(fileURLWithPath: path, isDirectory: true).appendingPathComponent("metrics.csv") : URL(fileURLWithPath: path)
        let folder = metricsURL.deletingLastPathComponent()
        let rows = try MetricsFile.read(metricsURL)
        let setup = Self.setup(in: folder)
        let position: (Int) throws -> Double
        switch x {
        case .step:
            position = { Double($0) }
        case .tokens:
            guard let setup else { throw CLIError("\(path)/config.json: missing or unreadable; --x tokens needs the run's batch size and sequence length") }
            let perStep = Double(setup.batchSize * setup.sequenceLength)
            position = { Double($0) * perStep }
        case .time:
            let times = try Self.stepTimes(in: folder)
            guard let start = times.values.min() else { throw CLIError("\(path): its TensorBoard event file has no loss/train points") }
            position = { step in
                guard let time = times[step] else { throw CLIError("\(path): no wall time for step \(step) in the TensorBoard event file") }
                return time - start
            }
        }
        var baseline: (Double, String)?
        if !noBaseline, let setup {
            var options = setup.datasetOptions
            options.seed = setup.seed
            if let dataset = try? DatasetCatalog.load(setup.dataset, sequenceLength: setup.sequenceLength, options: options) {
                baseline = (dataset.info.baselineLoss, dataset.info.baselineDescription)
            }
        }
        return PlotRun(
            name: path,
            train: try rows.compactMap { row in try row.trainLoss.map { (try position(row.step), $0) } },
            validation: try rows.compactMap { row in try row.validationLoss.map { (try position(row.step), $0) } },
            baseline: baseline,
            changes: try MetricsFile.changes(in: folder).map { (try position(max(0, $0.step - 1)), $0.label) })
    }

    /// The run's config.json; when it does not decode whole (written by another version), the fields
    /// `plot` needs — dataset, sequenceLength, batchSize, seed — over the defaults.
    private static func setup(in folder: URL) -> TrainingSetup? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("config.json")) else { return nil }
        if let setup = try? JSONDecoder().decode(TrainingSetup.self, from: data) { return setup }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        var setup = TrainingSetup()
        if let dataset = object["dataset"] as? String { setup.dataset = dataset }
        if let length = object["sequenceLength"] as? Int { setup.sequenceLength = length }
        if let batch = object["batchSize"] as? Int { setup.batchSize = batch }
        if let seed = object["seed"] as? Int, seed >= 0 { setup.seed = UInt64(seed) }
        return setup
    }

    /// Wall time of each step's loss/train point in the run's newest event file.
    private static func stepTimes(in folder: URL) throws -> [Int: Double] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard let name = names.filter({ $0.hasPrefix("events.out.tfevents.") }).sorted().last else {
            throw CLIError("\(folder.path): no events.out.tfevents.* file; --x time needs the run's TensorBoard log")
        }
        var times: [Int: Double] = [:]
        do {
            for event in try EventFileReader.read(contentsOf: folder.appendingPathComponent(name)) {
                guard case .summary(let values) = event.content, values.contains(where: { $0.tag == "loss/train" }) else { continue }
                times[Int(event.step)] = event.wallTime
            }
        } catch {
            throw CLIError("\(error)")
        }
        return times
    }
}

/// metrics.csv and changes.jsonl as `plot` reads them.
enum MetricsFile {
    struct Row {
        var step: Int
        var trainLoss: Double?
        var validationLoss: Double?
    }

    /// Rows of a metrics.csv; needs the step, train_loss and val_loss columns (others are ignored).
    /// Errors name the file and line.
    static func read(_ url: URL) throws -> [Row] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw CLIError("\(url.path): cannot read (\(error.localizedDescription))")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
              let stepColumn = header.firstIndex(of: "step"), let trainColumn = header.firstIndex(of: "train_loss"),
              let validationColumn = header.firstIndex(of: "val_loss") else {
            throw CLIError("\(url.path):1: expected a header with step, train_loss and val_loss (\(MetricsLog.header))")
        }
        return try lines.dropFirst().enumerated().map { offset, line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let number = offset + 2
            guard cells.count == header.count, let step = Int(cells[stepColumn]) else {
                throw CLIError("\(url.path):\(number): expected \(header.count) cells starting with a step number, got \"\(line.prefix(60))\"")
            }
            func value(_ column: Int) throws -> Double? {
                let cell = cells[column]
                if cell.isEmpty { return nil }
                guard let value = Double(cell) else {
                    throw CLIError("\(url.path):\(number): \(header[column]) \"\(cell)\" is not a number")
                }
                return value
            }
            return Row(step: step, trainLoss: try value(trainColumn), validationLoss: try value(validationColumn))
        }
    }

    /// The run's live changes (changes.jsonl) labelled over its config.json, or none when it has no change log.
    static func changes(in folder: URL) throws -> [(step: Int, label: String)] {
        let changes: [RecordedChange]
        let setup: TrainingSetup
        do {
            changes = try ChangeLog.read(from: ChangeLog.url(in: folder))
            guard !changes.isEmpty else { return [] }
            setup = try TrainingSetup.read(configAt: folder.path)
        } catch {
            throw CLIError("\(error)")
        }
        return ChangeLog.labels(changes, startingFrom: setup)
    }
}
