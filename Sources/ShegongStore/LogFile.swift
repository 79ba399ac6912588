#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
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
    static let chunkSize = 8 << 20
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
    /// record's hash either way. Reading and decoding the next chunk run on the other core (and
    /// this one, when it is free) while `visit` applies the previous one.
    public func scan(from position: ChainPosition, checkChain: Bool = true, forProjection: Bool = false,
                     visit: (Record, Int64) throws -> Void) throws -> (ChainPosition, ScanEnd) {
        var pos = position
        let fileSize = try size()
        guard fileSize >= pos.endOffset else { throw StoreError.shrank(path: path) }
        var readOffset = pos.endOffset
        // Two decoders take turns: one decodes the next chunk while the records of the other are
        // applied. Their buffers are reused, so a replay allocates no large blocks per chunk.
        let decoders = [ChunkDecode(checkChain: checkChain, forProjection: forProjection),
                        ChunkDecode(checkChain: checkChain, forProjection: forProjection)]
        var turn = 0
        var ready: ChunkDecode?
        let group = DispatchGroup()
        defer { group.wait() }
        while readOffset < fileSize {
            let decoder = decoders[turn]
            turn = 1 - turn
            let carry = ready.map { Array($0.bytes[$0.consumed..<$0.filled]) } ?? []
            let count = min(Self.chunkSize, Int(fileSize - readOffset))
            decoder.start = pos
            let at = readOffset
            group.enter()
            DispatchQueue.global(qos: .userInitiated).async {
                decoder.loadAndRun(carry: carry, from: self, at: at, count: count)
                group.leave()
            }
            if let ready { try ready.forEachRecord(visit) }
            group.wait()
            ready = nil
            let got = try decoder.loaded.get()
            if got == 0 { break }
            readOffset += Int64(got)
            ready = decoder
            pos = decoder.end
            if let damage = decoder.damage {
                try decoder.forEachRecord(visit)
                return (pos, try isZeroFilled(from: damage.offset) ? .tornTail(bytes: fileSize - pos.endOffset) : .damaged(damage))
            }
        }
        if let ready { try ready.forEachRecord(visit) }
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

/// Decodes the complete lines of one chunk: checksums, the chain and JSON. Runs on its own
/// thread; the scan reads its results only after it finished.
final class ChunkDecode: @unchecked Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var filled = 0
    let checkChain: Bool
    let forProjection: Bool
    var start = ChainPosition.start
    private(set) var end = ChainPosition.start
    /// The chunk's records in order: the first half's, then (`later`) the second half's; kept
    /// apart rather than joined, since copying them costs a retain and a release per record.
    let records = DecodedRecords()
    let later = DecodedRecords()

    /// Hands every decoded record of the chunk to `visit`, in log order.
    func forEachRecord(_ visit: (Record, Int64) throws -> Void) rethrows {
        try records.hand(visit)
        if laterAccepted { try later.hand(visit) }
    }
    private var first = Part(), second = Part()
    /// Whether the second half follows the first (false when the first half or the seam failed).
    private var laterAccepted = false
    private(set) var consumed = 0
    private(set) var damage: Damage?

    init(checkChain: Bool, forProjection: Bool) {
        self.checkChain = checkChain
        self.forProjection = forProjection
    }

    /// How many bytes of the file the last `loadAndRun` read, or why it could not.
    private(set) var loaded: Result<Int, any Error> = .success(0)

    /// Loads (see `load`) and decodes what it read, on the calling thread.
    func loadAndRun(carry: [UInt8], from log: LogFile, at offset: Int64, count: Int) {
        loaded = Result { try load(carry: carry, from: log, at: offset, count: count) }
        if case .success(let got) = loaded, got > 0 { run() }
    }

    /// Puts `carry` (an incomplete line from the chunk before) and then `count` bytes of the file in the buffer.
    func load(carry: [UInt8], from log: LogFile, at offset: Int64, count: Int) throws -> Int {
        // A replay's full chunks get room for the longest carry up front: a buffer grown by a few
        // bytes per chunk is a new zero-filled block each time. A console's catch-up reads a few
        // records and gets no more than it needs.
        let room = count >= LogFile.chunkSize ? RecordCodec.maxRecordBytes + RecordCodec.stampAllowance : 0
        if bytes.count < carry.count + count { bytes = [UInt8](repeating: 0, count: carry.count + count + room) }
        let got = try bytes.withUnsafeMutableBytes { raw in
            if !carry.isEmpty { raw.copyBytes(from: carry) }
            return try log.read(into: raw, start: carry.count, count: count, at: offset)
        }
        filled = carry.count + got
        return got
    }

    /// What decoding one run of lines found.
    struct Part {
        /// Lines decoded, the bytes they took, and the hash of the last.
        var count = 0
        var bytes = 0
        var head = ChainHash.genesis
        /// The first record's number and the hash it names (checked against what comes before it).
        var firstNumber = 0
        var firstPrev = ChainHash.genesis
        /// Where, counted in lines from the part's start, a line failed, and why.
        var failure: (line: Int, offset: Int64, reason: String)?
    }

    /// Decodes the chunk on two cores: it is split at a line boundary near its middle, each half
    /// checks its own records (their numbers and, with `checkChain`, their hashes among themselves),
    /// and the seam is checked after both finish, so the result is what one pass would find.
    func run() {
        records.removeAll()
        later.removeAll()
        laterAccepted = false
        damage = nil
        let filled = self.filled, start = self.start
        let mid = bytes.withUnsafeBytes { raw -> Int in
            let base = raw.baseAddress!
            guard filled >= 1 << 20, let nl = memchr(base + filled / 2, 0x0A, filled - filled / 2) else { return filled }
            return base.distance(to: UnsafeRawPointer(nl)) + 1
        }
        // Each half writes only its own properties.
        DispatchQueue.concurrentPerform(iterations: mid < filled ? 2 : 1) { half in
            self.bytes.withUnsafeBytes { raw in
                if half == 0 {
                    self.first = self.decodeLines(raw, from: 0, to: mid, offset: start.endOffset, after: start, into: self.records)
                } else {
                    self.second = self.decodeLines(raw, from: mid, to: filled, offset: start.endOffset + Int64(mid), after: nil, into: self.later)
                }
            }
        }
        end = ChainPosition(count: start.count + first.count, head: first.count > 0 ? first.head : start.head,
                            endOffset: start.endOffset + Int64(first.bytes))
        consumed = first.bytes
        if let f = first.failure {
            damage = Damage(recordNumber: start.count + f.line + 1, offset: f.offset, reason: f.reason)
            return
        }
        guard mid < filled, second.count > 0 || second.failure != nil else { return }
        // The seam: the second half's first record must follow the first half's last.
        if second.count > 0 {
            if second.firstNumber != end.count + 1 {
                damage = Damage(recordNumber: end.count + 1, offset: end.endOffset,
                                reason: "record number \(second.firstNumber), expected \(end.count + 1)")
                return
            }
            if checkChain, second.firstPrev != end.head {
                damage = Damage(recordNumber: end.count + 1, offset: end.endOffset,
                                reason: "hash chain broken (prev does not match record \(end.count))")
                return
            }
        }
        laterAccepted = true
        if let f = second.failure { damage = Damage(recordNumber: end.count + f.line + 1, offset: f.offset, reason: f.reason) }
        end = ChainPosition(count: end.count + second.count, head: second.count > 0 ? second.head : end.head,
                            endOffset: end.endOffset + Int64(second.bytes))
        consumed = mid + second.bytes
    }

    /// Decodes the complete lines of `raw[from..<to]` (whose first byte is at file offset
    /// `offset`) into `out`, stopping at the first bad one. `after` is the position before the
    /// first line when known; otherwise the first line's number and prev are only noted.
    func decodeLines(_ raw: UnsafeRawBufferPointer, from: Int, to: Int, offset: Int64, after: ChainPosition?,
                     into out: DecodedRecords) -> Part {
        var part = Part()
        var at = from
        var lastLine: Range<Int>?
        var lineOffset = offset
        while at < to {
            guard let nl = memchr(raw.baseAddress! + at, 0x0A, to - at) else { break }
            let lineEnd = raw.baseAddress!.distance(to: UnsafeRawPointer(nl))
            let line = UnsafeRawBufferPointer(rebasing: raw[at..<lineEnd])
            let record: Record
            do { record = try RecordCodec.decode(line, forProjection: forProjection) } catch {
                part.failure = (part.count, lineOffset, "\(error)")
                break
            }
            let expected: (number: Int, prev: ChainHash)? = part.count > 0 ? (part.firstNumber + part.count, part.head)
                : after.map { ($0.count + 1, $0.head) }
            if let expected, record.number != expected.number {
                part.failure = (part.count, lineOffset, "record number \(record.number), expected \(expected.number)")
                break
            }
            if checkChain {
                if let expected, record.prev != expected.prev {
                    part.failure = (part.count, lineOffset, "hash chain broken (prev does not match record \(expected.number - 1))")
                    break
                }
                part.head = ChainHash.of(line)
            }
            lastLine = at..<lineEnd
            if part.count == 0 { (part.firstNumber, part.firstPrev) = (record.number, record.prev) }
            part.count += 1
            part.bytes += lineEnd - at + 1
            out.append(record, at: lineOffset)
            lineOffset += Int64(lineEnd - at + 1)
            at = lineEnd + 1
        }
        // Without the chain, only the last line is hashed: the position after it must name its hash.
        if !checkChain, let lastLine { part.head = ChainHash.of(UnsafeRawBufferPointer(rebasing: raw[lastLine])) }
        return part
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

/// Decoded records and their offsets, in storage of their own. `hand` moves each record out to
/// whoever applies it: one read out of an array was copied first (a retain of each of its strings
/// on the thread that applies it), and released again when the array was cleared for the next chunk.
final class DecodedRecords {
    private var records = UnsafeMutablePointer<Record>.allocate(capacity: 1)
    private var offsets: [Int64] = []
    private var capacity = 1
    private var count = 0
    /// Records before this one were handed over (moved out).
    private var handed = 0

    deinit {
        removeAll()
        records.deallocate()
    }

    func removeAll() {
        if count > handed { (records + handed).deinitialize(count: count - handed) }
        count = 0
        handed = 0
        offsets.removeAll(keepingCapacity: true)
    }

    func append(_ record: consuming Record, at offset: Int64) {
        if count == capacity {
            let larger = UnsafeMutablePointer<Record>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: records, count: count)
            records.deallocate()
            records = larger
            capacity *= 2
        }
        (records + count).initialize(to: record)
        count += 1
        offsets.append(offset)
    }

    /// Hands every record not yet handed over to `visit`, in order. A chunk's records are applied once.
    func hand(_ visit: (Record, Int64) throws -> Void) rethrows {
        precondition(handed == 0 || handed == count, "a chunk's records are handed over once")
        while handed < count {
            let record = (records + handed).move()
            let offset = offsets[handed]
            handed += 1
            try visit(record, offset)
        }
    }
}
