/// What the terminal can show; the backend detects it, the views adapt their ramps and markers to it.
public enum ColorMode: Sendable, Equatable {
    /// xterm-256 palette: perceptual heatmap ramp.
    case palette256
    /// The 8 basic colors only (TERM=xterm, screen): a short readable ramp.
    case basic8
    /// NO_COLOR set or a monochrome terminal: plain characters carry all meaning.
    case none
}
