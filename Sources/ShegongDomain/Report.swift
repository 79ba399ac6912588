/// The figures a station reports upward (统计), for a period and a site rolled up over the sites
/// below it. Every figure's definition is in `Report.definitions` and printed with it.
public struct Report: Sendable, Equatable {
    public var from: Day
    public var to: Day
    public var site: String?
    public var figures: [(key: String, value: Double)]
    /// With `drillDown`, the records behind each figure: `weight` is what each adds to it (a
    /// visit 1, an activity its head count, an hours record its hours), so the items of a figure
    /// add up to the figure (the rate lists the people it is a share of, visited ones weighing 1).
    public var items: [String: [ReportItem]] = [:]

    public static func == (a: Report, b: Report) -> Bool {
        // Figures only: a report with its drill-down equals the same report without.
        a.from == b.from && a.to == b.to && a.site == b.site
            && a.figures.map(\.key) == b.figures.map(\.key) && a.figures.map(\.value) == b.figures.map(\.value)
    }

    public subscript(key: String) -> Double { figures.first { $0.key == key }?.value ?? 0 }

    /// Key, Chinese label, English label, definition (Chinese), definition (English).
    /// The figures as CSV, as the CLI prints and the console exports them. The file says what it
    /// is: the site and the period first, then each figure with its definition (口径). With
    /// `byteOrderMark`, spreadsheet programs that guess the encoding read the Chinese right.
    public static func csv(_ report: Report, siteName: String, chinese: Bool, byteOrderMark: Bool = false) -> String {
        (byteOrderMark ? "\u{FEFF}" : "")
            + SafeText.csvLine([chinese ? "站点" : "site", siteName])
            + SafeText.csvLine([chinese ? "期间" : "period", report.from.iso, report.to.iso])
            + SafeText.csvLine(chinese ? ["代码", "指标", "数值", "口径"] : ["key", "label", "value", "definition"])
            + report.shownDefinitions.map { SafeText.csvLine([$0.key, chinese ? $0.zh : $0.en, report.formatted($0.key), chinese ? $0.defZh : $0.defEn]) }.joined()
    }

    /// A file name that says what the export holds: kind, site and period (统计-弹子石街道社工站-2026-10.csv).
    public static func fileName(siteName: String, from: Day, to: Day, chinese: Bool) -> String {
        let period = from.firstOfMonth == to.firstOfMonth ? String(from.iso.prefix(7)) : "\(from.iso)_\(to.iso)"
        let site = String(siteName.unicodeScalars.filter { $0.value >= 0x20 && !"/\\:*?\"<>|".unicodeScalars.contains($0) })
        return "\(chinese ? "统计" : "report")-\(site)-\(period).csv"
    }

    /// A figure's key, its labels and its definition (口径) in both languages.
    public typealias Definition = (key: String, zh: String, en: String, defZh: String, defEn: String)

    public static let definitions: [Definition] = [
        ("people_served_case", "个案服务人数", "people given case service",
         "期内有个案服务记录或新接案的不同服务对象数(人)", "distinct people with a case service record or a case opened in the period"),
        ("service_person_times", "服务人次", "service person-times",
         "走访、个案服务、小组出席、社区活动参与人数之和(人次)", "visits + case service records + group attendances + activity participants"),
        ("household_visits", "入户走访户次", "household visits",
         "期内上门(入户)走访的(户,日期)不同组合数(户次);电话、到站、结对探访计入服务人次,不计入户", "distinct (household, date) pairs among home visits in the period; phone, at-station and paired visits count as person-times only"),
        ("cases_new", "新接个案", "new cases", "期内接案数", "cases opened in the period"),
        ("cases_closed", "结案个案", "closed cases", "期内经督导批准结案数", "closures approved in the period"),
        ("cases_open", "在案个案", "open cases", "期末未结案个案数", "cases opened by the end of the period and not closed by then"),
        ("contacts", "个案服务次数", "case contacts", "期内个案服务记录数", "case service records in the period"),
        ("groups", "开展小组", "groups", "期内有活动节次的小组数", "groups with a session in the period"),
        ("group_sessions", "小组节数", "group sessions", "期内小组节次数(节)", "group sessions held in the period"),
        ("group_attendances", "小组出席人次", "group attendances", "期内节次中标记出席的人次", "members marked present at sessions in the period"),
        ("activities", "社区活动", "community activities", "期内社区活动场次", "community activities held in the period"),
        ("activity_participants", "活动参与人次", "activity participants", "期内社区活动参与人数之和", "sum of head counts of those activities"),
        ("volunteers_registered", "注册志愿者", "registered volunteers", "期末已登记志愿者数", "volunteers registered by the end of the period"),
        ("volunteers_active", "活跃志愿者", "active volunteers", "期内有服务时长记录的志愿者数", "volunteers with service hours in the period"),
        ("volunteers_backbone", "骨干志愿者", "backbone volunteers", "期末骨干志愿者数", "backbone volunteers registered by the end of the period"),
        ("volunteer_hours", "志愿服务时长", "volunteer hours", "期内服务时长之和(含更正,不含路程)", "certified hours in the period, after corrections"),
        ("visit_rate", "月度探访率", "monthly visit rate",
         "高风险/重点对象中,期末所在月已探访的比例", "share of high-risk and priority people visited in the period's last month"),
        ("overdue_people", "逾期未访人数", "overdue people",
         "期末时按探访等级已逾期未访的对象数", "people whose next visit by their tier was due before the period's end"),
    ]

