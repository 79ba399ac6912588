import CShegongBytes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON value whose objects keep their key order, so an event written and read back is
/// byte-for-byte the same (the hash chain depends on that).
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([JSONField])

    public subscript(key: String) -> JSON? {
        guard case .object(let fields) = self else { return nil }
        for field in fields where field.key == key { return field.value }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var int: Int? {
        switch self {
        case .int(let i): return i
        // `exactly`: 1e19 in a record is no integer, not a crash.
        case .double(let d): return Int(exactly: d)
        default: return nil
        }
    }
    public var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var fields: [JSONField]? { if case .object(let f) = self { return f }; return nil }
    public var strings: [String] { array?.compactMap(\.string) ?? [] }
}

public struct JSONField: Sendable, Equatable {
    public var key: String
    public var value: JSON
    public init(_ key: String, _ value: JSON) { self.key = key; self.value = value }
}

/// Builds an object, leaving out nil and empty values so that records stay small.
public struct JSONObjectBuilder {
    public private(set) var fields: [JSONField] = []
    public init() {}
    public func value(_ key: String) -> JSON? { fields.first { $0.key == key }?.value }
    public mutating func put(_ key: String, _ value: String?) {
        if let value, !value.isEmpty { fields.append(JSONField(key, .string(value))) }
    }
    public mutating func put(_ key: String, _ value: Int?) {
        if let value { fields.append(JSONField(key, .int(value))) }
    }
    public mutating func put(_ key: String, _ value: Double?) {
        guard let value else { return }
        if value == value.rounded(), abs(value) < 1e15 { fields.append(JSONField(key, .int(Int(value)))) }
        else { fields.append(JSONField(key, .double(value))) }
    }
    public mutating func put(_ key: String, _ value: Bool?) {
        if let value { fields.append(JSONField(key, .bool(value))) }
    }
    public mutating func put(_ key: String, _ values: [String]) {
        if !values.isEmpty { fields.append(JSONField(key, .array(values.map(JSON.string)))) }
    }
    public mutating func put(_ key: String, json: JSON?) {
        if let json { fields.append(JSONField(key, json)) }
    }
    public var object: JSON { .object(fields) }
}

public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "JSON error at byte \(offset): \(reason)" }
}

// MARK: - Parsing

extension JSON {
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSON {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer) }
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        try parse(Array(text.utf8))
    }

    /// Parses exactly one value that fills `buffer` (surrounding whitespace allowed).
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSON {
        var parser = JSONParser(buffer)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == buffer.count else { throw parser.error("trailing bytes") }
        return value
    }
}

/// A byte-level recursive-descent parser. It exists because Foundation's decoders are several
/// times too slow for replaying a million-event log; see docs/log-format.md.
public struct JSONParser {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    public var index = 0
    static let maxDepth = 64
    /// Keys of the outermost object parsed by `value` whose values are skipped, not built.
    var skipKeys: [[UInt8]] = []
    /// Where `text` keeps the short texts it made, if anywhere: the table of an interner that
    /// outlives the parser (a replay's chunk decoder's).
    public var interner: TextInterner.Table?

    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    public func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    /// How many bytes from `index` on are plain string content (no quote, backslash or control
    /// character), found 16 at a time: most of a record's bytes are Chinese text inside strings.
    @inlinable func plainRun() -> Int { plainRun(from: index) }

    /// How many bytes from `start` are neither a quote, a backslash nor a control character.
    @inlinable func plainRun(from start: Int) -> Int {
        sg_string_run(bytes.baseAddress! + start, bytes.count - start)
    }

    /// Whether the cursor is past the last byte.
    @inlinable public var isAtEnd: Bool { index == bytes.count }

    /// Moves past `text` if the bytes at the cursor are exactly it (a record's fixed separators
    /// and keys, `,"id":`), and says whether they were.
    @inlinable @inline(__always)
    public mutating func skip(_ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard index + n <= bytes.count, memcmp(bytes.baseAddress! + index, text.utf8Start, n) == 0 else { return false }
        index += n
        return true
    }

    /// The text of a plain string's bytes (`plainString`), from the interner when there is one.
    @inline(__always)
    public func text(_ plain: UnsafeBufferPointer<UInt8>) -> String {
        interner?.text(plain) ?? String(decoding: plain, as: UTF8.self)
    }

    /// The day of a plain string's bytes, from the interner when there is one.
    @inline(__always)
    public func day(_ plain: UnsafeBufferPointer<UInt8>) -> Day? {
        interner?.day(plain) ?? Day(isoBytes: plain)
    }

