/// The element types this engine reads from safetensors files; every one is converted to `Float` on load.
/// Other safetensors dtypes (BOOL, U8, I8, I16, I32, I64, F8_*...) are refused by name.
enum SafeTensorsDataType: String, CaseIterable {
    case float32 = "F32"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case float64 = "F64"

    /// Bytes per element.
    var byteSize: Int {
        switch self {
        case .float16, .bfloat16: 2
        case .float32: 4
        case .float64: 8
        }
    }

    /// The accepted dtype names, for error messages: "F32, F16, BF16 or F64".
    static var acceptedNames: String {
        let names = allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }

    /// Converts `count` little-endian elements starting at `bytes[offset]` to Floats.
    /// Cost: one pass over `count * byteSize` bytes. The caller has checked the range lies inside `bytes`.
    func decodeFloats(_ bytes: UnsafeRawBufferPointer, offset: Int, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { floats, initializedCount in
            switch self {
            case .float32:
                for index in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: offset + 4 * index, as: UInt32.self)
                    floats[index] = Float(bitPattern: UInt32(littleEndian: bits))
                }
            case .float16:
                for index in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: offset + 2 * index, as: UInt16.self)
                    floats[index] = Self.floatFromHalf(bits: UInt16(littleEndian: bits))
                }
            case .bfloat16:
                for index in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: offset + 2 * index, as: UInt16.self)
                    floats[index] = Self.floatFromBFloat16(bits: UInt16(littleEndian: bits))
                }
            case .float64:
                for index in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: offset + 8 * index, as: UInt64.self)
                    floats[index] = Float(Double(bitPattern: UInt64(littleEndian: bits)))
                }
            }
            initializedCount = count
        }
    }

    /// IEEE 754 binary16 (1 sign, 5 exponent, 10 mantissa bits) to Float, exactly: zeros and subnormals,
    /// normals, infinities and NaNs (payload kept in the top mantissa bits) all map to the same value.
    static func floatFromHalf(bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits) & 0x3FF
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24, exact in Float (the mantissa has at most 10 bits).
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            // Infinity (mantissa 0) or NaN.
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            // Normal: rebias the exponent from 15 to 127.
            return Float(bitPattern: sign | (exponent + 127 - 15) << 23 | mantissa << 13)
        }
    }

    /// bfloat16 is the top half of a Float's bits, so the conversion is exact for every value.
    static func floatFromBFloat16(bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
