import Crypto
import ShegongDomain

/// The SHA-256 of a record's line, which the next record names as `prev`. Four words, no heap:
/// one is made and compared for every record of a replay.
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    public var words: (UInt64, UInt64, UInt64, UInt64)
    public static let genesis = ChainHash(words: (0, 0, 0, 0))

    public init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    public init(bytes: some Sequence<UInt8>) {
        var w = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for (i, b) in bytes.prefix(32).enumerated() {
            switch i / 8 {
            case 0: w.0 = w.0 << 8 | UInt64(b)
            case 1: w.1 = w.1 << 8 | UInt64(b)
            case 2: w.2 = w.2 << 8 | UInt64(b)
            default: w.3 = w.3 << 8 | UInt64(b)
            }
        }
        words = w
    }

    public init?(hex: String) {
        var hex = hex
        guard let h = hex.withUTF8({ ChainHash(hexBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = h
    }

    init?(hexBytes u: UnsafeRawBufferPointer) {
        guard u.count == 64, let a = LowerHex.value(u, 0, 16), let b = LowerHex.value(u, 16, 16),
              let c = LowerHex.value(u, 32, 16), let d = LowerHex.value(u, 48, 16) else { return nil }
        words = (a, b, c, d)
    }

    public static func == (a: ChainHash, b: ChainHash) -> Bool { a.words == b.words }
    public func hash(into h: inout Hasher) { h.combine(words.0); h.combine(words.1); h.combine(words.2); h.combine(words.3) }

    public var bytes: [UInt8] {
        [words.0, words.1, words.2, words.3].flatMap { w in (0..<8).map { UInt8(truncatingIfNeeded: w >> (56 - 8 * UInt64($0))) } }
    }

    public static func of(_ line: UnsafeRawBufferPointer) -> ChainHash {
        SHA256.hash(data: line).withUnsafeBytes { d in
            ChainHash(words: (UInt64(bigEndian: d.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                              UInt64(bigEndian: d.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                              UInt64(bigEndian: d.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                              UInt64(bigEndian: d.loadUnaligned(fromByteOffset: 24, as: UInt64.self))))
        }
    }

    public var hex: String { hexString(bytes) }
    public var description: String { hex }
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xF)]) }
    return String(decoding: out, as: UTF8.self)
}

/// One decoded record: its number (1-based), the hash it chains to, and the event.
public struct Record: Sendable {
    public var number: Int
    public var prev: ChainHash
    /// Decoded for the projection, the facts of a visit, volunteer hours, a time-bank entry, a
    /// case service or a registration are read from its line and its `event.body` is left empty
    /// (see `BodyFacts`): a reader that needs the body decodes the record whole (`LogFile.record`).
    public var facts: BodyFacts?
    public var event: Event
    /// The event's type as the decoder found it in the catalogue by its name's bytes; nil for an
    /// unknown type or one written with an escape.
    public var known: EventType.Named? = nil
}

extension State {
    /// Applies a decoded record: its event, with the facts read in place of its body.
    public mutating func apply(_ record: Record, offset: Int64) {
        apply(record.event, facts: record.facts, known: record.known, offset: offset)
    }
}

/// Reasons a complete line is not a valid record.
public enum RecordDamage: Error, Equatable, CustomStringConvertible {
    case checksum
    case malformed(String)
    public var description: String {
        switch self {
        case .checksum: return "checksum mismatch"
        case .malformed(let why): return "malformed record (\(why))"
        }
    }
}

/// The line format (docs/log-format.md): a JSON object whose last member is a CRC-32C of every
/// byte before it, so a line is checkable alone and still readable by jq.
public enum RecordCodec {
    static let crcSuffixLength = 18  // ,"crc":"xxxxxxxx"}

    public static func encode(_ event: Event, number: Int, prev: ChainHash) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(384)
        out.append(contentsOf: "{\"n\":\(number),".utf8)
        let fields = event.json.fields ?? []
        for field in fields {
            JSON.writeString(field.key, to: &out)
            out.append(UInt8(ascii: ":"))
            field.value.write(to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: "\"prev\":\"\(prev.hex)\"".utf8)
        return sealed(out)
    }

    /// A line ended: the CRC-32C of every byte of `start`, then the closing brace and the newline.
    static func sealed(_ start: [UInt8]) -> [UInt8] {
        var out = start
        let crc = out.withUnsafeBytes { CRC32C.checksum($0) }
        out.append(contentsOf: ",\"crc\":\"".utf8)
        out.append(contentsOf: hexString(withUnsafeBytes(of: crc.bigEndian) { Array($0) }).utf8)
        out.append(contentsOf: "\"}\n".utf8)
        return out
    }

    /// The line the event had in its origin's log (without the newline), rebuilt from the stamp
    /// it carries here: encoding is deterministic, so its hash is the hash that origin chained.
    public static func originLine(of event: Event) -> [UInt8]? {
        guard let stamp = event.origin, let prev = ChainHash(hex: stamp.prev) else { return nil }
        var native = event
        native.origin = nil
        return Array(encode(native, number: stamp.number, prev: prev).dropLast())
    }

    /// The most one record may take, newline included, on every write path (docs/log-format.md):
    /// a record is one change by one person, and every open reads every record.
    public static let maxRecordBytes = 1 << 20
    /// What a `from` stamp may add to a carried record (origin name, numbers, two hashes, a reason).
    public static let stampAllowance = 1024

    /// The record number a line starts with (`{"n":123,`), without parsing the rest.
    static func leadingNumber(_ line: UnsafeRawBufferPointer) -> Int? {
        let prefix: StaticString = "{\"n\":"
        guard line.count > 5 else { return nil }
        for i in 0..<5 where line[i] != prefix.utf8Start[i] { return nil }
        var n = 0, i = 5
        while i < line.count, i < 24, line[i] >= 0x30, line[i] <= 0x39 {
            n = n * 10 + Int(line[i] - 0x30)
            i += 1
        }
        return i > 5 ? n : nil
    }

    /// `line` excludes the newline.
    static func checksumMatches(_ line: UnsafeRawBufferPointer) -> Bool {
        let n = line.count
        guard n > crcSuffixLength + 2 else { return false }
        let suffixStart = n - crcSuffixLength
        let expectedPrefix: StaticString = ",\"crc\":\""
        for i in 0..<8 where line[suffixStart + i] != expectedPrefix.utf8Start[i] { return false }
        guard line[n - 2] == UInt8(ascii: "\""), line[n - 1] == UInt8(ascii: "}") else { return false }
        guard let stored = LowerHex.value(line, suffixStart + 8, 8) else { return false }
        return CRC32C.checksum(UnsafeRawBufferPointer(rebasing: line[0..<suffixStart])) == UInt32(stored)
    }

    /// The hash a line names as its predecessor's, read from its fixed place before the CRC
    /// (`"prev":"<64 hex>","crc":…}`), without parsing the rest.
    static func previousHash(_ line: UnsafeRawBufferPointer) -> ChainHash? {
        let hexEnd = line.count - crcSuffixLength - 1
        let key: StaticString = "\"prev\":\""
        let keyStart = hexEnd - 64 - key.utf8CodeUnitCount
        guard keyStart >= 0, line[hexEnd] == UInt8(ascii: "\"") else { return nil }
        for k in 0..<key.utf8CodeUnitCount where line[keyStart + k] != key.utf8Start[k] { return nil }
        return ChainHash(hexBytes: UnsafeRawBufferPointer(rebasing: line[(hexEnd - 64)..<hexEnd]))
    }

    /// Decodes a record. With `forProjection`, body fields the projection never reads are
    /// skipped (see `State.unreadBodyKeys`), and a record of this store's own whose type has
    /// `BodyFacts`, of the current version, keeps only those; everything else about the record is
    /// checked the same.
    /// A replay's line of the shape `encode` writes is read from its fixed places (`readWritten`).
    static func decode(_ line: UnsafeRawBufferPointer, forProjection: Bool = false,
                       interner: TextInterner? = nil) throws(RecordDamage) -> Record {
        guard checksumMatches(line) else { throw .checksum }
        if forProjection, let written = readWritten(line, interner: interner) { return written }
        let (record, typeAtBody) = try readMembers(line, forProjection: forProjection, readFacts: forProjection)
        // The body was read for the type and version named before it. A record whose members after
        // it change that, or carry it from another origin (never written so by this program for a
        // record with facts, but possible in a line written around it), is read whole.
        let retyped = typeAtBody.map { $0 != record.event.type } ?? false
        let factsMisread = record.facts != nil
            && (record.event.origin != nil || BodyFacts.kind(of: record.known?.type, version: record.event.version) == nil)
        guard forProjection, retyped || factsMisread else { return record }
        return try readMembers(line, forProjection: false, readFacts: false).record
    }

    /// A record's own members (docs/log-format.md), each its key as a word (`JSONParser.word`),
    /// so a key is named by one switch; a test checks every word against its name.
    enum Member: UInt64, CaseIterable {
        case n = 0x6E, id = 0x6469, type = 0x6570_7974, v = 0x76, at = 0x7461, actor = 0x72_6F74_6361
        case subj = 0x6A62_7573, base = 0x6573_6162, body = 0x7964_6F62, from = 0x6D6F_7266, prev = 0x7665_7270

        @inline(__always)
        init?(_ key: UnsafeBufferPointer<UInt8>) {
            guard let word = JSONParser.word(key) else { return nil }
            self.init(rawValue: word)
        }
    }

    /// The record, read member by member, and the type it had named when its (last) body was read.
    /// Reads any shape JSON allows; the checksum has been checked.
    static func readMembers(_ line: UnsafeRawBufferPointer, forProjection: Bool, readFacts: Bool)
        throws(RecordDamage) -> (record: Record, typeAtBody: String?) {
        let bytes = line.assumingMemoryBound(to: UInt8.self)
        var p = JSONParser(bytes)
        var number: Int?, id: EventID?, type: String?, version = 1, at: Timestamp?, actor: String?
        var subject = "", base: Int?, body = JSON.object([]), prev: ChainHash?, from: JSON?
        var facts: BodyFacts?, bodies = 0, known: EventType.Named?, typeAtBody: String?
        do {
            p.skipSpace()
            guard p.index < bytes.count, bytes[p.index] == UInt8(ascii: "{") else { throw RecordDamage.malformed("not an object") }
            p.index += 1
            while true {
                p.skipSpace()
                let key = try p.rawString()
                p.skipSpace()
                guard p.index < bytes.count, bytes[p.index] == UInt8(ascii: ":") else { throw RecordDamage.malformed("expected ':'") }
                p.index += 1
                p.skipSpace()
                // Dispatch on the key's bytes: building a String per key costs more than the rest.
                switch Member(key) {
                case .n: number = try p.int()
                case .id: id = EventID(bytes: try p.rawString())
                case .type:
                    // A known type's name is the catalogue's own string, not a new one per record.
                    let start = p.index
                    if let raw = try? p.rawString(), !raw.contains(0x5C), let named = EventType.named(raw) {
                        type = named.type.rawValue
                        known = named
                    } else {
                        p.index = start
                        type = try p.string()
                        known = nil
                    }
                case .v: version = try p.int() ?? 0
                case .at: at = Timestamp(isoBytes: try p.rawString())
                case .actor: actor = try p.string()
                case .subj: subject = try p.string()
                case .base: base = try p.int()
                case .body:
                    bodies += 1
                    typeAtBody = type ?? ""
                    if readFacts, bodies == 1, let kind = BodyFacts.kind(of: known?.type, version: version) {
                        let start = p.index
                        if let read = BodyFacts.read(kind, &p) { facts = read; break }
                        p.index = start
                    }
                    // A second body is the one a reader of the tree sees.
                    facts = nil
                    let skips = forProjection ? known?.unreadBodyKeys ?? State.unreadBodyKeys(type: type ?? "") : []
                    body = try p.value(skipping: skips)
                case .from: from = try p.value(depth: 1)
                case .prev: prev = ChainHash(hexBytes: UnsafeRawBufferPointer(try p.rawString()))
                case nil: try p.skipValue(depth: 1)
                }
                p.skipSpace()
                guard p.index < bytes.count else { throw RecordDamage.malformed("unexpected end") }
                if bytes[p.index] == UInt8(ascii: ",") { p.index += 1; continue }
                if bytes[p.index] == UInt8(ascii: "}") { break }
                throw RecordDamage.malformed("expected ',' or '}'")
            }
        } catch let e as RecordDamage {
            throw e
        } catch {
            throw .malformed("\(error)")
        }
        guard let number, number >= 1 else { throw .malformed("record number") }
        guard let prev else { throw .malformed("prev hash") }
        guard let id else { throw .malformed("invalid field \"id\"") }
        guard let type, !type.isEmpty else { throw .malformed("missing field \"type\"") }
        guard let at else { throw .malformed("invalid field \"at\"") }
        guard let actor else { throw .malformed("missing field \"actor\"") }
        guard version >= 1 else { throw .malformed("invalid field \"v\"") }
        var stamp: OriginStamp?
        if let from {
            guard let origin = from["origin"]?.string, Origin.isValidName(origin), let n = from["n"]?.int, n >= 1,
                  let originPrev = from["prev"]?.string, ChainHash(hex: originPrev) != nil else { throw .malformed("invalid field \"from\"") }
            stamp = OriginStamp(origin: origin, number: n, prev: originPrev, hash: from["hash"]?.string, held: from["held"]?.string)
        }
        // `known` follows the last `type` read (an escaped name sets it to nil), so it is the record's.
        return (Record(number: number, prev: prev, facts: facts,
                       event: Event(id: id, type: type, version: version, at: at, actor: actor, subject: subject, base: base, body: body, origin: stamp),
                       known: known),
                typeAtBody)
    }
}
