import Foundation
import XCTest

@testable import RNNEngine
@testable import RNNTraining

/// A run that stops, saves and resumes gives the same losses, bit for bit, as one that never stopped:
/// weights, optimizer moments, counters, schedule, dropout generator, data position and carried state
/// all come back.
final class ResumeTests: XCTestCase {
    private var folder = URL(fileURLWithPath: "/tmp")

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A small text whose epoch is a few dozen batches, so the resume point falls mid-epoch (carried state).
    private func languageModelSetup() throws -> TrainingSetup {
        let line = "beacon { light = \"on\"; range = 12 } -- keeper: the lamp must not go out.\n"
        let text = String(repeating: line, count: 30)
        let path = folder.appendingPathComponent("corpus.txt")
        try text.write(to: path, atomically: true, encoding: .utf8)
        var setup = TrainingSetup()
        setup.dataset = path.path
        setup.cell = .lstm
        setup.hiddenSize = 12
        setup.layerCount = 2
        setup.dropout = 0.3
        setup.batchSize = 4
        setup.sequenceLength = 10
        setup.evaluationInterval = 7
        setup.validationLimit = 8
        setup.seed = 11
        setup.schedule = .stepDecay(interval: 15, factor: 0.5)
        return setup
    }

    private func sentimentSetup() -> TrainingSetup {
        var setup = TrainingSetup()
        setup.dataset = "sentiment"
        setup.cell = .gru
        setup.embeddingSize = 8
        setup.hiddenSize = 10
        setup.layerCount = 2
        setup.dropout = 0.25
        setup.batchSize = 16
        setup.sequenceLength = 12
        setup.evaluationInterval = 10
        setup.validationLimit = 32
        setup.seed = 5
        return setup
    }

    /// Steps `session` until `until` steps are done, evaluating when due; returns every train loss and
    /// every validation loss in order.
    private func train(_ session: TrainingSession, until steps: Int, recorder: RunRecorder? = nil) -> [Double] {
        var losses: [Double] = []
        while session.step < steps && !session.isFinished {
            _ = recorder?.beforeStep(session)
            let metrics = session.trainStep()!
            recorder?.afterStep(metrics, session: session)
            losses.append(metrics.trainLoss)
            if session.evaluationDue {
                let evaluation = session.evaluate()
                recorder?.afterEvaluation(evaluation, session: session)
                losses.append(evaluation.validationLoss)
            }
        }
        return losses
    }

    private func assertBitIdentical(_ resumed: [Double], _ reference: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(resumed.count, reference.count, "loss count", file: file, line: line)
        for (index, (a, b)) in zip(resumed, reference).enumerated() where a.bitPattern != b.bitPattern {
            XCTFail("loss \(index) differs: \(a) resumed, \(b) uninterrupted", file: file, line: line)
            return
        }
    }

    /// Trains `setup` straight through and with a stop (save, drop the session, resume) after `stopAt` steps.
    private func checkResume(_ setup: TrainingSetup, stopAt: Int, total: Int, threads: Int = 1) throws -> TrainingSession {
        let reference = try TrainingSession(setup: setup, threadCount: threads)
        let expected = train(reference, until: total)

        let runFolder = try RunFolder(path: folder.appendingPathComponent("run").path)
        var first: TrainingSession? = try TrainingSession(setup: setup, threadCount: threads)
        let recorder = try RunRecorder(session: first!, folder: runFolder)
        var losses = train(first!, until: stopAt, recorder: recorder)
        XCTAssertTrue(recorder.finish(first!))
        first = nil

        let resumed = try TrainingSession.resume(from: runFolder, threadCount: threads)
        XCTAssertEqual(resumed.step, stopAt)
        let second = try RunRecorder(session: resumed, folder: runFolder, resuming: true)
        losses += train(resumed, until: total, recorder: second)
        second.finish(resumed)
        assertBitIdentical(losses, expected)
        return resumed
    }

