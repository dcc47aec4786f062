/// One record of a TensorBoard event file: the protobuf `Event` message (tensorflow/core/util/event.proto)
/// with the few fields rnn-tui writes. Field numbers are those of the .proto files:
///
///     Event          1 wall_time double · 2 step int64 · 3 file_version string · 5 summary Summary
///     Summary        1 value repeated Value
///     Value          1 tag string · 2 simple_value float · 5 histo HistogramProto · 8 tensor TensorProto
///                    · 9 metadata SummaryMetadata
///     SummaryMetadata 1 plugin_data { 1 plugin_name string · 2 content bytes }
///     TensorProto    1 dtype enum (DT_STRING = 7) · 2 tensor_shape {} (a scalar) · 8 string_val repeated bytes
///     HistogramProto 1 min · 2 max · 3 num · 4 sum · 5 sum_squares (doubles) · 6 bucket_limit · 7 bucket
///                    (packed repeated doubles)
public struct TensorBoardEvent: Sendable, Equatable {
    /// Seconds since 1970.
    public var wallTime: Double
    public var step: Int64
    public var content: Content

    public enum Content: Sendable, Equatable {
        /// The first record of every file: "brain.Event:2".
        case fileVersion(String)
        case summary([SummaryValue])
    }

    public init(wallTime: Double, step: Int64, content: Content) {
        self.wallTime = wallTime
        self.step = step
        self.content = content
    }

    /// The Event message's bytes (canonical encoding: fields in number order).
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        writer.double(1, wallTime)
        if step != 0 { writer.int64(2, step) }
        switch content {
        case .fileVersion(let version):
            writer.string(3, version)
        case .summary(let values):
            writer.message(5) { summary in
                for value in values { summary.message(1) { value.encode(into: &$0) } }
            }
        }
        return writer.bytes
    }
}

/// One tagged value of a summary.
public enum SummaryValue: Sendable, Equatable {
    /// A scalar chart point (`simple_value`, which TensorBoard's scalars plugin reads).
    case scalar(tag: String, value: Float)
    /// Markdown text for the text plugin: a scalar DT_STRING tensor tagged with plugin "text".
    case text(tag: String, markdown: String)
    case histogram(tag: String, Histogram)

    public var tag: String {
        switch self {
        case .scalar(let tag, _), .text(let tag, _), .histogram(let tag, _): tag
        }
    }

    static let stringDataType: Int64 = 7
    static let textPluginName = "text"

    fileprivate func encode(into writer: inout ProtobufWriter) {
        writer.string(1, tag)
        switch self {
        case .scalar(_, let value):
            writer.float(2, value)
        case .histogram(_, let histogram):
            writer.message(5) { histogram.encode(into: &$0) }
        case .text(_, let markdown):
            writer.message(8) { tensor in
                tensor.int64(1, Self.stringDataType)
                tensor.bytes(2, [])
                tensor.string(8, markdown)
            }
            writer.message(9) { metadata in
                metadata.message(1) { plugin in plugin.string(1, Self.textPluginName) }
            }
        }
    }
}

/// A histogram as TensorBoard stores it: bucket i counts the values in [bucketLimits[i−1], bucketLimits[i])
/// (the first from `minimum`, the last up to and including `maximum`).
public struct Histogram: Sendable, Equatable {
    public var minimum: Double
    public var maximum: Double
    public var count: Double
    public var sum: Double
    public var sumOfSquares: Double
    public var bucketLimits: [Double]
    public var bucketCounts: [Double]

    public init(
        minimum: Double, maximum: Double, count: Double, sum: Double, sumOfSquares: Double,
        bucketLimits: [Double], bucketCounts: [Double]
    ) {
        self.minimum = minimum
        self.maximum = maximum
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
        self.bucketLimits = bucketLimits
        self.bucketCounts = bucketCounts
    }

    /// `bucketCount` equal-width buckets from the smallest to the largest value (one bucket when they are
    /// equal). Non-finite values are left out. Cost: one pass over `values`.
    public init(values: [Float], bucketCount: Int = 30) {
        let finite = values.lazy.filter(\.isFinite).map(Double.init)
        let low = finite.min() ?? 0, high = finite.max() ?? 0
        let buckets = high > low ? max(1, bucketCount) : 1
        let width = (high - low) / Double(buckets)
        var counts = [Double](repeating: 0, count: buckets)
        var count = 0.0, sum = 0.0, squares = 0.0
        for value in finite {
            let index = width > 0 ? min(buckets - 1, Int((value - low) / width)) : 0
            counts[index] += 1
            count += 1
            sum += value
            squares += value * value
        }
        let limits = (0..<buckets).map { $0 == buckets - 1 ? high : low + Double($0 + 1) * width }
        self.init(minimum: low, maximum: high, count: count, sum: sum, sumOfSquares: squares,
                  bucketLimits: limits, bucketCounts: counts)
    }

    fileprivate func encode(into writer: inout ProtobufWriter) {
        writer.double(1, minimum)
        writer.double(2, maximum)
        writer.double(3, count)
        writer.double(4, sum)
        writer.double(5, sumOfSquares)
        writer.packedDoubles(6, bucketLimits)
        writer.packedDoubles(7, bucketCounts)
    }
}
