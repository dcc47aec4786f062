import RNNEngine
import TerminalUI
import XCTest
@testable import RNNApp
@testable import RNNTraining

/// The insight views' state: what they ask of the trainer and when, the events they keep, the gate
/// view's glance mode and unit order, and the text view's keys.
final class InsightUpdateTests: XCTestCase {
    private func press(_ keys: [Key], on state: inout AppState) -> [AppEffect] {
        keys.flatMap { state.update(.key($0)) }
    }

    func testViewsAskForTheirInsightOnlyWhileOpen() {
        var state = InsightFixtures.insightState(cell: .lstm)
        XCTAssertNil(state.analysisRequest)
        XCTAssertEqual(press([.character("G")], on: &state),
                       [.send(runID: 1, .requestAnalysis(.gradientFlow(probeIndex: 0, validation: false)))])
        XCTAssertEqual(press([.character("v")], on: &state),
                       [.send(runID: 1, .requestAnalysis(.gradientFlow(probeIndex: 0, validation: true)))])
        XCTAssertEqual(press([.character("S")], on: &state), [.send(runID: 1, .requestAnalysis(.gateStatistics))])
        XCTAssertEqual(press([.character("<")], on: &state), [], "a layer change needs nothing new")
        let toText = press([.character("T")], on: &state)
        XCTAssertTrue(toText.contains(.send(runID: 1, .requestAnalysis(nil))), "leaving releases the trainer: \(toText)")
        XCTAssertTrue(toText.contains(.send(runID: 1, .requestGates(probeIndex: 0))), "the text view wants a fresh probe")
        _ = press([.character("G")], on: &state)
        XCTAssertEqual(press([.character("]")], on: &state),
                       [.send(runID: 1, .requestGates(probeIndex: 1)), .send(runID: 1, .requestAnalysis(.gradientFlow(probeIndex: 1, validation: true)))])
        XCTAssertEqual(press([.character("l")], on: &state), [.send(runID: 1, .requestAnalysis(nil))])
        _ = press([.character("S")], on: &state)
        XCTAssertEqual(press([.character("q")], on: &state), [.quit], "quitting sends nothing more")
    }

    func testAnEndedRunIsAskedNothing() {
        var state = InsightFixtures.insightState(cell: .lstm)
        _ = state.update(.trainer(runID: 1, .status(.finished)))
        XCTAssertEqual(press([.character("G")], on: &state), [])
        XCTAssertEqual(state.screen, .gradients)
        XCTAssertNotNil(state.shownGradientFlow, "the last flow stays to look at")
    }

    func testFlowsAreKeptPerSourceAndPerRun() {
        var state = InsightFixtures.comparedState(width: 120, height: 40)
        XCTAssertEqual(state.runs.map(\.runID), [1, 2, 3])
        XCTAssertTrue(state.runs.allSatisfy { $0.probeGradientFlow != nil }, "compared runs keep their last flow")
        XCTAssertNil(state.activeRun?.validationGradientFlow)
        _ = state.update(.trainer(runID: 3, .gradientFlow(InsightFixtures.gradientFlow(cell: .lstm, decay: 0.9, validation: true))))
        XCTAssertNotNil(state.activeRun?.validationGradientFlow)
        let chart = GradientFlowView.chart(state.shownGradientFlow!, state: state, theme: Theme(mode: .palette256))
        XCTAssertEqual(chart.series.map(\.name), ["run 1 RNN", "run 2 GRU", "run 3 LSTM"], "one curve per compared run")
        XCTAssertTrue(chart.logScale)
    }

    func testVanillaStatisticsBuildAHistory() {
        var state = InsightFixtures.insightState(cell: .rnn)
        for step in [1300, 1400, 1500] {
            var statistics = InsightFixtures.gateStatistics(cell: .rnn, step: step)
            statistics.layers[0].spectralRadius = Double(step) / 1000
            _ = state.update(.trainer(runID: 1, .gateStatistics(statistics)))
        }
        let history = state.activeRun!.spectralRadiusHistory[0]
        XCTAssertEqual(history.appendedCount, 4)
        XCTAssertEqual(history.last?.y, 1.5)
        XCTAssertEqual(state.activeRun!.tanhSaturationHistory[0].appendedCount, 4)
    }