    func testLanguageModelResumesBitIdenticallyWithCarriedStateAndDropout() throws {
        let setup = try languageModelSetup()
        let probe = try TrainingSession(setup: setup, threadCount: 1)
        XCTAssertTrue(probe.dataset.info.statefulBatches)
        XCTAssertGreaterThan(probe.stepsPerEpoch, 17, "the stop must fall mid-epoch")
        let stopAt = 17
        _ = try checkResume(setup, stopAt: stopAt, total: probe.stepsPerEpoch + 6)
        // The saved state really carried h and c (not a zero start).
        let folderURL = folder.appendingPathComponent("run")
        let (tensors, _) = try TrainerState.readTensors(from: folderURL, optimizerStepCount: 0)
        XCTAssertNotNil(tensors.carried)
        XCTAssertNotNil(tensors.optimizer.secondMoment)
    }

    /// checkpoint.safetensors stays exactly the model's state_dict (strict load): no trainer tensors in it.
    func testCheckpointHoldsOnlyTheModelsTensors() throws {
        let resumed = try checkResume(try languageModelSetup(), stopAt: 5, total: 8)
        let runFolder = try RunFolder(path: folder.appendingPathComponent("run").path)
        for url in [runFolder.checkpointURL, runFolder.url.appendingPathComponent(RunRecorder.bestCheckpointName)] {
            let (tensors, metadata) = try SafeTensors.read(contentsOf: url)
            XCTAssertEqual(tensors.map(\.name), resumed.model.layout.views.map(\.name), url.lastPathComponent)
            XCTAssertEqual(tensors.map(\.shape), resumed.model.layout.views.map(\.shape))
            XCTAssertEqual(metadata["cell"], "lstm")
            XCTAssertNotNil(metadata[TrainerState.stepKey])
        }
        let checkpoint = try Checkpoint.load(from: runFolder.checkpointURL)
        XCTAssertEqual(checkpoint.tensors, resumed.model.namedParameters(), "the final save holds the final weights")
    }

    func testLanguageModelResumesAtAnEpochBoundary() throws {
        let setup = try languageModelSetup()
        let perEpoch = try TrainingSession(setup: setup, threadCount: 1).stepsPerEpoch
        _ = try checkResume(setup, stopAt: perEpoch, total: perEpoch + 4)
    }

    /// Momentum (first moment only), weight decay and a cosine schedule on a regression task.
    func testMomentumWithCosineScheduleResumesBitIdentically() throws {
        var setup = TrainingSetup()
        setup.dataset = "adding"
        setup.cell = .rnn
        setup.hiddenSize = 8
        setup.layerCount = 2
        setup.dropout = 0.1
        setup.sequenceLength = 10
        setup.batchSize = 8
        setup.optimizer = OptimizerSettings(kind: .momentum, learningRate: 0.01, nesterov: true, weightDecay: 0.001)
        setup.schedule = .cosine(totalSteps: 0, minimumFactor: 0.1)
        setup.steps = 30
        setup.evaluationInterval = 10
        setup.validationLimit = 16
        setup.datasetOptions.generatedTrainCount = 96
        setup.datasetOptions.generatedValidationCount = 16
        let resumed = try checkResume(setup, stopAt: 13, total: 30)
        XCTAssertEqual(resumed.setup.schedule, .cosine(totalSteps: 30, minimumFactor: 0.1), "the schedule kept its resolved length")
        XCTAssertNotNil(resumed.optimizer.state.firstMoment)
        XCTAssertNil(resumed.optimizer.state.secondMoment)
    }

    func testLanguageModelResumesBitIdenticallyWithTwoThreads() throws {
        _ = try checkResume(try languageModelSetup(), stopAt: 9, total: 20, threads: 2)
    }

    func testShuffledClassificationResumesBitIdenticallyAcrossAnEpoch() throws {
        let setup = sentimentSetup()
        let probe = try TrainingSession(setup: setup, threadCount: 1)
        let perEpoch = probe.stepsPerEpoch
        XCTAssertGreaterThan(perEpoch, 3)
        // Stop mid-epoch, finish in the next epoch (a fresh shuffle).
        _ = try checkResume(setup, stopAt: perEpoch / 2 + 1, total: perEpoch + 5)
    }

