#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every event type the log holds, and what the rest of the program needs to know about each,
/// in one table the compiler checks: `info` is a switch over every case, so a new type does not
/// build until its record, writer rule, skippable keys, label and version are stated.
/// docs/log-format.md's event catalogue is generated from it (a test fails when it is stale).
public enum EventType: String, CaseIterable, Sendable {
    case storeCreated = "store.created", siteAdded = "site.added", staffAdded = "staff.added", staffUpdated = "staff.updated"
    case personRegistered = "person.registered", personUpdated = "person.updated", personConsent = "person.consent"
    case visitLogged = "visit.logged", visitAmended = "visit.amended", visitVoided = "visit.voided"
    case caseOpened = "case.opened", caseAssessed = "case.assessed", casePlanned = "case.planned", caseObjective = "case.objective"
    case caseService = "case.service", caseEvaluated = "case.evaluated", closureRequested = "case.closure_requested"
    case closureApproved = "case.closure_approved", closureRejected = "case.closure_rejected"
    case caseTransferred = "case.transferred", caseReferred = "case.referred", supervisionNote = "case.supervision_note"
    case caseFlagged = "case.flagged"
    case groupPlanned = "group.planned", groupSession = "group.session", groupClosed = "group.closed", activityHeld = "activity.held"
    case volunteerRegistered = "volunteer.registered", volunteerUpdated = "volunteer.updated", volunteerHours = "volunteer.hours"
    case hoursCorrected = "volunteer.hours_corrected", timeBankDeposit = "timebank.deposit", timeBankWithdraw = "timebank.withdraw"
    case accessViewed = "access.viewed", importBatch = "import.batch", syncPulled = "sync.pulled"
    case fundOpened = "fund.opened", fundDonation = "fund.donation", fundGrant = "fund.grant", fundTransfer = "fund.transfer"
    case fundReversed = "fund.reversed"
    case projectApplied = "project.applied", projectScreened = "project.screened", projectApproved = "project.approved"
    case projectDeclined = "project.declined", projectStarted = "project.started", projectMidterm = "project.midterm"
    case projectCompleted = "project.completed", projectBudgetChanged = "project.budget_changed", projectExpense = "project.expense"
    case projectMilestone = "project.milestone", projectLinked = "project.linked"
    case orgRegistered = "org.registered", orgUpdated = "org.updated", orgStage = "org.stage", orgSupported = "org.supported"
    case talentAdded = "talent.added", talentCertified = "talent.certified", talentSupervised = "talent.supervised"
    case trainingHeld = "training.held"
    case wishPosted = "wish.posted", wishClaimed = "wish.claimed", wishFulfilled = "wish.fulfilled", wishWithdrawn = "wish.withdrawn"
}

/// The kinds of record an event's subject can be.
public enum RecordKind: String, Sendable {
    case site, staff, person, visit, caseFile = "case", group, activity, volunteer, hours
    case fund, ledgerEntry = "entry", project, organisation, talent, training, wish
}

/// What an event does to the record its subject names.
public enum EventSubject: Equatable, Sendable {
    /// A new record: its id must not exist yet.
    case creates(RecordKind)
    /// An existing record: its id must exist.
    case changes(RecordKind)
    /// The subject is not a record (the store, a file, an accessed record).
    case free
}

/// Who may write an event (the station admin may write every type but `store.created`).
public enum WriteRule: String, Sendable {
    /// Only as the first events of an empty store.
    case newStore
    /// The station admin (and the first events of an empty store).
    case admin
    /// Anyone on the roster.
    case anyStaff
    /// A worker, for people in their own community.
    case workerInOwnCommunity
    /// A worker who sees the person in full (the subject, or the body's `person`).
    case workerWithThePerson
    /// The case's own worker.
    case workerOfTheCase
    /// The supervisor of the case's worker.
    case supervisorOfTheCase
    /// Workers and volunteer coordinators.
    case groupWork
    /// Volunteer coordinators and workers.
    case volunteerWork
    /// The station admin or a supervisor: the station's money and its decisions on projects.
    case stationLead
    /// Workers and supervisors: a project's application, its running and its records.
    case projectWork
    /// Workers, supervisors and volunteer coordinators: the organisations the station incubates.
    case incubation
    /// Who sees the wish's person in full; a volunteer coordinator too, for a claim and its fulfilment.
    case wishWork
}

