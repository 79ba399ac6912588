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
                           watcher: LogWatcher? = nil, onFirstFrame: () -> Void = {},
                           onLiveFrame: () -> Void = {}) -> Int32 {
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
            let key = backend.readKey(timeoutMs: 200, wake: watcher?.fd)
            // A colleague's write wakes the loop at once (inotify); without a watcher the log is
            // polled every 0.25 s, and with one every 2 s in case a notification was missed.
            let now = clock()
            if watcher?.drain() == true || now - lastFollow >= (watcher == nil ? 0.25 : 2) {
                lastFollow = now
                if console.follow() {
                    backend.present(console.render(width: backend.size.width, height: backend.size.height), theme: theme)
                    onLiveFrame()
                    needsDraw = key != nil
                }
                if key == nil { emptyReads = 0; continue }
            }
            if let key {
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
        }
        return 0
    }
}
