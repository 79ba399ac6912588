/// One table of every record a person can create or change. The CLI's `add <kind> --field value`
/// and the console's forms are both driven by it, so they accept and refuse the same things.

public enum FieldKind: Sendable, Equatable {
    case text, longText, date, number, hours, bool, idNumber, phone
    case clock                     // a time of day, HH:MM
    case choice([String])          // one code from the list
    case choices([String])         // several codes, comma-separated
    case list                      // free items, comma-separated
    case person, caseRef, group, volunteer, staff, site, hoursRecord
    case attendance                // P-1:present,P-2:leave
    case money                     // yuan, stored as whole fen
    case fund, project, ledgerEntry
    case organisation, wish
    /// Someone in the talent pool, by id, staff account or name; `talents`: several, comma-separated.
    case talent, talents
}

public struct FieldSpec: Sendable {
    public var key: String
    public var zh: String
    public var en: String
    public var kind: FieldKind
    public var required: Bool

    public init(_ key: String, _ zh: String, _ en: String, _ kind: FieldKind = .text, required: Bool = false) {
        self.key = key; self.zh = zh; self.en = en; self.kind = kind; self.required = required
    }
    public func label(chinese: Bool) -> String { chinese ? zh : en }

    /// The most characters a value may have: a paragraph for long text, a line for the rest.
    public var maxLength: Int { kind == .longText ? FieldSpec.longTextLimit : FieldSpec.lineLimit }
    public static let longTextLimit = 4000
    public static let lineLimit = 200
}

public enum SubjectRule: Sendable, Equatable {
    /// Creates a record; its id is the prefix and the next number, assigned under the log lock.
    case new(prefix: String)
    /// Changes a record of the given reference kind named by the `id` field.
    case existing(FieldKind)
}

public struct FormSpec: Sendable {
    public var name: String
    public var zh: String
    public var en: String
    public var eventType: String
    public var subject: SubjectRule
    public var fields: [FieldSpec]
    /// Edits that replace fields carry the version they were based on.
    public var versioned: Bool

    public func label(chinese: Bool) -> String { chinese ? zh : en }
}

func codes<V: Vocabulary>(_ v: V.Type) -> [String] { V.allCases.map(\.rawValue) }

public enum Forms {
    static let personFields: [FieldSpec] = [
        FieldSpec("name", "姓名", "name", required: true),
        FieldSpec("sex", "性别", "sex", .choice(codes(Sex.self))),
        FieldSpec("birth", "出生日期", "birth date", .date),
        FieldSpec("idno", "身份证号", "ID number", .idNumber),
        FieldSpec("phone", "电话", "phone", .phone),
        FieldSpec("address", "住址", "address"),
        FieldSpec("community", "所属社区", "community", .site, required: true),
        FieldSpec("household", "户", "household"),
        FieldSpec("categories", "类别", "categories", .choices(PersonCategories.all)),
        FieldSpec("tier", "探访等级", "visit tier", .choice(codes(VisitTier.self))),
        FieldSpec("worker", "责任社工", "worker", .staff),
    ]
    static let visitFields: [FieldSpec] = [
        FieldSpec("person", "服务对象", "person", .person, required: true),
        FieldSpec("date", "日期", "date", .date, required: true),
        FieldSpec("time", "时间", "time", .clock),
        FieldSpec("mode", "方式", "mode", .choice(codes(VisitMode.self)), required: true),
        FieldSpec("visitors", "同行人员", "companions", .list),
        FieldSpec("case", "关联个案", "case", .caseRef),
        FieldSpec("health", "健康状况", "health", .longText),
        FieldSpec("finance", "经济状况", "finances", .longText),
        FieldSpec("family", "家庭支持", "family support", .longText),
        FieldSpec("safety", "居家安全", "safety", .longText),
        FieldSpec("needs", "需求", "needs", .choices(Needs.all)),
        FieldSpec("events", "重大变故", "major events", .longText),
        FieldSpec("referral", "转介", "referral"),
        FieldSpec("followup", "跟进日期", "follow-up", .date),
        FieldSpec("note", "备注", "note", .longText),
    ]
    static let volunteerFields: [FieldSpec] = [
        FieldSpec("name", "姓名", "name", required: true),
        FieldSpec("sex", "性别", "sex", .choice(codes(Sex.self))),
        FieldSpec("birth", "出生日期", "birth date", .date),
        FieldSpec("idno", "身份证号", "ID number", .idNumber),
        FieldSpec("phone", "电话", "phone", .phone),
        FieldSpec("skills", "技能", "skills", .list),
        FieldSpec("availability", "可服务时间", "availability"),
        FieldSpec("team", "队伍", "team"),
        FieldSpec("site", "所属站点", "site", .site, required: true),
        FieldSpec("backbone", "骨干", "backbone", .bool),
        FieldSpec("paired", "结对对象", "paired with", .list),
    ]
    static func id(_ kind: FieldKind, _ zh: String, _ en: String) -> FieldSpec { FieldSpec("id", zh, en, kind, required: true) }

