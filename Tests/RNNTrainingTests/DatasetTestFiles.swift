import Foundation
import XCTest

@testable import RNNTraining

/// Temporary files for dataset tests, removed when the test ends.
enum DatasetTestFiles {
    /// Writes `contents` to a new file named `name` in a fresh temporary folder and returns its path.
    static func write(_ contents: String, name: String, in testCase: XCTestCase) throws -> String {
        try write(Data(contents.utf8), name: name, in: testCase)
    }

    static func write(_ contents: Data, name: String, in testCase: XCTestCase) throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("rnn-datasets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try contents.write(to: url)
        return url.path
    }

    /// The message of the `DatasetError` `body` throws (fails the test when it throws nothing else).
    static func errorMessage(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try body()
            XCTFail("expected a DatasetError", file: file, line: line)
            return ""
        } catch let error as DatasetError {
            return error.description
        } catch {
            XCTFail("expected a DatasetError, got \(error)", file: file, line: line)
            return ""
        }
    }
}
