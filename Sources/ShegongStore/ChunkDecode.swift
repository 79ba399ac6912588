#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization
import ShegongDomain

/// Decodes the lines that start in one byte range of the log (its chunk): their checksums, numbers
/// (among themselves), with `checkChain` their hashes (among themselves), and JSON. Each chunk
/// reads its own bytes, and reads past its range to the end of its last line, so chunks are
/// decoded on any thread in any order; the reader checks that each follows the one before
/// (`DecodeAhead.next`), so the result is what one pass would find.
final class ChunkDecode: @unchecked Sendable {
    let checkChain: Bool
    let forProjection: Bool
    private var bytes: [UInt8] = []
    let records = DecodedRecords()
    /// The short texts of this decoder's lines (accounts, workers, activities), made once each;
    /// made at the first line, so a catch-up scan's decoders that read nothing make none.
    private lazy var interner = TextInterner()
    /// The file offset of the buffer's first byte.
    private var base: Int64 = 0
    private var filled = 0
    /// What the last `decode` found.
    private(set) var part = Part()
    /// Why the chunk's bytes could not be read, if they could not.
    private(set) var readError: (any Error)?

    /// Bytes read past a chunk's range at first, for the end of its last line (more is read when
    /// a line is longer).
    static let overhang = 4096

    init(checkChain: Bool, forProjection: Bool) {
        self.checkChain = checkChain
        self.forProjection = forProjection
    }

    /// What decoding one chunk's lines found.
    struct Part {
        /// Lines decoded, the bytes they took, and the hash of the last.
        var count = 0
        var bytes = 0
        var head = ChainHash.genesis
        /// The first record's number and the hash it names (checked against what comes before it).
        var firstNumber = 0
        var firstPrev = ChainHash.genesis
        /// Where, counted in lines from the chunk's first, a line failed, and why.
        var failure: (line: Int, offset: Int64, reason: String)?
    }

    /// Reads and decodes the lines that start in `range` of the file, which is `fileSize` long.
    /// `range.lowerBound` is a line's start when `startsALine`; otherwise the first line starts
    /// after the first newline at or past the byte before it.
    func decode(_ log: LogFile, range: Range<Int64>, startsALine: Bool, fileSize: Int64) {
        records.removeAll()
        part = Part()
        readError = nil
        base = startsALine ? range.lowerBound : range.lowerBound - 1
        do {
            filled = 0
            try readMore(log, upTo: min(range.upperBound + Int64(Self.overhang), fileSize))
            let first: Int
            if startsALine {
                first = 0
            } else {
                // The line at the range's start began in the chunk before unless the byte before it ended one.
                let inRange = Int(range.upperBound - base)
                guard let nl = bytes.withUnsafeBytes({ memchr($0.baseAddress!, 0x0A, min(inRange, filled)) }) else { return }
                first = bytes.withUnsafeBytes { $0.baseAddress!.distance(to: UnsafeRawPointer(nl)) } + 1
            }
            try decodeLines(log, from: first, before: Int(range.upperBound - base), fileSize: fileSize)
        } catch {
            readError = error
        }
    }

    /// Appends the file's bytes from the buffer's end up to offset `end` to the buffer.
    private func readMore(_ log: LogFile, upTo end: Int64) throws {
        let want = Int(end - base)
        // Room for a full chunk and its overhang at once: a buffer grown a little per chunk is a
        // new zero-filled block each time.
        if bytes.count < want { bytes = Array(bytes[0..<filled]) + [UInt8](repeating: 0, count: want - filled) }
        let got = try bytes.withUnsafeMutableBytes { raw in
            try log.read(into: raw, start: filled, count: want - filled, at: base + Int64(filled))
        }
        filled += got
    }

