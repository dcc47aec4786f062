#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so ask for the wide-character API here.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <curses.h>

// MARK: - Globals Swift 6 cannot read ("not concurrency-safe") and macros Swift does not import

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t cn_attribute_normal(void) { return WA_NORMAL; }
static inline attr_t cn_attribute_bold(void) { return WA_BOLD; }
static inline attr_t cn_attribute_reverse(void) { return WA_REVERSE; }
static inline attr_t cn_attribute_underline(void) { return WA_UNDERLINE; }
static inline attr_t cn_attribute_dim(void) { return WA_DIM; }

static inline int cn_key_function(int number) { return KEY_F(number); }

/// Columns `character` takes in the current locale (1 for braille and block elements, 2 for CJK, -1 for controls).
static inline int cn_character_width(wchar_t character) {
    extern int wcwidth(wchar_t);
    return wcwidth(character);
}

/// ncurses on stdout/stdin for terminal type `term`, without initscr's exit() on failure: NULL when it is unknown.
static inline SCREEN *cn_newterm(const char *term) { return newterm(term, stdout, stdin); }

/// The locale's character set is UTF-8 (after setlocale).
static inline int cn_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && strcmp(codeset, "UTF-8") == 0;
}

/// Draws one single-column character at (y, x) with attributes and an (extended) color pair.
/// The pair goes through setcchar's `opts` so pairs above 32767 work (ncurses >= 6.1).
static inline int cn_put_cell(WINDOW *window, int y, int x, wchar_t character, attr_t attributes, int pair) {
    wchar_t text[2] = { character, 0 };
    cchar_t cell;
    if (setcchar(&cell, text, attributes, 0, &pair) == ERR) return ERR;
    return mvwadd_wch(window, y, x, &cell);
}

// MARK: - Mouse (the masks are macros)

/// Asks for button 1-3 presses and wheel notches (buttons 4 and 5) with no click resolution, so a press arrives at
/// once as KEY_MOUSE. Writes the terminal's "report the mouse" sequence. Returns 1 when the terminal can report them.
static inline int cn_mouse_enable(void) {
    mmask_t wanted = BUTTON1_PRESSED | BUTTON2_PRESSED | BUTTON3_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED;
    mouseinterval(0);
    return mousemask(wanted, NULL) != 0 ? 1 : 0;
}

/// Turns mouse reporting off (writes the terminal's "stop reporting" sequence).
static inline void cn_mouse_disable(void) { mousemask(0, NULL); }

/// After KEY_MOUSE: the event's cell (0-based) and button, 1-3 for a press, 4 wheel up, 5 wheel down.
/// Returns 0, or -1 when there is no event or it is something else (a release, motion).
static inline int cn_mouse_next_event(int *x, int *y, int *button) {
    MEVENT event;
    if (getmouse(&event) != OK) return -1;
    *x = event.x;
    *y = event.y;
    if (event.bstate & BUTTON1_PRESSED) *button = 1;
    else if (event.bstate & BUTTON2_PRESSED) *button = 2;
    else if (event.bstate & BUTTON3_PRESSED) *button = 3;
    else if (event.bstate & BUTTON4_PRESSED) *button = 4;
    else if (event.bstate & BUTTON5_PRESSED) *button = 5;
    else return -1;
    return 0;
}

// MARK: - Emergency restore and signal handlers
//
// State lives in static locals of static inline functions, so every Swift file that calls these gets its own copy.
// Call them from ONE Swift file only (TerminalBackend/SignalHandling.swift).

struct cn_emergency_state {
    volatile sig_atomic_t armed;
    int have_terminal_mode;
    struct termios terminal_mode;
    char sequences[256];
    size_t sequences_length;
    struct sigaction previous[65];
    int saved[65];
};

static inline struct cn_emergency_state *cn_emergency_state(void) {
    static struct cn_emergency_state state;
    return &state;
}

/// Saves the shell's terminal mode (before newterm changes it).
static inline void cn_emergency_save_terminal_mode(void) {
    struct cn_emergency_state *state = cn_emergency_state();
    state->have_terminal_mode = tcgetattr(STDIN_FILENO, &state->terminal_mode) == 0;
}

static inline void cn_emergency_append_text(const char *text) {
    struct cn_emergency_state *state = cn_emergency_state();
    size_t length = strlen(text);
    if (state->sequences_length + length >= sizeof(state->sequences)) return;
    memcpy(state->sequences + state->sequences_length, text, length);
    state->sequences_length += length;
}

static inline void cn_emergency_append(const char *capability, const char *fallback) {
    const char *text = tigetstr(capability);
    if (text == NULL || text == (char *)-1) text = fallback;
    cn_emergency_append_text(text);
}

/// Copies the terminal's "leave full-screen mode" sequences (after newterm loaded terminfo) and arms the restore:
/// attributes off, cursor visible, keypad transmit off, alternate screen off.
static inline void cn_emergency_arm(void) {
    struct cn_emergency_state *state = cn_emergency_state();
    state->sequences_length = 0;
    cn_emergency_append("sgr0", "\033[0m");
    cn_emergency_append("cnorm", "\033[?25h");
    cn_emergency_append("rmkx", "");
    cn_emergency_append("rmcup", "\033[?1049l");
    state->armed = 1;
}

/// Adds "stop reporting the mouse" (normal, button-event, any-event and SGR modes) to the restore, after arm.
static inline void cn_emergency_arm_mouse_off(void) {
    cn_emergency_append_text("\033[?1000l\033[?1002l\033[?1003l\033[?1006l");
}

/// Disarms after a normal endwin.
static inline void cn_emergency_disarm(void) { cn_emergency_state()->armed = 0; }

/// Async-signal-safe (write, tcsetattr): puts the terminal back the way the shell had it, once.
static inline void cn_emergency_restore(void) {
    struct cn_emergency_state *state = cn_emergency_state();
    if (!state->armed) return;
    state->armed = 0;
    const char *bytes = state->sequences;
    size_t left = state->sequences_length;
    while (left > 0) {
        ssize_t written = write(STDOUT_FILENO, bytes, left);
        if (written <= 0) break;
        bytes += written;
        left -= (size_t)written;
    }
    (void)write(STDOUT_FILENO, "\r\n", 2);
    if (state->have_terminal_mode) tcsetattr(STDIN_FILENO, TCSANOW, &state->terminal_mode);
}

/// Installs `handler` for `signal_number` (no SA_RESTART, so a blocked read wakes up), keeping the previous action.
static inline int cn_install_signal_handler(int signal_number, void (*handler)(int)) {
    struct cn_emergency_state *state = cn_emergency_state();
    if (signal_number <= 0 || signal_number >= 65) return -1;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    if (sigaction(signal_number, &action, &state->previous[signal_number]) != 0) return -1;
    state->saved[signal_number] = 1;
    return 0;
}

/// Puts back the action that was there before cn_install_signal_handler (async-signal-safe).
static inline void cn_restore_signal_handler(int signal_number) {
    struct cn_emergency_state *state = cn_emergency_state();
    if (signal_number <= 0 || signal_number >= 65 || !state->saved[signal_number]) return;
    sigaction(signal_number, &state->previous[signal_number], NULL);
    state->saved[signal_number] = 0;
}

#endif
