/// What a replay reads straight from a record's line in place of its body's tree, for the
/// commonest records: visits (`VisitFacts`); volunteer hours, time-bank entries and case
/// services (`EntryFacts`); registrations (`PersonFacts`). Together they are all but a few in a
/// hundred of a station's log; a tree per body was most of a replay's allocations and the
/// lookups in it most of the apply.
public enum BodyFacts: Sendable, Equatable {
    case visit(VisitFacts)
    case entry(EntryFacts)
    /// Boxed: a profile is three times a visit's facts, and every record carries room for the
    /// largest case (a record is moved twice between threads: +50% memcpy of a replay unboxed).
    indirect case person(PersonFacts)

    public enum Kind: Sendable { case visit, entry, person }

    public var kind: Kind {
        switch self {
        case .visit: .visit
        case .entry: .entry
        case .person: .person
        }
    }

    /// Which facts a replay reads for a record of this type and version, if any. Only a type's
    /// current version: an older one is rewritten by `Upcaster` from its tree first.
    public static func kind(of type: EventType?, version: Int) -> Kind? {
        switch type {
        case .visitLogged?, .visitAmended?: version == VisitFacts.currentVersion ? .visit : nil
        case .volunteerHours?, .timeBankDeposit?, .timeBankWithdraw?, .caseService?: version == EntryFacts.currentVersion ? .entry : nil
        case .personRegistered?: version == PersonFacts.currentVersion ? .person : nil
        default: nil
        }
    }

    /// Reads the facts of `kind` from the body at the parser's cursor, or nil when the body is
    /// not of the plain shape (the caller then reads it as a tree).
    public static func read(_ kind: Kind, _ p: inout JSONParser) -> BodyFacts? {
        switch kind {
        case .visit: VisitFacts.read(&p).map { .visit($0) }
        case .entry: EntryFacts.read(&p).map { .entry($0) }
        case .person: PersonFacts.read(&p).map { .person($0) }
        }
    }
}

/// Facts read from a body's plain members by their keys (`JSONParser.readPlainMembers`).
protocol PlainFacts {
    associatedtype Slot: PlainFactsSlot
    init()
    /// Reads the slot's value at the parser's cursor into these facts; false to give up.
    mutating func read(_ slot: Slot, _ p: inout JSONParser) throws(JSONParseError) -> Bool
}

/// A key the facts read: found by its bytes, with a bit of its own among sixteen.
protocol PlainFactsSlot {
    /// The slot of `key`, whose bytes as one word (`JSONParser.word`) are `word` when it has at most eight.
    init?(_ key: UnsafeBufferPointer<UInt8>, word: UInt64?)
    var bit: UInt16 { get }
}

extension PlainFacts {
    /// The facts of the body at the parser's cursor when it has the plain shape this program
    /// writes, else nil (the caller then reads the tree, which gives the same facts or the error).
    @inline(__always)
    static func readPlain(_ p: inout JSONParser) -> Self? {
        var facts = Self()
        let plain = try? p.readPlainMembers(slot: Slot.init, bit: \.bit) { slot, p throws(JSONParseError) in try facts.read(slot, &p) }
        return plain == true ? facts : nil
    }
}

/// What the projection reads from the body of a volunteer's hours (`volunteer.hours`), a
/// time-bank entry (`timebank.deposit`, `timebank.withdraw`) or a case service (`case.service`,
/// only its date). Read from the tree by `init(body:)` on every path but a replay's, which reads
/// them from the line (`read`); a test holds the two to the same answer.
public struct EntryFacts: Sendable, Equatable, PlainFacts {
    public var volunteer: String?
    public var date: Day?
    public var hours: Double?
    public var activity: String?
    public var note: String?

    public init() {}

    public init(body b: JSON) {
        volunteer = b["volunteer"]?.string
        date = b["date"]?.string.flatMap { Day(iso: $0) }
        hours = b["hours"]?.double
        activity = b["activity"]?.string
        note = b["note"]?.string
    }

    /// The version of all four types (a test checks each against its own).
    static let currentVersion = EventType.volunteerHours.info.version

    /// The body keys read, each its key as a word (`JSONParser.word`); `volunteer`, a byte longer
    /// than a word, by its first eight bytes and its last.
    enum Slot: UInt64, CaseIterable, PlainFactsSlot {
        case volunteer = 0x6565_746E_756C_6F76, date = 0x6574_6164, hours = 0x73_7275_6F68
        case activity = 0x7974_6976_6974_6361, note = 0x6574_6F6E

        static let keys: [Slot: String] = [.volunteer: "volunteer", .date: "date", .hours: "hours", .activity: "activity", .note: "note"]

        @inline(__always)
        init?(_ key: UnsafeBufferPointer<UInt8>, word: UInt64?) {
            if key.count == 9 {
                guard key[8] == UInt8(ascii: "r"), JSONParser.word(UnsafeBufferPointer(rebasing: key[0..<8])) == Slot.volunteer.rawValue
                else { return nil }
                self = .volunteer
                return
            }
            // Eight bytes that are `volunteer`'s first eight are no key read here.
            guard let word, word != Slot.volunteer.rawValue else { return nil }
            self.init(rawValue: word)
        }

        var bit: UInt16 {
            switch self {
            case .volunteer: 1
            case .date: 2
            case .hours: 4
            case .activity: 8
            case .note: 16
            }
        }
    }

    /// Reads the body object at the parser's cursor when it has the plain shape this program
    /// writes: keys without escapes, each key read here at most once, its text values strings
    /// without escapes. `hours` is read by the tree's own reader of a value, so any number (or
    /// anything else) reads as the tree reads it. Otherwise nil, and the caller reads the tree.
    public static func read(_ p: inout JSONParser) -> EntryFacts? { readPlain(&p) }

    @inline(__always)
    mutating func read(_ slot: Slot, _ p: inout JSONParser) throws(JSONParseError) -> Bool {
        if slot == .hours {
            hours = try p.value(depth: 1).double
            return true
        }
        guard let value = p.plainString() else { return false }
        // Checksummed before parsing, as for `VisitFacts`. A station has some hundreds of
        // volunteers and a few activities, repeated on every line: interned; notes are not.
        switch slot {
        case .volunteer: volunteer = p.text(value)
        case .date: date = p.day(value)
        case .hours: break  // read as a value above
        case .activity: activity = p.text(value)
        case .note: note = String(decoding: value, as: UTF8.self)
        }
        return true
    }
}