    /// Decodes the complete lines that start at buffer index `from` up to (not at) index `before`,
    /// stopping at the first bad one, or at a line that has no end before the file's.
    private func decodeLines(_ log: LogFile, from: Int, before: Int, fileSize: Int64) throws {
        // Once per chunk, not per line: each read of a lazy property is a call and a retain.
        let interner = from < before ? self.interner : nil
        var at = from
        var lastLine: Range<Int>?
        while at < before {
            var lineEnd = lineEnd(after: at)
            while lineEnd == nil, base + Int64(filled) < fileSize {
                // A line longer than the overhang: read on to its end.
                let had = filled
                try readMore(log, upTo: min(base + Int64(max(2 * filled, filled + Self.overhang)), fileSize))
                guard filled > had else { break }
                lineEnd = self.lineEnd(after: at)
            }
            // No end before the file's: the tail, not (yet) a record.
            guard let lineEnd else { break }
            let lineOffset = base + Int64(at)
            let record: Record
            do {
                record = try bytes.withUnsafeBytes { raw in
                    try RecordCodec.decode(UnsafeRawBufferPointer(rebasing: raw[at..<lineEnd]), forProjection: forProjection,
                                         interner: interner)
                }
            } catch {
                part.failure = (part.count, lineOffset, "\(error)")
                break
            }
            if part.count > 0 {
                let expected = part.firstNumber + part.count
                if record.number != expected {
                    part.failure = (part.count, lineOffset, "record number \(record.number), expected \(expected)")
                    break
                }
                if checkChain, record.prev != part.head {
                    part.failure = (part.count, lineOffset, "hash chain broken (prev does not match record \(expected - 1))")
                    break
                }
            } else {
                (part.firstNumber, part.firstPrev) = (record.number, record.prev)
            }
            if checkChain { part.head = hashOfLine(at..<lineEnd) }
            lastLine = at..<lineEnd
            part.count += 1
            part.bytes += lineEnd - at + 1
            records.append(record, at: lineOffset)
            at = lineEnd + 1
        }
        // Without the chain, only the last line is hashed: the position after it must name its hash.
        if !checkChain, let lastLine { part.head = hashOfLine(lastLine) }
    }

    /// The index of the newline that ends the line starting at `at`, if the buffer holds it.
    private func lineEnd(after at: Int) -> Int? {
        bytes.withUnsafeBytes { raw in
            memchr(raw.baseAddress! + at, 0x0A, filled - at).map { raw.baseAddress!.distance(to: UnsafeRawPointer($0)) }
        }
    }

    private func hashOfLine(_ line: Range<Int>) -> ChainHash {
        bytes.withUnsafeBytes { ChainHash.of(UnsafeRawBufferPointer(rebasing: $0[line])) }
    }
}

/// Decoded records and their offsets, in storage of their own. `hand` moves each record out to
/// whoever applies it, who destroys it. Lending them instead (each destroyed here when the storage
/// is reused) cost a copy per record on the applying thread, which the replay waits on: a retain
/// of every string and a memmove of the record, a fifth of that thread's time once nearly every
/// record came with facts instead of a tree (`BodyFacts`), and so had nothing left to free.
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

/// Reads and decodes a log's chunks on two threads of their own, up to `depth` chunks in memory
/// with the one being applied, and gives them to the reader in order, each checked to follow the
/// one before. Each decoding thread reads its own chunk's bytes and waits on nobody but the
/// reader, so neither waits while the other reads.
final class DecodeAhead: @unchecked Sendable {
    static let threads = 2
    static let depth = threads + 2
    /// Chunk k is decoded into `decoders[k % depth]`; the array is not changed after `init`.
    private let decoders: [ChunkDecode]
    /// Decoders free to take the next chunk: a thread takes a chunk's number only after it took
    /// one of these, so chunk k is taken after the reader gave back chunk k - depth, whose decoder
    /// it reuses. Made at zero and signalled up: a semaphore made with a count may not be
    /// released below it, which it is when the reader stops early.
    private let free = DispatchSemaphore(value: 0)
    /// Per decoder: signalled when its chunk is decoded.
    private let ready: [DispatchSemaphore]
    private let finished = DispatchGroup()
    /// The next chunk a decoding thread takes.
    private let nextChunk = Atomic<Int>(0)
    /// Set by the reader when it stops early; the decoding threads check it before each chunk.
    private let stopping = Atomic<Bool>(false)
    /// Chunks handed to the reader, and where the log stands after the last; only the reader's thread uses them.
    private var taken = 0
    private(set) var position: ChainPosition
    private let checkChain: Bool
    private let start: Int64
    private let fileSize: Int64
    private let chunkSize: Int

