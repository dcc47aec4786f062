import Foundation

/// DIR/events.out.tfevents.<seconds>.<host>: the run as TensorBoard reads it (`tensorboard --logdir runs`).
/// The same record API as `MetricsLog` and the same steps as metrics.csv:
///
///     step rows        loss/train · optimizer/learning_rate · optimizer/grad_norm · speed/tokens_per_second
///     evaluation rows  loss/validation · metric/accuracy (classifiers and language models)
///                      · metric/bits_per_token (language models)
///     step 0           config (the run's config.json as text, for the text plugin)
///     evaluations      gates/layer<k>/<gate> histograms of the probe sequence's activations, when given
///     live changes     changes (text: "lr 0.002 → 0.001") at the step they first apply to
///
/// Records are buffered and written every `flushInterval` events, on `flush()` and when the log goes.
public final class TensorBoardLog {
    public static let fileVersion = "brain.Event:2"
    public let url: URL
    private let handle: FileHandle
    private let clock: () -> Double
    private var pending: [UInt8] = []
    private var pendingEvents = 0
    private let flushInterval: Int

    /// - configText: shown under the `config` tag (markdown; config.json goes in indented as code).
    /// - clock: seconds since 1970 for each event's wall_time (fixed in tests).
    public init(
        directory: URL, configText: String? = nil, clock: @escaping () -> Double = { Date().timeIntervalSince1970 },
        host: String = TensorBoardLog.hostName(), flushInterval: Int = 50
    ) throws {
        self.clock = clock
        self.flushInterval = flushInterval
        let started = clock()
        url = directory.appendingPathComponent(Self.fileName(wallTime: started, host: host))
        let first = TFRecord.frame(TensorBoardEvent(wallTime: started, step: 0, content: .fileVersion(Self.fileVersion)).encoded())
        guard FileManager.default.createFile(atPath: url.path, contents: Data(first)) else {
            throw TrainingError("\(url.path): cannot create the TensorBoard event file")
        }
        handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        if let configText {
            let code = configText.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
            append(step: 0, [.text(tag: "config", markdown: code)])
        }
    }

    deinit { flush() }

    /// events.out.tfevents.<whole seconds>.<host>, TensorFlow's naming, which TensorBoard looks for.
    public static func fileName(wallTime: Double, host: String) -> String {
        "events.out.tfevents.\(Int(wallTime)).\(host)"
    }

    /// This machine's name, reduced to characters safe in a file name.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let safe = String(name.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) })
        return safe.isEmpty ? "localhost" : safe
    }

    /// A training step's scalars.
    public func record(_ metrics: StepMetrics) {
        append(step: metrics.step, [
            .scalar(tag: "loss/train", value: Float(metrics.trainLoss)),
            .scalar(tag: "optimizer/learning_rate", value: metrics.learningRate),
            .scalar(tag: "optimizer/grad_norm", value: Float(metrics.gradientNorm)),
            .scalar(tag: "speed/tokens_per_second", value: Float(metrics.tokensPerSecond)),
        ])
    }

    /// An evaluation's scalars. `epoch` and `learningRate` are taken for the same call as `MetricsLog`'s;
    /// the step's own row already carries the rate.
    public func record(_ evaluation: EvaluationMetrics, epoch: Int, learningRate: Float) {
        var values: [SummaryValue] = [.scalar(tag: "loss/validation", value: Float(evaluation.validationLoss))]
        if let accuracy = evaluation.validationAccuracy { values.append(.scalar(tag: "metric/accuracy", value: Float(accuracy))) }
        if let bits = evaluation.bitsPerToken { values.append(.scalar(tag: "metric/bits_per_token", value: Float(bits))) }
        append(step: evaluation.step, values)
    }

    /// Histograms of every gate (and h, and c for LSTM) of every layer over the probe sequence.
    public func record(_ gates: GateSnapshot) {
        var values: [SummaryValue] = []
        for (index, layer) in gates.probe.layers.enumerated() {
            for gate in layer.gates { values.append(.histogram(tag: "gates/layer\(index)/\(gate.name)", Histogram(values: gate.values))) }
            values.append(.histogram(tag: "gates/layer\(index)/h", Histogram(values: layer.hidden)))
            if let cell = layer.cell { values.append(.histogram(tag: "gates/layer\(index)/c", Histogram(values: cell))) }
        }
        append(step: gates.step, values)
    }

    /// Markdown for the text plugin under `tag` at `step`.
    public func recordText(step: Int, tag: String, markdown: String) {
        append(step: step, [.text(tag: tag, markdown: markdown)])
    }

    private func append(step: Int, _ values: [SummaryValue]) {
        pending += TFRecord.frame(TensorBoardEvent(wallTime: clock(), step: Int64(step), content: .summary(values)).encoded())
        pendingEvents += 1
        if pendingEvents >= flushInterval { flush() }
    }

    public func flush() {
        guard !pending.isEmpty else { return }
        handle.write(Data(pending))
        pending = []
        pendingEvents = 0
    }
}
