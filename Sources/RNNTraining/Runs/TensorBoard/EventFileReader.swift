import Foundation

/// Reads TensorBoard event files back: the TFRecord framing (both checksums checked) and the `Event`
/// fields that `TensorBoardEvent` writes; other fields are skipped. For tests and tools, not for speed.
public enum EventFileReader {
    public static func read(contentsOf url: URL) throws -> [TensorBoardEvent] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError("\(url.path): cannot read (\(error.localizedDescription))")
        }
        do {
            return try decode([UInt8](data))
        } catch let error as TrainingError {
            throw TrainingError("\(url.path): \(error.description)")
        }
    }

    public static func decode(_ bytes: [UInt8]) throws -> [TensorBoardEvent] {
        try TFRecord.records(in: bytes).enumerated().map { index, record in
            do { return try event(record) } catch let error as TrainingError {
                throw TrainingError("record \(index): \(error.description)")
            }
        }
    }

    private static func event(_ bytes: [UInt8]) throws -> TensorBoardEvent {
        var event = TensorBoardEvent(wallTime: 0, step: 0, content: .summary([]))
        var reader = ProtobufReader(bytes[...])
        while let field = try reader.next() {
            switch (field.number, field.value) {
            case (1, .fixed64(let bits)): event.wallTime = Double(bitPattern: bits)
            case (2, .varint(let value)): event.step = Int64(bitPattern: value)
            case (3, .bytes(let text)): event.content = .fileVersion(String(decoding: text, as: UTF8.self))
            case (5, .bytes(let summary)): event.content = .summary(try values(summary))
            default: break
            }
        }
        return event
    }

    private static func values(_ summary: ArraySlice<UInt8>) throws -> [SummaryValue] {
        var reader = ProtobufReader(summary)
        var values: [SummaryValue] = []
        while let field = try reader.next() {
            guard field.number == 1, case .bytes(let value) = field.value else { continue }
            if let decoded = try self.value(value) { values.append(decoded) }
        }
        return values
    }

    /// A Summary.Value, or nil for a kind rnn-tui does not write.
    private static func value(_ bytes: ArraySlice<UInt8>) throws -> SummaryValue? {
        var reader = ProtobufReader(bytes)
        var tag = "", scalar: Float?, histogram: Histogram?, text: String?
        while let field = try reader.next() {
            switch (field.number, field.value) {
            case (1, .bytes(let name)): tag = String(decoding: name, as: UTF8.self)
            case (2, .fixed32(let bits)): scalar = Float(bitPattern: bits)
            case (5, .bytes(let histo)): histogram = try self.histogram(histo)
            case (8, .bytes(let tensor)): text = try firstString(tensor)
            default: break
            }
        }
        if let scalar { return .scalar(tag: tag, value: scalar) }
        if let histogram { return .histogram(tag: tag, histogram) }
        if let text { return .text(tag: tag, markdown: text) }
        return nil
    }

    private static func firstString(_ tensor: ArraySlice<UInt8>) throws -> String? {
        var reader = ProtobufReader(tensor)
        while let field = try reader.next() {
            if field.number == 8, case .bytes(let text) = field.value { return String(decoding: text, as: UTF8.self) }
        }
        return nil
    }

    private static func histogram(_ bytes: ArraySlice<UInt8>) throws -> Histogram {
        var histogram = Histogram(minimum: 0, maximum: 0, count: 0, sum: 0, sumOfSquares: 0, bucketLimits: [], bucketCounts: [])
        var reader = ProtobufReader(bytes)
        while let field = try reader.next() {
            switch (field.number, field.value) {
            case (1, .fixed64(let bits)): histogram.minimum = Double(bitPattern: bits)
            case (2, .fixed64(let bits)): histogram.maximum = Double(bitPattern: bits)
            case (3, .fixed64(let bits)): histogram.count = Double(bitPattern: bits)
            case (4, .fixed64(let bits)): histogram.sum = Double(bitPattern: bits)
            case (5, .fixed64(let bits)): histogram.sumOfSquares = Double(bitPattern: bits)
            case (6, .bytes(let packed)): histogram.bucketLimits = try doubles(packed)
            case (7, .bytes(let packed)): histogram.bucketCounts = try doubles(packed)
            default: break
            }
        }
        return histogram
    }

    private static func doubles(_ packed: ArraySlice<UInt8>) throws -> [Double] {
        guard packed.count % 8 == 0 else { throw TrainingError("a packed double field has \(packed.count) bytes") }
        return stride(from: packed.startIndex, to: packed.endIndex, by: 8).map { start in
            Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(packed[start + $1]) << (8 * $1) })
        }
    }
}

/// Walks the fields of one protobuf message.
private struct ProtobufReader {
    enum Value {
        case varint(UInt64), fixed64(UInt64), fixed32(UInt32), bytes(ArraySlice<UInt8>)
    }

    private let bytes: ArraySlice<UInt8>
    private var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    mutating func next() throws -> (number: Int, value: Value)? {
        guard offset < bytes.endIndex else { return nil }
        let key = try varint()
        let number = Int(key >> 3)
        switch key & 7 {
        case 0: return (number, .varint(try varint()))
        case 1: return (number, .fixed64(try fixed(8)))
        case 5: return (number, .fixed32(UInt32(try fixed(4))))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - offset) else { throw TrainingError("field \(number) runs past its message") }
            defer { offset += Int(length) }
            return (number, .bytes(bytes[offset..<offset + Int(length)]))
        default:
            throw TrainingError("field \(number) has wire type \(key & 7), which this reader does not know")
        }
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while offset < bytes.endIndex, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw TrainingError("a varint runs past its message")
    }

    private mutating func fixed(_ size: Int) throws -> UInt64 {
        guard bytes.endIndex - offset >= size else { throw TrainingError("a fixed-width field runs past its message") }
        defer { offset += size }
        return (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
}
