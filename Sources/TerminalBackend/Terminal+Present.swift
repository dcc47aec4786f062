import CNcursesw
import TerminalUI

extension Terminal {
    /// Draws `buffer` from the top-left corner: only the cells that differ from the previously presented buffer
    /// (`BufferDiff`; all of them after a resize or a size change), then one `doupdate`. Cells past the terminal's edge are
    /// clipped. A character that is not exactly one column wide (CJK, emoji, combining sequences, controls) is drawn
    /// as "?" so the layout never shifts. Cost: O(width × height) comparisons plus one ncurses call per changed cell.
    public func present(_ buffer: CellBuffer) {
        guard screen != nil else { return }
        let window = cn_stdscr()
        if let last = presented, last.width != buffer.width || last.height != buffer.height { presented = nil }
        if presented == nil { werase(window) }
        BufferDiff.forEachChange(from: presented, to: buffer, visibleWidth: size.width, visibleHeight: size.height) {
            column, row, cell in
            let pair = colorPairs.pair(for: cell.style)
            // The bottom-right cell returns ERR (the cursor cannot advance) but is drawn; nothing to handle.
            _ = cn_put_cell(
                window, Int32(row), Int32(column), Terminal.singleColumnCharacter(cell.character),
                cell.style.cursesAttributes, pair)
        }
        wnoutrefresh(window)
        doupdate()
        presented = buffer
    }

    /// `character` as a wide character if it is one scalar that takes exactly one column in the locale, else "?".
    static func singleColumnCharacter(_ character: Character) -> wchar_t {
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first else { return wchar_t(UInt8(ascii: "?")) }
        let wide = wchar_t(bitPattern: scalar.value)
        return cn_character_width(wide) == 1 ? wide : wchar_t(UInt8(ascii: "?"))
    }
}
