/// A closed list of choices with a stable code (stored in events) and labels in both languages.
public protocol Vocabulary: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String {
    var zh: String { get }
    var en: String { get }
}

extension Vocabulary {
    /// Accepts the code, the Chinese or the English label.
    public init?(text: String) {
        let t = text.trimmingSpaces
        guard let found = Self.allCases.first(where: { $0.rawValue == t || $0.zh == t || $0.en.lowercased() == t.lowercased() })
        else { return nil }
        self = found
    }
    public func label(chinese: Bool) -> String { chinese ? zh : en }
    public static var choicesText: String { allCases.map { "\($0.rawValue)/\($0.zh)" }.joined(separator: ", ") }
}

extension StringProtocol {
    public var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// Every closed list, for code ↔ label lookups that do not know which list a code is from.
public enum Vocabularies {
    public static let all: [any Vocabulary.Type] = [Sex.self, VisitTier.self, VisitMode.self, SiteTier.self, Role.self, CaseSource.self,
                                                    ClosureType.self, CaseFlag.self, ServiceType.self, ContactMode.self, GroupKind.self,
                                                    Attendance.self, ObjectiveStatus.self, YesNo.self,
                                                    ProjectStage.self, ApplicantKind.self, FundingSource.self, ProjectField.self,
                                                    FundKind.self, EntryKind.self, ProjectGrade.self, OrgKind.self, IncubationStage.self,
                                                    SupportKind.self, TalentKind.self, CertLevel.self, TrainingProgramme.self,
                                                    SupervisionForm.self, WishStage.self, WishSource.self, ClaimantKind.self]

    /// The code a text names (a code, or a label in either language) among `options`.
    public static func code(for text: String, among options: [String]) -> String? {
        if options.contains(text) { return text }
        for v in all { if let c = code(of: v, text), options.contains(c) { return c } }
        return nil
    }

    /// The label of a code, in the first list that has it.
    public static func label(of code: String, chinese: Bool) -> String {
        for v in all { if let l = label(of: v, code, chinese) { return l } }
        return code
    }

    static func code<V: Vocabulary>(of type: V.Type, _ text: String) -> String? { V(text: text)?.rawValue }
    static func label<V: Vocabulary>(of type: V.Type, _ code: String, _ chinese: Bool) -> String? { V(rawValue: code)?.label(chinese: chinese) }
}

public enum SiteTier: String, Vocabulary {
    case district, street, community
    public var zh: String { switch self { case .district: "区级社会工作指导中心"; case .street: "街道社工站"; case .community: "社区社工室" } }
    public var en: String { switch self { case .district: "district centre"; case .street: "street station"; case .community: "community room" } }
}

public enum Role: String, Vocabulary {
    case worker, supervisor, admin, coordinator, district
    public var zh: String {
        switch self { case .worker: "社工"; case .supervisor: "督导"; case .admin: "站长"; case .coordinator: "志愿者协调员"; case .district: "区级用户" }
    }
    public var en: String {
        switch self { case .worker: "worker"; case .supervisor: "supervisor"; case .admin: "station admin"; case .coordinator: "volunteer coordinator"; case .district: "district user" }
    }
}

public enum Sex: String, Vocabulary {
    case male, female
    public var zh: String { self == .male ? "男" : "女" }
    public var en: String { self == .male ? "male" : "female" }
}

/// Visit-frequency tier from the elderly-visit guidance.
public enum VisitTier: String, Vocabulary {
    case high, priority, general
    public var zh: String { switch self { case .high: "高风险"; case .priority: "重点"; case .general: "一般" } }
    public var en: String { switch self { case .high: "high risk"; case .priority: "priority"; case .general: "general" } }
    /// The next visit is due this long after the last one.
    public func nextDue(after day: Day) -> Day {
        switch self {
        case .high: return day.adding(days: 7)
        case .priority: return day.adding(months: 1)
        case .general: return day.adding(months: 3)
        }
    }
    public var inScheme: Bool { self != .general }
}

/// For each tier, the latest last visit (or registration) after which a visit is due by a day.
/// `nextDue(after:)` never goes back as its day goes on (a month from the 31st is the month's
/// last day), so "due by the day" is exactly "last seen on or before the tier's cutoff".
public struct VisitsDue: Sendable {
    private let high: Day, priority: Day, general: Day

    public init(by day: Day) {
        func cutoff(_ tier: VisitTier) -> Day {
            // Due after the lowest (no tier waits 100 days), not after the highest (a wait is never nothing).
            var (due, notDue) = (day.number - 100, day.number)
            while notDue - due > 1 {
                let middle = due + (notDue - due) / 2
                if tier.nextDue(after: Day(number: middle)) <= day { due = middle } else { notDue = middle }
            }
            return Day(number: due)
        }
        (high, priority, general) = (cutoff(.high), cutoff(.priority), cutoff(.general))
    }

