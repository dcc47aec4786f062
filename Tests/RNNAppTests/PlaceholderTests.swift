import XCTest

final class RNNAppPlaceholderTests: XCTestCase {
    func testBuilds() { XCTAssertTrue(true) }
}