    init(log: LogFile, from start: ChainPosition, to fileSize: Int64, chunkSize: Int, checkChain: Bool, forProjection: Bool) {
        precondition(chunkSize > 0, "a chunk holds at least a byte")
        (self.chunkSize, self.checkChain, self.fileSize, self.start, position) = (chunkSize, checkChain, fileSize, start.endOffset, start)
        decoders = (0..<Self.depth).map { _ in ChunkDecode(checkChain: checkChain, forProjection: forProjection) }
        ready = (0..<Self.depth).map { _ in DispatchSemaphore(value: 0) }
        for _ in 0..<Self.depth { free.signal() }
        for _ in 0..<Self.threads {
            finished.enter()
            DispatchQueue.global(qos: .userInitiated).async { [self] in
                decodeChunks(log)
                finished.leave()
            }
        }
    }

    private func range(of chunk: Int) -> Range<Int64>? {
        let lower = start + Int64(chunk) * Int64(chunkSize)
        return lower < fileSize ? lower..<min(lower + Int64(chunkSize), fileSize) : nil
    }

    private func decodeChunks(_ log: LogFile) {
        while true {
            free.wait()
            // Acquiring and releasing: the token this thread took may be one the reader gave back
            // for another decoder than the one chunk k reuses, which the other thread's token freed;
            // the counter orders the reader's last use of that decoder before this thread's.
            let chunk = nextChunk.add(1, ordering: .acquiringAndReleasing).oldValue
            guard !stopping.load(ordering: .acquiring), let range = range(of: chunk) else {
                // The other thread may be waiting: pass the decoder on, for it to find the end too.
                free.signal()
                return
            }
            decoders[chunk % Self.depth].decode(log, range: range, startsALine: chunk == 0, fileSize: fileSize)
            ready[chunk % Self.depth].signal()
        }
    }

    /// The next chunk in log order once it is decoded, or nil after the last. Its records follow
    /// those of the chunks before (by number and, with `checkChain`, hash): `damage` says where
    /// they do not, or where a line of it is bad; the reader hands over its records, then stops.
    func next() throws -> (decoder: ChunkDecode, damage: Damage?)? {
        guard range(of: taken) != nil else { return nil }
        let decoder = decoders[taken % Self.depth]
        ready[taken % Self.depth].wait()
        taken += 1
        if let error = decoder.readError { throw error }
        let part = decoder.part
        if part.count > 0 {
            // A chunk's first line starts where the chunk before ended, by how lines are shared out.
            if part.firstNumber != position.count + 1 {
                decoder.records.removeAll()
                return (decoder, Damage(recordNumber: position.count + 1, offset: position.endOffset,
                                        reason: "record number \(part.firstNumber), expected \(position.count + 1)"))
            }
            if checkChain, part.firstPrev != position.head {
                decoder.records.removeAll()
                return (decoder, Damage(recordNumber: position.count + 1, offset: position.endOffset,
                                        reason: "hash chain broken (prev does not match record \(position.count))"))
            }
        }
        let damage = part.failure.map { f in Damage(recordNumber: position.count + f.line + 1, offset: f.offset, reason: f.reason) }
        position = ChainPosition(count: position.count + part.count, head: part.count > 0 ? part.head : position.head,
                                 endOffset: position.endOffset + Int64(part.bytes))
        return (decoder, damage)
    }

    /// Gives the chunk last taken back once its records were applied.
    func recycle() { free.signal() }

    /// Stops decoding ahead and waits for the decoding threads to finish.
    func stop() {
        stopping.store(true, ordering: .releasing)
        free.signal()
        finished.wait()
    }
}
