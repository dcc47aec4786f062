/// TFRecord framing, the container of TensorBoard event files. Each record is
///
///     uint64 length (little-endian) · uint32 masked CRC-32C of those 8 bytes · data · uint32 masked CRC-32C of data
public enum TFRecord {
    /// `data` framed as one record.
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        var record: [UInt8] = []
        record.reserveCapacity(data.count + 16)
        let length = littleEndianBytes(UInt64(data.count))
        record += length
        record += littleEndianBytes(CRC32C.masked(length))
        record += data
        record += littleEndianBytes(CRC32C.masked(data))
        return record
    }

    /// The records of a file's bytes, checking both checksums of each.
    /// Throws naming the record (0-based) and what was wrong.
    public static func records(in bytes: [UInt8]) throws -> [[UInt8]] {
        var records: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            let index = records.count
            guard offset + 12 <= bytes.count else { throw TrainingError("record \(index): truncated header at byte \(offset)") }
            let lengthBytes = Array(bytes[offset..<offset + 8])
            guard readUInt32(bytes, at: offset + 8) == CRC32C.masked(lengthBytes) else {
                throw TrainingError("record \(index): the length's checksum does not match at byte \(offset)")
            }
            let length = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let start = offset + 12
            guard length <= UInt64(bytes.count - start), bytes.count - start - Int(length) >= 4 else {
                throw TrainingError("record \(index): \(length) bytes of data run past the end of the file")
            }
            let data = Array(bytes[start..<start + Int(length)])
            guard readUInt32(bytes, at: start + Int(length)) == CRC32C.masked(data) else {
                throw TrainingError("record \(index): the data's checksum does not match at byte \(start)")
            }
            records.append(data)
            offset = start + Int(length) + 4
        }
        return records
    }

    private static func littleEndianBytes<Word: FixedWidthInteger>(_ word: Word) -> [UInt8] {
        withUnsafeBytes(of: word.littleEndian) { Array($0) }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}
