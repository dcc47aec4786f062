import Foundation
import XCTest

@testable import RNNTraining

/// Memory sanity check on a large file; skipped unless RNN_DATASET_LARGE_MB is set (it takes a while
/// in a debug build): `RNN_DATASET_LARGE_MB=100 swift test --filter DatasetLargeFileTests`.
final class DatasetLargeFileTests: XCTestCase {
    /// The process's peak resident memory in bytes (Linux: VmHWM in /proc/self/status).
    func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        return line.flatMap { Int($0.split(separator: " ")[1]) }.map { $0 * 1024 }
    }

    func writeLargeFile(megabytes: Int, name: String, header: String, chunk: String) throws -> String {
        let path = try DatasetTestFiles.write(header, name: name, in: self)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        let block = Data(String(repeating: chunk, count: (1 << 20) / chunk.utf8.count).utf8)
        for _ in 0..<megabytes { try handle.write(contentsOf: block) }
        try handle.close()
        return path
    }

    func testLargeTextLoadsWithMemoryNearItsSize() throws {
        guard let megabytes = ProcessInfo.processInfo.environment["RNN_DATASET_LARGE_MB"].flatMap(Int.init) else {
            throw XCTSkip("set RNN_DATASET_LARGE_MB to run")
        }
        let path = try writeLargeFile(
            megabytes: megabytes, name: "large.txt", header: "",
            chunk: "station \"Gull Point\" {\n    keeper = \"Orla Fallow\"\n}\n")
        let before = try XCTUnwrap(peakResidentBytes())
        let start = Date()
        let dataset = try CharacterCorpusDataset(path: path, options: DatasetOptions())
        let growth = try XCTUnwrap(peakResidentBytes()) - before
        let fileSize = megabytes << 20
        print("large text: \(megabytes) MB loaded in \(Date().timeIntervalSince(start)) s; peak memory grew \(growth >> 20) MB")
        XCTAssertEqual(dataset.info.trainCount + dataset.info.validationCount, megabytes * ((1 << 20) / 52 * 52))
        XCTAssertLessThan(growth, 2 * fileSize, "ids (1 byte per character) plus the mapped file at most")
    }

    func testLargeSeriesLoadsWithMemoryNearItsSize() throws {
        guard let megabytes = ProcessInfo.processInfo.environment["RNN_DATASET_LARGE_MB"].flatMap(Int.init) else {
            throw XCTSkip("set RNN_DATASET_LARGE_MB to run")
        }
        let path = try writeLargeFile(
            megabytes: megabytes, name: "large.csv", header: "time,a,b,c\n", chunk: "2024-01-01T00:00,1.25,NA,3.5\n")
        let before = try XCTUnwrap(peakResidentBytes())
        let start = Date()
        let dataset = try SeriesForecastDataset(path: path, options: DatasetOptions())
        let growth = try XCTUnwrap(peakResidentBytes()) - before
        print("large series: \(megabytes) MB, \(dataset.rowCount) rows loaded in \(Date().timeIntervalSince(start)) s; peak memory grew \(growth >> 20) MB")
        XCTAssertLessThan(growth, 2 * (megabytes << 20))
    }
}
