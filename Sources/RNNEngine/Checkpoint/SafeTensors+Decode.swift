import Foundation

extension SafeTensors {
    /// Header lengths above this are refused as absurd (the reference implementation's limit too).
    static let maximumHeaderLength: UInt64 = 100_000_000

    /// One tensor entry of the header, checked against the data buffer but not yet converted.
    private struct TensorEntry {
        var name: String
        var dataType: SafeTensorsDataType
        var shape: [Int]
        var elementCount: Int
        var begin: Int  // byte offset in the data buffer
        var end: Int
    }

    /// Decodes a whole file held in `bytes`. Tensors come back in header order. Cost: one pass over the file.
    static func decode(bytes: UnsafeRawBufferPointer, source: String) throws(SafeTensorsError)
        -> (tensors: [NamedTensor], metadata: [String: String])
    {
        func fail(_ problem: String) -> SafeTensorsError { SafeTensorsError("\(source): \(problem)") }

        guard bytes.count >= 8 else {
            throw fail("file is \(bytes.count) bytes, shorter than the 8-byte header length every safetensors file starts with")
        }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard headerLength <= maximumHeaderLength else {
            throw fail("header length \(headerLength) is absurdly large (at most \(maximumHeaderLength) bytes); not a safetensors file?")
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail("header length \(headerLength) runs past the end of the file (only \(bytes.count - 8) bytes follow it)")
        }
        let dataStart = 8 + Int(headerLength)
        let dataCount = bytes.count - dataStart

        let header: HeaderJSON
        do {
            header = try HeaderJSONParser.parse(Array(bytes[8..<dataStart]))
        } catch {
            throw fail("header is not valid JSON: \(error.message) at byte \(error.offset) of the header")
        }
        guard case .object(let members) = header else {
            throw fail("header is \(header.kindDescription), expected a JSON object of tensors")
        }

        var metadata: [String: String] = [:]
        var entries: [TensorEntry] = []
        for (key, value) in members {
            if key == "__metadata__" {
                metadata = try decodeMetadata(value, fail: fail)
            } else {
                entries.append(try decodeEntry(name: key, value, dataCount: dataCount, fail: fail))
            }
        }
        try checkNoOverlap(entries, fail: fail)

        let tensors = entries.map { entry in
            NamedTensor(
                name: entry.name, shape: entry.shape,
                values: entry.dataType.decodeFloats(bytes, offset: dataStart + entry.begin, count: entry.elementCount))
        }
        return (tensors, metadata)
    }

    private static func decodeMetadata(_ value: HeaderJSON, fail: (String) -> SafeTensorsError) throws(SafeTensorsError)
        -> [String: String]
    {
        guard case .object(let members) = value else {
            throw fail("\"__metadata__\" is \(value.kindDescription), expected an object of string values")
        }
        var metadata: [String: String] = [:]
        for (key, value) in members {
            guard case .string(let string) = value else {
                throw fail("metadata value for \(key.debugDescription) is \(value.kindDescription), expected a string")
            }
            metadata[key] = string
        }
        return metadata
    }

    private static func decodeEntry(
        name: String, _ value: HeaderJSON, dataCount: Int, fail: (String) -> SafeTensorsError
    ) throws(SafeTensorsError) -> TensorEntry {
        let tensor = "tensor \(name.debugDescription)"
        guard case .object(let fields) = value else {
            throw fail("\(tensor) is \(value.kindDescription), expected an object with dtype, shape and data_offsets")
        }
        func field(_ key: String) throws(SafeTensorsError) -> HeaderJSON {
            guard let found = fields.first(where: { $0.key == key }) else {
                throw fail("\(tensor) has no \"\(key)\" (each tensor needs dtype, shape and data_offsets)")
            }
            return found.value
        }

        let dataTypeValue = try field("dtype")
        guard case .string(let dataTypeName) = dataTypeValue else {
            throw fail("\(tensor): dtype is \(dataTypeValue.kindDescription), expected a string such as \"F32\"")
        }
        guard let dataType = SafeTensorsDataType(rawValue: dataTypeName) else {
            throw fail("\(tensor): dtype \(dataTypeName.debugDescription) is not supported (expected \(SafeTensorsDataType.acceptedNames))")
        }

        let shapeValue = try field("shape")
        guard case .array(let shapeElements) = shapeValue else {
            throw fail("\(tensor): shape is \(shapeValue.kindDescription), expected an array of non-negative integers")
        }
        var shape: [Int] = []
        var elementCount = 1
        for element in shapeElements {
            guard case .integer(let dimension) = element, dimension >= 0 else {
                throw fail("\(tensor): shape \(describe(shapeValue)) must hold non-negative integers")
            }
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw fail("\(tensor): shape \(describe(shapeValue)) has too many elements") }
            shape.append(dimension)
            elementCount = product
        }

        let offsetsValue = try field("data_offsets")
        guard case .array(let offsetElements) = offsetsValue, offsetElements.count == 2,
              case .integer(let begin) = offsetElements[0], case .integer(let end) = offsetElements[1],
              begin >= 0, end >= 0
        else {
            throw fail("\(tensor): data_offsets \(describe(offsetsValue)) must be [begin, end], two non-negative integers")
        }
        guard end >= begin else {
            throw fail("\(tensor): data_offsets [\(begin), \(end)] end before they begin")
        }
        guard end <= dataCount else {
            throw fail("\(tensor): data_offsets [\(begin), \(end)] lie outside the data (\(dataCount) bytes after the header)")
        }
        let (neededBytes, overflow) = elementCount.multipliedReportingOverflow(by: dataType.byteSize)
        guard !overflow, neededBytes == end - begin else {
            throw fail("\(tensor): data_offsets [\(begin), \(end)] hold \(end - begin) bytes but shape \(shape) of \(dataTypeName) needs \(overflow ? "more" : String(neededBytes))")
        }
        return TensorEntry(
            name: name, dataType: dataType, shape: shape, elementCount: elementCount, begin: begin, end: end)
    }

    /// Refuses two non-empty tensors sharing bytes. Cost: sorting the entries.
    private static func checkNoOverlap(_ entries: [TensorEntry], fail: (String) -> SafeTensorsError)
        throws(SafeTensorsError)
    {
        let sorted = entries.filter { $0.end > $0.begin }.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.begin < previous.end {
            throw fail(
                "tensors \(previous.name.debugDescription) [\(previous.begin), \(previous.end)] and \(next.name.debugDescription) [\(next.begin), \(next.end)] overlap in the data")
        }
    }

    /// A compact one-line rendering of a small JSON value for error messages.
    private static func describe(_ value: HeaderJSON) -> String {
        switch value {
        case .object: "{...}"
        case .array(let elements): "[" + elements.map(describe).joined(separator: ", ") + "]"
        case .string(let string): string.debugDescription
        case .integer(let integer): String(integer)
        case .number(let number): String(number)
        case .bool(let bool): String(bool)
        case .null: "null"
        }
    }
}
