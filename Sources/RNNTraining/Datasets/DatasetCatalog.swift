import Foundation

/// Finds datasets by name (built-in generated tasks, files in samples/) or by path.
public enum DatasetCatalog {
    /// One entry in the list the setup screen and `--help` show.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var summary: String
        public init(name: String, summary: String) {
            self.name = name
            self.summary = summary
        }
    }

    /// Short names of the files in samples/.
    static let sampleFiles: [(name: String, path: String, summary: String)] = [
        ("corpus", "samples/corpus.txt", "character language model: a made-up config language with nesting, quotes and dialogue"),
        ("sentiment", "samples/sentiment.csv", "sentiment of short phrases (positive/negative), word tokens"),
        ("series", "samples/series.csv", "hourly sensor series with gaps: forecast the next load value"),
        ("tags", "samples/tags.csv", "keepers' log lines tagged with every topic they touch (multi-label, sigmoid)"),
        ("spikes", "samples/spikes.csv", "reservoir inflow and level with sensor glitches: try --outliers interpolate"),
    ]

    /// The built-in tasks and the samples that ship with the project, in the order a person sees them.
    public static func entries() -> [Entry] {
        sampleFiles.map { Entry(name: $0.name, summary: $0.summary) } + [
            Entry(name: "adding", summary: "adding problem: sum the two marked values of a long sequence (MSE)"),
            Entry(name: "copy", summary: "copy task: recall symbols after a long blank stretch (cross-entropy)"),
            Entry(name: "sine", summary: "forecast a noisy sum of sines one step ahead (MSE)"),
        ]
    }

    /// Loads `nameOrPath`. `sequenceLength` is the generated tasks' length, the language model's BPTT
    /// window, the series window or the text truncation length. Throws `DatasetError`.
    ///
    /// A path is read by its extension: `.txt` (or no extension) → character language model; `.csv` →
    /// text classification when `--text-column`/`--label-column`/`--label-columns` are set or the header has
    /// `text` and `label` (and no `--target`), otherwise series forecasting. A label column with `|`-separated
    /// labels, or `--label-columns`, makes the classification multi-label.
    public static func load(_ nameOrPath: String, sequenceLength: Int, options: DatasetOptions) throws -> any Dataset {
        let dataset = try loadAny(nameOrPath, sequenceLength: sequenceLength, options: options)
        if options.horizon != 1 && !(dataset is SeriesForecastDataset) {
            throw DatasetError(
                "--horizon \(options.horizon): dataset \(dataset.info.name) is not a CSV series (\(dataset.info.task.rawValue)); a horizon applies to forecasting a CSV series, so leave it at 1")
        }
        return dataset
    }

    private static func loadAny(_ nameOrPath: String, sequenceLength: Int, options: DatasetOptions) throws -> any Dataset {
        let name = nameOrPath.trimmingCharacters(in: .whitespaces)
        switch name {
        case "adding": return try AddingProblemDataset(sequenceLength: sequenceLength, options: options)
        case "copy": return try CopyTaskDataset(sequenceLength: sequenceLength, options: options)
        case "sine": return try SineForecastDataset(sequenceLength: sequenceLength, options: options)
        case "": throw DatasetError("no dataset given; expected a name (\(entries().map(\.name).joined(separator: ", "))) or a path")
        default: break
        }
        let relative = sampleFiles.first { $0.name == name }?.path ?? name
        let path = SampleFiles.resolve(relative)
        guard sequenceLength >= 1 else {
            throw DatasetError("--seq-len \(sequenceLength): expected a length of at least 1")
        }
        if path.lowercased().hasSuffix(".csv") {
            if try isClassificationFile(path, options: options) {
                return try TextClassificationDataset(path: path, name: name, sequenceLength: sequenceLength, options: options)
            }
            return try SeriesForecastDataset(path: path, name: name, sequenceLength: sequenceLength, options: options)
        }
        return try CharacterCorpusDataset(path: path, name: name, sequenceLength: sequenceLength, options: options)
    }

    /// Whether a CSV file asks for classification (reads only as far as the header).
    static func isClassificationFile(_ path: String, options: DatasetOptions) throws -> Bool {
        if options.textColumn != nil || options.labelColumn != nil || options.labelColumns != nil { return true }
        if options.targetColumn != nil { return false }
        struct HeaderRead: Error {}
        var columns: [String] = []
        do {
            try CSVFile.read(path) { file in
                columns = file.columns
                throw HeaderRead()
            } row: { _, _ in }
        } catch is HeaderRead {
            return isClassification(columns: columns, options: options)
        }
        return false
    }

    /// The rule for a CSV header: classification when a text or label column is asked for, or the
    /// header has `text` and `label` and no target is asked for; otherwise series forecasting.
    static func isClassification(columns: [String], options: DatasetOptions) -> Bool {
        if options.textColumn != nil || options.labelColumn != nil { return true }
        if options.targetColumn != nil { return false }
        let file = CSVFile(path: "", columns: columns)
        return file.hasColumn("text") && file.hasColumn("label")
    }
}
