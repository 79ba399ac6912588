#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Checks every record's CRC-32C and number over a prefix of the log, without parsing JSON or
/// hashing the chain. A start from a checkpoint replays only what follows it; this is what
/// still finds a flipped bit in the part the checkpoint covers, before any write is accepted.
enum IntegrityScan {
    /// Reads `log` up to `end` in large chunks and hands over each chunk's complete lines (their
    /// ranges in the buffer, and the buffer's file offset). Stops at the first damage `body`
    /// reports. Returns that damage, or how many bytes after the last newline were left over.
    static func forEachChunk(of log: LogFile, upTo end: Int64,
                             _ body: (UnsafeRawBufferPointer, [Range<Int>], Int64) -> Damage?) -> (damage: Damage?, leftover: Int) {
        var buffer = [UInt8](repeating: 0, count: LogFile.chunkSize)
        var carry = 0               // bytes of an unfinished line kept at the buffer's start
        var fileOffset: Int64 = 0   // file offset of buffer[0]
        var number = 0
        while fileOffset + Int64(carry) < end {
            let want = min(buffer.count - carry, Int(end - fileOffset - Int64(carry)))
            if want == 0 {
                // One line longer than the buffer: grow it (records are at most 1 MiB when written).
                buffer += [UInt8](repeating: 0, count: buffer.count)
                continue
            }
            let got: Int
            do {
                got = try buffer.withUnsafeMutableBytes { try log.read(into: $0, start: carry, count: want, at: fileOffset + Int64(carry)) }
            } catch {
                return (Damage(recordNumber: number + 1, offset: fileOffset, reason: "cannot be read (\(error))"), 0)
            }
            if got == 0 { return (Damage(recordNumber: number + 1, offset: fileOffset, reason: "the log is shorter than its checkpoint"), 0) }
            let filled = carry + got
            var lines: [Range<Int>] = []
            buffer.withUnsafeBytes { raw in
                var start = 0
                while start < filled, let nl = memchr(raw.baseAddress! + start, 0x0A, filled - start) {
                    let lineEnd = raw.baseAddress!.distance(to: UnsafeRawPointer(nl))
                    lines.append(start..<lineEnd)
                    start = lineEnd + 1
                }
            }
            if let damage = buffer.withUnsafeBytes({ body(UnsafeRawBufferPointer(rebasing: $0[0..<filled]), lines, fileOffset) }) {
                return (damage, 0)
            }
            number += lines.count
            // Keep the unfinished line for the next read.
            let consumed = lines.last.map { $0.upperBound + 1 } ?? 0
            carry = filled - consumed
            if carry > 0 { buffer.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: $0.baseAddress! + consumed, byteCount: carry) } }
            fileOffset += Int64(consumed)
        }
        return (nil, carry)
    }

    /// The first record (up to `end`) whose CRC-32C or number is wrong.
    static func firstDamage(in log: LogFile, upTo end: Int64) -> Damage? {
        var number = 0
        return forEachChunk(of: log, upTo: end) { raw, lines, fileOffset in
            for range in lines {
                let line = UnsafeRawBufferPointer(rebasing: raw[range])
                number += 1
                let offset = fileOffset + Int64(range.lowerBound)
                guard RecordCodec.checksumMatches(line) else { return Damage(recordNumber: number, offset: offset, reason: "checksum mismatch") }
                guard RecordCodec.leadingNumber(line) == number else {
                    return Damage(recordNumber: number, offset: offset, reason: "record number out of sequence")
                }
            }
            return nil
        }.damage
    }

    /// The first record (up to `end`) that does not name its predecessor's SHA-256, for the check
    /// behind a full replay, which already checked every CRC and number. One core: the other is
    /// the console's.
    static func firstChainBreak(in log: LogFile, upTo end: Int64) -> Damage? {
        var number = 0
        var head = ChainHash.genesis
        return forEachChunk(of: log, upTo: end) { raw, lines, fileOffset in
            for range in lines {
                let line = UnsafeRawBufferPointer(rebasing: raw[range])
                number += 1
                guard RecordCodec.previousHash(line) == head else {
                    return Damage(recordNumber: number, offset: fileOffset + Int64(range.lowerBound),
                                  reason: "hash chain broken (prev does not match record \(number - 1))")
                }
                head = ChainHash.of(line)
            }
            return nil
        }.damage
    }

    /// The whole log's CRCs, numbers and hash chain, without parsing JSON: each record's SHA-256
    /// is independent of the others, so both cores hash half of every chunk, and then one pass
    /// checks that each record names its predecessor's hash. nil when anything is not plainly
    /// intact (damage, a torn tail): the full scan then says exactly what and where.
    /// `since`: the record number whose hash is that value, if one is.
    static func verifiedChain(of log: LogFile, since wanted: ChainHash?) -> (position: ChainPosition, since: Int?)? {
        guard let size = try? log.size() else { return nil }
        var position = ChainPosition.start
        var found: Int? = wanted == .genesis ? 0 : nil
        let (damage, leftover) = forEachChunk(of: log, upTo: size) { raw, lines, fileOffset in
            let hashes = UnsafeMutableBufferPointer<ChainHash>.allocate(capacity: lines.count)
            let intact = UnsafeMutableBufferPointer<Bool>.allocate(capacity: lines.count)
            defer { hashes.deallocate(); intact.deallocate() }
            let halves = 2
            let shared = HalfWork(raw: raw, lines: lines, hashes: hashes, intact: intact)
            DispatchQueue.concurrentPerform(iterations: halves) { part in
                for i in lines.count * part / halves..<lines.count * (part + 1) / halves { shared.check(i) }
            }
            for (i, range) in lines.enumerated() {
                let line = UnsafeRawBufferPointer(rebasing: raw[range])
                let damage = Damage(recordNumber: position.count + 1, offset: fileOffset + Int64(range.lowerBound), reason: "see the full scan")
                guard intact[i], RecordCodec.leadingNumber(line) == position.count + 1,
                      RecordCodec.previousHash(line) == position.head else { return damage }
                position.count += 1
                position.head = hashes[i]
                position.endOffset = fileOffset + Int64(range.upperBound) + 1
                if found == nil, let wanted, hashes[i] == wanted { found = position.count }
            }
            return nil
        }
        return damage == nil && leftover == 0 ? (position, found) : nil
    }
}

