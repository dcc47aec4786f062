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

    /// The built-in tasks and the samples that ship with the project, in the order a person sees them.
    public static func entries() -> [Entry] {
        []
    }

    /// Loads `nameOrPath`. `sequenceLength` is needed by generated tasks. Throws `DatasetError`.
    public static func load(_ nameOrPath: String, sequenceLength: Int, options: DatasetOptions) throws -> any Dataset {
        throw DatasetError("unknown dataset '\(nameOrPath)'")
    }
}
