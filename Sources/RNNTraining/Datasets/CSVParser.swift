/// A streaming RFC 4180 CSV parser over raw bytes: quoted fields, `""` for a quote inside quotes,
/// commas and newlines inside quotes, LF, CRLF or CR line ends, an optional UTF-8 byte-order mark.
/// Records are handed to `body` one at a time with the 1-based line they start on; an empty line is
/// handed over as one empty field (the caller decides whether that is a missing value or a blank line).
/// O(bytes) time; memory of one record at a time.
enum CSVParser {
    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Validates `bytes` as UTF-8, then calls `body(fields, line)` for every record.
    static func forEachRecord(
        in bytes: UnsafeRawBufferPointer, path: String, _ body: (_ fields: [String], _ line: Int) throws -> Void
    ) throws {
        let start = UTF8Scanner.byteOrderMarkLength(bytes)
        var offset = start
        while offset < bytes.count {
            if bytes[offset] < 0x80 {
                offset += 1
            } else if UTF8Scanner.decode(bytes, at: &offset) == nil {
                throw UTF8Scanner.notUTF8Error(path: path, bytes: bytes, offset: offset)
            }
        }

        var line = 1
        var recordLine = 1
        var fields: [String] = []
        var field: [UInt8] = []
        offset = start
        var atRecordStart = true

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() throws {
            endField()
            try body(fields, recordLine)
            fields.removeAll(keepingCapacity: true)
            atRecordStart = true
        }
        /// Consumes a line end at `offset` if there is one.
        func consumeLineEnd() -> Bool {
            guard offset < bytes.count else { return false }
            if bytes[offset] == lineFeed {
                offset += 1
            } else if bytes[offset] == carriageReturn {
                offset += 1
                if offset < bytes.count, bytes[offset] == lineFeed { offset += 1 }
            } else {
                return false
            }
            line += 1
            return true
        }

        while offset < bytes.count {
            if atRecordStart {
                recordLine = line
                atRecordStart = false
            }
            if bytes[offset] == quote {
                // Quoted field: up to the closing quote, then a comma, a line end or the end of the file.
                let openingLine = line
                offset += 1
                var closed = false
                while offset < bytes.count {
                    let byte = bytes[offset]
                    if byte == quote {
                        if offset + 1 < bytes.count, bytes[offset + 1] == quote {
                            field.append(quote)
                            offset += 2
                        } else {
                            offset += 1
                            closed = true
                            break
                        }
                    } else {
                        if byte == lineFeed || (byte == carriageReturn && !(offset + 1 < bytes.count && bytes[offset + 1] == lineFeed)) {
                            line += 1
                        }
                        field.append(byte)
                        offset += 1
                    }
                }
                guard closed else {
                    throw DatasetError("\(path):\(openingLine): a quoted field opened here is never closed; expected a closing \"")
                }
                if offset < bytes.count, bytes[offset] == comma {
                    offset += 1
                    endField()
                    if offset == bytes.count { try endRecord() }
                } else if offset == bytes.count || consumeLineEnd() {
                    try endRecord()
                } else {
                    throw DatasetError(
                        "\(path):\(line): unexpected '\(Character(Unicode.Scalar(bytes[offset])))' after a closing quote; expected a comma or a line end (write \"\" for a quote inside quotes)")
                }
            } else {
                // Unquoted field: up to a comma, a line end or the end of the file.
                while offset < bytes.count {
                    let byte = bytes[offset]
                    if byte == comma || byte == lineFeed || byte == carriageReturn { break }
                    field.append(byte)
                    offset += 1
                }
                if offset < bytes.count, bytes[offset] == comma {
                    offset += 1
                    endField()
                    if offset == bytes.count { try endRecord() }
                } else {
                    _ = consumeLineEnd()
                    try endRecord()
                }
            }
        }
    }
}
