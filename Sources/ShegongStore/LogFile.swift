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
    static let chunkSize = 8 << 20

    init(path: String, fd: Int32, writable: Bool) {
        self.path = path
        self.fd = fd
        self.writable = writable
    }

    deinit { close(fd) }

    /// Creates a new, empty log with the given mode (0600 personal, 0660 station group).
    public static func create(path: String, mode: mode_t = 0o600, group: gid_t? = nil) throws(StoreError) -> LogFile {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw StoreError.from(errno: errno, path: path, operation: "create") }
        // The umask may have narrowed the mode; set it exactly.
        fchmod(fd, mode)
        if let group { fchown(fd, uid_t.max, group) }
        let dir = directory(of: path)
        fsyncDirectory(dir)
        return LogFile(path: path, fd: fd, writable: true)
    }

    /// Opens an existing log. Refuses a log that other accounts may read. Falls back to
    /// read-only when the file cannot be written, and says so through `writable`.
    public static func open(path: String, wantWrite: Bool = true) throws(StoreError) -> LogFile {
        var fd: Int32 = -1
        var writable = false
        if wantWrite {
            fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
            writable = fd >= 0
        }
        if fd < 0 {
            fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw StoreError.from(errno: errno, path: path, operation: "open") }
        }
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

    /// Reads records from `position` to the end of the file, checking each checksum and the chain,
    /// and hands each to `visit` with its byte offset. Stops at the first damage.
    /// With `limit`, stops once the file offset reaches it (used to read what a lock holder saw).
    public func scan(from position: ChainPosition, checkChain: Bool = true,
                     visit: (Record, Int64) throws -> Void) throws -> (ChainPosition, ScanEnd) {
        var pos = position
        let fileSize = try size()
        guard fileSize >= pos.endOffset else { throw StoreError.shrank(path: path) }
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        var carry = 0  // bytes at the front of buffer from the previous read
        var readOffset = pos.endOffset
        while readOffset < fileSize {
            if carry == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            let want = min(buffer.count - carry, Int(fileSize - readOffset))
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + carry, want, off_t(readOffset))
            }
            guard got > 0 else {
                if got < 0 { throw StoreError.from(errno: errno, path: path, operation: "read") }
                break
            }
            readOffset += Int64(got)
            let filled = carry + got
            var consumed = 0
            let damage: Damage? = try buffer.withUnsafeBytes { raw -> Damage? in
                var start = 0
                while start < filled {
                    guard let nl = memchr(raw.baseAddress! + start, 0x0A, filled - start) else { break }
                    let end = raw.baseAddress!.distance(to: UnsafeRawPointer(nl))
                    let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                    let lineOffset = pos.endOffset
                    let record: Record
                    do { record = try RecordCodec.decode(line) } catch let error as RecordDamage {
                        return Damage(recordNumber: pos.count + 1, offset: lineOffset, reason: error.description)
                    } catch { return Damage(recordNumber: pos.count + 1, offset: lineOffset, reason: "\(error)") }
                    if checkChain {
                        if record.number != pos.count + 1 {
                            return Damage(recordNumber: pos.count + 1, offset: lineOffset,
                                          reason: "record number \(record.number), expected \(pos.count + 1)")
                        }
                        if record.prev != pos.head {
                            return Damage(recordNumber: pos.count + 1, offset: lineOffset,
                                          reason: "hash chain broken (prev does not match record \(pos.count))")
                        }
                        pos.head = ChainHash.of(line)
                    }
                    pos.count += 1
                    pos.endOffset += Int64(end - start + 1)
                    try visit(record, lineOffset)
                    start = end + 1
                }
                consumed = start
                return nil
            }
            if let damage {
                return (pos, try isZeroFilled(from: damage.offset) ? .tornTail(bytes: fileSize - pos.endOffset)
                        : .damaged(damage))
            }
            carry = filled - consumed
            if carry > 0 && consumed > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + consumed, carry)
                }
            }
        }
        let rest = fileSize - pos.endOffset
        return (pos, rest == 0 ? .clean : .tornTail(bytes: rest))
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
        if fsync(fd) != 0 {
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
