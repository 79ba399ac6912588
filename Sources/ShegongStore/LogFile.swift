#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ShegongDomain

/// The position of the chain after some prefix of the log.
public struct ChainPosition: Equatable, Sendable {
    public var count: Int
    public var head: ChainHash
    public var endOffset: Int64
    public init(count: Int, head: ChainHash, endOffset: Int64) { self.count = count; self.head = head; self.endOffset = endOffset }
    public static let start = ChainPosition(count: 0, head: .genesis, endOffset: 0)
}

/// How a scan ended.
public enum ScanEnd: Equatable, Sendable {
    case clean
    /// Bytes after the last complete record that a crashed writer left: not yet (or never) a record.
    case tornTail(bytes: Int64)
    case damaged(Damage)
}

/// The file itself: framing, locking, fsync. Knows records, not what events mean.
public final class LogFile: @unchecked Sendable {
    public let path: String
    let fd: Int32
    public let writable: Bool
    public static let chunkSize = 8 << 20
    /// A replay's chunk (`DecodeAhead`): half of `chunkSize`, since four are in memory at once,
    /// and the replay is no slower for it.
    public static let replayChunkSize = 4 << 20
    /// fsync, replaceable by tests to simulate a disk that fails to confirm a write.
    var sync: @Sendable (Int32) -> Int32 = { fsync($0) }

    init(path: String, fd: Int32, writable: Bool) {
        self.path = path
        self.fd = fd
        self.writable = writable
    }

    deinit { close(fd) }