    @inline(__always)
    public func includes(tier: VisitTier, since last: Day) -> Bool {
        switch tier {
        case .high: last <= high
        case .priority: last <= priority
        case .general: last <= general
        }
    }
}

public enum VisitMode: String, Vocabulary {
    case home, phone, station, paired
    public var zh: String { switch self { case .home: "上门"; case .phone: "电话视频"; case .station: "到站"; case .paired: "志愿者结对" } }
    public var en: String { switch self { case .home: "home"; case .phone: "phone/video"; case .station: "at station"; case .paired: "paired volunteer" } }
}

public enum CaseStage: String, Vocabulary {
    case intake, assessment, plan, intervention, evaluation, closing, closed
    public var zh: String {
        switch self {
        case .intake: "接案"; case .assessment: "预估"; case .plan: "计划"; case .intervention: "介入"
        case .evaluation: "评估"; case .closing: "待批结案"; case .closed: "已结案"
        }
    }
    public var en: String {
        switch self {
        case .intake: "intake"; case .assessment: "assessment"; case .plan: "plan"; case .intervention: "intervention"
        case .evaluation: "evaluation"; case .closing: "closure pending"; case .closed: "closed"
        }
    }
}

public enum CaseSource: String, Vocabulary {
    case selfReferred = "self", referral, outreach
    public var zh: String { switch self { case .selfReferred: "主动求助"; case .referral: "转介"; case .outreach: "外展" } }
    public var en: String { switch self { case .selfReferred: "self"; case .referral: "referral"; case .outreach: "outreach" } }
}

public enum ClosureType: String, Vocabulary {
    case goalsMet = "goals-met", withdrew, unachievable, moved, lostContact = "lost-contact", died, workerLeft = "worker-left"
    public var zh: String {
        switch self {
        case .goalsMet: "目标实现"; case .withdrew: "不愿继续"; case .unachievable: "无法实现(转介)"; case .moved: "迁居"
        case .lostContact: "失联"; case .died: "死亡"; case .workerLeft: "社工离职"
        }
    }
    public var en: String {
        switch self {
        case .goalsMet: "goals met"; case .withdrew: "client withdrew"; case .unachievable: "cannot be achieved"; case .moved: "moved"
        case .lostContact: "lost contact"; case .died: "died"; case .workerLeft: "worker left"
        }
    }
}

/// Case flags that restrict who may see a case at all.
public enum CaseFlag: String, Vocabulary {
    case child, corrections, rehab
    public var zh: String { switch self { case .child: "未成年人"; case .corrections: "社区矫正"; case .rehab: "社区戒毒/康复" } }
    public var en: String { switch self { case .child: "child"; case .corrections: "community correction"; case .rehab: "drug rehabilitation" } }
}

public enum ServiceType: String, Vocabulary {
    case resources, counselling, care, capacity, livelihood, relationship, integration, aid, mediation, behaviour, health, advocacy
    public var zh: String {
        switch self {
        case .resources: "资源链接"; case .counselling: "心理疏导"; case .care: "人文关怀"; case .capacity: "能力提升"
        case .livelihood: "生计发展"; case .relationship: "关系调适"; case .integration: "社会融入"; case .aid: "困难救助"
        case .mediation: "矛盾调处"; case .behaviour: "行为矫治"; case .health: "健康管理"; case .advocacy: "宣传倡导"
        }
    }
    public var en: String {
        switch self {
        case .resources: "resource linking"; case .counselling: "counselling"; case .care: "humanistic care"
        case .capacity: "capacity building"; case .livelihood: "livelihood"; case .relationship: "relationship adjustment"
        case .integration: "social integration"; case .aid: "hardship aid"; case .mediation: "mediation"
        case .behaviour: "behaviour correction"; case .health: "health management"; case .advocacy: "advocacy"
        }
    }
}

public enum ContactMode: String, Vocabulary {
    case meeting, home, phone
    public var zh: String { switch self { case .meeting: "面谈"; case .home: "入户"; case .phone: "电话" } }
    public var en: String { switch self { case .meeting: "meeting"; case .home: "home visit"; case .phone: "phone" } }
}

public enum GroupKind: String, Vocabulary {
    case education, growth, support, therapy
    public var zh: String { switch self { case .education: "教育"; case .growth: "成长"; case .support: "支持"; case .therapy: "治疗" } }
    public var en: String { rawValue }
}

public enum Attendance: String, Vocabulary {
    case present, absent, leave
    public var zh: String { switch self { case .present: "出席"; case .absent: "缺席"; case .leave: "请假" } }
    public var en: String { switch self { case .present: "present"; case .absent: "absent"; case .leave: "on leave" } }
}

public enum ObjectiveStatus: String, Vocabulary {
    case open, met, partial, unmet
    public var zh: String { switch self { case .open: "进行中"; case .met: "已达成"; case .partial: "部分达成"; case .unmet: "未达成" } }
    public var en: String { switch self { case .open: "open"; case .met: "met"; case .partial: "partly met"; case .unmet: "not met" } }
}

/// Categories of people served, from domain.md. Stored as their Chinese names.
public enum PersonCategories {
    public static let all: [String] = [
        "低保", "低保边缘", "低收入", "特困供养", "临时救助",
        "独居", "空巢", "留守", "高龄", "失能", "半失能", "计划生育特殊家庭",
        "困境儿童", "农村留守儿童", "孤儿", "事实无人抚养儿童",
        "视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾",
        "社区矫正对象", "社区戒毒", "社区康复",
    ]
    /// Categories whose mere presence is sensitive (health, disability, justice).
    public static let sensitive: Set<String> = [
        "失能", "半失能", "视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾",
        "社区矫正对象", "社区戒毒", "社区康复",
    ]
}

public enum Needs {
    public static let all = ["生活照料", "康复护理", "精神慰藉", "适老化改造", "医疗", "经济援助", "法律援助", "就业"]
}

/// Yes or no, for the form fields that ask it (满意, 自愿 …): picked like any fixed value. The
/// event stores a JSON boolean, as it always has.
public enum YesNo: String, Vocabulary {
    case yes, no
    public var zh: String { self == .yes ? "是" : "否" }
    public var en: String { rawValue }
}
