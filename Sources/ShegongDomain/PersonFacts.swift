/// What the projection reads from a registration's body (`person.registered`): a person's
/// profile, one record in ten of a station's log and the commonest that had no facts, each a tree
/// of a dozen members that the applying thread then searched key by key. A replay reads it from
/// the line (`read`); every other path, and every `person.updated`, reads it from the tree
/// (`init(body:)`), and a test holds the two to the same answer.
public struct PersonFacts: Sendable, Equatable, PlainFacts {
    public var name: String?
    /// A text that names no sex or no day clears the field, as the tree's reading does: `.some(nil)`.
    public var sex: Sex??
    public var birth: Day??
    public var idNumber: String?
    public var phone: String?
    public var address: String?
    public var community: String?
    public var household: String?
    public var categories: [String]?
    /// A text that names no tier leaves it as it was.
    public var tier: VisitTier?
    public var worker: String?
    /// The day the registration is for (`registeredOn`), when the body names one.
    public var date: Day?

    public init() {}

    public init(body b: JSON) {
        name = b["name"]?.string
        sex = b["sex"]?.string.map { Sex(rawValue: $0) }
        birth = b["birth"]?.string.map { Day(iso: $0) }
        idNumber = b["idno"]?.string
        phone = b["phone"]?.string
        address = b["address"]?.string
        community = b["community"]?.string
        household = b["household"]?.string
        categories = b["categories"]?.array.map { $0.compactMap(\.string) }
        tier = b["tier"]?.string.flatMap(VisitTier.init(rawValue:))
        worker = b["worker"]?.string
        date = b["date"]?.string.flatMap { Day(iso: $0) }
    }

    static let currentVersion = EventType.personRegistered.info.version

    /// The body keys read: those of at most eight bytes by their word (`JSONParser.word`), the
    /// three longer ones by their first eight bytes and the rest; a test checks each against its key.
    enum Slot: UInt64, CaseIterable, PlainFactsSlot {
        case name = 0x656D_616E, sex = 0x78_6573, birth = 0x68_7472_6962, idNumber = 0x6F6E_6469, phone = 0x65_6E6F_6870
        case address = 0x73_7365_7264_6461, tier = 0x7265_6974, worker = 0x7265_6B72_6F77, date = 0x6574_6164
        /// "communit", "househol", "categori": the first eight bytes of the longer keys.
        case community = 0x7469_6E75_6D6D_6F63, household = 0x6C6F_6865_7375_6F68, categories = 0x6972_6F67_6574_6163

        static let keys: [Slot: String] = [.name: "name", .sex: "sex", .birth: "birth", .idNumber: "idno", .phone: "phone",
                                           .address: "address", .tier: "tier", .worker: "worker", .date: "date",
                                           .community: "community", .household: "household", .categories: "categories"]

        @inline(__always)
        init?(_ key: UnsafeBufferPointer<UInt8>, word: UInt64?) {
            if let word {
                // Eight bytes that begin a longer key are no key read here.
                guard let slot = Slot(rawValue: word), slot.rawValue >> 56 == 0 else { return nil }
                self = slot
                return
            }
            guard key.count == 9 || key.count == 10, let head = JSONParser.word(UnsafeBufferPointer(rebasing: key[0..<8])) else { return nil }
            switch (head, key.count) {
            case (Slot.community.rawValue, 9) where key[8] == UInt8(ascii: "y"): self = .community
            case (Slot.household.rawValue, 9) where key[8] == UInt8(ascii: "d"): self = .household
            case (Slot.categories.rawValue, 10) where key[8] == UInt8(ascii: "e") && key[9] == UInt8(ascii: "s"): self = .categories
            default: return nil
            }
        }

        var bit: UInt16 {
            switch self {
            case .name: 1
            case .sex: 2
            case .birth: 4
            case .idNumber: 8
            case .phone: 16
            case .address: 32
            case .tier: 64
            case .worker: 128
            case .date: 256
            case .community: 512
            case .household: 1024
            case .categories: 2048
            }
        }
    }

    private static let sexes = JSONParser.Codes<Sex>(), tiers = JSONParser.Codes<VisitTier>()

    /// Reads the body object at the parser's cursor when it has the plain shape this program
    /// writes: keys without escapes, each key read here at most once, its values strings without
    /// escapes (and `categories` an array of them). Otherwise nil, and the caller reads the tree.
    public static func read(_ p: inout JSONParser) -> PersonFacts? { readPlain(&p) }

    @inline(__always)
    mutating func read(_ slot: Slot, _ p: inout JSONParser) -> Bool {
        if slot == .categories {
            guard let texts = p.plainTexts() else { return false }
            categories = texts
            return true
        }
        guard let value = p.plainString() else { return false }
        // Checksummed before parsing, as for `VisitFacts`. Communities and workers are a few,
        // repeated on every line: interned; a person's own texts are theirs alone.
        func text() -> String { String(decoding: value, as: UTF8.self) }
        switch slot {
        case .name: name = text()
        case .sex: sex = .some(Self.sexes.value(value))
        // Births are all different days: not through the memo of recent ones.
        case .birth: birth = .some(Day(isoBytes: value))
        case .idNumber: idNumber = text()
        case .phone: phone = text()
        case .address: address = text()
        case .community: community = p.text(value)
        case .household: household = text()
        case .categories: break  // read as an array above
        case .tier: tier = Self.tiers.value(value)
        case .worker: worker = p.text(value)
        case .date: date = p.day(value)
        }
        return true
    }
}

extension Person {
    /// A registration's or an update's profile; a field the body does not name stays as it was.
    mutating func update(from b: JSON) { update(from: PersonFacts(body: b)) }

    mutating func update(from f: PersonFacts) {
        if let v = f.name { name = v }
        if let v = f.sex { sex = v }
        if let v = f.birth { birth = v }
        if let v = f.idNumber { idNumber = v }
        if let v = f.phone { phone = v }
        if let v = f.address { address = v }
        if let v = f.community { community = v }
        if let v = f.household { household = v }
        if let v = f.categories { categories = v }
        if let v = f.tier { tier = v }
        if let v = f.worker { worker = v }
        if household.isEmpty { household = address }
    }
}
