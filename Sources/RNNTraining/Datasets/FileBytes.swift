import Foundation
import RNNEngine

/// Reading a dataset file: memory-mapped so a file of hundreds of MB costs address space, not a copy.
enum FileBytes {
    /// The file's bytes (mapped). Throws a one-line `DatasetError` for a missing file, a directory, a FIFO
    /// or a device (refused before opening: a FIFO would block, a device never end).
    static func read(_ path: String) throws -> Data {
        switch RegularFile.problem(at: path) {
        case nil:
            break
        case .missing:
            throw DatasetError(
                "\(path): no such file; expected a dataset name (\(DatasetCatalog.entries().map(\.name).joined(separator: ", "))) or a path to a .txt or .csv file")
        case let problem?:
            throw DatasetError("\(path): \(problem.description); expected a .txt or .csv file")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw DatasetError("\(path): cannot be read (\(error.localizedDescription))")
        }
    }
}

/// Strict UTF-8 decoding over raw bytes: rejects overlong forms, surrogates, values above U+10FFFF and
/// truncated sequences. O(1) per scalar, no allocation.
enum UTF8Scanner {
    /// Length of a leading byte-order mark (0 or 3).
    static func byteOrderMarkLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// Decodes the scalar at `offset` and advances past it; nil (offset unchanged) if the bytes there are not UTF-8.
    @inline(__always)
    static func decode(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) -> UInt32? {
        let lead = UInt32(bytes[offset])
        if lead < 0x80 {
            offset += 1
            return lead
        }
        let length: Int
        let minimum: UInt32
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; minimum = 0x80; value = lead & 0x1F
        case 0xE0...0xEF: length = 3; minimum = 0x800; value = lead & 0x0F
        case 0xF0...0xF4: length = 4; minimum = 0x1_0000; value = lead & 0x07
        default: return nil
        }
        guard offset + length <= bytes.count else { return nil }
        for index in 1..<length {
            let continuation = UInt32(bytes[offset + index])
            guard continuation & 0xC0 == 0x80 else { return nil }
            value = (value << 6) | (continuation & 0x3F)
        }
        guard value >= minimum, value <= 0x10_FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
        offset += length
        return value
    }

    /// The error for bytes that are not UTF-8 at `offset`, with the 1-based line it is on.
    static func notUTF8Error(path: String, bytes: UnsafeRawBufferPointer, offset: Int) -> DatasetError {
        var line = 1
        for index in 0..<offset where bytes[index] == 0x0A { line += 1 }
        let byte = String(bytes[offset], radix: 16, uppercase: true)
        return DatasetError(
            "\(path):\(line): not UTF-8 text (byte 0x\(byte) at offset \(offset)); save the file as UTF-8")
    }
}
