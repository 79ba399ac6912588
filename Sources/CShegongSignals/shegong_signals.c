#include <signal.h>
#include <stddef.h>
#include "shegong_signals.h"

static volatile sig_atomic_t pending = 0;

static void record(int sig) { pending = sig; }

void sg_install_signal_flags(void) {
    struct sigaction sa;
    sa.sa_handler = record;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a blocking read returns, so the flag is seen at once
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

int sg_take_pending_signal(void) {
    int s = pending;
    pending = 0;
    return s;
}
