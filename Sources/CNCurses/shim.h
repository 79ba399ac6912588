#ifndef SHEGONG_CNCURSES_SHIM_H
#define SHEGONG_CNCURSES_SHIM_H
// Wide-character ncurses: these must be set before <curses.h> or get_wch/add_wch vanish.
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <stddef.h>
#include <locale.h>
#include <wchar.h>
#include <curses.h>
#include <term.h>

// Swift 6 cannot touch mutable C globals or expand function-like macros; these accessors can.
static inline WINDOW *sg_stdscr(void) { return stdscr; }
static inline int sg_lines(void) { return LINES; }
static inline int sg_cols(void) { return COLS; }
static inline int sg_colors(void) { return COLORS; }
static inline int sg_color_pairs(void) { return COLOR_PAIRS; }
static inline void sg_set_escdelay(int ms) { set_escdelay(ms); }
static inline attr_t sg_a_bold(void) { return A_BOLD; }
static inline attr_t sg_a_reverse(void) { return A_REVERSE; }
static inline attr_t sg_a_underline(void) { return A_UNDERLINE; }
static inline attr_t sg_a_dim(void) { return A_DIM; }
static inline attr_t sg_a_normal(void) { return A_NORMAL; }
static inline int sg_key_resize(void) { return KEY_RESIZE; }
// Keys without a fixed code (Alt-arrows are "kLFT3"/"kRIT3" in terminfo): 0 when the terminal has none.
static inline int sg_key_named(const char *name) {
    const char *sequence = tigetstr(name);
    if (sequence == NULL || sequence == (const char *)-1) return 0;
    int code = key_defined(sequence);
    return code > 0 ? code : 0;
}
static inline int sg_wcwidth(wchar_t c) { return wcwidth(c); }
// Extended pairs take int colours, so direct-colour (truecolor) values fit.
static inline int sg_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }

// Put one cell: a character (possibly wide) with attributes and a colour pair.
static inline int sg_put_cell(int y, int x, const wchar_t *chars, attr_t attrs, int pair) {
    cchar_t cc;
    setcchar(&cc, chars, attrs, 0, &pair);
    return mvadd_wch(y, x, &cc);
}
static inline int sg_get_wch(wint_t *out) { return get_wch(out); }

#endif
