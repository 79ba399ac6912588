#if canImport(Glibc)
import Glibc
#endif

/// Tells when the log file changed, without polling: an inotify descriptor a main loop can wait
/// on together with the terminal. Where inotify is missing (another OS, a file system without
/// it, the watch limit reached) `make` returns nil and the console keeps its slow poll.
public final class LogWatcher {
    public let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    public static func make(path: String) -> LogWatcher? {
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        guard inotify_add_watch(fd, path, UInt32(IN_MODIFY)) >= 0 else {
            close(fd)
            return nil
        }
        return LogWatcher(fd: fd)
        #else
        return nil
        #endif
    }

    /// Reads every pending notification; true if there was any (the log was written to).
    public func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var any = false
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { any = true; continue }
            if n < 0 && errno == EINTR { continue }
            return any
        }
    }

    deinit { close(fd) }
}