    /// Between stops the recorder saves every interval, so a crash loses at most that much.
    func testPeriodicSavesKeepTheStateCurrent() throws {
        var setup = sentimentSetup()
        setup.steps = 8
        let runFolder = try RunFolder(path: folder.appendingPathComponent("periodic").path)
        let session = try TrainingSession(setup: setup, threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: runFolder, saveInterval: 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: TrainerState.jsonURL(in: runFolder.url).path))
        _ = train(session, until: 5, recorder: recorder)
        // No finish was called (as after a crash), yet a periodic save holds a step already taken. (After
        // the first save the interval grows to 50 × its duration, so how many followed depends on the disk.)
        let state = try TrainerState.read(from: runFolder.url)
        XCTAssertTrue((1...4).contains(state.step), "saved at step \(state.step)")
        XCTAssertEqual(try RunStatusFile.read(in: runFolder.url).status, .running)
        XCTAssertEqual(try RunStatusFile.read(in: runFolder.url).step, state.step)
        XCTAssertEqual(try TrainingSession.resume(from: runFolder).step, state.step)

        let slow = try RunRecorder(session: try TrainingSession(setup: setup, threadCount: 1),
                                   folder: try RunFolder(path: folder.appendingPathComponent("slow").path))
        _ = slow  // the default interval (30 s) saves nothing in a test's few steps
        XCTAssertFalse(FileManager.default.fileExists(atPath: TrainerState.jsonURL(in: folder.appendingPathComponent("slow")).path))
    }

    func testMissingStateIsRefusedNamingTheFolder() throws {
        let runFolder = try RunFolder(path: folder.appendingPathComponent("bare").path)
        XCTAssertThrowsError(try TrainingSession.resume(from: runFolder)) { error in
            XCTAssertTrue("\(error)".contains("bare: no trainer-state.json"), "\(error)")
        }
    }

    func testARunTrainingInAnotherProcessIsNotResumed() throws {
        var setup = sentimentSetup()
        setup.steps = 6
        let runFolder = try RunFolder(path: folder.appendingPathComponent("busy").path)
        let session = try TrainingSession(setup: setup, threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: runFolder)
        _ = train(session, until: 2, recorder: recorder)
        recorder.save(session, status: .running)
        let other = Process()
        other.executableURL = URL(fileURLWithPath: "/bin/sleep")
        other.arguments = ["60"]
        try other.run()
        defer { other.terminate(); other.waitUntilExit() }
        var status = try RunStatusFile.read(in: runFolder.url)
        status.pid = other.processIdentifier
        try status.write(in: runFolder.url)
        XCTAssertThrowsError(try TrainingSession.resume(from: runFolder)) { error in
            XCTAssertTrue("\(error)".contains("busy: the run is training now (process \(other.processIdentifier))"), "\(error)")
        }
        other.terminate()
        other.waitUntilExit()
        XCTAssertEqual(try TrainingSession.resume(from: runFolder).step, 2, "once that process is gone the run resumes")
    }

    func testDamagedTrainerStateIsRefusedNamingTheFile() throws {
        var setup = sentimentSetup()
        setup.steps = 6
        let runFolder = try RunFolder(path: folder.appendingPathComponent("damaged").path)
        let session = try TrainingSession(setup: setup, threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: runFolder)
        _ = train(session, until: 2, recorder: recorder)
        recorder.finish(session)
        let tensorsURL = TrainerState.tensorsURL(in: runFolder.url)
        let good = try Data(contentsOf: tensorsURL)

        try Data("garbage".utf8).write(to: tensorsURL)
        XCTAssertThrowsError(try TrainingSession.resume(from: runFolder)) { error in
            XCTAssertTrue("\(error)".contains("trainer-state.safetensors"), "\(error)")
        }
        // Moments of the wrong size (another model's state).
        let (tensors, _) = try SafeTensors.decode(good, source: "state")
        let short = tensors.map { $0.name.hasPrefix("optimizer.") ? NamedTensor(name: $0.name, shape: [3], values: [1, 2, 3]) : $0 }
        try SafeTensors.write(short, metadata: [TrainerState.stepKey: "2"], to: tensorsURL)
        XCTAssertThrowsError(try TrainingSession.resume(from: runFolder)) { error in
            XCTAssertTrue("\(error)".contains("trainer-state.safetensors: optimizer moment has 3 values"), "\(error)")
        }
        try Data("{\"format\": 1}".utf8).write(to: TrainerState.jsonURL(in: runFolder.url))
        XCTAssertThrowsError(try TrainingSession.resume(from: runFolder)) { error in
            XCTAssertTrue("\(error)".contains("trainer-state.json: not a trainer state file (missing"), "\(error)")
        }
    }

    func testTornSaveIsRefused() throws {
        var setup = sentimentSetup()
        setup.steps = 6
        let runFolder = try RunFolder(path: folder.appendingPathComponent("torn").path)
        let session = try TrainingSession(setup: setup, threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: runFolder)
        _ = train(session, until: 3, recorder: recorder)
        recorder.finish(session)
        let stateURL = TrainerState.jsonURL(in: runFolder.url)
        let text = try String(contentsOf: stateURL, encoding: .utf8).replacingOccurrences(of: "\"step\" : 3", with: "\"step\" : 4")
        try text.write(to: stateURL, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainingSession.resume(from: runFolder)) { error in
            XCTAssertTrue("\(error)".contains("disagree"), "\(error)")
        }
    }

    func testResumeStepsMustExceedTheStepsTaken() throws {
        var setup = sentimentSetup()
        setup.steps = 4
        let runFolder = try RunFolder(path: folder.appendingPathComponent("short").path)
        let session = try TrainingSession(setup: setup, threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: runFolder)
        _ = train(session, until: 4, recorder: recorder)
        recorder.finish(session)
        XCTAssertEqual(try RunStatusFile.read(in: runFolder.url).status, .finished)
        recorder.save(session, status: .running)  // `w` after the end
        XCTAssertEqual(try RunStatusFile.read(in: runFolder.url).status, .finished, "a save on request does not revive a finished run")
        XCTAssertThrowsError(try TrainingSession.resume(from: runFolder, steps: 4)) { error in
            XCTAssertTrue("\(error)".contains("--steps 4 must exceed the 4 steps"), "\(error)")
        }
        let longer = try TrainingSession.resume(from: runFolder, steps: 6)
        XCTAssertFalse(longer.isFinished)
        XCTAssertEqual(longer.totalSteps, 6)
    }

    func testMetricsAfterTheSavedStepAreDroppedOnResume() throws {
        var setup = sentimentSetup()
        setup.steps = 10
        let runFolder = try RunFolder(path: folder.appendingPathComponent("metrics").path)
        let session = try TrainingSession(setup: setup, threadCount: 1)
        let recorder = try RunRecorder(session: session, folder: runFolder)
        _ = train(session, until: 3, recorder: recorder)
        recorder.finish(session)
        // Rows written after the save (a crash before the next one) must not survive the resume.
        _ = train(session, until: 5, recorder: recorder)
        recorder.save(session, status: .running)
        // Put the state back to step 3 as if the later save never happened.
        let stale = try TrainingSession(setup: setup, threadCount: 1)
        _ = train(stale, until: 3)
        try stale.saveResumableState(in: runFolder)
        let resumed = try TrainingSession.resume(from: runFolder)
        let continued = try RunRecorder(session: resumed, folder: runFolder, resuming: true)
        _ = train(resumed, until: 10, recorder: continued)
        continued.finish(resumed)
        let rows = try String(contentsOf: runFolder.metricsURL, encoding: .utf8).split(separator: "\n").dropFirst()
        let steps = rows.compactMap { Int($0.prefix { $0 != "," }) }
        let trainSteps = rows.filter { $0.split(separator: ",", omittingEmptySubsequences: false)[2] != "" }
            .compactMap { Int($0.prefix { $0 != "," }) }
        XCTAssertEqual(trainSteps, Array(1...10), "one train row per step, none doubled")
        XCTAssertEqual(steps.sorted(), steps, "rows in step order")
    }
}