    /// Figures computed elsewhere (the district's database), in `definitions` order.
    public init(from: Day, to: Day, site: String?, figures: [(key: String, value: Double)]) {
        self.from = from; self.to = to; self.site = site; self.figures = figures
    }

    public init(state s: State, from: Day, to: Day, site: String? = nil, drillDown: Bool = false) {
        var items: [String: [ReportItem]] = [:]
        func add(_ key: String, _ subject: String, _ day: Day?, _ weight: Double = 1) {
            if drillDown { items[key, default: []].append(ReportItem(subject: subject, day: day, weight: weight)) }
        }
        self.from = from
        self.to = to
        self.site = site
        let sites: Set<String>? = site.map { s.siteAndDescendants($0) }
        func inSite(_ id: String) -> Bool { sites?.contains(id) ?? true }
        let period = from...to
        let personIn: [Bool] = s.people.map { inSite($0.community) }

        var personTimes = 0
        var households = Set<String>()
        var visitedLastMonth = Set<Int32>()
        let lastMonthStart = max(from, to.firstOfMonth)
        for v in s.visits where period.contains(v.day) && v.person >= 0 && personIn[Int(v.person)] {
            personTimes += 1
            add("service_person_times", v.id, v.day)
            if v.mode == .home, households.insert("\(s.people[Int(v.person)].household)|\(v.day.number)").inserted {
                add("household_visits", v.id, v.day)
            }
            if v.day >= lastMonthStart { visitedLastMonth.insert(v.person) }
        }

        var served = Set<Int32>()
        var casesNew = 0, casesClosed = 0, casesOpen = 0, contacts = 0
        for c in s.cases where inSite(c.site) {
            if period.contains(c.openedOn) {
                casesNew += 1
                add("cases_new", c.id, c.openedOn)
                if served.insert(c.person).inserted { add("people_served_case", s.people[Int(c.person)].id, c.openedOn) }
            }
            if let closed = c.closedOn, period.contains(closed) { casesClosed += 1; add("cases_closed", c.id, closed) }
            if c.openedOn <= to && (c.closedOn.map { $0 > to } ?? true) { casesOpen += 1; add("cases_open", c.id, c.openedOn) }
            let days = c.contactDays.filter { period.contains($0) }
            if let first = days.first, served.insert(c.person).inserted { add("people_served_case", s.people[Int(c.person)].id, first) }
            for d in days { add("contacts", c.id, d); add("service_person_times", c.id, d) }
            contacts += days.count
        }
        personTimes += contacts

        var groups = 0, sessions = 0, attendances = 0
        for g in s.groups where inSite(g.site) {
            let held = g.sessions.filter { period.contains($0.day) }
            if !held.isEmpty { groups += 1; add("groups", g.id, held.last?.day) }
            sessions += held.count
            attendances += held.reduce(0) { $0 + $1.present }
            for session in held {
                add("group_sessions", g.id, session.day)
                add("group_attendances", g.id, session.day, Double(session.present))
                add("service_person_times", g.id, session.day, Double(session.present))
            }
        }
        personTimes += attendances

        var activities = 0, participants = 0
        for a in s.activities where inSite(a.site) && period.contains(a.day) {
            activities += 1
            participants += a.headcount
            add("activities", a.id, a.day)
            add("activity_participants", a.id, a.day, Double(a.headcount))
            add("service_person_times", a.id, a.day, Double(a.headcount))
        }
        personTimes += participants

        var registered = 0, backbone = 0
        var volunteerIn = [Bool](repeating: false, count: s.volunteers.count)
        for (i, v) in s.volunteers.enumerated() where inSite(v.site) && v.registeredOn <= to {
            volunteerIn[i] = true
            registered += 1
            add("volunteers_registered", v.id, v.registeredOn)
            if v.backbone { backbone += 1; add("volunteers_backbone", v.id, v.registeredOn) }
        }
        var active = Set<Int32>()
        var hours = 0.0
        for h in s.hours where period.contains(h.day) && volunteerIn[Int(h.volunteer)] {
            if active.insert(h.volunteer).inserted { add("volunteers_active", s.volunteers[Int(h.volunteer)].id, h.day) }
            hours += h.hours
            add("volunteer_hours", h.id, h.day, h.hours)
        }

        // Each person's last visit on or before the period's end, in one pass over the visits.
        var lastBy = [Day?](repeating: nil, count: s.people.count)
        for v in s.visits where v.person >= 0 && v.day <= to {
            let i = Int(v.person)
            if lastBy[i].map({ $0 < v.day }) ?? true { lastBy[i] = v.day }
        }
        var scheme = 0, visited = 0, overdue = 0
        for (i, p) in s.people.enumerated() where personIn[i] && p.registeredOn <= to {
            if p.tier.inScheme {
                scheme += 1
                let wasVisited = visitedLastMonth.contains(Int32(i))
                if wasVisited { visited += 1 }
                add("visit_rate", p.id, lastBy[i], wasVisited ? 1 : 0)
            }
            let due = p.tier.nextDue(after: lastBy[i] ?? p.registeredOn)
            if due < to { overdue += 1; add("overdue_people", p.id, due) }
        }

        let hubFigures = HubReport.figures(s, from: from, to: to, inSite: inSite) { key, subject, day, weight in add(key, subject, day, weight) }
        figures = [
            ("people_served_case", Double(served.count)), ("service_person_times", Double(personTimes)),
            ("household_visits", Double(households.count)), ("cases_new", Double(casesNew)),
            ("cases_closed", Double(casesClosed)), ("cases_open", Double(casesOpen)), ("contacts", Double(contacts)),
            ("groups", Double(groups)), ("group_sessions", Double(sessions)), ("group_attendances", Double(attendances)),
            ("activities", Double(activities)), ("activity_participants", Double(participants)),
            ("volunteers_registered", Double(registered)), ("volunteers_active", Double(active.count)),
            ("volunteers_backbone", Double(backbone)), ("volunteer_hours", (hours * 100).rounded() / 100),
            ("visit_rate", scheme == 0 ? 0 : (Double(visited) / Double(scheme) * 1000).rounded() / 1000),
            ("overdue_people", Double(overdue)),
        ] + hubFigures
        self.items = items
    }

