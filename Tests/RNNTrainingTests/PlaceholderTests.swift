import XCTest

final class RNNTrainingPlaceholderTests: XCTestCase {
    func testBuilds() { XCTAssertTrue(true) }
}