    /// The string at the cursor, if it has no escape or control character: its bytes between the
    /// quotes, and the cursor moves past it. Otherwise nil, the cursor where it was, for `string`
    /// or `skipValue` to read it (or refuse it) as they would.
    @inlinable @inline(__always)
    public mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        let stop = start + plainRun(from: start)
        guard stop < bytes.count, bytes[stop] == UInt8(ascii: "\"") else { return nil }
        index = stop + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<stop])
    }

    /// The array at the cursor when it holds only strings without an escape or control character,
    /// each made as `text` makes it, and the cursor moves past it; otherwise nil (the caller then
    /// reads the value as a tree).
    public mutating func plainTexts() -> [String]? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        index += 1
        var texts: [String] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return texts }
        while true {
            skipSpace()
            guard let plain = plainString() else { return nil }
            texts.append(text(plain))
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return texts }
            return nil
        }
    }

    /// Reads the object at the cursor when its keys have no escape, for the facts of a body
    /// (`BodyFacts`): each key that `slot` names is handed to `read` with the cursor at its value,
    /// which reads the value and says true, or says false to give up; a key named twice gives up
    /// (the tree would read the first, the facts the last); any other key's value is skipped as
    /// `value` would read it, so what the tree refuses is refused. False for any other shape or
    /// malformed JSON: the caller then reads the object as a tree, which gives the same answer or
    /// the error. `bit`: each slot's own bit among sixteen.
    @inline(__always)
    public mutating func readPlainMembers<Slot>(
        slot: (UnsafeBufferPointer<UInt8>, UInt64?) -> Slot?, bit: (Slot) -> UInt16,
        _ read: (Slot, inout JSONParser) throws(JSONParseError) -> Bool
    ) throws(JSONParseError) -> Bool {
        var seen: UInt16 = 0
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
        index += 1
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return true }
        while true {
            skipSpace()
            guard let key = plainString() else { return false }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skipSpace()
            if let slot = slot(key, word(ofKey: key)) {
                let b = bit(slot)
                guard seen & b == 0 else { return false }
                seen |= b
                guard try read(slot, &self) else { return false }
            } else if plainString() == nil {
                try skipValue(depth: 1)
            }
            skipSpace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return true }
            return false
        }
    }

    /// Inlinable: it runs before and after every token, also in the record decoder of the store,
    /// and records this program writes hold no space.
    @inlinable @inline(__always)
    public mutating func skipSpace() {
        guard index < bytes.count, bytes[index] <= 0x20 else { return }
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    public mutating func value(depth: Int) throws(JSONParseError) -> JSON {
        guard depth < Self.maxDepth else { throw error("nested too deeply") }
        skipSpace()
        guard index < bytes.count else { throw error("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character")
        }
    }

    public mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end") }
        let start = word.utf8Start
        for i in 0..<count where bytes[index + i] != start[i] { throw error("bad literal") }
        index += count
    }

    /// A vocabulary's value whose code is a string's bytes, without making the string: the facts'
    /// readers name a visit's mode, a person's sex and tier so.
    struct Codes<V: Vocabulary>: Sendable {
        private let codes: [(bytes: [UInt8], value: V)] = V.allCases.map { (Array($0.rawValue.utf8), $0) }
        func value(_ bytes: UnsafeBufferPointer<UInt8>) -> V? { codes.first { JSONParser.same($0.bytes, bytes) }?.value }
    }

    /// Whether a key is these bytes: lengths first, then byte by byte, inline (keys are a few
    /// bytes long; a call to memcmp or a generic comparison cost more than the rest of a key's parse).
    @inlinable
    public static func same(_ key: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard key.count == bytes.count else { return false }
        return key.withUnsafeBufferPointer { k in
            for i in 0..<k.count where k[i] != bytes[i] { return false }
            return true
        }
    }

    /// `word` of a key in this parser's bytes, read with one load where the bytes go on for eight
    /// from the key's start: each of a replay's visits has some ten keys.
    @inline(__always)
    func word(ofKey key: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard key.count <= 8 else { return nil }
        guard key.count > 0, key.baseAddress! + 8 <= bytes.baseAddress! + bytes.count else { return Self.word(key) }
        let loaded = UInt64(littleEndian: UnsafeRawPointer(key.baseAddress!).loadUnaligned(as: UInt64.self))
        return key.count == 8 ? loaded : loaded & ((1 << (8 * UInt64(key.count))) &- 1)
    }

    /// A key of at most eight bytes as one number, its first byte lowest: a key is matched against
    /// a table of known ones with one comparison each. Strings hold no zero byte (control
    /// characters are refused), so the number names the key exactly.
    @inlinable @inline(__always)
    public static func word(_ key: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard key.count <= 8 else { return nil }
        var word: UInt64 = 0
        for i in 0..<key.count { word |= UInt64(key[i]) << (8 * UInt64(i)) }
        return word
    }

    public static func word(_ key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { word($0) }!
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSON {
        index += 1
        var fields: [JSONField] = []
        // A record's body: room for a usual one's fields up front, instead of growing through 1, 2 and 4.
        if depth == 0 { fields.reserveCapacity(8) }
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(fields) }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected key") }
            let keyBytes = try rawString()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            if depth == 0, !skipKeys.isEmpty, skipKeys.contains(where: { Self.same($0, keyBytes) }) {
                try skipValue(depth: depth + 1)
            } else {
                let key = keyBytes.contains(UInt8(ascii: "\\")) ? try JSONParser.unescape(keyBytes)
                    : String(decoding: keyBytes, as: UTF8.self)
                let value = try value(depth: depth + 1)
                fields.append(JSONField(key, value))
            }
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(fields) }
            throw error("expected ',' or '}'")
        }
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSON {
        index += 1
        var items: [JSON] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw error("expected ',' or ']'")
        }
    }

    /// The bytes between a string's quotes, escapes left as they are; the cursor moves past it.
    @inlinable
    public mutating func rawString() throws(JSONParseError) -> UnsafeBufferPointer<UInt8> {
        index += 1
        let start = index
        while index < bytes.count {
            index += plainRun()
            guard index < bytes.count else { break }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                defer { index += 1 }
                return UnsafeBufferPointer(rebasing: bytes[start..<index])
            }
            if b == UInt8(ascii: "\\") { index += 2; continue }
            if b < 0x20 { throw error("control character in string") }
            index += 1
        }
        throw error("unterminated string")
    }

    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> String {
        var quoted = [UInt8(ascii: "\"")]
        quoted.append(contentsOf: raw)
        quoted.append(UInt8(ascii: "\""))
        return try quoted.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var p = JSONParser(buffer)
            return try p.string()
        }
    }

    /// The integer at the cursor as `value(depth:)` would give it (`.int`): a record's number and
    /// version are read straight from their digits when they are plain ones.
    @inlinable
    public mutating func int() throws(JSONParseError) -> Int? {
        var i = index, v = 0
        while i < bytes.count, i - index < 18 {
            let d = bytes[i] &- 0x30
            guard d < 10 else { break }
            v = v * 10 + Int(d)
            i += 1
        }
        if i > index, i < bytes.count, bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: "}") {
            index = i
            return v
        }
        return try value(depth: 1).int
    }

    /// Moves past one value without building it. It is checked as `value` checks it (a string with
    /// an escape is read to check the escape), so skipping a value never accepts what reading
    /// it would refuse.
    public mutating func skipValue(depth: Int) throws(JSONParseError) {
        guard depth < Self.maxDepth else { throw error("nested too deeply") }
        skipSpace()
        guard index < bytes.count else { throw error("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = bytes[index] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == close { index += 1; return }
            while true {
                if close == UInt8(ascii: "}") {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected key") }
                    let key = try rawString()
                    if key.contains(UInt8(ascii: "\\")) { _ = try JSONParser.unescape(key) }  // as `object` reads a key
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    index += 1
                }
                try skipValue(depth: depth + 1)
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == close { index += 1; return }
                throw error("expected ',' or closing bracket")
            }
        default: _ = try value(depth: depth)
        }
    }

    /// Moves past a string; one with an escape is read as `string` reads it, so a bad escape is
    /// refused with the same error at the same place.
    public mutating func skipString() throws(JSONParseError) {
        let start = index
        index += 1
        while index < bytes.count {
            index += plainRun()
            guard index < bytes.count else { break }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") { index += 1; return }
            if b == UInt8(ascii: "\\") {
                index = start
                _ = try string()
                return
            }
            if b < 0x20 { throw error("control character in string") }
            index += 1
        }
        throw error("unterminated string")
    }

    /// Parses the value at the cursor; if it is an object, the values of `skipping` keys are not built.
    public mutating func value(skipping keys: [[UInt8]]) throws(JSONParseError) -> JSON {
        skipKeys = keys
        defer { skipKeys = [] }
        return try value(depth: 0)
    }

    mutating func number() throws(JSONParseError) -> JSON {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        var value = 0
        var digits = 0
        var overflow = false
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[index] - 0x30))
            overflow = overflow || o1 || o2
            value = a
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw error("bad number") }
        if !overflow, let decimal = plainDecimal(whole: value) { return .double(negative ? -decimal : decimal) }
        var isInteger = !overflow
        while index < bytes.count {
            if Self.continuesNumber(bytes[index]) {
                isInteger = false
                index += 1
            } else { break }
        }
        if isInteger { return .int(negative ? -value : value) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let double = Double(text) else { throw error("bad number") }
        return .double(double)
    }

    /// The value of a plain decimal at the cursor (a point and one to fifteen digits, after the
    /// `whole` part read) whose digits together stay below 2^53, and the cursor past it; nil,
    /// the cursor where it was, for any other shape. Its digits and the power of ten are then
    /// both exact doubles, and one division rounds as `Double(String)` rounds the text
    /// (Clinger's fast path), without making the text: hours and amounts are such numbers.
    private mutating func plainDecimal(whole: Int) -> Double? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "."), whole < 1 << 53 else { return nil }
        var digits = whole, places = 0, at = index + 1
        while at < bytes.count, places < 16, bytes[at] >= 0x30, bytes[at] <= 0x39 {
            let (m, o1) = digits.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[at] - 0x30))
            guard !o1, !o2 else { return nil }
            digits = a
            places += 1
            at += 1
        }
        guard (1...15).contains(places), digits < 1 << 53, at == bytes.count || !Self.continuesNumber(bytes[at]) else { return nil }
        index = at
        return Double(digits) / Self.exactPowersOfTen[places]
    }

    /// Whether a byte after a number's first digits is still part of its text, as `number` reads it.
    private static func continuesNumber(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
             UInt8(ascii: "+"), UInt8(ascii: "-"): true
        default: false
        }
    }

    /// 10^0 … 10^15, each exact (built by multiplying exact values whose products are exact).
    private static let exactPowersOfTen: [Double] = (1..<16).reduce(into: [1]) { powers, _ in powers.append(powers.last! * 10) }

    public mutating func string() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes between the quotes are the string.
        while index < bytes.count {
            index += plainRun()
            guard index < bytes.count else { break }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                // Records are checksummed before parsing, so bytes that got here were written as valid
                // UTF-8; decoding (which repairs rather than rejects) is several times faster than
                // validating and is safe for that reason.
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in string") }
            index += 1
        }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw error("control character in string") }
            if b != UInt8(ascii: "\\") { out.append(b); index += 1; continue }
            index += 1
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { throw error("lone surrogate") }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("bad surrogate pair") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw error("bad unicode escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw error("bad escape")
            }
        }
        throw error("unterminated string")
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("short unicode escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            default: throw error("bad hex digit")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }
}

