import Foundation
import XCTest

@testable import RNNEngine

final class SafeTensorsTests: XCTestCase {
    // MARK: - Helpers

    /// A file built by hand: header length, the header text as given, then `data`.
    private func makeFile(header: String, data: [UInt8] = []) -> Data {
        let headerBytes = Array(header.utf8)
        var file = Data()
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: headerBytes)
        file.append(contentsOf: data)
        return file
    }

    private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    }

    /// Asserts that decoding refuses `data` with a one-line error naming the source and containing `phrase`.
    private func assertRefused(
        _ data: Data, mentioning phrase: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try SafeTensors.decode(data, source: "model.safetensors"), file: file, line: line) { error in
            guard let error = error as? SafeTensorsError else {
                return XCTFail("expected SafeTensorsError, got \(error)", file: file, line: line)
            }
            XCTAssertTrue(error.description.hasPrefix("model.safetensors: "), error.description, file: file, line: line)
            XCTAssertTrue(error.description.contains(phrase), "\(error.description) lacks \"\(phrase)\"", file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), error.description, file: file, line: line)
        }
    }

    /// A one-tensor F32 header with the given entry text for tensor "w".
    private func singleTensorFile(_ entry: String, dataBytes: Int = 8) -> Data {
        makeFile(header: "{\"w\":\(entry)}", data: [UInt8](repeating: 0, count: dataBytes))
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("SafeTensorsTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    private func assertBitwiseEqual(_ actual: [Float], _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (index, (a, e)) in zip(actual, expected).enumerated() {
            let same = (a.isNaN && e.isNaN) || a.bitPattern == e.bitPattern
            XCTAssertTrue(same, "element \(index): \(a) != \(e)", file: file, line: line)
        }
    }

    // MARK: - Round trip and layout

    private let sampleTensors = [
        NamedTensor(name: "rnn.weight_ih_l0", shape: [2, 3], values: [0, 0.5, -1.25, 3, 1e-3, -.infinity]),
        NamedTensor(name: "scalar", shape: [], values: [42]),
        NamedTensor(name: "empty", shape: [0, 4], values: []),
        NamedTensor(name: "naïve \"quoted\"\n", shape: [3], values: [.greatestFiniteMagnitude, -0.0, .leastNonzeroMagnitude]),
    ]

    func testRoundTripKeepsOrderShapesValuesAndMetadata() throws {
        let metadata = ["cell": "lstm", "hidden": "5", "ünïcode": "välue \"x\""]
        let decoded = try SafeTensors.decode(SafeTensors.encode(sampleTensors, metadata: metadata), source: "memory")
        XCTAssertEqual(decoded.tensors, sampleTensors)
        XCTAssertEqual(decoded.metadata, metadata)
    }

    func testEncodeLayout() throws {
        let data = SafeTensors.encode(sampleTensors, metadata: [:])
        let headerLength = Int(data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        XCTAssertEqual(headerLength % 8, 0, "header padded to a multiple of 8")
        XCTAssertEqual(data.count, 8 + headerLength + 4 * (6 + 1 + 0 + 3))
        let header = try XCTUnwrap(String(data: data.subdata(in: 8..<8 + headerLength), encoding: .utf8))
        XCTAssertFalse(header.contains("__metadata__"), "no metadata entry when metadata is empty")
        XCTAssertTrue(header.hasPrefix(
            "{\"rnn.weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},\"scalar\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[24,28]}"),
            header)
        XCTAssertEqual(header.trimmingCharacters(in: .whitespaces).last, "}")
        // The values follow as little-endian F32.
        let firstValues = data.subdata(in: 8 + headerLength..<8 + headerLength + 8)
        XCTAssertEqual(Array(firstValues), littleEndianBytes([Float(0).bitPattern, Float(0.5).bitPattern]))

        let withMetadata = SafeTensors.encode([], metadata: ["b": "2", "a": "1"])
        let metadataHeader = String(decoding: withMetadata.dropFirst(8), as: UTF8.self)
        XCTAssertTrue(metadataHeader.hasPrefix("{\"__metadata__\":{\"a\":\"1\",\"b\":\"2\"}}"), metadataHeader)
        XCTAssertEqual((withMetadata.count - 8) % 8, 0)
    }

    func testDecodeAcceptsHeaderWithoutPaddingAndWithExtraFields() throws {
        let data = makeFile(
            header: "{ \"b\" : {\"shape\":[1],\"dtype\":\"F32\",\"data_offsets\":[4,8],\"extra\":null}, \"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            data: littleEndianBytes([Float(1).bitPattern, Float(2).bitPattern]))
        let decoded = try SafeTensors.decode(data, source: "x")
        XCTAssertEqual(decoded.tensors.map(\.name), ["b", "a"], "header order is kept")
        XCTAssertEqual(decoded.tensors.map(\.values), [[2], [1]])
        XCTAssertEqual(decoded.metadata, [:])
    }

    func testDecodeWorksOnASlicedData() throws {
        var padded = Data([1, 2, 3])
        padded.append(SafeTensors.encode(sampleTensors, metadata: ["k": "v"]))
        let decoded = try SafeTensors.decode(padded.dropFirst(3), source: "slice")
        XCTAssertEqual(decoded.tensors, sampleTensors)
    }

    func testZeroSizeTensorsMayShareOffsets() throws {
        let data = makeFile(
            header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},\"b\":{\"dtype\":\"F16\",\"shape\":[2,0],\"data_offsets\":[0,0]},\"c\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            data: littleEndianBytes([Float(7).bitPattern]))
        let decoded = try SafeTensors.decode(data, source: "x")
        XCTAssertEqual(decoded.tensors.map(\.values), [[], [], [7]])
        XCTAssertEqual(decoded.tensors[1].shape, [2, 0])
    }

    // MARK: - Writing and reading files

    func testWriteThenReadAndOverwriteLeavesNoTemporaryFiles() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("model.safetensors")
        try SafeTensors.write(sampleTensors, metadata: ["cell": "gru"], to: url)
        try SafeTensors.write(Array(sampleTensors.prefix(2)), metadata: [:], to: url)
        let read = try SafeTensors.read(contentsOf: url)
        XCTAssertEqual(read.tensors, Array(sampleTensors.prefix(2)))
        XCTAssertEqual(read.metadata, [:])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["model.safetensors"])
    }

    func testWriteRefusesInconsistentTensorsAndNamesThePath() throws {
        let url = try temporaryFolder().appendingPathComponent("bad.safetensors")
        let cases: [([NamedTensor], String)] = [
            ([NamedTensor(name: "w", shape: [2, 2], values: [1, 2, 3])], "has 3 values but shape [2, 2] needs 4"),
            ([NamedTensor(name: "w", shape: [1], values: [1]), NamedTensor(name: "w", shape: [1], values: [2])], "appears twice"),
            ([NamedTensor(name: "__metadata__", shape: [1], values: [1])], "reserved"),
            ([NamedTensor(name: "w", shape: [-1], values: [])], "negative"),
        ]
        for (tensors, phrase) in cases {
            XCTAssertThrowsError(try SafeTensors.write(tensors, metadata: [:], to: url)) { error in
                let message = String(describing: error)
                XCTAssertTrue(message.hasPrefix(url.path), message)
                XCTAssertTrue(message.contains(phrase), message)
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }

    func testWriteIntoMissingFolderAndReadMissingFileNameThePath() throws {
        let folder = try temporaryFolder().appendingPathComponent("missing")
        let url = folder.appendingPathComponent("model.safetensors")
        XCTAssertThrowsError(try SafeTensors.write(sampleTensors, metadata: [:], to: url)) { error in
            XCTAssertTrue(String(describing: error).hasPrefix(url.path), String(describing: error))
        }
        XCTAssertThrowsError(try SafeTensors.read(contentsOf: url)) { error in
            XCTAssertTrue(String(describing: error).hasPrefix(url.path + ": cannot read the file"), String(describing: error))
        }
    }

    // MARK: - Element type conversions

    func testHalfConversionKnownValues() throws {
        let bits: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0400, 0x03FF, 0x0001, 0x8001, 0x0000, 0x8000, 0x3555, 0x7C00, 0xFC00, 0x7E00]
        let expected: [Float] = [
            1, -2, 65504, 0x1p-14, 1023 * 0x1p-24, 0x1p-24, -0x1p-24, 0, -0.0, 0.333251953125, .infinity, -.infinity, .nan,
        ]
        let data = makeFile(
            header: "{\"h\":{\"dtype\":\"F16\",\"shape\":[\(bits.count)],\"data_offsets\":[0,\(2 * bits.count)]}}",
            data: littleEndianBytes(bits))
        assertBitwiseEqual(try SafeTensors.decode(data, source: "x").tensors[0].values, expected)
        // A NaN keeps its payload (quiet bit and the top mantissa bits).
        XCTAssertEqual(SafeTensorsDataType.floatFromHalf(bits: 0x7E01).bitPattern, 0x7FC0_2000)
    }

    #if !(os(macOS) && arch(x86_64))
    func testHalfConversionMatchesFloat16ForEveryBitPattern() {
        for pattern in 0...UInt16.max {
            let ours = SafeTensorsDataType.floatFromHalf(bits: pattern)
            let reference = Float(Float16(bitPattern: pattern))
            if reference.isNaN {
                XCTAssertTrue(ours.isNaN, "\(pattern)")
            } else if ours.bitPattern != reference.bitPattern {
                XCTFail("half bits \(String(pattern, radix: 16)): \(ours) != \(reference)")
                return
            }
        }
    }
    #endif

    func testBFloat16ConversionKnownValues() throws {
        let bits: [UInt16] = [0x3F80, 0xC000, 0x3EAB, 0x7F7F, 0x0001, 0x8000, 0x7F80, 0xFF80, 0x7FC0]
        let expected: [Float] = [
            1, -2, 0.333984375, 3.3895313892515355e38, 0x1p-133, -0.0, .infinity, -.infinity, .nan,
        ]
        let data = makeFile(
            header: "{\"b\":{\"dtype\":\"BF16\",\"shape\":[3,3],\"data_offsets\":[0,18]}}", data: littleEndianBytes(bits))
        let tensor = try SafeTensors.decode(data, source: "x").tensors[0]
        XCTAssertEqual(tensor.shape, [3, 3])
        assertBitwiseEqual(tensor.values, expected)
    }

    func testFloat64ConversionKnownValues() throws {
        let doubles: [Double] = [1.5, -0.1, 1e300, -1e-300, .infinity, .nan, 3.4028234663852886e38]
        let expected: [Float] = [1.5, Float(-0.1), .infinity, -0.0, .infinity, .nan, .greatestFiniteMagnitude]
        let data = makeFile(
            header: "{\"d\":{\"dtype\":\"F64\",\"shape\":[7],\"data_offsets\":[0,56]}}",
            data: littleEndianBytes(doubles.map(\.bitPattern)))
        assertBitwiseEqual(try SafeTensors.decode(data, source: "x").tensors[0].values, expected)
    }

    func testFloat32IsReadLittleEndianAsIs() throws {
        let values: [Float] = [1, -0.0, .leastNonzeroMagnitude, .nan, 123.456]
        let data = makeFile(
            header: "{\"f\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[0,20]}}",
            data: littleEndianBytes(values.map(\.bitPattern)))
        assertBitwiseEqual(try SafeTensors.decode(data, source: "x").tensors[0].values, values)
    }

    // MARK: - Malformed files

    func testRefusesShortFilesAndBadHeaderLengths() {
        assertRefused(Data(), mentioning: "0 bytes, shorter than the 8-byte header length")
        assertRefused(Data([1, 2, 3, 4, 5, 6, 7]), mentioning: "7 bytes")
        var pastEnd = makeFile(header: "{}")
        pastEnd[0] = 200
        assertRefused(pastEnd, mentioning: "header length 200 runs past the end of the file (only 2 bytes follow it)")
        assertRefused(Data(repeating: 0xFF, count: 16), mentioning: "absurdly large")
        assertRefused(Data([0, 0, 0, 0, 0, 0, 0, 0x80]), mentioning: "absurdly large")
    }

    func testRefusesHeadersThatAreNotAJSONObject() {
        assertRefused(makeFile(header: ""), mentioning: "not valid JSON")
        assertRefused(makeFile(header: "{\"a\": "), mentioning: "not valid JSON")
        assertRefused(makeFile(header: "{'a': 1}"), mentioning: "not valid JSON")
        assertRefused(makeFile(header: "{} x"), mentioning: "unexpected text after the JSON value")
        assertRefused(makeFile(header: "{\"a\":[1,]}"), mentioning: "not valid JSON")
        assertRefused(makeFile(header: "{\"\u{01}\":1}"), mentioning: "control character")
        assertRefused(makeFile(header: "{\"\\ud800\":1}"), mentioning: "lone surrogate")
        assertRefused(makeFile(header: String(repeating: "[", count: 100)), mentioning: "nesting deeper")
        assertRefused(makeFile(header: "[1, 2]"), mentioning: "header is an array, expected a JSON object")
        assertRefused(makeFile(header: "\"text\""), mentioning: "header is a string")
        var invalidUTF8 = makeFile(header: "{\"ab\":1}")
        invalidUTF8[10] = 0xFF
        assertRefused(invalidUTF8, mentioning: "not valid UTF-8")
    }

    func testRefusesEntriesMissingFields() {
        assertRefused(singleTensorFile("{\"shape\":[2],\"data_offsets\":[0,8]}"), mentioning: "tensor \"w\" has no \"dtype\"")
        assertRefused(singleTensorFile("{\"dtype\":\"F32\",\"data_offsets\":[0,8]}"), mentioning: "tensor \"w\" has no \"shape\"")
        assertRefused(singleTensorFile("{\"dtype\":\"F32\",\"shape\":[2]}"), mentioning: "tensor \"w\" has no \"data_offsets\"")
        assertRefused(singleTensorFile("[1]"), mentioning: "tensor \"w\" is an array, expected an object")
        assertRefused(singleTensorFile("{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}"), mentioning: "dtype is a number")
    }

    func testRefusesUnsupportedDataTypesByName() {
        for (name, size) in [("I8", 1), ("U8", 1), ("I64", 8), ("BOOL", 1), ("I32", 4), ("F8_E4M3", 1), ("f32", 4)] {
            assertRefused(
                singleTensorFile("{\"dtype\":\"\(name)\",\"shape\":[2],\"data_offsets\":[0,\(2 * size)]}"),
                mentioning: "tensor \"w\": dtype \"\(name)\" is not supported (expected F32, F16, BF16 or F64)")
        }
    }

    func testRefusesBadShapes() {
        for shape in ["[-2]", "[2.0]", "[1.5]", "[\"2\"]", "[1e1]", "2", "[null]", "[99999999999999999999]"] {
            assertRefused(singleTensorFile("{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[0,8]}"), mentioning: "tensor \"w\": shape")
        }
        assertRefused(
            singleTensorFile("{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}"),
            mentioning: "too many elements")
        assertRefused(
            singleTensorFile("{\"dtype\":\"F64\",\"shape\":[2305843009213693952],\"data_offsets\":[0,8]}"),
            mentioning: "needs more")
    }

    func testRefusesBadOffsets() {
        func entry(_ offsets: String, shape: String = "[2]") -> Data {
            singleTensorFile("{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":\(offsets)}")
        }
        assertRefused(entry("[0,16]", shape: "[4]"), mentioning: "data_offsets [0, 16] lie outside the data (8 bytes after the header)")
        assertRefused(entry("[8,0]"), mentioning: "data_offsets [8, 0] end before they begin")
        assertRefused(entry("[-8,0]"), mentioning: "two non-negative integers")
        assertRefused(entry("[0]"), mentioning: "two non-negative integers")
        assertRefused(entry("[0,8,16]"), mentioning: "two non-negative integers")
        assertRefused(entry("[0.0,8]"), mentioning: "two non-negative integers")
        assertRefused(entry("\"0-8\""), mentioning: "two non-negative integers")
        assertRefused(entry("[0,4]"), mentioning: "hold 4 bytes but shape [2] of F32 needs 8")
        assertRefused(entry("[0,8]", shape: "[3]"), mentioning: "hold 8 bytes but shape [3] of F32 needs 12")
        assertRefused(
            makeFile(header: "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", data: [UInt8](repeating: 0, count: 8)),
            mentioning: "hold 8 bytes but shape [2] of F16 needs 4")
    }

    func testRefusesOverlappingTensors() {
        let data = makeFile(
            header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}",
            data: [UInt8](repeating: 0, count: 16))
        assertRefused(data, mentioning: "tensors \"a\" [0, 16] and \"b\" [8, 16] overlap")
        let same = makeFile(
            header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            data: [UInt8](repeating: 0, count: 4))
        assertRefused(same, mentioning: "overlap")
    }

    func testRefusesDuplicateNames() {
        let data = makeFile(
            header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            data: [UInt8](repeating: 0, count: 8))
        assertRefused(data, mentioning: "duplicate key \"a\"")
    }

    func testRefusesMetadataThatIsNotStrings() {
        assertRefused(makeFile(header: "{\"__metadata__\":{\"epoch\":3}}"), mentioning: "metadata value for \"epoch\" is a number, expected a string")
        assertRefused(makeFile(header: "{\"__metadata__\":{\"a\":\"1\",\"b\":null}}"), mentioning: "metadata value for \"b\" is null")
        assertRefused(makeFile(header: "{\"__metadata__\":{\"a\":[\"x\"]}}"), mentioning: "is an array")
        assertRefused(makeFile(header: "{\"__metadata__\":[]}"), mentioning: "\"__metadata__\" is an array, expected an object")
    }

    func testTruncatedFilesAreRefusedNotCrashed() {
        let full = SafeTensors.encode(sampleTensors, metadata: ["k": "v"])
        for length in stride(from: 0, to: full.count, by: 3) {
            XCTAssertThrowsError(try SafeTensors.decode(full.prefix(length), source: "cut"), "length \(length)")
        }
    }

    // MARK: - A file written by the Python safetensors package

    private func fixtureURL(_ name: String) throws -> URL {
        let resources = try XCTUnwrap(Bundle.module.resourceURL)
        return resources.appendingPathComponent("Fixtures/safetensors/\(name)")
    }

    func testReadsFileWrittenByPythonSafetensors() throws {
        let (tensors, metadata) = try SafeTensors.read(contentsOf: fixtureURL("reference_dtypes.safetensors"))
        XCTAssertEqual(metadata, ["format": "pt", "made_by": "scripts/pytorch/make_safetensors_fixture.py"])
        let byName = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0) })
        XCTAssertEqual(Set(byName.keys), ["f32", "f16", "bf16", "f64", "empty"])

        XCTAssertEqual(byName["f32"]?.shape, [2, 3])
        assertBitwiseEqual(byName["f32"]?.values ?? [], [0, 0.5, -1.25, 3, 0.001, -7.5])
        XCTAssertEqual(byName["f16"]?.shape, [8])
        assertBitwiseEqual(byName["f16"]?.values ?? [], [1, -2, 65504, 0x1p-14, 0x1p-24, 0.333251953125, .infinity, -.infinity])
        XCTAssertEqual(byName["bf16"]?.shape, [2, 3])
        assertBitwiseEqual(byName["bf16"]?.values ?? [], [1, -2, 0.333984375, 3.3895313892515355e38, 0x1p-133, .infinity])
        XCTAssertEqual(byName["f64"]?.shape, [4])
        assertBitwiseEqual(byName["f64"]?.values ?? [], [Float(0.1), -2.5, 0, .infinity])
        XCTAssertEqual(byName["empty"]?.shape, [0, 3])
        XCTAssertEqual(byName["empty"]?.values, [])
    }

    func testRefusesIntegerTensorWrittenByPythonSafetensors() throws {
        let url = try fixtureURL("reference_int64.safetensors")
        XCTAssertThrowsError(try SafeTensors.read(contentsOf: url)) { error in
            XCTAssertEqual(
                String(describing: error),
                "\(url.path): tensor \"token_ids\": dtype \"I64\" is not supported (expected F32, F16, BF16 or F64)")
        }
    }

    /// Every PyTorch reference checkpoint decodes, whatever its dtype, with the parameters and sizes its JSON lists.
    func testReadsEveryPyTorchReferenceCheckpoint() throws {
        let folder = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/pytorch")
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".safetensors") }.sorted()
        XCTAssertGreaterThanOrEqual(checkpoints.count, 9)
        for file in checkpoints {
            let (tensors, metadata) = try SafeTensors.read(contentsOf: folder.appendingPathComponent(file))
            let jsonURL = folder.appendingPathComponent(file.replacingOccurrences(of: ".safetensors", with: ".json"))
            let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: jsonURL)) as? [String: Any])
            let cell = try XCTUnwrap(expected["cell"] as? String)
            XCTAssertEqual(metadata["cell"], cell, file)
            XCTAssertEqual(metadata["gru_reset_after"], cell == "gru" ? "true" : nil, file)
            let gradients = try XCTUnwrap(expected["grads"] as? [String: [Double]])
            XCTAssertEqual(Set(tensors.map(\.name)), Set(gradients.keys), file)
            for tensor in tensors {
                XCTAssertEqual(tensor.values.count, tensor.elementCount, "\(file) \(tensor.name)")
                XCTAssertEqual(tensor.values.count, gradients[tensor.name]?.count, "\(file) \(tensor.name)")
                XCTAssertTrue(tensor.values.allSatisfy(\.isFinite), "\(file) \(tensor.name)")
            }
        }
    }
}