/// Work a start leaves to the second core while the console comes up: the check of the part of
/// the log the start did not fully check (`PrefixCheck`), the id set of a full replay. Whoever
/// needs the value waits for it; nobody else does.
final class Background<Value: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var value: Value?
    /// How long the work took, in seconds (for the bench).
    private(set) var seconds = 0.0

    init(_ work: @escaping @Sendable () -> Value) {
        group.enter()
        DispatchQueue.global(qos: .utility).async {
            let t0 = DispatchTime.now().uptimeNanoseconds
            self.value = work()
            self.seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            self.group.leave()
        }
    }

    /// Blocks until the work is done.
    func result() -> Value {
        group.wait()
        return value!
    }

    /// The value if the work has finished, without waiting.
    var finished: Value? {
        group.wait(timeout: .now()) == .success ? value : nil
    }
}

/// The CRC scan of the part a checkpoint stands in for, or after a full replay (which checked
/// every CRC but no hash) the SHA-256 chain. Writers wait for its answer, so nothing is
/// acknowledged on top of damage nobody has looked for; a console that sees it fail turns read-only.
typealias PrefixCheck = Background<Damage?>

/// One chunk's lines, checked by two threads at once: each writes only its own indexes.
private struct HalfWork: @unchecked Sendable {
    let raw: UnsafeRawBufferPointer
    let lines: [Range<Int>]
    let hashes: UnsafeMutableBufferPointer<ChainHash>
    let intact: UnsafeMutableBufferPointer<Bool>

    func check(_ i: Int) {
        let line = UnsafeRawBufferPointer(rebasing: raw[lines[i]])
        intact[i] = RecordCodec.checksumMatches(line)
        hashes[i] = ChainHash.of(line)
    }
}

extension LogFile {
    /// The whole chain checked on both cores without parsing JSON, or nil when something is not
    /// plainly intact (then the full scan names it). See `IntegrityScan.verifiedChain`.
    public func intactChain(since wanted: ChainHash?) -> (position: ChainPosition, since: Int?)? {
        IntegrityScan.verifiedChain(of: self, since: wanted)
    }
}