// MARK: - Writing

extension JSON {
    /// Compact JSON, keys in stored order; non-ASCII written as UTF-8 (readable Chinese).
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: (d.isFinite ? "\(d)" : "null").utf8)
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (i, field) in fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.writeString(field.key, to: &out)
                out.append(UInt8(ascii: ":"))
                field.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    public var text: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in writeEscaped(utf8, to: &out) }
        out.append(UInt8(ascii: "\""))
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let hex = hexDigits
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            i += 1
            // DEL, C1 and bidi controls are written as \u escapes: the same value, but a terminal
            // showing the JSON cannot act on them (SafeText lists them).
            if b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xE2 {
                var scalar: UInt32 = UInt32(b)
                var length = 1
                if b == 0xC2 || b == 0xD8, i < utf8.count { scalar = (UInt32(b & 0x1F) << 6) | UInt32(utf8[i] & 0x3F); length = 2 }
                if b == 0xE2, i + 1 < utf8.count {
                    scalar = (UInt32(b & 0x0F) << 12) | (UInt32(utf8[i] & 0x3F) << 6) | UInt32(utf8[i + 1] & 0x3F)
                    length = 3
                }
                if SafeText.isUnsafe(scalar) {
                    out.append(contentsOf: "\\u".utf8)
                    for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((scalar >> UInt32(shift)) & 0xF)]) }
                    i += length - 1
                    continue
                }
            }
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            default: out.append(b)
            }
        }
    }
}