    /// Every figure a station reports: its own direct services, then the hub's (`HubReport`).
    /// A district adds up `definitions` only.
    public static let allDefinitions = definitions + HubReport.definitions

    /// The definitions of the figures this report holds, in order.
    public var shownDefinitions: [Definition] {
        let keys = Set(figures.map(\.key))
        return Self.allDefinitions.filter { keys.contains($0.key) }
    }

    public func formatted(_ key: String) -> String {
        let v = self[key]
        if HubReport.moneyKeys.contains(key) { return Money(wan: v).wan }
        if key == "visit_rate" { return "\((v * 1000).rounded() / 10)%" }
        return v == v.rounded() ? String(Int(v)) : formatHours(v)
    }

    public var json: JSON {
        var fields = [JSONField("from", .string(from.iso)), JSONField("to", .string(to.iso))]
        if let site { fields.append(JSONField("site", .string(site))) }
        for (key, value) in figures {
            fields.append(JSONField(key, ["visit_rate", "volunteer_hours", "supervision_hours"].contains(key) || HubReport.moneyKeys.contains(key) ? .double(value) : .int(Int(value))))
        }
        return .object(fields)
    }
}

/// One record behind a report figure: its id, the day it counts on, and what it adds.
public struct ReportItem: Sendable, Equatable {
    public var subject: String
    public var day: Day?
    public var weight: Double
}

/// What a district knows of one station: how far it has shipped, and its own figures.
public struct StationStatus: Sendable {
    public var origin: String
    public var station: String
    public var shippedRecords: Int
    /// When it last shipped, and when its newest shipped record was written.
    public var shippedAt: Timestamp?
    public var newestRecord: Timestamp?
    public var report: Report

    public init(origin: String, station: String, shippedRecords: Int, shippedAt: Timestamp?, newestRecord: Timestamp?, report: Report) {
        self.origin = origin; self.station = station; self.shippedRecords = shippedRecords
        self.shippedAt = shippedAt; self.newestRecord = newestRecord; self.report = report
    }

    /// A station that has not shipped for over a day is late: its figures may be missing records.
    public static let lateAfterSeconds: Int64 = 24 * 3600
    public func isLate(now: Timestamp) -> Bool { shippedAt.map { now.seconds - $0.seconds > Self.lateAfterSeconds } ?? true }

    /// "3 天前" / "3 days ago", or never.
    public func shippedAgo(now: Timestamp, chinese: Bool) -> String {
        guard let at = shippedAt else { return chinese ? "从未" : "never" }
        let seconds = max(0, now.seconds - at.seconds)
        if seconds < 3600 { return chinese ? "\(seconds / 60) 分钟前" : "\(seconds / 60) min ago" }
        if seconds < 86400 { return chinese ? "\(seconds / 3600) 小时前" : "\(seconds / 3600) h ago" }
        return chinese ? "\(seconds / 86400) 天前" : "\(seconds / 86400) days ago"
    }
}
