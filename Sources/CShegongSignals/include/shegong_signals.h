#ifndef SHEGONG_SIGNALS_H
#define SHEGONG_SIGNALS_H
// Signals only record themselves; the console's loop restores the terminal and exits (neither
// is async-signal-safe, so neither may run inside a handler). Kept in its own C target because
// <signal.h> under the wide-curses feature macros clashes with Swift's Glibc module.
void sg_install_signal_flags(void);
int sg_take_pending_signal(void);
#endif
