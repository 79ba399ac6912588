#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain
import ShegongStore
import ShegongTerminal

/// The console's main loop: one thread owns the backend (and so every ncurses call). Between
/// keys it follows the log, and it notices signals: on SIGHUP/SIGTERM/SIGINT the open form is
/// already in the draft file, so it restores the terminal and exits.
public enum ConsoleRunner {
    public static func run(console: Console, backend: TerminalBackend, theme: ResolvedTheme,
                           pendingSignal: () -> Int32? = { nil }, clock: () -> Double,
                           onFirstFrame: () -> Void = {}) -> Int32 {
        var lastFollow = clock()
        var needsDraw = true
        var emptyReads = 0
        defer { backend.shutdown() }
        console.deferMonthFigures = true
        while !console.quitRequested {
            if let signal = pendingSignal() { return 128 + signal }
            if needsDraw {
                let size = backend.size
                backend.present(console.render(width: size.width, height: size.height), theme: theme)
                needsDraw = false
                if console.deferMonthFigures {
                    // The first frame is on screen; now draw the figures it left out.
                    onFirstFrame()
                    console.deferMonthFigures = false
                    needsDraw = true
                }
            }
            let asked = clock()
            if let key = backend.readKey(timeoutMs: 200) {
                console.handle(key)
                needsDraw = true
                emptyReads = 0
            } else if clock() - asked < 0.02 {
                // The wait returned at once with no key, again and again: the input is at its end
                // (a hung-up terminal). Quit; every keystroke of an open form is in the draft.
                emptyReads += 1
                if emptyReads >= 50 { return 0 }
            } else {
                emptyReads = 0
            }
            // Live: look for other processes' records at least every 0.25 s, even while typing.
            let now = clock()
            if now - lastFollow >= 0.25 {
                lastFollow = now
                if console.follow() { needsDraw = true }
            }
        }
        return 0
    }
}
