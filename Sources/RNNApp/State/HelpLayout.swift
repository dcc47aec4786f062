/// The help screen's body: the rows between the header and the note line, shared by the help keys
/// (how many pages there are) and the drawing.
enum HelpLayout {
    static func bodyRows(height: Int) -> Int { max(1, height - 3) }
}