    func testUnitOrderSortsAndTheCursorFollowsIt() throws {
        var state = Fixtures.gateState(cell: .lstm)
        XCTAssertEqual(state.gateUnitOrder, Array(0..<24))
        _ = press([.character("u")], on: &state)
        XCTAssertEqual(state.gates.unitOrder, .variance)
        let probe = try XCTUnwrap(state.activeRun?.gateSnapshot?.probe)
        let variances = UnitRanking.mostVarying(in: probe, layer: 0, signal: .hidden)
        XCTAssertEqual(state.gateUnitOrder, variances.map(\.unit))
        XCTAssertTrue(zip(variances, variances.dropFirst()).allSatisfy { $0.variance >= $1.variance })
        let order = state.gateUnitOrder
        let position = try XCTUnwrap(order.firstIndex(of: state.gates.unit))
        _ = press([.down], on: &state)
        XCTAssertEqual(state.gates.unit, order[position + 1], "↓ moves to the next unit in the order")
        _ = press([.character("u")], on: &state)
        XCTAssertEqual(state.gates.unitOrder, .saturation)
        let saturation = UnitOrdering.saturation(probe: probe, layer: 0)
        let sorted = state.gateUnitOrder.map { saturation[$0] }
        XCTAssertEqual(sorted, sorted.sorted(by: >))
        _ = press([.character("u")], on: &state)
        XCTAssertEqual(state.gates.unitOrder, .index)
        XCTAssertTrue(Fixtures.rendered(state).text.contains("units "), "index order names the unit range")
    }

