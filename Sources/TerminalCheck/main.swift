// terminal-check: draws a test pattern through TerminalBackend and echoes the last key, for the tmux end-to-end
// tests (Tests/EndToEndTests) and for a person checking a terminal by eye.
//
//     terminal-check                 q quits; SIGINT/SIGTERM/SIGHUP exit with 128 + signal after restoring
//     terminal-check --allow-crash   "!" traps on purpose, to check the crash handler restores the terminal
//     terminal-check --mouse         reports the mouse and echoes the last press or wheel notch (row 8)
//     terminal-check --measure-present N   times N full-change and N unchanged frames, prints ms per frame

import Foundation
import TerminalUI
import TerminalBackend

/// Text for a key as the tests look for it: "up", "char(a)", "f(1)", "ctrl(d)", "backtab"...
func describe(_ key: Key) -> String {
    switch key {
    case .character(let character): return "char(\(character))"
    case .enter: return "enter"
    case .escape: return "escape"
    case .tab: return "tab"
    case .backTab: return "backtab"
    case .backspace: return "backspace"
    case .delete: return "delete"
    case .up: return "up"
    case .down: return "down"
    case .left: return "left"
    case .right: return "right"
    case .pageUp: return "pageup"
    case .pageDown: return "pagedown"
    case .home: return "home"
    case .end: return "end"
    case .function(let number): return "f(\(number))"
    case .control(let letter): return "ctrl(\(letter))"
    }
}

/// Text for a mouse event as the tests look for it: "left at 12,8", "wheel-down at 0,0" (column,row from 0).
func describe(_ event: MouseEvent) -> String {
    let button = switch event.button {
    case .left: "left"
    case .middle: "middle"
    case .right: "right"
    case .wheelUp: "wheel-up"
    case .wheelDown: "wheel-down"
    }
    return "\(button) at \(event.x),\(event.y)"
}

func modeName(_ mode: ColorMode) -> String {
    switch mode {
    case .palette256: return "palette256"
    case .basic8: return "basic8"
    case .none: return "none"
    }
}

/// The test pattern, one labelled row per feature.
func render(
    into buffer: inout CellBuffer, mode: ColorMode, frame: Int, lastKey: String, keyCount: Int, resizeCount: Int,
    mouse: (last: String, count: Int)?
) {
    let label = CellStyle(bold: true)
    buffer.write("terminal-check  mode: \(modeName(mode))  size: \(buffer.width)x\(buffer.height)", x: 0, y: 0,
                 style: label)
    buffer.write("frame: \(frame)  resizes: \(resizeCount)", x: 0, y: 1)
    buffer.write("key: \(lastKey)  keys: \(keyCount)", x: 0, y: 2, style: CellStyle(reverse: true))

    // 256-color ramp: foreground blocks through the color cube and the gray ramp.
    buffer.write("ramp:", x: 0, y: 3)
    for step in 0..<48 {
        let index = UInt8(16 + step * 5)
        buffer.set(6 + step, 3, "█", style: CellStyle(foreground: .indexed(index)))
    }
    // Basic colors as foreground text and as background behind spaces.
    buffer.write("basic:", x: 0, y: 4)
    for color in UInt8(0)..<8 {
        buffer.write("\(color)", x: 7 + Int(color) * 3, y: 4, style: CellStyle(foreground: .basic(color)))
        buffer.write("  ", x: 32 + Int(color) * 2, y: 4, style: CellStyle(background: .basic(color)))
    }
    buffer.write("glyphs: ⠁⠃⠇⡇⣇⣧⣷⣿ ▁▂▃▄▅▆▇█ ░▒▓ ┌─┬┐│└┴┘ ␣ ⏎ wide:漢😀", x: 0, y: 5)
    buffer.write("styles:", x: 0, y: 6)
    buffer.write("bold", x: 8, y: 6, style: CellStyle(bold: true))
    buffer.write("reverse", x: 13, y: 6, style: CellStyle(reverse: true))
    buffer.write("underline", x: 21, y: 6, style: CellStyle(underline: true))
    buffer.write("dim", x: 31, y: 6, style: CellStyle(dim: true))
    buffer.write("q quits", x: 0, y: 7)
    if let mouse { buffer.write("mouse: \(mouse.last)  events: \(mouse.count)", x: 0, y: 8) }
    // Corners, to see that the whole area is drawn after a resize.
    buffer.set(buffer.width - 1, 0, "┐")
    buffer.set(buffer.width - 1, buffer.height - 1, "┘")
    buffer.set(0, buffer.height - 1, "└")
}

