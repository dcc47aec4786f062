import XCTest

@testable import RNNTraining

/// CRC-32C against published vectors (RFC 3720 appendix B.4, and the "123456789" check value), and the
/// TFRecord mask against values TensorBoard's own `masked_crc32c` returned for the same bytes.
final class CRC32CTests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map(UInt8.init)), 0x46DD_794E)
        XCTAssertEqual(CRC32C.checksum((0..<32).reversed().map(UInt8.init)), 0x113F_DB5C)
        XCTAssertEqual(CRC32C.checksum([]), 0)
    }

    func testMaskedMatchesTensorBoard() {
        XCTAssertEqual(CRC32C.masked(Array("123456789".utf8)), MaskedVectors.digits)
        XCTAssertEqual(CRC32C.masked([UInt8](repeating: 0, count: 8)), MaskedVectors.eightZeros)
    }

    func testFramingRoundTripsAndRejectsDamage() throws {
        let payload = Array("an event".utf8)
        var bytes = TFRecord.frame(payload) + TFRecord.frame([])
        XCTAssertEqual(bytes.count, 16 + payload.count + 16)
        XCTAssertEqual(try TFRecord.records(in: bytes), [payload, []])
        bytes[14] ^= 1
        XCTAssertThrowsError(try TFRecord.records(in: bytes)) { error in
            XCTAssertEqual("\(error)", "record 0: the data's checksum does not match at byte 12")
        }
        XCTAssertThrowsError(try TFRecord.records(in: Array(TFRecord.frame(payload).dropLast(2))))
    }
}

/// Masked CRCs as TensorBoard's `tensorboard.compat.tensorflow_stub.pywrap_tensorflow.masked_crc32c` computed them.
private enum MaskedVectors {
    static let digits: UInt32 = 0xC78A_B0E5
    static let eightZeros: UInt32 = 0x0798_0329
}
