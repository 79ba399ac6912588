#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain
import ShegongStore

/// Who is acting: the OS account of the real uid. Only root may act as another account (as with
/// `sudo -u`), which tests and administrators use; nobody else can choose.
public enum Identity {
    public static var realAccount: String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid\(getuid())"
    }

    public static var isRoot: Bool { getuid() == 0 }

    public enum Refusal: Error, CustomStringConvertible {
        case cannotImpersonate(String)
        public var description: String {
            switch self {
            case .cannotImpersonate(let who): return "only root may act as another account (asked to act as \(who))"
            }
        }
    }

    public static func actor(requested: String?) throws -> String {
        guard let requested, requested != realAccount else { return realAccount }
        guard isRoot else { throw Refusal.cannotImpersonate(requested) }
        return requested
    }

    /// A context with the system clock and random UUIDv7 ids.
    public static func context(actor: String) -> EventContext {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return EventContext(actor: actor, now: Timestamp(seconds: Int64(now.tv_sec)), makeID: {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            var g = SystemRandomNumberGenerator()
            let millis = UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec / 1_000_000)
            return EventID(unixMillis: millis, random: (g.next(), g.next()))
        })
    }
}