public struct EventInfo: Sendable {
    public var subject: EventSubject
    public var writer: WriteRule
    /// Body keys the projection never reads: a replay skips them (long free text).
    public var unreadKeys: [String]
    public var zh: String
    public var en: String
    /// The version new events are written with; older ones are upcast on read.
    public var version: Int
}

extension EventType {
    static let visitDetail = ["health", "finance", "family", "safety", "events", "note", "visitors", "needs", "time"]
    static let caseDetail = ["content", "next", "strengths", "aim", "strategy", "expectations", "screening", "participants",
                             "needs", "minutes", "agreement", "voluntary", "satisfaction", "reason", "text", "agency", "followup"]

    public var info: EventInfo {
        func i(_ subject: EventSubject, _ writer: WriteRule, _ zh: String, _ en: String, unread: [String] = [], version: Int = 1) -> EventInfo {
            EventInfo(subject: subject, writer: writer, unreadKeys: unread, zh: zh, en: en, version: version)
        }
        let c = Self.caseDetail
        switch self {
        case .storeCreated: return i(.free, .newStore, "建立数据库", "store created")
        case .siteAdded: return i(.creates(.site), .admin, "新增站点", "site added")
        case .staffAdded: return i(.creates(.staff), .admin, "新增工作人员", "staff added")
        case .staffUpdated: return i(.changes(.staff), .admin, "修改工作人员", "staff changed")
        case .personRegistered: return i(.creates(.person), .workerInOwnCommunity, "登记", "registered")
        case .personUpdated: return i(.changes(.person), .workerWithThePerson, "修改档案", "profile changed")
        case .personConsent: return i(.changes(.person), .workerWithThePerson, "知情同意", "consent")
        case .visitLogged: return i(.creates(.visit), .workerWithThePerson, "走访", "visit", unread: Self.visitDetail, version: 2)
        case .visitAmended: return i(.changes(.visit), .workerWithThePerson, "走访(修改)", "visit (amended)", unread: Self.visitDetail, version: 2)
        case .visitVoided: return i(.changes(.visit), .workerWithThePerson, "撤销走访", "visit withdrawn", unread: ["undoes"])
        case .caseOpened: return i(.creates(.caseFile), .workerWithThePerson, "接案", "intake", unread: c)
        case .caseAssessed: return i(.changes(.caseFile), .workerOfTheCase, "预估", "assessment", unread: c)
        case .casePlanned: return i(.changes(.caseFile), .workerOfTheCase, "服务计划", "plan", unread: c)
        case .caseObjective: return i(.changes(.caseFile), .workerOfTheCase, "目标进展", "objective", unread: c)
        case .caseService: return i(.changes(.caseFile), .workerOfTheCase, "服务记录", "service", unread: c)
        case .caseEvaluated: return i(.changes(.caseFile), .workerOfTheCase, "评估", "evaluation", unread: c)
        case .closureRequested: return i(.changes(.caseFile), .workerOfTheCase, "申请结案", "closure requested", unread: c)
        case .closureApproved: return i(.changes(.caseFile), .supervisorOfTheCase, "批准结案", "closure approved", unread: c)
        case .closureRejected: return i(.changes(.caseFile), .supervisorOfTheCase, "退回结案", "closure rejected", unread: c)
        case .caseTransferred: return i(.changes(.caseFile), .workerOfTheCase, "转移", "transfer", unread: c)
        case .caseReferred: return i(.changes(.caseFile), .workerOfTheCase, "转介", "referral", unread: c)
        case .supervisionNote: return i(.changes(.caseFile), .supervisorOfTheCase, "督导记录", "supervision note", unread: c)
        case .caseFlagged: return i(.changes(.caseFile), .workerOfTheCase, "标记", "flags changed", unread: c)
        case .groupPlanned: return i(.creates(.group), .groupWork, "小组计划", "group plan")
        case .groupSession: return i(.changes(.group), .groupWork, "小组节次", "group session", unread: ["record"])
        case .groupClosed: return i(.changes(.group), .groupWork, "小组总结", "group closed", unread: ["report"])
        case .activityHeld: return i(.creates(.activity), .groupWork, "社区活动", "community activity")
        case .volunteerRegistered: return i(.creates(.volunteer), .volunteerWork, "志愿者登记", "volunteer registered")
        case .volunteerUpdated: return i(.changes(.volunteer), .volunteerWork, "修改志愿者", "volunteer changed")
        case .volunteerHours: return i(.creates(.hours), .volunteerWork, "服务时长", "volunteer hours", unread: ["content", "served", "rating"])
        case .hoursCorrected: return i(.changes(.hours), .volunteerWork, "更正时长", "hours corrected", unread: ["reason"])
        case .timeBankDeposit: return i(.changes(.volunteer), .volunteerWork, "时间银行存入", "time-bank deposit")
        case .timeBankWithdraw: return i(.changes(.volunteer), .volunteerWork, "时间银行兑换", "time-bank withdrawal")
        case .accessViewed: return i(.free, .anyStaff, "查看记录", "viewed")
        case .importBatch: return i(.free, .admin, "导入", "import")
        case .syncPulled: return i(.free, .anyStaff, "同步", "sync")
        case .fundOpened: return i(.creates(.fund), .stationLead, "设立基金", "fund opened")
        case .fundDonation: return i(.creates(.ledgerEntry), .stationLead, "捐赠收入", "donation", unread: ["note"])
        case .fundGrant: return i(.creates(.ledgerEntry), .stationLead, "资助支出", "grant", unread: ["note"])
        case .fundTransfer: return i(.creates(.ledgerEntry), .stationLead, "基金调拨", "transfer", unread: ["note"])
        case .fundReversed: return i(.creates(.ledgerEntry), .stationLead, "冲正", "reversal", unread: ["reason"])
        case .projectApplied: return i(.creates(.project), .projectWork, "项目申报", "project application", unread: ["summary"])
        case .projectScreened: return i(.changes(.project), .stationLead, "项目初评", "screening", unread: ["opinion"])
        case .projectApproved: return i(.changes(.project), .stationLead, "立项", "approval", unread: ["conditions"])
        case .projectDeclined: return i(.changes(.project), .stationLead, "不予立项", "declined")
        case .projectStarted: return i(.changes(.project), .projectWork, "项目执行", "project started")
        case .projectMidterm: return i(.changes(.project), .stationLead, "中期评估", "mid-term review", unread: ["finding"])
        case .projectCompleted: return i(.changes(.project), .stationLead, "结项评估", "closing evaluation", unread: ["evaluation"])
        case .projectBudgetChanged: return i(.changes(.project), .stationLead, "变更立项金额", "approved amount changed", unread: ["reason"])
        case .projectExpense: return i(.changes(.project), .projectWork, "项目支出", "project expense", unread: ["note"])
        case .projectMilestone: return i(.changes(.project), .projectWork, "项目节点", "milestone")
        case .projectLinked: return i(.changes(.project), .projectWork, "关联服务", "services linked")
        case .orgRegistered: return i(.creates(.organisation), .incubation, "登记社会组织", "organisation registered")
        case .orgUpdated: return i(.changes(.organisation), .incubation, "修改社会组织", "organisation changed")
        case .orgStage: return i(.changes(.organisation), .incubation, "孵化阶段", "incubation stage")
        case .orgSupported: return i(.changes(.organisation), .incubation, "培育支持", "support given", unread: ["note"])
        case .talentAdded: return i(.creates(.talent), .stationLead, "入人才库", "added to the talent pool")
        case .talentCertified: return i(.changes(.talent), .stationLead, "职业资格", "certified")
        case .talentSupervised: return i(.changes(.talent), .stationLead, "督导时数", "supervision hours", unread: ["note"])
        case .trainingHeld: return i(.creates(.training), .projectWork, "培训", "training held", unread: ["note"])
        case .wishPosted: return i(.creates(.wish), .workerWithThePerson, "发布微心愿", "wish posted", unread: ["note"])
        case .wishClaimed: return i(.changes(.wish), .wishWork, "认领微心愿", "wish claimed")
        case .wishFulfilled: return i(.changes(.wish), .wishWork, "微心愿实现", "wish fulfilled", unread: ["note"])
        case .wishWithdrawn: return i(.changes(.wish), .wishWork, "撤回微心愿", "wish withdrawn")
        }
    }