    /// Creates a new, empty log with the given mode (0600 personal, 0660 station group).
    public static func create(path: String, mode: mode_t = 0o600, group: gid_t? = nil) throws(StoreError) -> LogFile {
        // O_EXCL with O_NOFOLLOW: an existing file or a planted symlink makes the create fail.
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw StoreError.from(errno: errno, path: path, operation: "create") }
        // The umask may have narrowed the mode; set it exactly.
        fchmod(fd, mode)
        if let group { fchown(fd, uid_t.max, group) }
        let dir = directory(of: path)
        fsyncDirectory(dir)
        return LogFile(path: path, fd: fd, writable: true)
    }

    /// Opens an existing log: a regular file, never through a symlink, never a FIFO or device.
    /// Refuses a log that other accounts may read. Falls back to read-only when the file cannot
    /// be written, and says so through `writable`.
    public static func open(path: String, wantWrite: Bool = true) throws(StoreError) -> LogFile {
        var fd: Int32 = -1
        var writable = false
        if wantWrite {
            do {
                fd = try SafeFile.openRegular(path, flags: O_RDWR)
                writable = true
            } catch .permissionDenied(_) {
            } catch .readOnly(_) {
            }
        }
        if fd < 0 { fd = try SafeFile.openRegular(path, flags: O_RDONLY) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw StoreError.from(errno: e, path: path, operation: "stat")
        }
        if st.st_mode & 0o007 != 0 {
            close(fd)
            throw StoreError.worldReadable(path: path, mode: UInt32(st.st_mode))
        }
        return LogFile(path: path, fd: fd, writable: writable)
    }

    public func size() throws(StoreError) -> Int64 {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StoreError.from(errno: errno, path: path, operation: "stat") }
        return Int64(st.st_size)
    }

    public var mode: mode_t {
        var st = stat()
        fstat(fd, &st)
        return st.st_mode & 0o7777
    }

    public var group: gid_t {
        var st = stat()
        fstat(fd, &st)
        return st.st_gid
    }

    // MARK: Reading

    /// Reads records from `position` to the end of the file, checking each checksum and number
    /// and, with `checkChain`, that each names its predecessor's SHA-256, and hands each to `visit`
    /// with its byte offset. Stops at the first damage. The position returned names the last
    /// record's hash either way. Chunks are read and decoded ahead on two other threads (see
    /// `DecodeAhead`) while `visit` applies the one before.
    /// `chunkSize` is for tests, to make a small log span many chunks.
    public func scan(from position: ChainPosition, checkChain: Bool = true, forProjection: Bool = false,
                     chunkSize: Int = LogFile.replayChunkSize,
                     visit: (Record, Int64) throws -> Void) throws -> (ChainPosition, ScanEnd) {
        let fileSize = try size()
        guard fileSize >= position.endOffset else { throw StoreError.shrank(path: path) }
        let ahead = DecodeAhead(log: self, from: position, to: fileSize, chunkSize: chunkSize,
                                checkChain: checkChain, forProjection: forProjection)
        defer { ahead.stop() }
        while let (decoder, damage) = try ahead.next() {
            defer { ahead.recycle() }
            try decoder.records.hand(visit)
            if let damage {
                let pos = ahead.position
                return (pos, try isZeroFilled(from: damage.offset) ? .tornTail(bytes: fileSize - pos.endOffset) : .damaged(damage))
            }
        }
        let pos = ahead.position
        let rest = fileSize - pos.endOffset
        return (pos, rest == 0 ? .clean : .tornTail(bytes: rest))
    }

    /// Reads up to `count` bytes at `offset` into `buffer` from index `start`; returns how many.
    func read(into buffer: UnsafeMutableRawBufferPointer, start: Int, count: Int, at offset: Int64) throws(StoreError) -> Int {
        var got = 0
        while got < count {
            let n = pread(fd, buffer.baseAddress! + start + got, count - got, off_t(offset) + off_t(got))
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.from(errno: errno, path: path, operation: "read")
            }
            if n == 0 { break }
            got += n
        }
        return got
    }

    /// A crash after the size grew but before the data reached the disk leaves zeros; those are a
    /// torn tail, not damage.
    func isZeroFilled(from offset: Int64) throws -> Bool {
        let end = try size()
        var at = offset
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while at < end {
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(at)) }
            guard got > 0 else { return false }
            if buffer[0..<got].contains(where: { $0 != 0 && $0 != 0x0A }) { return false }
            at += Int64(got)
        }
        return true
    }

    /// The bytes of one record line (without the newline) starting at `offset`.
    public func line(at offset: Int64) throws(StoreError) -> [UInt8] {
        var out: [UInt8] = []
        var at = offset
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(at)) }
            if got < 0 { throw StoreError.from(errno: errno, path: path, operation: "read") }
            if got == 0 { throw StoreError.damaged(path: path, damage: Damage(recordNumber: 0, offset: offset, reason: "no complete record here")) }
            if let nl = chunk[0..<got].firstIndex(of: 0x0A) {
                out.append(contentsOf: chunk[0..<nl])
                return out
            }
            out.append(contentsOf: chunk[0..<got])
            at += Int64(got)
        }
    }

    public func record(at offset: Int64) throws -> Record {
        let bytes = try line(at: offset)
        do {
            return try bytes.withUnsafeBytes { raw throws(RecordDamage) in try RecordCodec.decode(raw) }
        } catch {
            throw StoreError.damaged(path: path, damage: Damage(recordNumber: 0, offset: offset, reason: "\(error)"))
        }
    }

    // MARK: Writing

    /// Holds an exclusive lock on the log for the duration of `body`. Other processes wait.
    public func withExclusiveLock<T>(_ body: () throws -> T) throws -> T {
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw StoreError.from(errno: errno, path: path, operation: "lock") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Writes `bytes` at `offset` (the current end) and fsyncs. On any failure the file is cut
    /// back to `offset` so no partial record remains; a failed fsync is reported, never retried.
    public func appendDurably(_ bytes: [UInt8], at offset: Int64) throws(StoreError) {
        guard writable else { throw StoreError.readOnly(path: path) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                pwrite(fd, raw.baseAddress! + written, bytes.count - written, off_t(offset) + off_t(written))
            }
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                ftruncate(fd, off_t(offset))
                throw StoreError.from(errno: e, path: path, operation: "write")
            }
            written += n
        }
        if sync(fd) != 0 {
            let e = errno
            // The kernel may have dropped the dirty pages and cleared the error: the bytes are in an
            // unknown state. Cut them off (best effort) and make the caller reopen and re-verify.
            ftruncate(fd, off_t(offset))
            if e == ENOSPC || e == EDQUOT { throw StoreError.diskFull(path: path) }
            throw StoreError.fsyncFailed(path: path, errno: e)
        }
    }

    /// Cuts the file to `length` (a torn tail, under the lock) and makes that durable.
    public func truncate(to length: Int64) throws(StoreError) {
        guard writable else { throw StoreError.readOnly(path: path) }
        guard ftruncate(fd, off_t(length)) == 0, fsync(fd) == 0 else {
            throw StoreError.from(errno: errno, path: path, operation: "truncate")
        }
    }

    public func readBytes(from offset: Int64, count: Int) throws(StoreError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(offset) + off_t(got)) }
            if n < 0 { throw StoreError.from(errno: errno, path: path, operation: "read") }
            if n == 0 { break }
            got += n
        }
        return Array(out[0..<got])
    }
}

func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let dir = String(path[..<slash])
    return dir.isEmpty ? "/" : dir
}

/// Makes a create or rename durable: the directory entry must reach the disk too.
func fsyncDirectory(_ dir: String) {
    let dfd = Glibc.open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd >= 0 { fsync(dfd); close(dfd) }
}
