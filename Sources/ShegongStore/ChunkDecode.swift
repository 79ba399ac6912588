#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization
import ShegongDomain

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
    /// apart rather than joined, which would move every record of the second half once more.
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

/// Decoded records and their offsets, in storage of their own. `hand` moves each record out to
/// whoever applies it, who destroys it. Lending them instead (each destroyed here when the storage
/// is reused) cost a copy per record on the applying thread, which the replay waits on: a retain
/// of every string and a memmove of the record, a fifth of that thread's time once nine records
/// in ten came with facts instead of a tree (`BodyFacts`), and so had nothing left to free.
final class DecodedRecords {
    // One thread at a time uses a chunk's records (the semaphores of `DecodeAhead` order them), so
    // the run-time exclusivity check on each access, a few percent of a replay, buys nothing here.
    @exclusivity(unchecked) private var records = UnsafeMutablePointer<Record>.allocate(capacity: 1)
    @exclusivity(unchecked) private var offsets: [Int64] = []
    @exclusivity(unchecked) private var capacity = 1
    @exclusivity(unchecked) private var count = 0
    /// How many records from the first were moved out; nil until `hand` is called.
    @exclusivity(unchecked) private var handed: Int?

    deinit {
        removeAll()
        records.deallocate()
    }

    /// Destroys the records not handed over (a scan that stopped early) and empties the storage.
    func removeAll() {
        let moved = handed ?? 0
        (records + moved).deinitialize(count: count - moved)
        count = 0
        handed = nil
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

    /// Moves every record out to `visit`, in order. A chunk's records are applied once.
    func hand(_ visit: (Record, Int64) throws -> Void) rethrows {
        precondition(handed == nil, "a chunk's records are handed over once")
        for k in 0..<count {
            handed = k + 1
            let record = (records + k).move()
            try visit(record, offsets[k])
        }
        handed = count
    }
}

/// Reads and decodes a log's chunks in order on a thread of its own, up to `depth` chunks ahead of
/// the one being applied. With one chunk ahead, the decoding of the next finished before the
/// apply of this one and left a core idle until it did; with more, a core that finishes early
/// starts on the chunk after.
final class DecodeAhead: @unchecked Sendable {
    static let depth = 3
    /// Chunk m is decoded by `decoders[m % depth]`; the array is not changed after `init`.
    private let decoders: [ChunkDecode]
    /// How many chunks were decoded, published before each signal of `ready`: a signal with no
    /// new chunk behind it is the end.
    private let made = Atomic<Int>(0)
    /// Decoders free to take the next chunk. Made at zero and signalled up: a semaphore made with
    /// a count may not be released below it, which it is when the reader stops early.
    private let free = DispatchSemaphore(value: 0)
    private let ready = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()
    /// Chunks handed to the reader; only the reader's thread uses it.
    private var taken = 0
    /// Set by the reader when it stops early; the decoding thread checks it before each chunk.
    private let stopping = Atomic<Bool>(false)

    private let chunkSize: Int

    init(log: LogFile, from start: ChainPosition, to fileSize: Int64, chunkSize: Int, checkChain: Bool, forProjection: Bool) {
        precondition(chunkSize > 0, "a chunk holds at least a byte")
        self.chunkSize = chunkSize
        decoders = (0..<Self.depth).map { _ in ChunkDecode(checkChain: checkChain, forProjection: forProjection) }
        for _ in 0..<Self.depth { free.signal() }
        finished.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            decodeAll(log: log, from: start, to: fileSize)
            finished.leave()
        }
    }

    private func decodeAll(log: LogFile, from start: ChainPosition, to fileSize: Int64) {
        var pos = start, readOffset = start.endOffset, carry: [UInt8] = [], count = 0
        while readOffset < fileSize {
            free.wait()
            if stopping.load(ordering: .acquiring) { break }
            let decoder = decoders[count % Self.depth]
            decoder.start = pos
            decoder.loadAndRun(carry: carry, from: log, at: readOffset, count: min(chunkSize, Int(fileSize - readOffset)))
            // The carry is copied before the chunk is handed over: the reader recycles it after.
            let got = (try? decoder.loaded.get()) ?? 0
            let goesOn = got > 0 && decoder.damage == nil
            if goesOn { carry = Array(decoder.bytes[decoder.consumed..<decoder.filled]) }
            count += 1
            made.store(count, ordering: .releasing)
            ready.signal()
            guard goesOn else { break }
            readOffset += Int64(got)
            pos = decoder.end
        }
        ready.signal()
    }

    /// The next decoded chunk, in log order, or nil after the last.
    func next() -> ChunkDecode? {
        ready.wait()
        guard taken < made.load(ordering: .acquiring) else { return nil }
        defer { taken += 1 }
        return decoders[taken % Self.depth]
    }

    /// Gives a chunk's decoder back once its records were applied.
    func recycle(_ decoder: ChunkDecode) { free.signal() }

    /// Stops decoding ahead and waits for the decoding thread to finish.
    func stop() {
        stopping.store(true, ordering: .releasing)
        free.signal()
        finished.wait()
    }
}
