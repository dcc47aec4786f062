import Foundation

extension SafeTensors {
    /// The header JSON for `tensors` stored back to back as F32 in the given order, metadata first (keys sorted)
    /// when there is any, padded with spaces to a multiple of 8 bytes as the reference implementation does.
    static func encodeHeader(_ tensors: [NamedTensor], metadata: [String: String]) -> [UInt8] {
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { key in jsonString(key) + ":" + jsonString(metadata[key] ?? "") }
            entries.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for tensor in tensors {
            let end = offset + 4 * tensor.values.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(
                jsonString(tensor.name) + ":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        let padding = (8 - header.count % 8) % 8
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        return header
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func jsonString(_ string: String) -> String {
        var escaped = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// The full file: header length, header, then every tensor's values as little-endian F32.
    /// Cost: one copy of all values.
    static func encodeFile(_ tensors: [NamedTensor], metadata: [String: String]) -> Data {
        let header = encodeHeader(tensors, metadata: metadata)
        let valueCount = tensors.reduce(0) { $0 + $1.values.count }
        var data = Data(capacity: 8 + header.count + 4 * valueCount)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for tensor in tensors {
            tensor.values.withUnsafeBufferPointer { values in
                #if _endian(little)
                data.append(UnsafeBufferPointer(start: values.baseAddress, count: values.count))
                #else
                for value in values {
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
                }
                #endif
            }
        }
        return data
    }

    /// The same bytes as `encodeFile`, streamed into `sink` from each tensor's storage (no copy of the
    /// whole file: saving a large model needs no second copy of its weights).
    static func writeFile(_ tensors: [NamedTensor], metadata: [String: String], into sink: borrowing DurableFile.Sink) throws {
        let header = encodeHeader(tensors, metadata: metadata)
        var length = UInt64(header.count).littleEndian
        try withUnsafeBytes(of: &length) { (bytes: UnsafeRawBufferPointer) in try sink.append(bytes) }
        try header.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in try sink.append(bytes) }
        for tensor in tensors {
            #if _endian(little)
            try tensor.values.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in try sink.append(bytes) }
            #else
            let data = encodeFile([tensor], metadata: [:]).dropFirst(8 + encodeHeader([tensor], metadata: [:]).count)
            try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in try sink.append(bytes) }
            #endif
        }
    }

    /// Refuses tensors that `encode` would write as a file `decode` cannot read back.
    static func validateForWriting(_ tensors: [NamedTensor], path: String) throws(SafeTensorsError) {
        var names: Set<String> = []
        for tensor in tensors {
            let tensorName = "tensor \(tensor.name.debugDescription)"
            guard tensor.name != "__metadata__" else {
                throw SafeTensorsError("\(path): a tensor cannot be named \"__metadata__\" (reserved for metadata)")
            }
            guard names.insert(tensor.name).inserted else {
                throw SafeTensorsError("\(path): \(tensorName) appears twice; tensor names must be unique")
            }
            guard tensor.shape.allSatisfy({ $0 >= 0 }) else {
                throw SafeTensorsError("\(path): \(tensorName) has shape \(tensor.shape) with a negative dimension")
            }
            guard tensor.values.count == tensor.elementCount else {
                throw SafeTensorsError(
                    "\(path): \(tensorName) has \(tensor.values.count) values but shape \(tensor.shape) needs \(tensor.elementCount)")
            }
        }
    }
}