    func testGlanceShowsAtLeast32UnitsOfEveryGateAndAllOfOneAt120x40() {
        var state = Fixtures.gateState(cell: .lstm, width: 120, height: 40)
        _ = state.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: .lstm, hiddenSize: 128))))
        _ = press([.character("z")], on: &state)
        let layout = try! XCTUnwrap(state.glanceLayout(bodyRows: GateLayout(width: 120, height: 40, shownPanels: 6).bodyRows))
        XCTAssertEqual(Set(layout.tiles.map(\.panel)), Set(0..<6), "every panel of the layer shows")
        XCTAssertTrue(layout.tiles.allSatisfy { $0.units >= 32 && $0.rows * 2 >= 32 }, "\(layout.tiles)")
        XCTAssertTrue(layout.tiles.allSatisfy { $0.x + $0.width <= 120 - GateLayout.sidePanelWidth && $0.y + $0.rows <= 40 - 5 })
        _ = press([.character("f")], on: &state)
        let overview = try! XCTUnwrap(state.glanceLayout(bodyRows: GateLayout(width: 120, height: 40, shownPanels: 1).bodyRows))
        XCTAssertGreaterThanOrEqual(overview.tiles.reduce(0) { $0 + $1.units }, 128, "all 128 units of one gate at once")
        XCTAssertTrue(overview.tiles.allSatisfy { $0.panel == 0 })
        _ = press([.character("z")], on: &state)
        XCTAssertFalse(state.gates.glance, "z zooms back to one row per unit")
        XCTAssertEqual(state.gateLayout.visibleTimesteps, GateLayout(width: 120, height: 40, shownPanels: 1).visibleTimesteps)
    }

    func testGlancePagesByItsTileAndKeepsTheCursorVisible() {
        var state = Fixtures.gateState(cell: .lstm, width: 120, height: 40)
        _ = state.update(.trainer(runID: 1, .gates(Fixtures.gateSnapshot(cell: .lstm, hiddenSize: 128))))
        _ = press([.character("z")], on: &state)
        XCTAssertEqual(state.gateLayout.unitsPerPanel, 32)
        _ = press([.pageDown], on: &state)
        XCTAssertEqual(state.gates.unit, 37)
        XCTAssertTrue(Fixtures.rendered(state).text.contains("units 32–63"))
        _ = press([.end], on: &state)
        XCTAssertEqual(state.gates.timeOffset, 60 - state.gateLayout.visibleTimesteps)
    }

    func testTextViewKeys() {
        var state = InsightFixtures.insightState(cell: .lstm, task: .languageModel)
        _ = press([.character("T")], on: &state)
        XCTAssertEqual(state.screen, .text)
        var signals: [UnitSignal] = []
        for _ in 0..<6 {
            _ = press([.character("x")], on: &state)
            signals.append(state.insight.textSignal)
        }
        XCTAssertEqual(signals, [.cell, .gate("i"), .gate("f"), .gate("g"), .gate("o"), .hidden])
        _ = press([.character("m")], on: &state)
        XCTAssertTrue(state.insight.showsRanking)
        let ranking = state.textRanking!
        _ = press([.down], on: &state)
        XCTAssertEqual(state.insight.textUnit, ranking[(ranking.firstIndex { $0.unit == 0 } ?? 0) + 1].unit, "↓ walks the ranking")
        _ = press([.character("m")], on: &state)
        XCTAssertEqual(press([.character("p")], on: &state), [])
        XCTAssertEqual(state.notice?.text, "no typed text yet: press / to type some")
        _ = press([.character("/")], on: &state)
        XCTAssertEqual(state.prompt?.purpose, .probeText)
        for character in "say \"hi\"" { _ = press([.character(character)], on: &state) }
        XCTAssertEqual(press([.enter], on: &state), [.send(runID: 1, .probeText("say \"hi\""))])
        var typed = Fixtures.gateSnapshot(cell: .lstm, timeSteps: 8)
        typed.probeIndex = -1
        typed.labels = ["s", "a", "y", " ", "\"", "h", "i", "\""]
        _ = state.update(.trainer(runID: 1, .textProbe(typed)))
        XCTAssertTrue(state.insight.showsTypedText)
        XCTAssertEqual(state.shownTextSnapshot?.labels, typed.labels)
        XCTAssertTrue(Fixtures.rendered(state).text.contains("say \"hi\""))
        XCTAssertTrue(Fixtures.rendered(state).text.contains("typed text"))
    }

    func testTextCellsTakeTheUnitsColourAsBackground() throws {
        var state = InsightFixtures.insightState(cell: .lstm, task: .languageModel, width: 120, height: 40)
        _ = press([.character("T")], on: &state)
        let buffer = Fixtures.rendered(state)
        let snapshot = try XCTUnwrap(state.shownTextSnapshot)
        // "the quick…" starts at (1, 3); its first token is "t", coloured by unit 0's h at t = 0.
        let value = snapshot.probe.layers[0].hidden[0 * snapshot.probe.hiddenSize + 0]
        XCTAssertEqual(buffer[1, 3].character, "t")
        XCTAssertEqual(buffer[1, 3].style.background, HalfBlockHeatmap.color(value, scale: .diverging(limit: 1), mode: .palette256))
        XCTAssertNotEqual(buffer[1, 3].style.background, .default)
    }

    func testTextViewRefusesNumericRuns() {
        var state = InsightFixtures.insightState(cell: .lstm, task: .regression)
        _ = press([.character("T")], on: &state)
        XCTAssertTrue(Fixtures.rendered(state).text.contains("for character and word models"))
        _ = press([.character("/")], on: &state)
        XCTAssertNil(state.prompt)
    }

    func testWordsShowWholeOnTheTimeAxis() {
        var buffer = CellBuffer(width: 40, height: 2)
        let axis = GateTimeAxis(labels: ["the", "cat", "sat", "on", "a", "mat"], kind: .words, timeSteps: 6, timeOffset: 0,
                                visibleTimes: 30, cursor: 5)
        axis.draw(x: 7, y: 0, into: &buffer, theme: Theme(mode: .none))
        let row = String(buffer.text.split(separator: "\n")[0].dropFirst(7).prefix(8))
        // One column a timestep: "the" covers t 0–2 and a gap t 3; t 4 (no room) shows ·; the cursor's word is whole.
        XCTAssertEqual(row, "the ·mat")
    }

    func testNumericInputsShowMarkersApartFromValues() {
        var buffer = CellBuffer(width: 40, height: 3)
        let axis = GateTimeAxis(labels: ["1", "*1", ".5", "0"], kind: .numbers(marked: true), timeSteps: 4, timeOffset: 0,
                                visibleTimes: 4, cursor: 3)
        axis.draw(x: 7, y: 0, into: &buffer, theme: Theme(mode: .none))
        let rows = buffer.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(rows[0].dropFirst(7).prefix(4)), Array("·*··"), "the marker row: only t = 1 is marked")
        XCTAssertEqual(Array(rows[1].dropFirst(7).prefix(3)), Array("██▅"), "values 1, 1 and .5 as bars, not as markers")
    }
}
