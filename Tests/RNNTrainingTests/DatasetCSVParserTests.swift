import Foundation
import XCTest

@testable import RNNTraining

final class DatasetCSVParserTests: XCTestCase {
    func parse(_ text: String, path: String = "test.csv") throws -> [(fields: [String], line: Int)] {
        var records: [(fields: [String], line: Int)] = []
        try Data(text.utf8).withUnsafeBytes { bytes in
            try CSVParser.forEachRecord(in: bytes, path: path) { records.append(($0, $1)) }
        }
        return records
    }

    func testQuotesEscapedQuotesCommasAndNewlinesInsideQuotes() throws {
        let records = try parse("text,label\n\"hello, world\",1\n\"she said \"\"hi\"\"\",0\n\"two\nlines\",1\nplain,0\n")
        XCTAssertEqual(records.map(\.fields), [
            ["text", "label"], ["hello, world", "1"], ["she said \"hi\"", "0"], ["two\nlines", "1"], ["plain", "0"],
        ])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4, 6], "a record starts on the line after a quoted newline")
    }

    func testCRLFAndMissingFinalNewlineAndEmptyFields() throws {
        let records = try parse("a,b,c\r\n1,,3\r\n,,\r\nx,\"\",z")
        XCTAssertEqual(records.map(\.fields), [["a", "b", "c"], ["1", "", "3"], ["", "", ""], ["x", "", "z"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4])
        XCTAssertEqual(try parse("a,b\n1,\n").map(\.fields), [["a", "b"], ["1", ""]], "trailing comma is an empty last field")
    }

    func testEmptyLinesAndByteOrderMark() throws {
        let records = try parse("\u{FEFF}a\n\n2\n")
        XCTAssertEqual(records.map(\.fields), [["a"], [""], ["2"]])
        XCTAssertEqual(try parse("").count, 0)
    }

    func testUnterminatedQuoteAndJunkAfterQuoteAreErrorsWithLines() {
        XCTAssertEqual(
            DatasetTestFiles.errorMessage { try self.parse("a,b\n1,2\n\"open,3\n4,5\n") },
            "test.csv:3: a quoted field opened here is never closed; expected a closing \"")
        XCTAssert(DatasetTestFiles.errorMessage { try self.parse("a,b\n\"x\"y,2\n") }.hasPrefix("test.csv:2: unexpected 'y'"))
    }

    func testUnicodeFieldsAndInvalidUTF8() throws {
        XCTAssertEqual(try parse("naïve,日本\n").first?.fields, ["naïve", "日本"])
        var bytes = Data("a\nb\n".utf8)
        bytes.append(0xC3)
        XCTAssert(DatasetTestFiles.errorMessage {
            try bytes.withUnsafeBytes { try CSVParser.forEachRecord(in: $0, path: "x.csv") { _, _ in } }
        }.hasPrefix("x.csv:3: not UTF-8"))
    }

    func testMissingValueSpellings() {
        for missing in ["", " ", "NA", "na", "N/A", "NaN", "nan", "null"] { XCTAssertTrue(CSVFile.isMissing(missing), missing) }
        for present in ["0", "none?", "-", "N"] { XCTAssertFalse(CSVFile.isMissing(present), present) }
    }
}
