extension AppState {
    /// Keys on the setup screen: ↑↓ move, ←→ change, typing edits numbers and the path, Enter starts.
    mutating func handleSetupKey(_ key: Key) -> [AppEffect] {
        switch key {
        case .up, .backTab:
            form.moveFocus(by: -1)
        case .down:
            form.moveFocus(by: 1)
        case .left:
            form.adjust(-1)
        case .right:
            form.adjust(1)
        case .backspace, .delete:
            form.deleteBackward()
        case .escape:
            if form.typedValue != nil || form.error != nil {
                form.cancelTyping()
            } else if activeRun != nil {
                screen = .training
            }
        case .enter:
            guard form.commitTypedValue() else { return [] }
            if let problem = form.startProblem() {
                form.error = problem
                return []
            }
            var setup = form.setup
            setup.dataset = form.datasetName.trimmingWhitespace
            return startRun(setup)
        case .tab:
            form.commitTypedValue()
            return activeRun == nil ? [] : show(.training)
        case .character(let character):
            if form.acceptsTyping(character) {
                form.type(character)
                return []
            }
            switch character {
            case "q": return quit()
            case "?": isShowingHelp = true
            case "l" where activeRun != nil: return show(.training)
            case "g" where activeRun != nil: return show(.gates)
            case "j": form.moveFocus(by: 1)
            case "k": form.moveFocus(by: -1)
            default: break
            }
        default:
            break
        }
        return []
    }
}