    public func label(chinese: Bool) -> String { chinese ? info.zh : info.en }

    /// Whether the type is one of the hub's (funds, projects, organisations, talent, wishes), whose records `Hub` keeps.
    public var isHub: Bool {
        switch info.subject {
        case .creates(let k), .changes(let k): return [.fund, .ledgerEntry, .project, .organisation, .talent, .training, .wish].contains(k)
        case .free: return false
        }
    }

    /// Markdown for docs/log-format.md: one row per type.
    public static func catalogueMarkdown() -> String {
        var out = "| type | subject | who may write | skipped on replay | 标签 / label | version |\n|---|---|---|---|---|---|\n"
        for t in allCases {
            let i = t.info
            let subject = switch i.subject {
            case .creates(let k): "creates a \(k.rawValue)"
            case .changes(let k): "changes a \(k.rawValue)"
            case .free: "-"
            }
            let skipped = i.unreadKeys.isEmpty ? "-" : i.unreadKeys.joined(separator: ", ")
            out += "| `\(t.rawValue)` | \(subject) | \(i.writer.rawValue) | \(skipped) | \(i.zh) / \(i.en) | \(i.version) |\n"
        }
        return out
    }
}

extension EventType {
    /// A type as a replay needs it: found by the bytes of its name, without making a String (one
    /// per record), and carried with the record to `State.apply`, which then needs no lookup of
    /// its own. Plain values only: a lookup per record retains and releases nothing.
    public struct Named: Sendable, Equatable {
        public let type: EventType
        /// Its place in `allCases`, for the tables below.
        let index: Int16
        /// Whether a record of this type at version 1 is rewritten by `Upcaster` before it is applied.
        public let upcastsFirstVersion: Bool

