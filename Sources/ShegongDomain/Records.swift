/// The projected records. Each keeps the log offset of the event that last defined it, so long
/// free text (visit observations, service notes) is read from the log on demand instead of
/// being held in memory and in every checkpoint.

public struct Site: Sendable, Equatable {
    public var id: String
    public var name: String
    public var tier: SiteTier
    public var parent: String?
}

public struct Staff: Sendable, Equatable {
    public var account: String
    public var name: String
    public var role: Role
    public var site: String
    public var supervisor: String?
    public var active: Bool
    public var version: Int
}

public struct Consent: Sendable, Equatable {
    public var scope: String
    public var on: Day
    public var recordedBy: String
    public var withdrawn: Day?
}

public struct Person: Sendable, Equatable {
    public var id: String
    public var name: String
    public var sex: Sex?
    public var birth: Day?
    public var idNumber: String
    public var phone: String
    public var address: String
    public var community: String
    public var household: String
    public var categories: [String]
    public var tier: VisitTier
    public var worker: String
    public var registeredOn: Day
    public var version: Int
    public var consents: [Consent]
    public var offsets: [Int64]

    public init(id: String, name: String, sex: Sex?, birth: Day?, idNumber: String, phone: String, address: String,
                community: String, household: String, categories: [String], tier: VisitTier, worker: String,
                registeredOn: Day, version: Int, consents: [Consent], offsets: [Int64]) {
        self.id = id; self.name = name; self.sex = sex; self.birth = birth
        self.idNumber = idNumber; self.phone = phone; self.address = address; self.community = community
        self.household = household; self.categories = categories; self.tier = tier; self.worker = worker
        self.registeredOn = registeredOn; self.version = version; self.consents = consents; self.offsets = offsets
    }

    /// The visit guidance: the next visit falls due one tier interval after the last (or after
    /// registration when nobody has visited yet). The last visit is the state's (`State.lastVisits`).
    public func nextVisitDue(lastVisit: Day?) -> Day { tier.nextDue(after: lastVisit ?? registeredOn) }

    public func isChild(on day: Day) -> Bool { birth.map { $0.age(on: day) < 14 } ?? false }
}

/// One visit as every list and report needs it. A station holds hundreds of thousands, in every
/// console's memory: the fields are laid out widest first, so a row takes 64 bytes, not 72.
public struct VisitRow: Sendable, Equatable {
    public var id: String
    public var worker: String
    public var offset: Int64
    public var person: Int32
    public var day: Day
    public var caseIndex: Int32
    public var version: Int32
    public var followUp: Day?
    public var mode: VisitMode
    public var referral: Bool

    public init(id: String, person: Int32, day: Day, mode: VisitMode, worker: String, caseIndex: Int32, followUp: Day?,
                referral: Bool, version: Int32, offset: Int64) {
        self.id = id; self.worker = worker; self.offset = offset; self.person = person; self.day = day
        self.caseIndex = caseIndex; self.version = version; self.followUp = followUp; self.mode = mode; self.referral = referral
    }
}

public struct Objective: Sendable, Equatable {
    public var id: String
    public var text: String
    public var status: ObjectiveStatus
}

public struct ClosureRequest: Sendable, Equatable {
    public var type: ClosureType
    public var summary: String
    public var requestedBy: String
    public var requestedOn: Day
    public var rejections: [String]
}

public struct CaseFile: Sendable, Equatable {
    public var id: String
    public var number: String
    public var person: Int32
    public var worker: String
    public var site: String
    public var openedOn: Day
    public var source: CaseSource
    public var problem: String
    public var stage: CaseStage
    public var risk: VisitTier?
    public var flags: [CaseFlag]
    public var objectives: [Objective]
    public var closure: ClosureRequest?
    public var closedOn: Day?
    public var contactDays: [Day]
    public var version: Int
    /// Every event about this case, in log order (the timeline).
    public var offsets: [Int64]

    public var isOpen: Bool { stage != .closed }
    public var lastContact: Day? { contactDays.max() }
    public var isRestricted: Bool { !flags.isEmpty }
}

public struct GroupSession: Sendable, Equatable {
    public var number: Int
    public var day: Day
    public var attendance: [Int32: Attendance]
    public var stage: String
    public var offset: Int64
    public var present: Int { attendance.values.filter { $0 == .present }.count }
}

public struct Group: Sendable, Equatable {
    public var id: String
    public var name: String
    public var kind: GroupKind
    public var site: String
    public var worker: String
    public var goals: String
    public var plannedSessions: Int
    public var venue: String
    public var members: [Int32]
    public var sessions: [GroupSession]
    public var closedOn: Day?
    public var version: Int
    public var offsets: [Int64]
}

public struct Activity: Sendable, Equatable {
    public var id: String
    public var name: String
    public var day: Day
    public var site: String
    public var venue: String
    public var headcount: Int
    public var worker: String
}

public struct Volunteer: Sendable, Equatable {
    public var id: String
    public var name: String
    public var sex: Sex?
    public var birth: Day?
    public var idNumber: String
    public var phone: String
    public var skills: [String]
    public var availability: String
    public var team: String
    public var site: String
    public var backbone: Bool
    public var registeredOn: Day
    public var pairedWith: [Int32]
    public var version: Int

    /// Star grade (convention): 100/300/600/1000/1500 certified hours give 1 to 5 stars.
    public static func stars(hours: Double) -> Int {
        [100.0, 300, 600, 1000, 1500].filter { hours >= $0 }.count
    }
}

public struct HoursRecord: Sendable, Equatable {
    public var id: String
    public var volunteer: Int32
    public var day: Day
    public var hours: Double
    public var activity: String
    public var recorder: String
    public var offset: Int64
}

public struct TimeBankEntry: Sendable, Equatable {
    public var volunteer: Int32
    public var day: Day
    /// Positive for a deposit, negative for a withdrawal.
    public var hours: Double
    public var note: String
}

public struct AccessEntry: Sendable, Equatable {
    public var actor: String
    public var at: Timestamp
    public var what: String
    public var subject: String
}

/// An event this build does not understand: kept in the log, counted and shown, never dropped.
public struct UnknownEvent: Sendable, Equatable {
    public var type: String
    public var version: Int
    public var offset: Int64
}
