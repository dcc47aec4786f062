import XCTest

final class RNNEnginePlaceholderTests: XCTestCase {
    func testBuilds() { XCTAssertTrue(true) }
}
