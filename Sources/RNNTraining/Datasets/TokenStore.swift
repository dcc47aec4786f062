/// A long sequence of token ids stored compactly: one byte per token while the vocabulary fits in a
/// byte, two bytes otherwise, so a corpus costs about as much memory as its text.
enum TokenStore: Sendable {
    case narrow([UInt8])
    case wide([UInt16])

    var count: Int {
        switch self {
        case .narrow(let ids): ids.count
        case .wide(let ids): ids.count
        }
    }

    @inline(__always)
    subscript(position: Int) -> Int32 {
        switch self {
        case .narrow(let ids): Int32(ids[position])
        case .wide(let ids): Int32(ids[position])
        }
    }
}
