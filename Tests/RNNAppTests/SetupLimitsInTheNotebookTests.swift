import RNNEngine
import RNNTraining
import XCTest
@testable import RNNApp

/// The setup form and the live keys refuse (or never reach) what `SetupLimits` refuses, in its words.
final class SetupLimitsInTheNotebookTests: XCTestCase {
    private func typed(_ text: String, into field: SetupField) -> SetupForm {
        var form = SetupForm(setup: TrainingSetup(), entryNames: ["corpus"])
        form.focus = field
        for character in text { form.type(character) }
        form.commitTypedValue()
        return form
    }

    func testTheFormRefusesValuesOutsideTheLimits() {
        let cases: [(SetupField, String, String)] = [
            (.layerCount, "5", SetupLimits.layerCount.requirement), (.hiddenSize, "0", SetupLimits.hiddenSize.requirement),
            (.batchSize, "5000", SetupLimits.batchSize.requirement), (.dropout, "1", SetupLimits.dropout.requirement),
            (.dropout, "nan", SetupLimits.dropout.requirement), (.learningRate, "inf", SetupLimits.learningRate.requirement),
            (.learningRate, "-1", SetupLimits.learningRate.requirement), (.clipNorm, "nan", SetupLimits.clipNorm.requirement),
        ]
        for (field, text, requirement) in cases {
            let form = typed(text, into: field)
            XCTAssertEqual(form.setup, TrainingSetup(), "\(field) '\(text)' changed the setup")
            XCTAssertTrue(form.error?.contains(requirement) == true, "\(field) '\(text)': \(form.error ?? "no error")")
        }
        XCTAssertEqual(typed("4", into: .layerCount).setup.layerCount, 4)
        XCTAssertEqual(typed("1e3", into: .learningRate).setup.optimizer.learningRate, 1000, "one rule: the CLI takes it too")
    }

    func testLayerStepsStopAtTheLimit() {
        var form = SetupForm(setup: TrainingSetup(), entryNames: ["corpus"])
        form.focus = .layerCount
        for _ in 0..<10 { form.adjust(1) }
        XCTAssertEqual(form.setup.layerCount, SetupLimits.layerCount.upperBound)
        for _ in 0..<10 { form.adjust(-1) }
        XCTAssertEqual(form.setup.layerCount, SetupLimits.layerCount.lowerBound)
    }

    func testLiveBatchKeysStopAtTheLimitAndTheRatePromptRefusesWhatTheLimitRefuses() {
        var state = Fixtures.trainingState(.languageModel, steps: 5)
        var sizes: [Int] = []
        for _ in 0..<12 {
            for effect in state.update(.key(.character("B"))) {
                if case .send(_, .change(.batchSize(let size))) = effect { sizes.append(size) }
            }
        }
        XCTAssertEqual(sizes.last, SetupLimits.batchSize.upperBound)
        XCTAssertTrue(sizes.allSatisfy(SetupLimits.batchSize.contains))
        for text in ["nan", "inf", "-1", "0"] {
            _ = state.update(.key(.character("=")))
            for _ in 0..<12 { _ = state.update(.key(.backspace)) }
            for character in text { _ = state.update(.key(.character(character))) }
            XCTAssertEqual(state.update(.key(.enter)), [], text)
            XCTAssertTrue(state.notice?.text.contains(SetupLimits.learningRate.requirement) == true, "\(text): \(String(describing: state.notice))")
        }
    }
}
