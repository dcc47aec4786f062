import TerminalUI

extension AppState {
    /// A click or wheel notch, hit-tested against the layout the current screen was drawn with (`SetupLayout`,
    /// `GateViewport`): the same state at the same size always renders the same cells, so the layout is recomputed
    /// here from the same function. The mouse only does what keys already do; it is ignored while a value is typed
    /// at the bottom line, while the help shows, and when the window is too small.
    ///
    /// A new screen with mouse support adds its case here and hit-tests with the layout function its view draws
    /// with. The runs browser (not merged when this was written): its view and this case build one
    /// `ListWindow(count: browser.entries.count, selection: browser.selection, top: listTop, height: listHeight)`;
    /// a click on `window.index(atRow: event.y)` selects that run (a click on the selected one opens it, as Enter),
    /// the wheel moves the selection (as ↑ ↓).
    mutating func handleMouse(_ event: MouseEvent) -> [AppEffect] {
        guard prompt == nil, !isShowingHelp, width >= Self.minimumWidth, height >= Self.minimumHeight else { return [] }
        switch screen {
        case .setup: return handleSetupMouse(event)
        case .gates: return handleGateMouse(event)
        case .training, .output, .runs, .gradients, .statistics, .text: return []
        }
    }

    /// Setup: a click focuses the field in that row; on the focused choice, "◂" steps back and the rest of the
    /// value steps forward (as ← →). The wheel moves between fields (as ↑ ↓).
    private mutating func handleSetupMouse(_ event: MouseEvent) -> [AppEffect] {
        switch event.button {
        case .wheelUp: return handleSetupAction(.previousField, key: .up)
        case .wheelDown: return handleSetupAction(.nextField, key: .down)
        case .middle, .right: return []
        case .left: break
        }
        let form = self.form
        let layout = SetupLayout(form: form, screenHeight: height)
        switch layout.target(x: event.x, y: event.y, showsArrows: { form.showsChoiceArrows($0) }) {
        case .field(let field): self.form.focus(on: field)
        case .previousChoice: return handleSetupAction(.decreaseValue, key: .left)
        case .nextChoice: return handleSetupAction(.increaseValue, key: .right)
        case nil: break
        }
        return []
    }

    /// The gate view as the screen shows it now; nil while there is no snapshot to show.
    var gateViewport: GateViewport? {
        guard let probe = activeRun?.gateSnapshot?.probe, !probe.layers.isEmpty else { return nil }
        return GateViewport(width: width, height: height, cursor: gates, hiddenSize: probe.hiddenSize,
                            timeSteps: probe.timeSteps, panelCount: gatePanelCount)
    }

    /// Gates: a click on a heatmap cell puts the cursor on that unit and timestep, a click on the time axis (the
    /// input characters, the timestep numbers) on that timestep; the wheel pages units (as PgUp PgDn).
    private mutating func handleGateMouse(_ event: MouseEvent) -> [AppEffect] {
        switch event.button {
        case .wheelUp: return handleGateAction(.pageUnitsUp)
        case .wheelDown: return handleGateAction(.pageUnitsDown)
        case .middle, .right: return []
        case .left: break
        }
        guard let viewport = gateViewport else { return [] }
        if let hit = viewport.cell(atX: event.x, y: event.y) {
            gates.unit = hit.unit
            gates.timestep = hit.timestep
        } else if let timestep = viewport.timestep(onTimeAxisAtX: event.x, y: event.y) {
            gates.timestep = timestep
        } else {
            return []
        }
        keepGateCursorVisible()
        return []
    }
}
