/// What the projection reads from a visit's body (`visit.logged`, `visit.amended`): seven short
/// fields, in a record that is mostly free text. Two in three records of a station's log are
/// visits, so a replay reads these straight from the line's bytes (`read`) and builds no JSON
/// tree for them; every other path reads them from the tree (`init(body:)`), and a test holds
/// the two to the same answer.
public struct VisitFacts: Sendable, Equatable, PlainFacts {
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

    static let currentVersion = EventType.visitLogged.info.version

    /// The body keys read, each its key as a word (`JSONParser.word`), so a key is named by one
    /// switch; a test checks every word against its key.
    enum Slot: UInt64, CaseIterable, PlainFactsSlot {
        case person = 0x6E6F_7372_6570, date = 0x6574_6164, mode = 0x6564_6F6D, worker = 0x7265_6B72_6F77
        case caseID = 0x6573_6163, followUp = 0x7075_776F_6C6C_6F66, referral = 0x6C61_7272_6566_6572

        static let keys: [Slot: String] = [.person: "person", .date: "date", .mode: "mode", .worker: "worker",
                                                   .caseID: "case", .followUp: "followup", .referral: "referral"]

        @inline(__always)
        init?(_ key: UnsafeBufferPointer<UInt8>, word: UInt64?) {
            guard let word else { return nil }
            self.init(rawValue: word)
        }

        /// Its bit among the keys a body has shown.
        var bit: UInt16 {
            switch self {
            case .person: 1
            case .date: 2
            case .mode: 4
            case .worker: 8
            case .caseID: 16
            case .followUp: 32
            case .referral: 64
            }
        }
    }

    private static let modes = JSONParser.Codes<VisitMode>()

    /// Reads the body object at the parser's cursor when it has the plain shape this program
    /// writes: keys without escapes, and each key read here at most once, with a string value
    /// without escapes. Otherwise, and on malformed JSON, nil: the caller then parses the body as
    /// a tree, which gives the same facts, or the error, in every case.
    public static func read(_ p: inout JSONParser) -> VisitFacts? { readPlain(&p) }

    @inline(__always)
    mutating func read(_ slot: Slot, _ p: inout JSONParser) -> Bool {
        guard let value = p.plainString() else { return false }
        // Records are checksummed before parsing, so these bytes were written as valid UTF-8
        // (see `JSONParser.string`). A person and a case are each one of thousands: not interned.
        func text() -> String { String(decoding: value, as: UTF8.self) }
        switch slot {
        case .person: person = text()
        case .date: date = p.day(value)
        case .mode: mode = Self.modes.value(value)
        case .worker: worker = p.text(value)
        case .caseID: caseID = text()
        case .followUp: followUp = p.day(value)
        case .referral: referral = !value.isEmpty
        }
        return true
    }
}
