import Dispatch
import RNNEngine

/// Computes what the notebook's open view asked for (`TrainerCommand.requestInsight`) on the trainer's
/// thread, between steps, and posts it as `TrainerEvent.insight`. A part is computed at once when the
/// request for it changes (the cursor moved, a prime was typed) or the surgery changed, and otherwise
/// refreshed after new steps at most every `interval` seconds — and never more often than 20 times its
/// own cost, so each part takes at most about 5 % of the trainer's time. Nothing runs while nothing is
/// requested. Used only by `TrainerThread`.
final class InsightScheduler {
    private enum Part: CaseIterable { case cursor, sample, sentence, reports, surgery }

    private struct Clock {
        var lastStep = -1
        var lastTime: UInt64 = 0
        var lastCost: UInt64 = 0
        var stale = true
    }

    private let post: @Sendable (TrainerEvent) -> Void
    private var request = InsightRequest()
    private var importanceRequested = false
    private var clocks: [Part: Clock] = [:]
    private var lastIntervention: Intervention?
    /// Base refresh intervals in seconds.
    private let intervals: [Part: Double]

    init(cursorInterval: Double = 0.5, outputInterval: Double = 3, post: @escaping @Sendable (TrainerEvent) -> Void) {
        self.post = post
        intervals = [.cursor: cursorInterval, .sample: outputInterval, .sentence: outputInterval,
                     .reports: outputInterval, .surgery: outputInterval]
    }

    /// Takes `.requestInsight` and `.requestImportance`; false for every other command.
    func handle(_ command: TrainerCommand) -> Bool {
        switch command {
        case .requestInsight(let new):
            let new = new ?? InsightRequest()
            if new.cursor != request.cursor { clocks[.cursor]?.stale = true }
            if new.taskOutput?.prime != request.taskOutput?.prime || new.taskOutput?.temperature != request.taskOutput?.temperature {
                clocks[.sample]?.stale = true
            }
            if new.taskOutput?.sentence != request.taskOutput?.sentence { clocks[.sentence]?.stale = true }
            if (new.taskOutput == nil) != (request.taskOutput == nil) { clocks[.reports]?.stale = true }
            if new.surgery != request.surgery { clocks[.surgery]?.stale = true }
            request = new
            return true
        case .requestImportance:
            importanceRequested = true
            return true
        default:
            return false
        }
    }

    /// Computes and posts the parts that are due. Cost: what the parts due cost (probe passes, a
    /// sample, validation passes); nothing when nothing is requested.
    func run(_ session: TrainingSession) {
        let intervention = session.model.intervention
        if intervention != lastIntervention {
            for part in Part.allCases { clocks[part]?.stale = true }
            if intervention == nil {
                var released = InsightSnapshot(step: session.step)
                released.surgeryReleased = true
                post(.insight(released))
            }
            lastIntervention = intervention
        }
        var snapshot = InsightSnapshot(step: session.step)
        if let cursor = request.cursor, due(.cursor, session) {
            measure(.cursor, session) { snapshot.cursor = session.cursorPrediction(probeIndex: cursor.probeIndex, time: cursor.time) }
        }
        if let output = request.taskOutput {
            if session.dataset.info.head == .tokenEveryStep, due(.sample, session) {
                measure(.sample, session) { snapshot.sample = Self.sample(session, output) }
            }
            if let sentence = output.sentence, due(.sentence, session) {
                measure(.sentence, session) { snapshot.sentence = session.classifySentence(sentence) }
            }
            if due(.reports, session) {
                measure(.reports, session) {
                    snapshot.classification = session.classificationReport()
                    snapshot.forecast = session.forecastReport()
                    snapshot.forecastFan = session.forecastFan()
                }
            }
        }
        if request.surgery, intervention != nil, due(.surgery, session) {
            measure(.surgery, session) { snapshot.surgery = session.surgeryComparison() }
        }
        if importanceRequested {
            importanceRequested = false
            do { snapshot.importance = try session.unitImportance() } catch { post(.message("importance table: \(error)")) }
        }
        if !snapshot.isEmpty { post(.insight(snapshot)) }
    }

    private static func sample(_ session: TrainingSession, _ output: InsightRequest.TaskOutput) -> InsightSnapshot.Sample {
        do {
            let text = try session.sampleText(prime: output.prime, length: output.sampleLength, temperature: output.temperature,
                                              seed: UInt64(session.step) &* 0x9E37_79B9 &+ 1) ?? ""
            return .init(prime: output.prime, temperature: output.temperature, text: text, problem: nil)
        } catch {
            return .init(prime: output.prime, temperature: output.temperature, text: "", problem: "\(error)")
        }
    }

    /// Stale parts are due at once; others after new steps, `interval` seconds (and 20 × their cost) on.
    private func due(_ part: Part, _ session: TrainingSession) -> Bool {
        let clock = clocks[part] ?? Clock()
        if clock.stale { return true }
        guard session.step != clock.lastStep else { return false }
        let now = DispatchTime.now().uptimeNanoseconds
        let wait = max(UInt64((intervals[part] ?? 1) * 1e9), clock.lastCost * 20)
        return now &- clock.lastTime >= wait
    }

    private func measure(_ part: Part, _ session: TrainingSession, _ work: () -> Void) {
        let start = DispatchTime.now().uptimeNanoseconds
        work()
        let end = DispatchTime.now().uptimeNanoseconds
        clocks[part] = Clock(lastStep: session.step, lastTime: end, lastCost: end &- start, stale: false)
    }
}
