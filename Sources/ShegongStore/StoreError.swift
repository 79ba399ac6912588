#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ShegongDomain

/// Where the log first stops being valid.
public struct Damage: Error, Equatable, Sendable, CustomStringConvertible {
    public var recordNumber: Int
    public var offset: Int64
    public var reason: String
    public var description: String { "record \(recordNumber) at byte \(offset): \(reason)" }
}

public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(path: String)
    case alreadyExists(path: String)
    case permissionDenied(path: String)
    case readOnly(path: String)
    case diskFull(path: String)
    case worldReadable(path: String, mode: UInt32)
    case damaged(path: String, damage: Damage)
    case shrank(path: String)
    case fsyncFailed(path: String, errno: Int32)
    case failedEarlier(path: String)
    case io(path: String, operation: String, errno: Int32)
    /// A FIFO, device, directory or symlink where a regular file belongs.
    case notRegularFile(path: String, kind: String)
    /// A file larger than it may be (an import line, a theme).
    case tooLarge(path: String, bytes: Int, limit: Int)
    /// One record over the size every write path enforces.
    case recordTooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .notFound(let p): return "\(p): no such store (create one with `shegong init --store \(p) --station NAME`)"
        case .alreadyExists(let p): return "\(p): a store already exists here"
        case .permissionDenied(let p): return "\(p): permission denied"
        case .readOnly(let p): return "\(p): the file or its filesystem is read-only; nothing was written"
        case .diskFull(let p): return "\(p): the disk is full; nothing was written, free some space and try again"
        case .worldReadable(let p, let mode):
            return "\(p): refusing to use a log other accounts can read (mode \(String(mode & 0o777, radix: 8))); "
                + "fix it with `chmod o-rwx \(p)`"
        case .damaged(let p, let d):
            return "\(p): the log is damaged at \(d); opened read-only. Run `shegong verify --store \(p)` and "
                + "`shegong repair --store \(p)`"
        case .shrank(let p): return "\(p): the log became shorter while open (repaired or replaced?); reopen it"
        case .fsyncFailed(let p, let e):
            return "\(p): the disk did not confirm the write (\(String(cString: strerror(e)))); "
                + "it was not saved. Reopen to check the log"
        case .failedEarlier(let p): return "\(p): an earlier write could not be confirmed; reopen the store before writing"
        case .io(let p, let op, let e): return "\(p): \(op) failed: \(String(cString: strerror(e)))"
        case .notRegularFile(let p, let kind): return "\(p): is \(kind), not a regular file; refusing to use it"
        case .tooLarge(let p, let n, let limit): return "\(p): \(n) bytes is more than the \(limit) bytes allowed"
        case .recordTooLarge(let n, let limit):
            return "a record of \(n) bytes is over the limit of \(limit) bytes (1 MiB); nothing was written"
        }
    }

    static func from(errno e: Int32, path: String, operation: String) -> StoreError {
        switch e {
        case ENOSPC, EDQUOT: return .diskFull(path: path)
        case EROFS: return .readOnly(path: path)
        case EACCES, EPERM: return .permissionDenied(path: path)
        case ENOENT: return .notFound(path: path)
        case EEXIST: return .alreadyExists(path: path)
        default: return .io(path: path, operation: operation, errno: e)
        }
    }
}
