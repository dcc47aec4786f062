import Foundation
import RNNEngine
import XCTest

/// Unit surgery against the oracle, which implements it from the definition (h = 0 after the step; a gate
/// pinned before it is used): forward values, loss, and every parameter gradient of a training step run
/// with the intervention; and where it applies (evaluation by default, training only when asked).
final class InterventionTests: XCTestCase {
    func edits(for config: ModelConfig) -> [Intervention.Edit] {
        var edits = [Intervention.Edit(layer: 0, unit: 2, action: .ablate), .init(layer: 1, unit: 0, action: .ablate)]
        for (index, gate) in Intervention.Gate.clampable(in: config.cell).enumerated() {
            edits.append(.init(layer: index % 2, unit: 1, action: .clamp(gate, value: index % 2 == 0 ? 1 : 0)))
        }
        return edits
    }

    func oracle(_ model: RecurrentModel, _ intervention: Intervention) -> ReferenceNetwork {
        var reference = ReferenceNetwork(config: model.config, tensors: model.namedParameters())
        for edit in intervention.edits {
            switch edit.action {
            case .ablate: reference.ablated.insert([edit.layer, edit.unit])
            case .clamp(let gate, let value): reference.clamps[[edit.layer, gate.blockIndex(in: model.config.cell)!, edit.unit]] = Double(value)
            }
        }
        return reference
    }

    func testProbeWithSurgeryMatchesTheOracle() throws {
        for (name, config, _) in HiddenGradientTests.cases {
            let model = RecurrentModel(config: config, seed: 31)
            let intervention = Intervention(edits: edits(for: config))
            try model.setIntervention(intervention)
            let batch = OracleBatch.make(config, timeSteps: 5, batchSize: 1, seed: 70)
            let probe = model.probe(batch)
            let expected = oracle(model, intervention).run(batch)
            for layer in 0..<config.layerCount {
                assertClose(probe.layers[layer].hidden, expected.layers[layer].hidden, "\(name) layer \(layer) h")
                for (index, gate) in probe.layers[layer].gates.enumerated() {
                    assertClose(gate.values, expected.layers[layer].gates[index], "\(name) layer \(layer) \(gate.name)")
                }
                if let cell = expected.layers[layer].cell { assertClose(probe.layers[layer].cell ?? [], cell, "\(name) layer \(layer) c") }
            }
            XCTAssertEqual(probe.loss ?? .nan, expected.loss, accuracy: 1e-5, name)
            // The edits did something: without them the loss differs.
            let plain = ReferenceNetwork(config: config, tensors: model.namedParameters()).run(batch).loss
            XCTAssertNotEqual(plain, expected.loss, accuracy: 1e-9, "\(name): the surgery changed nothing")
        }
    }

    func testTrainingThroughSurgeryAgainstFiniteDifferences() throws {
        let checker = GradientChecker()
        for (name, config, lengths) in HiddenGradientTests.cases {
            let model = RecurrentModel(config: config, seed: 32)
            let intervention = Intervention(edits: edits(for: config), appliesDuringTraining: true)
            try model.setIntervention(intervention)
            let batch = OracleBatch.make(config, timeSteps: 5, batchSize: 3, lengths: lengths, seed: 71)
            model.zeroGradients()
            let loss = model.forward(batch, training: true).loss
            model.backward()
            let reference = oracle(model, intervention)
            XCTAssertEqual(loss, reference.run(batch).loss, accuracy: 1e-5, "\(name): loss")
            let report = checker.compare(analytic: model.namedGradients(), reference: reference) { $0.run(batch).loss }
            XCTAssertEqual(report.mismatchCount, 0, "\(name):\n" + report.mismatches.joined(separator: "\n"))
        }
    }

    /// By default training ignores the intervention while evaluation applies it; release restores both.
    func testWhereTheInterventionApplies() throws {
        let (_, config, lengths) = HiddenGradientTests.cases[0]
        let model = RecurrentModel(config: config, seed: 33)
        let batch = OracleBatch.make(config, timeSteps: 5, batchSize: 3, lengths: lengths, seed: 72)
        let plainTraining = model.forward(batch, training: true).loss
        let plainEvaluation = model.forward(batch, training: false).loss
        try model.setIntervention(.ablating([0, 1, 3], layer: 1))
        XCTAssertEqual(model.forward(batch, training: true).loss, plainTraining, "training must not see the default intervention")
        XCTAssertNotEqual(model.forward(batch, training: false).loss, plainEvaluation, "evaluation must see it")
        var duringTraining = model.intervention!
        duringTraining.appliesDuringTraining = true
        try model.setIntervention(duringTraining)
        XCTAssertNotEqual(model.forward(batch, training: true).loss, plainTraining, "training must see it when asked")
        try model.setIntervention(nil)
        XCTAssertNil(model.intervention)
        XCTAssertEqual(model.forward(batch, training: false).loss, plainEvaluation)
    }

    func testEditsThatDoNotFitAreRefused() {
        let lstm = RecurrentModel(config: HiddenGradientTests.cases[0].config, seed: 1)
        let rnn = RecurrentModel(config: HiddenGradientTests.cases[3].config, seed: 1)
        let refusals: [(RecurrentModel, Intervention, String)] = [
            (lstm, .ablating([4], layer: 0), "unit 4 is outside 0..<4"),
            (lstm, .ablating([0], layer: 2), "layer 2 is outside 0..<2"),
            (lstm, Intervention(edits: [.init(layer: 0, unit: 0, action: .clamp(.update, value: 1))]), "no gate z"),
            (lstm, Intervention(edits: [.init(layer: 0, unit: 0, action: .clamp(.forget, value: 0.5))]), "clamped to 0 or 1"),
            (rnn, Intervention(edits: [.init(layer: 0, unit: 0, action: .clamp(.forget, value: 1))]), "ablate instead"),
        ]
        for (model, intervention, message) in refusals {
            XCTAssertThrowsError(try model.setIntervention(intervention)) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error) should say \(message)")
            }
            XCTAssertNil(model.intervention, "a refused intervention must change nothing")
        }
    }

    func assertClose(_ actual: [Float], _ expected: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, "\(what): count", file: file, line: line)
        let worst = zip(actual, expected).map { abs(Double($0) - $1) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-5, "\(what): largest difference", file: file, line: line)
    }
}
