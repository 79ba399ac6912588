import CShegongBytes

/// A 128-bit event id, written as a UUID. New ids are UUIDv7 (time-ordered), made outside the
/// domain; the domain only compares and prints them.
public struct EventID: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    /// UUIDv7 layout: 48-bit milliseconds, version 7, 74 random bits, RFC 4122 variant.
    public init(unixMillis: UInt64, random: (UInt64, UInt64)) {
        high = (unixMillis << 16) | 0x7000 | (random.0 & 0x0FFF)
        low = (random.1 & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
    }

    public init?(_ text: String) {
        var text = text
        guard let id = text.withUTF8({ EventID(bytes: $0) }) else { return nil }
        self = id
    }

    public init?(bytes u: UnsafeBufferPointer<UInt8>) {
        if let fast = Self.canonical(u) { self = fast; return }
        // Other spellings an import may carry (upper case, no dashes): the same 32 digits once the
        // dashes are dropped and the letters lowered.
        guard u.count == 36 || u.count == 32 else { return nil }
        var digits: [UInt8] = []
        digits.reserveCapacity(32)
        for b in u where b != UInt8(ascii: "-") { digits.append(b >= 0x41 && b <= 0x46 ? b + 0x20 : b) }
        guard digits.count == 32 else { return nil }
        let (hi, lo) = digits.withUnsafeBytes { (LowerHex.value($0, 0, 16), LowerHex.value($0, 16, 16)) }
        guard let hi, let lo else { return nil }
        high = hi
        low = lo
    }

    /// The written form, 8-4-4-4-12 lowercase hex, read from fixed places: every id this program
    /// writes, so a replay takes this path a million times.
    public static func canonical(_ u: UnsafeBufferPointer<UInt8>) -> EventID? {
        guard u.count == 36, u[8] == 0x2D, u[13] == 0x2D, u[18] == 0x2D, u[23] == 0x2D else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        guard sg_uuid_value(u.baseAddress!, &high, &low) != 0 else { return nil }
        return EventID(high: high, low: low)
    }

    public var description: String {
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (i, word) in [high, low].enumerated() {
            for n in 0..<16 {
                let pos = i * 16 + n
                if pos == 8 || pos == 12 || pos == 16 || pos == 20 { out.append(UInt8(ascii: "-")) }
                out.append(hex[Int((word >> UInt64(60 - 4 * n)) & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One change, as stored in the log. `subject` names the record it changes; `base` is the
/// version of that record the author saw (optimistic concurrency); `body` holds the fields.
public struct Event: Sendable, Equatable {
    public var id: EventID
    public var type: String
    public var version: Int
    public var at: Timestamp
    public var actor: String
    public var subject: String
    public var base: Int?
    public var body: JSON
    /// Set when the event was written by another origin and carried here (see `Origin`).
    public var origin: OriginStamp? {
        get { carried?.stamp }
        set { carried = newValue.map(CarriedStamp.init) }
    }
    /// The stamp behind a reference: few events have one, and a replay moves each event a few
    /// times, where the stamp in place was a third of its bytes.
    @usableFromInline var carried: CarriedStamp?

    @inlinable
    public init(id: EventID, type: String, version: Int = 1, at: Timestamp, actor: String,
                subject: String = "", base: Int? = nil, body: JSON = .object([]), origin: OriginStamp? = nil) {
        self.id = id
        self.type = type
        self.version = version
        self.at = at
        self.actor = actor
        self.subject = subject
        self.base = base
        self.body = body
        self.carried = origin.map(CarriedStamp.init)
    }

    /// The JSON object form used by export and import: id, type, v, at, actor, subj, base, body.
    public var json: JSON {
        var b = JSONObjectBuilder()
        b.put("id", id.description)
        b.put("type", type)
        b.put("v", version)
        b.put("at", at.iso)
        b.put("actor", actor)
        b.put("subj", subject)
        b.put("base", base)
        b.put("body", json: body)
        if let origin {
            var o = JSONObjectBuilder()
            o.put("origin", origin.origin)
            o.put("n", origin.number)
            o.put("prev", origin.prev)
            o.put("hash", origin.hash)
            o.put("held", origin.held)
            b.put("from", json: o.object)
        }
        return b.object
    }

    public enum DecodeError: Error, Equatable, CustomStringConvertible {
        case missing(String)
        case invalid(String)
        public var description: String {
            switch self {
            case .missing(let f): return "missing field \"\(f)\""
            case .invalid(let f): return "invalid field \"\(f)\""
            }
        }
    }

    public init(json: JSON) throws(DecodeError) {
        guard case .object = json else { throw .invalid("event") }
        guard let idText = json["id"]?.string else { throw .missing("id") }
        guard let id = EventID(idText) else { throw .invalid("id") }
        guard let type = json["type"]?.string, !type.isEmpty else { throw .missing("type") }
        guard let atText = json["at"]?.string else { throw .missing("at") }
        guard let at = Timestamp(iso: atText) else { throw .invalid("at") }
        guard let actor = json["actor"]?.string else { throw .missing("actor") }
        let version = json["v"]?.int ?? 1
        guard version >= 1 else { throw .invalid("v") }
        var stamp: OriginStamp?
        if let from = json["from"] {
            guard let origin = from["origin"]?.string, Origin.isValidName(origin), let n = from["n"]?.int, n >= 1,
                  let prev = from["prev"]?.string, prev.utf8.count == 64 else { throw .invalid("from") }
            stamp = OriginStamp(origin: origin, number: n, prev: prev, hash: from["hash"]?.string, held: from["held"]?.string)
        }
        self.init(id: id, type: type, version: version, at: at, actor: actor,
                  subject: json["subj"]?.string ?? "", base: json["base"]?.int,
                  body: json["body"] ?? .object([]), origin: stamp)
    }
}

/// What the domain needs from outside to make events: the time and fresh ids. Tests inject a
/// fixed clock and a counter; the app injects the system clock and a random UUIDv7 source.
public struct EventContext: Sendable {
    public var actor: String
    public var now: Timestamp
    public var makeID: @Sendable () -> EventID

    public init(actor: String, now: Timestamp, makeID: @escaping @Sendable () -> EventID) {
        self.actor = actor
        self.now = now
        self.makeID = makeID
    }

    public var today: Day { now.day() }

    public func event(_ type: String, subject: String = "", base: Int? = nil, version: Int = 1,
                      body: JSON) -> Event {
        Event(id: makeID(), type: type, version: version, at: now, actor: actor, subject: subject,
              base: base, body: body)
    }
}

/// Lowercase hex digits read into a number, for the fixed-width fields of a record (ids, hashes).
public enum LowerHex {
    /// The value of `count` (at most 16) lowercase hex digits at `start`, or nil if any is not one.
    @inline(__always)
    public static func value(_ u: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> UInt64? {
        precondition(count >= 0 && count <= 16 && start >= 0 && start + count <= u.count)
        var v: UInt64 = 0
        return sg_hex_value(u.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count, &v) != 0 ? v : nil
    }
}