        /// The body keys `State.apply` never reads, as bytes to skip.
        public var unreadBodyKeys: [[UInt8]] { EventType.unreadKeyBytes[Int(index)] }
    }

    /// The type these bytes name (a record's `type`, escapes already ruled out).
    public static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> Named? {
        var slot = fingerprint(bytes) & (slots.count - 1)
        while true {
            let k = slots[slot]
            guard k >= 0 else { return nil }
            let candidate = allNamed[Int(k)]
            var name = candidate.type.rawValue
            if name.utf8.count == bytes.count, name.withUTF8({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                return candidate
            }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    public static func named(_ name: String) -> Named? {
        var name = name
        return name.withUTF8 { named($0) }
    }

    /// Mixes a name's length with its first and last eight bytes (fewer for a short name): enough
    /// to tell the catalogue's names apart in most slots; a match is always checked byte by byte.
    private static func fingerprint(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var h = UInt64(b.count) &* 0x9E37_79B9_7F4A_7C15
        if b.count >= 8 {
            let raw = UnsafeRawPointer(b.baseAddress!)
            h ^= raw.loadUnaligned(as: UInt64.self) &* 0xC2B2_AE3D_27D4_EB4F
            h ^= raw.loadUnaligned(fromByteOffset: b.count - 8, as: UInt64.self) &* 0x1656_67B1_9E37_79F9
        } else {
            for byte in b { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        return Int(truncatingIfNeeded: (h ^ (h >> 31)) >> 7)
    }

    private static let allNamed: [Named] = allCases.enumerated().map { k, t in
        Named(type: t, index: Int16(k), upcastsFirstVersion: Upcaster.upcastsFirstVersion(of: t.rawValue))
    }

    private static let unreadKeyBytes: [[[UInt8]]] = allCases.map { $0.info.unreadKeys.map { Array($0.utf8) } }

    /// An open-addressed table of `allNamed`'s places, four slots per type, -1 where empty.
    private static let slots: [Int16] = {
        var size = 1
        while size < 4 * allCases.count { size *= 2 }
        var table = [Int16](repeating: -1, count: size)
        for (k, t) in allCases.enumerated() {
            var name = t.rawValue
            var slot = name.withUTF8 { fingerprint($0) } & (size - 1)
            while table[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            table[slot] = Int16(k)
        }
        return table
    }()
}