    static let direct: [FormSpec] = [
        FormSpec(name: "site", zh: "站点", en: "site", eventType: "site.added", subject: .new(prefix: "S"), fields: [
            FieldSpec("name", "名称", "name", required: true),
            FieldSpec("tier", "层级", "tier", .choice(codes(SiteTier.self)), required: true),
            FieldSpec("parent", "上级站点", "parent site", .site),
        ], versioned: false),
        FormSpec(name: "staff", zh: "工作人员", en: "staff member", eventType: "staff.added", subject: .new(prefix: ""), fields: [
            FieldSpec("account", "系统账号", "OS account", required: true),
            FieldSpec("name", "姓名", "name", required: true),
            FieldSpec("role", "角色", "role", .choice(codes(Role.self)), required: true),
            FieldSpec("site", "站点", "site", .site, required: true),
            FieldSpec("supervisor", "督导", "supervisor", .staff),
        ], versioned: false),
        FormSpec(name: "person", zh: "服务对象", en: "person", eventType: "person.registered", subject: .new(prefix: "P"),
                 fields: personFields, versioned: false),
        FormSpec(name: "person-update", zh: "修改服务对象", en: "update person", eventType: "person.updated",
                 subject: .existing(.person), fields: [id(.person, "服务对象", "person")] + personFields.map { var f = $0; f.required = false; return f },
                 versioned: true),
        FormSpec(name: "consent", zh: "知情同意", en: "consent", eventType: "person.consent", subject: .existing(.person), fields: [
            id(.person, "服务对象", "person"),
            FieldSpec("scope", "同意事项", "scope", required: true),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("withdrawn", "撤回", "withdrawn", .bool),
        ], versioned: false),
        FormSpec(name: "visit", zh: "走访记录", en: "home visit", eventType: "visit.logged", subject: .new(prefix: "V"),
                 fields: visitFields, versioned: false),
        FormSpec(name: "visit-amend", zh: "修改走访", en: "amend visit", eventType: "visit.amended",
                 subject: .existing(.text), fields: [FieldSpec("id", "走访编号", "visit", required: true)] + visitFields, versioned: true),
        FormSpec(name: "case", zh: "个案接案", en: "case intake", eventType: "case.opened", subject: .new(prefix: "C"), fields: [
            FieldSpec("person", "服务对象", "person", .person, required: true),
            FieldSpec("date", "接案日期", "intake date", .date, required: true),
            FieldSpec("source", "来源", "source", .choice(codes(CaseSource.self)), required: true),
            FieldSpec("voluntary", "自愿", "voluntary", .bool),
            FieldSpec("problem", "主要问题", "presenting problem", .longText, required: true),
            FieldSpec("expectations", "期望", "expectations", .longText),
            FieldSpec("screening", "初步筛查", "screening", .longText),
            FieldSpec("worker", "负责社工", "worker", .staff),
            FieldSpec("flags", "特殊标记", "flags", .choices(codes(CaseFlag.self))),
        ], versioned: false),
        FormSpec(name: "assessment", zh: "预估", en: "assessment", eventType: "case.assessed", subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("summary", "预估摘要", "summary", .longText, required: true),
            FieldSpec("strengths", "优势", "strengths", .longText),
            FieldSpec("needs", "需求(按优先)", "needs in priority order", .list),
            FieldSpec("risk", "风险等级", "risk", .choice(codes(VisitTier.self))),
        ], versioned: true),
        FormSpec(name: "plan", zh: "服务计划", en: "service plan", eventType: "case.planned", subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("aim", "目的", "aim", .longText, required: true),
            FieldSpec("objectives", "具体目标", "objectives", .list, required: true),
            FieldSpec("strategy", "策略", "strategy", .longText),
            FieldSpec("agreement", "服务协议", "agreement", .bool),
        ], versioned: true),
        FormSpec(name: "objective", zh: "目标进展", en: "objective status", eventType: "case.objective", subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("objective", "目标编号", "objective", required: true),
            FieldSpec("status", "状态", "status", .choice(codes(ObjectiveStatus.self)), required: true),
        ], versioned: true),
        FormSpec(name: "service", zh: "服务记录", en: "service record", eventType: "case.service", subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("mode", "方式", "mode", .choice(codes(ContactMode.self)), required: true),
            FieldSpec("service", "服务类型", "service type", .choice(codes(ServiceType.self)), required: true),
            FieldSpec("content", "服务内容", "content", .longText, required: true),
            FieldSpec("minutes", "时长(分钟)", "minutes", .number),
            FieldSpec("participants", "参与者", "participants", .list),
            FieldSpec("next", "下一步", "next step", .longText),
        ], versioned: false),
        FormSpec(name: "evaluation", zh: "评估", en: "evaluation", eventType: "case.evaluated", subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("summary", "评估总结", "summary", .longText, required: true),
            FieldSpec("satisfaction", "满意", "satisfied", .bool),
        ], versioned: true),
        FormSpec(name: "closure-request", zh: "申请结案", en: "request closure", eventType: "case.closure_requested",
                 subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("type", "结案类型", "closure type", .choice(codes(ClosureType.self)), required: true),
            FieldSpec("summary", "结案摘要", "summary", .longText, required: true),
            FieldSpec("followup", "跟进计划", "follow-up plan", .longText),
        ], versioned: true),
        FormSpec(name: "approve", zh: "批准结案", en: "approve closure", eventType: "case.closure_approved", subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("comment", "意见", "comment", .longText),
        ], versioned: true),
        FormSpec(name: "reject", zh: "退回结案", en: "reject closure", eventType: "case.closure_rejected", subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("comment", "意见", "comment", .longText, required: true),
        ], versioned: true),
        FormSpec(name: "transfer", zh: "转移个案", en: "transfer case", eventType: "case.transferred", subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("to", "接收社工", "to worker", .staff, required: true),
            FieldSpec("reason", "原因", "reason", .longText, required: true),
        ], versioned: true),
        FormSpec(name: "referral", zh: "转介", en: "referral", eventType: "case.referred", subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("agency", "接收机构", "receiving agency", required: true),
            FieldSpec("reason", "原因", "reason", .longText, required: true),
        ], versioned: false),
        FormSpec(name: "supervision-note", zh: "督导记录", en: "supervision note", eventType: "case.supervision_note",
                 subject: .existing(.caseRef), fields: [
            id(.caseRef, "个案", "case"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("text", "内容", "note", .longText, required: true),
        ], versioned: false),
        FormSpec(name: "group", zh: "小组计划", en: "group plan", eventType: "group.planned", subject: .new(prefix: "G"), fields: [
            FieldSpec("name", "小组名称", "name", required: true),
            FieldSpec("kind", "类型", "kind", .choice(codes(GroupKind.self)), required: true),
            FieldSpec("site", "站点", "site", .site, required: true),
            FieldSpec("date", "开始日期", "start date", .date, required: true),
            FieldSpec("goals", "目标", "goals", .longText, required: true),
            FieldSpec("sessions", "节数", "sessions", .number, required: true),
            FieldSpec("venue", "地点", "venue"),
            FieldSpec("members", "组员", "members", .list),
            FieldSpec("worker", "工作员", "worker", .staff),
        ], versioned: false),
        FormSpec(name: "session", zh: "小组节次", en: "group session", eventType: "group.session", subject: .existing(.group), fields: [
            id(.group, "小组", "group"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("number", "节次", "session number", .number),
            FieldSpec("attendance", "出勤", "attendance", .attendance, required: true),
            FieldSpec("stage", "阶段", "stage"),
            FieldSpec("record", "过程记录", "record", .longText),
        ], versioned: false),
        FormSpec(name: "group-close", zh: "小组总结", en: "close group", eventType: "group.closed", subject: .existing(.group), fields: [
            id(.group, "小组", "group"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("report", "总结报告", "closing report", .longText, required: true),
        ], versioned: true),
        FormSpec(name: "activity", zh: "社区活动", en: "community activity", eventType: "activity.held", subject: .new(prefix: "A"), fields: [
            FieldSpec("name", "活动名称", "name", required: true),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("site", "站点", "site", .site, required: true),
            FieldSpec("venue", "地点", "venue"),
            FieldSpec("headcount", "参与人数", "head count", .number, required: true),
        ], versioned: false),
        FormSpec(name: "volunteer", zh: "志愿者登记", en: "volunteer", eventType: "volunteer.registered", subject: .new(prefix: "VOL"),
                 fields: volunteerFields, versioned: false),
        FormSpec(name: "hours", zh: "服务时长", en: "service hours", eventType: "volunteer.hours", subject: .new(prefix: "H"), fields: [
            FieldSpec("volunteer", "志愿者", "volunteer", .volunteer, required: true),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("hours", "时长(小时)", "hours", .hours, required: true),
            FieldSpec("activity", "活动", "activity", required: true),
            FieldSpec("content", "服务内容", "content", .longText),
            FieldSpec("served", "服务对象", "people served", .list),
        ], versioned: false),
        FormSpec(name: "hours-correct", zh: "更正时长", en: "correct hours", eventType: "volunteer.hours_corrected",
                 subject: .existing(.hoursRecord), fields: [
            id(.hoursRecord, "时长记录", "hours record"),
            FieldSpec("hours", "更正后时长", "corrected hours", .hours, required: true),
            FieldSpec("reason", "原因", "reason", required: true),
        ], versioned: false),
        FormSpec(name: "deposit", zh: "时间银行存入", en: "time-bank deposit", eventType: "timebank.deposit", subject: .existing(.volunteer), fields: [
            id(.volunteer, "志愿者", "volunteer"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("hours", "时长(小时)", "hours", .hours, required: true),
            FieldSpec("note", "说明", "note"),
        ], versioned: false),
        FormSpec(name: "withdraw", zh: "时间银行兑换", en: "time-bank withdrawal", eventType: "timebank.withdraw", subject: .existing(.volunteer), fields: [
            id(.volunteer, "志愿者", "volunteer"),
            FieldSpec("date", "日期", "date", .date, required: true),
            FieldSpec("hours", "时长(小时)", "hours", .hours, required: true),
            FieldSpec("note", "兑换服务", "service exchanged", required: true),
        ], versioned: false),
    ]

    public static func spec(_ name: String) -> FormSpec? { all.first { $0.name == name } }
    public static let all: [FormSpec] = direct + hub + community

    /// A field's label in the user's language, from the first form that has the field.
    public static func fieldLabel(_ key: String, chinese: Bool, preferring form: String? = nil) -> String {
        let forms = (form.flatMap(spec).map { [$0] } ?? []) + all
        for form in forms { if let f = form.fields.first(where: { $0.key == key }) { return chinese ? f.zh : f.en } }
        return key
    }

    /// The events a form's values make: one, or for hours logged for several volunteers at once
    /// (`VOL-1,VOL-2`), one per volunteer, each built against the state the ones before it leave.
    public static func buildAll(_ form: FormSpec, values: [String: String], state: State,
                                context: EventContext) throws(DomainError) -> [Event] {
        // The same change to several records (`ids`: marked in the console): one event each, each
        // against its record's version as it is now.
        if let ids = values["ids"] {
            var scratch = state
            var out: [Event] = []
            for id in ids.split(separator: ",").map(String.init) {
                var v = values
                v["ids"] = nil
                v["id"] = id
                v["base"] = nil
                let e = try build(form, values: v, state: scratch, context: context)
                scratch.apply(e, offset: 0)
                out.append(e)
            }
            return out
        }
        let many = form.name == "hours" ? listItems(values["volunteer"] ?? "") : []
        guard many.count > 1 else { return [try build(form, values: values, state: state, context: context)] }
        var scratch = state
        var out: [Event] = []
        for volunteer in many {
            var v = values
            v["volunteer"] = volunteer
            let e = try build(form, values: v, state: scratch, context: context)
            scratch.apply(e, offset: 0)
            out.append(e)
        }
        return out
    }

    /// Checks text values against the form and makes the event. Runs under the log lock, so new
    /// ids see every record other processes have written.
    public static func build(_ form: FormSpec, values rawValues: [String: String], state: State,
                             context: EventContext) throws(DomainError) -> Event {
        var values = rawValues.mapValues(\.trimmingSpaces)
        let known = Set(form.fields.map(\.key) + ["base"])
        if let stray = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalidValue(field: stray, value: values[stray] ?? "", expected: .fieldOf(form.fields.map(\.key)))
        }
        if form.fields.contains(where: { $0.key == "date" && $0.required }), (values["date"] ?? "").isEmpty {
            values["date"] = context.today.iso
        }
        var body = JSONObjectBuilder()
        for field in form.fields where field.key != "id" {
            let text = values[field.key] ?? ""
            if text.isEmpty {
                if field.required { throw .missingField(field.key) }
                continue
            }
            if text.count > field.maxLength {
                throw .invalidValue(field: field.key, value: String(text.prefix(20)) + "…", expected: .atMostCharacters(field.maxLength))
            }
            let value = try convert(text, field: field, state: state, today: context.today)
            // What happened happened by today (a follow-up or a plan may lie ahead).
            if ["date", "birth"].contains(field.key), let d = value.string.flatMap({ Day(iso: $0) }), d > context.today {
                throw .invalidValue(field: field.key, value: text, expected: .notAfter(context.today.iso))
            }
            body.put(field.key, json: value)
        }
        if let followUp = body.value("followup")?.string, let on = body.value("date")?.string, followUp < on {
            throw .invalidValue(field: "followup", value: followUp, expected: .notBefore(on))
        }
        try deriveFromIDNumber(&body)
        let subject: String
        var base: Int?
        switch form.subject {
        case .new(let prefix):
            subject = prefix.isEmpty ? (values["account"] ?? "") : nextID(prefix: prefix, state: state)
            if form.name == "staff", state.staff[subject] != nil { throw .invalidState(.alreadyExists(subject)) }
        case .existing(let kind):
            guard let given = values["id"], !given.isEmpty else { throw .missingField("id") }
            // A record named another way (a talent by staff account, a fund by name) is its id in the event.
            var id = given
            if kind != .text { id = try convert(given, field: FieldSpec("id", "", "", kind), state: state, today: context.today).string ?? given }
            else if state.visit(id) == nil { throw .unknown(kind: "visit", id: id) }
            subject = id
            if form.versioned {
                if let b = values["base"], !b.isEmpty {
                    guard let n = Int(b) else { throw .invalidValue(field: "base", value: b, expected: .version) }
                    base = n
                } else {
                    base = state.version(of: id)
                }
            }
        }
        if form.name == "case" {
            guard let p = values["person"].flatMap({ state.person($0) }) else { throw .unknown(kind: "person", id: values["person"] ?? "") }
            body.put("number", caseNumber(site: p.community, day: Day(iso: values["date"] ?? "") ?? context.today, state: state))
        }
        if form.name == "visit" || form.name == "visit-amend", values["worker"] == nil {
            body.put("worker", context.actor)
        }
        // Rules that need the whole state (versions, approvals, who may write) are checked by the
        // store under its lock, for this and every other writer: see `State.validate`.
        return context.event(form.eventType, subject: subject, base: base,
                             version: Upcaster.current[form.eventType] ?? 1, body: body.object)
    }

    /// Birth date and sex come from the ID number when it is given: filled in when left out,
    /// refused when they say otherwise. (An edit that leaves the ID number on file alone is
    /// checked by `State.validate`, after the policy, so no answer tells what is on file.)
    static func deriveFromIDNumber(_ body: inout JSONObjectBuilder) throws(DomainError) {
        guard let id = body.value("idno")?.string, let stated = ResidentID.parse(id) else { return }
        if let birth = body.value("birth")?.string {
            if birth != stated.birth.iso { throw .invalidValue(field: "birth", value: birth, expected: .matchesIDNumber(stated.birth.iso)) }
        } else {
            body.put("birth", stated.birth.iso)
        }
        if let sex = body.value("sex")?.string {
            if sex != stated.sex.rawValue { throw .invalidValue(field: "sex", value: sex, expected: .matchesIDNumber(stated.sex.rawValue)) }
        } else {
            body.put("sex", stated.sex.rawValue)
        }
    }

    static func nextID(prefix: String, state: State) -> String {
        let count: Int
        switch prefix {
        case "S": count = state.sites.count
        case "P": count = state.people.count
        case "V": count = state.visits.count
        case "C": count = state.cases.count
        case "G": count = state.groups.count
        case "A": count = state.activities.count
        case "VOL": count = state.volunteers.count
        case "H": count = state.hours.count
        case "F": count = state.hub.funds.count
        case "L": count = state.hub.ledgerEvents
        case "PJ": count = state.hub.projects.count
        case "O": count = state.hub.organisations.count
        case "T": count = state.hub.talents.count
        case "TR": count = state.hub.trainings.count
        case "W": count = state.hub.wishes.count
        default: count = state.eventCount
        }
        return "\(prefix)-\(count + 1)"
    }

    /// 弹子石-2026-0042: the site's short name, the year, and one more than the highest number
    /// with that prefix so far (a count would reuse numbers after transfers or imports).
    static func caseNumber(site: String, day: Day, state: State) -> String {
        let year = day.components.year
        let name = state.site(site)?.name ?? site
        let short = name.hasSuffix("社区") || name.hasSuffix("街道") ? String(name.dropLast(2)) : name
        let prefix = "\(short)-\(year)-"
        let highest = state.cases.reduce(0) { top, c in
            c.number.hasPrefix(prefix) ? max(top, Int(c.number.dropFirst(prefix.count)) ?? 0) : top
        }
        let digits = String(highest + 1)
        return "\(short)-\(year)-\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)"
    }

    /// What is wrong with one field's value, checked as the user leaves the field (the save checks
    /// the whole form again, under the log lock).
    public static func check(_ text: String, field: FieldSpec, state: State, today: Day) -> DomainError? {
        guard !text.isEmpty else { return nil }
        if text.count > field.maxLength { return .invalidValue(field: field.key, value: String(text.prefix(20)) + "…", expected: .atMostCharacters(field.maxLength)) }
        do { _ = try convert(text, field: field, state: state, today: today) } catch { return error }
        return nil
    }

    static func convert(_ text: String, field: FieldSpec, state: State, today: Day) throws(DomainError) -> JSON {
        func items() -> [String] { listItems(text) }
        switch field.kind {
        case .text, .longText:
            return .string(text)
        case .idNumber:
            guard ResidentID.parse(text) != nil else { throw .invalidValue(field: field.key, value: text, expected: .idNumber) }
            return .string(ResidentID.normalized(text))
        case .phone:
            guard let phone = PhoneNumber.normalized(text) else { throw .invalidValue(field: field.key, value: text, expected: .phone) }
            return .string(phone)
        case .clock:
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[1].count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else {
                throw .invalidValue(field: field.key, value: text, expected: .time)
            }
            return .string((h < 10 ? "0" : "") + "\(h):" + parts[1])
        case .date:
            guard let d = DateInput.parse(text, today: today) else {
                throw .invalidValue(field: field.key, value: text, expected: .date)
            }
            return .string(d.iso)
        case .number:
            guard let n = Int(text), n >= 0 else { throw .invalidValue(field: field.key, value: text, expected: .wholeNumber) }
            return .int(n)
        case .hours:
            guard let h = Double(text), h > 0, h <= 24 else {
                throw .invalidValue(field: field.key, value: text, expected: .hours)
            }
            return h == h.rounded() ? .int(Int(h)) : .double(h)
        case .bool:
            switch text.lowercased() {
            case "yes", "y", "true", "1", "是": return .bool(true)
            case "no", "n", "false", "0", "否": return .bool(false)
            default: throw .invalidValue(field: field.key, value: text, expected: .yesNo)
            }
        case .choice(let options):
            guard let code = matchChoice(text, options: options) else {
                throw .invalidValue(field: field.key, value: text, expected: .oneOf(options))
            }
            return .string(code)
        case .choices(let options):
            var out: [String] = []
            for item in items() {
                guard let code = matchChoice(item, options: options) else {
                    throw .invalidValue(field: field.key, value: item, expected: .itemsOf(options))
                }
                if !out.contains(code) { out.append(code) }
            }
            return .array(out.map(JSON.string))
        case .list:
            return .array(items().map(JSON.string))
        case .person:
            guard state.person(text) != nil else { throw .unknown(kind: "person", id: text) }
            return .string(text)
        case .caseRef:
            guard state.caseFile(text) != nil else { throw .unknown(kind: "case", id: text) }
            return .string(text)
        case .group:
            guard state.group(text) != nil else { throw .unknown(kind: "group", id: text) }
            return .string(text)
        case .volunteer:
            guard state.volunteer(text) != nil else { throw .unknown(kind: "volunteer", id: text) }
            return .string(text)
        case .hoursRecord:
            guard state.hoursPosition(text) != nil else { throw .unknown(kind: "hours record", id: text) }
            return .string(text)
        case .staff:
            guard state.staff[text] != nil else { throw .unknown(kind: "staff account", id: text) }
            return .string(text)
        case .site:
            if state.site(text) != nil { return .string(text) }
            if let s = state.sites.first(where: { $0.name == text }) { return .string(s.id) }
            throw .unknown(kind: "site", id: text)
        case .money:
            guard let m = Money(text: text) else { throw .invalidValue(field: field.key, value: text, expected: .money) }
            return .int(m.fen)
        case .fund:
            if state.hub.fund(text) != nil { return .string(text) }
            if let f = state.hub.funds.first(where: { $0.name == text }) { return .string(f.id) }
            throw .unknown(kind: "fund", id: text)
        case .project:
            guard state.hub.project(text) != nil else { throw .unknown(kind: "project", id: text) }
            return .string(text)
        case .ledgerEntry:
            guard !state.hub.sides(of: text).isEmpty else { throw .unknown(kind: "ledger entry", id: text) }
            return .string(text)
        case .organisation:
            if state.hub.organisation(text) != nil { return .string(text) }
            if let o = state.hub.organisations.first(where: { $0.name == text }) { return .string(o.id) }
            throw .unknown(kind: "organisation", id: text)
        case .wish:
            guard state.hub.wish(text) != nil else { throw .unknown(kind: "wish", id: text) }
            return .string(text)
        case .talent:
            return .string(try talentID(text, state: state))
        case .talents:
            var out: [String] = []
            for item in items() {
                let id = try talentID(item, state: state)
                if !out.contains(id) { out.append(id) }
            }
            return .array(out.map(JSON.string))
        case .attendance:
            var fields: [JSONField] = []
            for item in items() {
                let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, state.person(parts[0]) != nil,
                      let a = Attendance(text: parts[1]) else {
                    throw .invalidValue(field: field.key, value: item, expected: .attendance)
                }
                fields.append(JSONField(parts[0], .string(a.rawValue)))
            }
            return .object(fields)
        }
    }

    /// What separates the items of a list field: the ASCII comma, and the full-width comma and
    /// 顿号 a Chinese input method types.
    public static func isItemSeparator(_ c: Character) -> Bool { c == "," || c == "，" || c == "、" }

    /// A list field's items, trimmed, empty ones left out.
    public static func listItems(_ text: String) -> [String] {
        text.split(whereSeparator: isItemSeparator).map(\.trimmingSpaces).filter { !$0.isEmpty }
    }

    /// A talent named by id, staff account or name (a name two people share must be given by id).
    static func talentID(_ text: String, state: State) throws(DomainError) -> String {
        if state.hub.talent(text) != nil { return text }
        let matches = state.hub.talents.filter { $0.name == text || (!$0.account.isEmpty && $0.account == text) }
        // Two people of one name are told apart by their number, and the message gives both.
        if matches.count > 1 { throw .invalidValue(field: "talent", value: text, expected: .oneOf(matches.map(\.id))) }
        guard let only = matches.first else { throw .unknown(kind: "talent", id: text) }
        return only.id
    }

    static func matchChoice(_ text: String, options: [String]) -> String? {
        Vocabularies.code(for: text, among: options)
    }
}

/// The date forms a worker types: 2026-11-21, 11-21 (this year), 今天/today, 昨天/yesterday, 前天.
public enum DateInput {
    public static func parse(_ raw: String, today: Day) -> Day? {
        let text = raw.trimmingSpaces.lowercased()
        switch text {
        case "今天", "today", "t": return today
        case "昨天", "yesterday", "y": return today.adding(days: -1)
        case "前天": return today.adding(days: -2)
        case "明天", "tomorrow": return today.adding(days: 1)
        default: break
        }
        let normalized = text.replacingSlashes
        if let d = Day(iso: normalized) { return d }
        let parts = normalized.split(separator: "-")
        if parts.count == 2, let m = Int(parts[0]), let d = Int(parts[1]) {
            return Day(checkedYear: today.components.year, month: m, day: d)
        }
        return nil
    }
}

extension String {
    var replacingSlashes: String { String(map { $0 == "/" || $0 == "." ? "-" : $0 }) }
}