let allowCrash = CommandLine.arguments.contains("--allow-crash")
let terminal: Terminal
do {
    terminal = try Terminal(reportsMouse: CommandLine.arguments.contains("--mouse"))
} catch {
    FileHandle.standardError.write(Data("terminal-check: \(error)\n".utf8))
    exit(1)
}

/// Presents `frames` frames where every cell changes (braille, blocks, 256 colors), then `frames` identical
/// frames; returns milliseconds per frame for each.
func measurePresent(on terminal: Terminal, frames: Int) -> (changing: Double, unchanged: Double) {
    let (width, height) = terminal.size
    let glyphs: [Character] = ["⣿", "⠁", "▆", "░", "a", "█", "┼", "7"]
    let buffers = (0..<2).map { variant in
        var buffer = CellBuffer(width: width, height: height)
        for row in 0..<height {
            for column in 0..<width {
                let seed = row * 31 + column * 7 + variant * 3
                let style = CellStyle(foreground: .indexed(UInt8(16 + seed % 216)),
                                      background: variant == 0 ? .default : .indexed(UInt8(232 + seed % 24)))
                buffer.set(column, row, glyphs[(seed + variant) % glyphs.count], style: style)
            }
        }
        return buffer
    }
    let clock = ContinuousClock()
    let changing = clock.measure { for frame in 0..<frames { terminal.present(buffers[frame % 2]) } }
    let unchanged = clock.measure { for _ in 0..<frames { terminal.present(buffers[0]) } }
    let toMilliseconds = { (duration: Duration) in
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
    }
    return (toMilliseconds(changing) / Double(frames), toMilliseconds(unchanged) / Double(frames))
}

if let flag = CommandLine.arguments.firstIndex(of: "--measure-present"), flag + 1 < CommandLine.arguments.count,
    let frames = Int(CommandLine.arguments[flag + 1]), frames > 0
{
    let size = terminal.size
    let timing = measurePresent(on: terminal, frames: frames)
    terminal.restore()
    print("present \(size.width)x\(size.height), \(frames) frames: every cell changing "
        + String(format: "%.2f", timing.changing) + " ms/frame, unchanged "
        + String(format: "%.3f", timing.unchanged) + " ms/frame")
    exit(0)
}

var frame = 0
var lastKey = "none"
var keyCount = 0
var resizeCount = 0
var lastMouse = "none"
var mouseCount = 0
var quit = false
while !quit {
    switch terminal.nextInput(timeoutMilliseconds: 100) {
    case .key(let key):
        lastKey = describe(key)
        keyCount += 1
        if key == .character("q") { quit = true }
        if allowCrash, key == .character("!") { fatalError("terminal-check: crash requested with '!'") }
    case .mouse(let event):
        lastMouse = describe(event)
        mouseCount += 1
    case .resize:
        resizeCount += 1
    case nil:
        break
    }
    if Terminal.terminationRequested { break }
    frame += 1
    var buffer = CellBuffer(width: terminal.size.width, height: terminal.size.height)
    render(into: &buffer, mode: terminal.colorMode, frame: frame, lastKey: lastKey, keyCount: keyCount,
           resizeCount: resizeCount, mouse: terminal.reportsMouse ? (lastMouse, mouseCount) : nil)
    terminal.present(buffer)
}
terminal.restore()
if let signalNumber = Terminal.terminationSignal {
    print("terminal-check: stopped by signal \(signalNumber)")
    exit(128 + signalNumber)
}
print("terminal-check: quit after \(frame) frames")
