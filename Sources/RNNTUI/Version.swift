/// The version `rnn-tui --version` prints; the one place it is written.
enum RNNTUIVersion {
    static let current = "0.1.0"
}
