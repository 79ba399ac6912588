#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the projection reads from a visit's body (`visit.logged`, `visit.amended`): seven short
/// fields, in a record that is mostly free text. Two in three records of a station's log are
/// visits, so a replay reads these straight from the line's bytes (`read`) and builds no JSON
/// tree for them; every other path reads them from the tree (`init(body:)`), and a test holds
/// the two to the same answer.
public struct VisitFacts: Sendable, Equatable {
    public var person: String?
    public var date: Day?
    public var mode: VisitMode?
    public var worker: String?
    public var caseID: String?
    public var followUp: Day?
    public var referral = false

    public init() {}

    public init(body b: JSON) {
        person = b["person"]?.string
        date = b["date"]?.string.flatMap { Day(iso: $0) }
        mode = b["mode"]?.string.flatMap(VisitMode.init(rawValue:))
        worker = b["worker"]?.string
        caseID = b["case"]?.string
        followUp = b["followup"]?.string.flatMap { Day(iso: $0) }
        referral = !(b["referral"]?.string ?? "").isEmpty
    }

    /// The body keys read, in the order of `Slot`.
    private static let keys: [[UInt8]] = ["person", "date", "mode", "worker", "case", "followup", "referral"].map { Array($0.utf8) }

    /// The slot a key fills, told by its length and first letter and then checked whole.
    private static func slot(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = key.first else { return nil }
        let slot: Int
        switch (key.count, first) {
        case (6, UInt8(ascii: "p")): slot = 0
        case (4, UInt8(ascii: "d")): slot = 1
        case (4, UInt8(ascii: "m")): slot = 2
        case (6, UInt8(ascii: "w")): slot = 3
        case (4, UInt8(ascii: "c")): slot = 4
        case (8, UInt8(ascii: "f")): slot = 5
        case (8, UInt8(ascii: "r")): slot = 6
        default: return nil
        }
        return JSONParser.same(keys[slot], key) ? slot : nil
    }

    private static let modes: [(bytes: [UInt8], mode: VisitMode)] = VisitMode.allCases.map { (Array($0.rawValue.utf8), $0) }

    /// Reads the body object at the parser's cursor when it has the plain shape this program
    /// writes: keys without escapes, and each key read here at most once, with a string value
    /// without escapes. Otherwise, and on malformed JSON, nil: the caller then parses the body as
    /// a tree, which gives the same facts, or the error, in every case.
    public static func read(_ p: inout JSONParser) -> VisitFacts? {
        do {
            return try readPlain(&p)
        } catch {
            return nil
        }
    }

    private static func readPlain(_ p: inout JSONParser) throws(JSONParseError) -> VisitFacts? {
        let bytes = p.bytes
        p.skipSpace()
        guard p.index < bytes.count, bytes[p.index] == UInt8(ascii: "{") else { return nil }
        p.index += 1
        p.skipSpace()
        var facts = VisitFacts()
        if p.index < bytes.count, bytes[p.index] == UInt8(ascii: "}") { p.index += 1; return facts }
        var seen: UInt8 = 0
        while true {
            p.skipSpace()
            guard p.index < bytes.count, bytes[p.index] == UInt8(ascii: "\"") else { return nil }
            let key = try p.rawString()
            guard memchr(key.baseAddress!, 0x5C, key.count) == nil else { return nil }
            p.skipSpace()
            guard p.index < bytes.count, bytes[p.index] == UInt8(ascii: ":") else { return nil }
            p.index += 1
            p.skipSpace()
            if let slot = slot(of: key) {
                let bit: UInt8 = 1 << slot
                guard seen & bit == 0, p.index < bytes.count, bytes[p.index] == UInt8(ascii: "\"") else { return nil }
                seen |= bit
                let value = try p.rawString()
                guard value.isEmpty || memchr(value.baseAddress!, 0x5C, value.count) == nil else { return nil }
                facts.set(slot, value)
            } else {
                try p.skipValue(depth: 1)
            }
            p.skipSpace()
            guard p.index < bytes.count else { return nil }
            if bytes[p.index] == UInt8(ascii: ",") { p.index += 1; continue }
            if bytes[p.index] == UInt8(ascii: "}") { p.index += 1; return facts }
            return nil
        }
    }

    private mutating func set(_ slot: Int, _ value: UnsafeBufferPointer<UInt8>) {
        // Records are checksummed before parsing, so these bytes were written as valid UTF-8
        // (see `JSONParser.string`).
        func text() -> String { String(decoding: value, as: UTF8.self) }
        switch slot {
        case 0: person = text()
        case 1: date = Day(isoBytes: value)
        case 2: mode = Self.modes.first { JSONParser.same($0.bytes, value) }?.mode
        case 3: worker = text()
        case 4: caseID = text()
        case 5: followUp = Day(isoBytes: value)
        default: referral = !value.isEmpty
        }
    }
}
