#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CShegongBytes
import ShegongDomain

extension RecordCodec {
    /// Reads a line of exactly the shape `encode` writes (its members in their order, no space, no
    /// escapes in the envelope, a known type, no `from`) from its fixed places, for a replay: a
    /// million of them are read at each cold open, and the general reader's steps per member
    /// (a key read and matched, spaces skipped, separators checked) cost more than their values.
    /// Nil for any other shape, and wherever the general reader could answer differently; the
    /// caller then reads the line with it. The checksum has been checked.
    static func readWritten(_ line: UnsafeRawBufferPointer) -> Record? {
        let b = line.assumingMemoryBound(to: UInt8.self)
        // Everything up to the `,"crc":…}` that `checksumMatches` has read.
        guard b.count > crcSuffixLength else { return nil }
        var c = WrittenLine(bytes: b, end: b.count - crcSuffixLength)

        guard c.literal("{\"n\":"), let number = c.digits(), number >= 1, c.literal(",\"id\":\""),
              let id = c.eventID() else { return nil }
        guard c.literal("\",\"type\":\""), let typeName = c.plain(), let known = EventType.named(typeName),
              c.literal(",\"v\":"), let version = c.digits(), version >= 1,
              c.literal(",\"at\":\""), let atText = c.plain(), let at = Timestamp(isoBytes: atText),
              c.literal(",\"actor\":\""), let actorText = c.plain() else { return nil }
        var subject = ""
        if c.literal(",\"subj\":\"") {
            guard let text = c.plain() else { return nil }
            subject = String(decoding: text, as: UTF8.self)
        }
        var base: Int?
        if c.literal(",\"base\":") {
            guard let value = c.digits() else { return nil }
            base = value
        }
        guard c.literal(",\"body\":") else { return nil }

        let type = known.type.rawValue
        var p = JSONParser(UnsafeBufferPointer(rebasing: b[0..<c.end]))
        p.index = c.i
        var visit: VisitFacts?
        var body = JSON.object([])
        if VisitFacts.reads(type: type, version: version) {
            guard let facts = VisitFacts.read(&p) else { return nil }
            visit = facts
        } else {
            guard let tree = try? p.value(skipping: known.unreadBodyKeys) else { return nil }
            body = tree
        }
        c.i = p.index
        guard c.literal(",\"prev\":\""), c.i + 65 == c.end, b[c.end - 1] == UInt8(ascii: "\""),
              let prev = ChainHash(hexBytes: UnsafeRawBufferPointer(rebasing: line[c.i..<(c.i + 64)])) else { return nil }
        return Record(number: number, prev: prev, visit: visit,
                      event: Event(id: id, type: type, version: version, at: at, actor: String(decoding: actorText, as: UTF8.self),
                                   subject: subject, base: base, body: body))
    }
}

/// A cursor over a line as `encode` writes it.
private struct WrittenLine {
    let bytes: UnsafeBufferPointer<UInt8>
    let end: Int
    var i = 0

    init(bytes: UnsafeBufferPointer<UInt8>, end: Int) {
        self.bytes = bytes
        self.end = end
    }

    @inline(__always)
    mutating func literal(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= end, memcmp(bytes.baseAddress! + i, s.utf8Start, n) == 0 else { return false }
        i += n
        return true
    }

    /// As `JSONParser.int` reads a plain one; anything longer, signed or fractional is left to it.
    @inline(__always)
    mutating func digits() -> Int? {
        let start = i
        var v = 0
        while i < end, i - start < 18, bytes[i] &- 0x30 < 10 {
            v = v * 10 + Int(bytes[i] &- 0x30)
            i += 1
        }
        return i > start ? v : nil
    }

    /// The rest of a string whose opening quote was read, if it has no escape or control character.
    @inline(__always)
    mutating func plain() -> UnsafeBufferPointer<UInt8>? {
        let start = i
        i += sg_string_run(bytes.baseAddress! + i, end - i)
        guard i < end, bytes[i] == UInt8(ascii: "\"") else { return nil }
        defer { i += 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<i])
    }

    @inline(__always)
    mutating func eventID() -> EventID? {
        guard i + 36 <= end, let id = EventID.canonical(UnsafeBufferPointer(rebasing: bytes[i..<(i + 36)])) else { return nil }
        i += 36
        return id
    }
}
