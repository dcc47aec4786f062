import TerminalUI

extension AppState {
    /// Setup-screen actions: move between fields, change or type a value, Enter starts, Esc goes back.
    mutating func handleSetupAction(_ action: KeyAction, key: Key) -> [AppEffect] {
        switch action {
        case .previousField:
            form.moveFocus(by: -1)
        case .nextField:
            form.moveFocus(by: 1)
        case .decreaseValue:
            form.adjust(-1)
        case .increaseValue:
            form.adjust(1)
        case .deleteBackward:
            form.deleteBackward()
        case .typeValue:
            if case .character(let character) = key { form.type(character) }
        case .backToRun:
            if form.typedValue != nil || form.error != nil {
                form.cancelTyping()
            } else if activeRun != nil {
                screen = .training
            }
        case .startRun:
            guard form.commitTypedValue() else { return [] }
            if let problem = form.startProblem() {
                form.error = problem
                return []
            }
            return startRun(form.setupToStart)
        case .completePath:
            if !form.completePath() { return perform(.cycleView, key: key) }
        default:
            break
        }
        return []
    }
}
