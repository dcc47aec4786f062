import Foundation

/// A problem with a safetensors file, said in one line with the file and what was expected.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of JSON
/// (`{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}`),
/// then the raw little-endian tensor data; offsets are relative to the start of that data.
/// Decoding lives in `SafeTensors+Decode.swift`, encoding in `SafeTensors+Encode.swift`.
public enum SafeTensors {
    /// Parses `data`; F32 is read as is, F16, BF16 and F64 are converted to Float. Tensors come back in
    /// header order. `source` names the file in error messages. Refuses malformed input with a one-line
    /// `SafeTensorsError`, never traps. Cost: one pass over `data`.
    public static func decode(_ data: Data, source: String) throws -> (tensors: [NamedTensor], metadata: [String: String]) {
        try data.withUnsafeBytes { bytes in try decode(bytes: bytes, source: source) }
    }

    /// Serialises tensors (as F32, in the given order) and string metadata (written only when non-empty).
    /// The header is padded with spaces to a multiple of 8 bytes. Each tensor should hold
    /// `shape.reduce(1, *)` values; `write` checks that, `encode` writes what it is given.
    public static func encode(_ tensors: [NamedTensor], metadata: [String: String]) -> Data {
        encodeFile(tensors, metadata: metadata)
    }

    /// Reads a regular file (a directory, FIFO or device is refused before opening); errors name the path.
    public static func read(contentsOf url: URL) throws -> (tensors: [NamedTensor], metadata: [String: String]) {
        // A missing or unreadable file falls through: reading says why it cannot.
        if let problem = RegularFile.problem(at: url.path), problem.isSomethingElse {
            throw SafeTensorsError("\(url.path): \(problem.description); expected a .safetensors file")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SafeTensorsError("\(url.path): cannot read the file (\(error.localizedDescription))")
        }
        return try decode(data, source: url.path)
    }

    /// Writes durably (`DurableFile`: temporary file, fsync, rename, fsync of the folder), so a kill leaves
    /// the old file or the new one. Refuses tensors whose value count does not match their shape,
    /// duplicate names and the reserved name `__metadata__`.
    public static func write(_ tensors: [NamedTensor], metadata: [String: String], to url: URL) throws {
        try validateForWriting(tensors, path: url.path)
        do {
            try DurableFile.write(to: url) { sink in try writeFile(tensors, metadata: metadata, into: sink) }
        } catch {
            throw SafeTensorsError(error.description)
        }
    }
}
