import ArgumentParser
import Foundation
import RNNEngine
import RNNTraining

extension TrainCommand {
    /// The session and its recorder: a fresh run (flags, or `--config` with flags over it and its change log
    /// replayed), or with `--resume DIR` the saved run continued exactly.
    func prepareRun(cancellation: CancellationFlag) throws -> (TrainingSession, RunRecorder) {
        let warn: (String) -> Void = { FileHandle.standardError.write(Data("rnn-tui: warning: \($0)\n".utf8)) }
        do {
            if let resume {
                var given = options.overrides
                given.steps = nil
                guard given == SetupOverrides(), options.config == nil, out == nil else {
                    throw CLIError("--resume \(resume) takes only --steps and --threads: the setup comes from the run folder")
                }
                guard FileManager.default.fileExists(atPath: resume) else { throw CLIError("--resume \(resume): no such run folder") }
                let folder = try RunFolder(path: resume)
                // (A missing or damaged state is reported by `resume`, naming the file.)
                let savedThreads = (try? TrainerState.read(from: folder.url))?.threadCount ?? 2
                let threadCount = threads ?? savedThreads
                if threadCount != savedThreads {
                    warn("the run trained with \(savedThreads) threads; with \(threadCount) its losses may differ in the last bits from an uninterrupted run")
                }
                let session = try TrainingSession.resume(from: folder, steps: options.steps, threadCount: threadCount, cancellation: cancellation)
                if session.isFinished {
                    throw CLIError("\(resume): the run finished at step \(session.step); give --steps N with N > \(session.step) to train it further")
                }
                print("rnn-tui train: resuming \(folder.url.path) at step \(session.step) (epoch \(session.epoch + 1), batch \(session.batchIndex + 1) of \(session.stepsPerEpoch))")
                return (session, try RunRecorder(
                    session: session, folder: folder, resuming: true, saveEverySteps: saveEvery, problem: warn))
            }
            var setup = try options.resolvedSetup()
            if setup.epochs == nil && setup.steps == nil { setup.epochs = 3 }
            let changes = try options.replayedChanges()
            let session = try TrainingSession(setup: setup, threadCount: threads ?? 2, cancellation: cancellation)
            let folder = try RunFolder(path: out ?? RunFolder.defaultPath(cell: session.setup.cell))
            if !changes.isEmpty { print("rnn-tui train: replaying \(changes.count) live changes from \(options.config ?? "")") }
            return (session, try RunRecorder(
                session: session, folder: folder, replaying: changes, saveEverySteps: saveEvery, problem: warn))
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(error)")
        }
    }
}
