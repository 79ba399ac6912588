/// Deterministic, realistic station life for demos, tests and benchmarks: a street station with
/// community rooms, workers and supervisors, people visited on their tier's schedule, cases that
/// move through the MZ/T 094 stages to an approved closure, groups with weekly sessions,
/// activities, volunteers logging hours and using the time bank.
public struct DemoGenerator {
    var rng: SplitMix64
    var day: Day
    let stationSite: String
    var communities: [(id: String, name: String)] = []
    var workers: [String] = []
    var supervisorOf: [String: String] = [:]
    var coordinator = ""
    var people: [(id: String, tier: VisitTier, worker: String, community: String)] = []
    var dueBuckets: [Int32: [Int]] = [:]
    var personInCase = Set<Int>()
    var openCases: [DemoCase] = []
    var groups: [DemoGroup] = []
    var volunteers: [String] = []
    var volunteerBalance: [Double] = []
    var counters: [String: Int] = [:]
    var targetPeople: Int
    var pending: [Event] = []
    var started = false
    var existingStaff: Set<String> = []
    /// Community rooms by name and staff sites from a store this demo filled before, so a second
    /// fill adds to the same station instead of a second copy of every room.
    var existingCommunities: [String: String] = [:]
    var staffSite: [String: String] = [:]
    /// The station admin who sets up the demo station's sites and staff.
    var admin = "admin"

    struct DemoCase {
        var id: String
        var person: Int
        var worker: String
        var next: Day
        var step: Int
        var services: Int
        var plannedServices: Int
    }

    struct DemoGroup {
        var id: String
        var members: [String]
        var sessionsLeft: Int
        var number: Int
        var next: Day
        var worker: String
    }

    /// `state` is the store the events go into (its sites and counts are continued, not clobbered).
    public init(seed: UInt64, totalEvents: Int, endingNear end: Day, state: State) {
        self.init(seed: seed, totalEvents: totalEvents, start: end.adding(days: -420), state: state)
        // Small stations are dominated by fixed costs (groups, activities), so the estimate is off;
        // a dry run finds where the events end and the start moves by whole weeks to land on `end`.
        if totalEvents <= 50_000 {
            // Whole weeks keep the weekday pattern; months do not shift with them, so the end moves
            // a little: probe again until the last event falls on or before `end`.
            var start = end.adding(days: -420)
            for _ in 0..<4 {
                var probe = GeneratorProbe(seed: seed, totalEvents: totalEvents, start: start, state: state)
                let diff = end - probe.lastDay()
                if diff >= 0 && diff < 7 { break }
                start = start.adding(days: diff >= 0 ? diff / 7 * 7 : -((-diff + 6) / 7 * 7))
            }
            self.init(seed: seed, totalEvents: totalEvents, start: start, state: state)
        }
    }

    init(seed: UInt64, totalEvents: Int, start: Day, state: State) {
        rng = SplitMix64(seed: seed)
        // Over 420 days a person brings about 20 events (registration, visits on the tier's
        // schedule, a share of cases, volunteer hours), so this population ends near `end`.
        targetPeople = max(30, totalEvents / 20)
        day = start
        existingStaff = Set(state.staff.keys)
        for staff in state.staff.values { staffSite[staff.account] = staff.site }
        for site in state.sites where site.tier == .community { existingCommunities[site.name] = site.id }
        admin = state.staff.values.filter { $0.role == .admin }.map(\.account).sorted().first ?? "admin"
        stationSite = state.sites.first { $0.tier == .street }?.id ?? state.sites.first?.id ?? "S-1"
        for (prefix, n) in [("S", state.sites.count), ("P", state.people.count), ("V", state.visits.count),
                            ("C", state.cases.count), ("G", state.groups.count), ("A", state.activities.count),
                            ("VOL", state.volunteers.count), ("H", state.hours.count)] {
            counters[prefix] = n
        }
    }

    /// The next `count` events, in order. Call repeatedly; the generator keeps its own model.
    public mutating func next(_ count: Int) -> [Event] {
        if !started { started = true; setUp() }
        while pending.count < count { simulateDay() }
        let out = Array(pending.prefix(count))
        pending.removeFirst(count)
        return out
    }

    /// Only the station and `count` registered people (for list and filter benchmarks).
    public mutating func people(_ count: Int) -> [Event] {
        if !started { started = true; setUp() }
        for _ in 0..<count { registerPerson() }
        defer { pending.removeAll() }
        return pending
    }

    mutating func newID(_ prefix: String) -> String {
        counters[prefix, default: 0] += 1
        return "\(prefix)-\(counters[prefix]!)"
    }

    mutating func emit(_ type: String, subject: String, actor: String, base: Int? = nil, version: Int = 1,
                       _ fields: [(String, JSON)]) {
        if type == "staff.added", existingStaff.contains(subject) { return }  // keep the roster the store already has
        let seconds = Int64(day.number) * 86400 + Int64(rng.int(1 * 3600...9 * 3600))  // 09:00–17:00 in UTC+8
        let id = EventID(unixMillis: UInt64(seconds) * 1000 + UInt64(rng.int(0...999)), random: (rng.next(), rng.next()))
        pending.append(Event(id: id, type: type, version: version, at: Timestamp(seconds: seconds), actor: actor,
                             subject: subject, base: base, body: .object(fields.map { JSONField($0.0, $0.1) })))
    }

    func s(_ text: String) -> JSON { .string(text) }

    mutating func setUp() {
        let names = ["彩云社区", "弹子石社区", "新力社区", "王家沱社区", "大佛段社区", "裕华社区", "泰昌社区", "海棠溪社区"]
        let communityCount = min(names.count, max(3, targetPeople / 400))
        for i in 0..<communityCount {
            if let id = existingCommunities[names[i]] { communities.append((id, names[i])); continue }
            let id = newID("S")
            communities.append((id, names[i]))
            emit("site.added", subject: id, actor: admin, [("name", s(names[i])), ("tier", s("community")), ("parent", s(stationSite))])
        }
        let supervisors = ["dudao.li", "dudao.wang"]
        for (i, account) in supervisors.enumerated() {
            emit("staff.added", subject: account, actor: admin, [("account", s(account)), ("name", s(["李督导", "王督导"][i])),
                                                                   ("role", s("supervisor")), ("site", s(stationSite))])
        }
        let workerCount = max(3, min(40, targetPeople / 120))
        for i in 0..<workerCount {
            let account = "sg\(String(format3(i + 1)))"
            let supervisor = supervisors[i % supervisors.count]
            workers.append(account)
            supervisorOf[account] = supervisor
            if staffSite[account] == nil { staffSite[account] = communities[i % communities.count].id }
            emit("staff.added", subject: account, actor: admin, [
                ("account", s(account)), ("name", s(DemoText.name(&rng))), ("role", s("worker")),
                ("site", s(communities[i % communities.count].id)), ("supervisor", s(supervisor))])
        }
        coordinator = "zyz.chen"
        emit("staff.added", subject: coordinator, actor: admin, [("account", s(coordinator)), ("name", s("陈协调")),
                                                                   ("role", s("coordinator")), ("site", s(stationSite))])
    }

    mutating func simulateDay() {
        day = day.adding(days: 1)
        let weekday = (Int(day.number) + 3) % 7  // 0 = Monday
        let workday = weekday < 5
        // Registrations are spread over the first weeks, then trickle in.
        let registrations = people.count < targetPeople ? max(1, targetPeople / 45) : (rng.chance(0.3) ? 1 : 0)
        for _ in 0..<registrations { registerPerson() }
        if volunteers.count < targetPeople / 8 {
            for _ in 0..<max(1, targetPeople / 8 / 60) { registerVolunteer() }
        }
        guard workday else { return }
        visitDue()
        caseWork()
        groupWork()
        volunteerWork()
    }

    mutating func registerPerson() {
        let id = newID("P")
        let workerIndex = (people.count + rng.int(0...1)) % workers.count
        // A worker serves the community room they sit in.
        let siteID = staffSite[workers[workerIndex]] ?? communities[workerIndex % communities.count].id
        let community = (id: siteID, name: communities.first { $0.id == siteID }?.name
                         ?? existingCommunities.first { $0.value == siteID }?.key ?? "社区")
        let roll = rng.double()
        let tier: VisitTier = roll < 0.12 ? .high : roll < 0.42 ? .priority : .general
        var categories: [String] = []
        let age: Int
        switch tier {
        case .high: categories = ["高龄", rng.pick(["独居", "空巢", "留守"])]; age = rng.int(80...96)
        case .priority: categories = [rng.pick(["失能", "半失能", "特困供养", "计划生育特殊家庭", "肢体残疾", "困境儿童"])]
            age = categories[0] == "困境儿童" ? rng.int(6...15) : rng.int(60...88)
        case .general: categories = [rng.pick(["低保", "低收入", "空巢", "临时救助", "低保边缘"])]; age = rng.int(35...79)
        }
        let worker = workers[workerIndex]
        let birth = Day(year: day.components.year - age, month: rng.int(1...12), day: rng.int(1...28))
        let address = "重庆市南岸区弹子石街道\(community.name)\(rng.int(1...36))栋\(rng.int(1...6))单元\(rng.int(1...30))0\(rng.int(1...4))"
        let sex = rng.chance(0.55) ? "female" : "male"
        emit("person.registered", subject: id, actor: worker, [
            ("name", s(DemoText.name(&rng))), ("sex", s(sex)), ("birth", s(birth.iso)),
            ("idno", s(DemoText.idNumber(&rng, birth: birth, female: sex == "female"))),
            ("phone", s("1\(rng.pick(["38", "39", "58", "77", "86"]))\(rng.int(10_000_000...99_999_999))")),
            ("address", s(address)), ("community", s(community.id)), ("household", s(address)),
            ("categories", .array(categories.map(JSON.string))), ("tier", s(tier.rawValue)), ("worker", s(worker)),
            ("date", s(day.iso))])
        let index = people.count
        people.append((id, tier, worker, community.id))
        schedule(index, from: day.adding(days: rng.int(0...5)), tier: tier, first: true)
    }

    mutating func schedule(_ person: Int, from: Day, tier: VisitTier, first: Bool = false) {
        var due = first ? from : tier.nextDue(after: from).adding(days: -rng.int(0...2))
        if rng.chance(0.04) { due = due.adding(days: rng.int(3...12)) }  // some visits run late: overdue alerts
        dueBuckets[due.number, default: []].append(person)
    }

    mutating func visitDue() {
        // Weekend visits roll over to Monday.
        var due: [Int] = []
        for d in (day.number - 2)...day.number { due += dueBuckets.removeValue(forKey: d) ?? [] }
        for p in due {
            let person = people[p]
            let mode: VisitMode = person.tier == .general && rng.chance(0.4) ? .phone : rng.chance(0.08) ? .paired : .home
            let caseID = openCases.first { $0.person == p }?.id
            var fields: [(String, JSON)] = [("person", s(person.id)), ("date", s(day.iso)), ("mode", s(mode.rawValue)),
                                            ("worker", s(person.worker)),
                                            ("health", s(rng.pick(DemoText.health))), ("finance", s(rng.pick(DemoText.finance))),
                                            ("family", s(rng.pick(DemoText.family))), ("safety", s(rng.pick(DemoText.safety)))]
            if rng.chance(0.35) { fields.append(("needs", .array([s(rng.pick(Needs.all))]))) }
            if let caseID { fields.append(("case", s(caseID))) }
            if rng.chance(0.05) { fields.append(("referral", s(rng.pick(["社区卫生服务中心", "街道民政科", "区残联", "心理援助热线"])))) }
            if rng.chance(0.2) { fields.append(("followup", s(day.adding(days: rng.int(3...14)).iso))) }
            fields.append(("note", s(rng.pick(DemoText.notes))))
            emit("visit.logged", subject: newID("V"), actor: person.worker, version: Upcaster.current["visit.logged"] ?? 1, fields)
            schedule(p, from: day, tier: person.tier)
        }
    }

    mutating func caseWork() {
        // About one new case per 1,500 people per working day.
        if !people.isEmpty, rng.chance(min(1, Double(people.count) / 1500)) {
            for _ in 0..<max(1, people.count / 1500) {
                let p = rng.int(0...(people.count - 1))
                guard !personInCase.contains(p) else { continue }
                personInCase.insert(p)
                let id = newID("C")
                let worker = people[p].worker
                let community = communities.first { $0.id == people[p].community }?.name ?? "社区"
                let number = "\(community.dropLast(2))-\(day.components.year)-\(format4(counters["C"]!))"
                var fields: [(String, JSON)] = [("person", s(people[p].id)), ("date", s(day.iso)),
                                                ("source", s(rng.pick(["self", "referral", "outreach"]))), ("voluntary", .bool(true)),
                                                ("problem", s(rng.pick(DemoText.problems))), ("worker", s(worker)), ("number", s(number))]
                if rng.chance(0.04) { fields.append(("flags", .array([s(rng.pick(["corrections", "rehab", "child"]))]))) }
                emit("case.opened", subject: id, actor: worker, fields)
                openCases.append(DemoCase(id: id, person: p, worker: worker, next: day.adding(days: rng.int(2...7)),
                                          step: 1, services: 0, plannedServices: rng.int(3...10)))
            }
        }
        var finished: [Int] = []
        for i in openCases.indices where openCases[i].next <= day {
            var c = openCases[i]
            let version = c.step + c.services + 1  // events applied to the case so far, for `base`
            switch c.step {
            case 1:
                emit("case.assessed", subject: c.id, actor: c.worker, base: version - 1, [
                    ("date", s(day.iso)), ("summary", s(rng.pick(DemoText.assessments))),
                    ("strengths", s("家庭关系较好,愿意配合")), ("risk", s(rng.pick(["high", "priority", "general"])))])
                c.step = 2
            case 2:
                emit("case.planned", subject: c.id, actor: c.worker, base: version - 1, [
                    ("date", s(day.iso)), ("aim", s("改善生活状况,增强社会支持")),
                    ("objectives", .array([s("链接救助资源"), s("每周电话关怀"), s("建立邻里互助关系")])),
                    ("strategy", s("个案辅导结合资源链接")), ("agreement", .bool(true))])
                c.step = 3
            case 3 where c.services < c.plannedServices:
                emit("case.service", subject: c.id, actor: c.worker, [
                    ("date", s(day.iso)), ("mode", s(rng.pick(["meeting", "home", "phone"]))),
                    ("service", s(rng.pick(ServiceType.allCases.map(\.rawValue)))), ("content", s(rng.pick(DemoText.services))),
                    ("minutes", .int(rng.int(20...90))), ("next", s("下周继续跟进"))])
                c.services += 1
            case 3:
                emit("case.evaluated", subject: c.id, actor: c.worker, base: version - 1, [
                    ("date", s(day.iso)), ("summary", s("服务目标基本达成,服务对象表示满意")), ("satisfaction", .bool(true))])
                c.step = 4
            case 4:
                emit("case.closure_requested", subject: c.id, actor: c.worker, base: version - 1, [
                    ("date", s(day.iso)), ("type", s(rng.chance(0.8) ? "goals-met" : rng.pick(["moved", "withdrew", "lost-contact"]))),
                    ("summary", s("经评估服务目标已实现,申请结案"))])
                c.step = 5
            default:
                emit("case.closure_approved", subject: c.id, actor: supervisorOf[c.worker] ?? "dudao.li", base: version - 1, [
                    ("date", s(day.iso)), ("comment", s("同意结案,请按计划做好回访"))])
                personInCase.remove(c.person)
                finished.append(i)
            }
            c.next = day.adding(days: rng.int(5...12))
            openCases[i] = c
        }
        for i in finished.reversed() { openCases.remove(at: i) }
    }

    mutating func groupWork() {
        if people.count >= 12, groups.count < 3, rng.chance(0.05) {
            let id = newID("G")
            let w = rng.int(0...(workers.count - 1))
            let worker = workers[w]
            let members = (0..<rng.int(6...12)).map { _ in people[rng.int(0...(people.count - 1))].id }
            let unique = Array(Set(members)).sorted()
            let sessions = rng.int(6...8)
            emit("group.planned", subject: id, actor: worker, [
                ("name", s(rng.pick(DemoText.groups))), ("kind", s(rng.pick(["support", "growth", "education"]))),
                ("site", s(communities[w % communities.count].id)), ("date", s(day.iso)), ("goals", s("增强组员互助与社会参与")),
                ("sessions", .int(sessions)), ("venue", s("社区社工室活动室")), ("members", .array(unique.map(JSON.string))),
                ("worker", s(worker))])
            groups.append(DemoGroup(id: id, members: unique, sessionsLeft: sessions, number: 0, next: day.adding(days: 7), worker: worker))
        }
        var done: [Int] = []
        for i in groups.indices where groups[i].next <= day {
            groups[i].number += 1
            groups[i].sessionsLeft -= 1
            var attendance: [JSONField] = []
            for m in groups[i].members {
                let r = rng.double()
                attendance.append(JSONField(m, s(r < 0.82 ? "present" : r < 0.92 ? "leave" : "absent")))
            }
            let stage = groups[i].number == 1 ? "形成" : groups[i].sessionsLeft == 0 ? "结束" : "成熟"
            emit("group.session", subject: groups[i].id, actor: groups[i].worker, [
                ("date", s(day.iso)), ("number", .int(groups[i].number)), ("attendance", .object(attendance)),
                ("stage", s(stage)), ("record", s("组员分享近况,开展互动游戏,气氛融洽"))])
            groups[i].next = day.adding(days: 7)
            if groups[i].sessionsLeft == 0 {
                emit("group.closed", subject: groups[i].id, actor: groups[i].worker, base: groups[i].number + 1, [
                    ("date", s(day.iso)), ("report", s("小组按计划完成,组员出席率良好,目标基本达成"))])
                done.append(i)
            }
        }
        for i in done.reversed() { groups.remove(at: i) }
        if rng.chance(0.08) {
            emit("activity.held", subject: newID("A"), actor: rng.pick(workers), [
                ("name", s(rng.pick(DemoText.activities))), ("date", s(day.iso)), ("site", s(rng.pick(communities).id)),
                ("venue", s("社区广场")), ("headcount", .int(rng.int(20...150)))])
        }
    }

    mutating func registerVolunteer() {
        let id = newID("VOL")
        let birth = Day(year: day.components.year - rng.int(18...70), month: rng.int(1...12), day: rng.int(1...28))
        let female = rng.chance(0.6)
        emit("volunteer.registered", subject: id, actor: coordinator, [
            ("name", s(DemoText.name(&rng))), ("sex", s(female ? "female" : "male")), ("birth", s(birth.iso)),
            ("idno", s(DemoText.idNumber(&rng, birth: birth, female: female))),
            ("phone", s("13\(rng.int(100_000_000...999_999_999))")),
            ("skills", .array([s(rng.pick(["陪伴聊天", "理发", "维修家电", "心理疏导", "文艺表演", "医疗保健"]))])),
            ("availability", s(rng.pick(["周末", "工作日下午", "每周三上午"]))),
            ("team", s(rng.pick(["彩云志愿服务队", "党员先锋队", "银龄互助队"]))), ("site", s(rng.pick(communities).id)),
            ("backbone", .bool(rng.chance(0.15))), ("date", s(day.iso))])
        volunteers.append(id)
        volunteerBalance.append(0)
    }

    mutating func volunteerWork() {
        guard !volunteers.isEmpty else { return }
        for _ in 0..<max(1, volunteers.count / 12) {
            let v = rng.int(0...(volunteers.count - 1))
            let hours = Double(rng.int(2...8)) / 2
            emit("volunteer.hours", subject: newID("H"), actor: coordinator, [
                ("volunteer", s(volunteers[v])), ("date", s(day.iso)), ("hours", hours == hours.rounded() ? .int(Int(hours)) : .double(hours)),
                ("activity", s(rng.pick(DemoText.activities))), ("content", s("陪伴高龄老人聊天、协助打扫卫生"))])
            if rng.chance(0.3) {
                emit("timebank.deposit", subject: volunteers[v], actor: coordinator, [
                    ("date", s(day.iso)), ("hours", hours == hours.rounded() ? .int(Int(hours)) : .double(hours)), ("note", s("服务存入"))])
                volunteerBalance[v] += hours
            }
            if volunteerBalance[v] >= 6, rng.chance(0.1) {
                emit("timebank.withdraw", subject: volunteers[v], actor: coordinator, [
                    ("date", s(day.iso)), ("hours", .int(4)), ("note", s("兑换家政服务"))])
                volunteerBalance[v] -= 4
            }
        }
    }
}

func format3(_ n: Int) -> String { n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)" }
func format4(_ n: Int) -> String { n < 10 ? "000\(n)" : n < 100 ? "00\(n)" : n < 1000 ? "0\(n)" : "\(n)" }

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same station.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
    mutating func double() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func chance(_ p: Double) -> Bool { double() < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

enum DemoText {
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let given = Array("秀英桂兰玉珍凤芳晓华建国明德淑琴志强丽萍海燕德胜永红光荣素芬春梅文杰子涵思远雨欣浩然家豪梓萱一诺")
    static func name(_ rng: inout SplitMix64) -> String {
        var n = String(rng.pick(surnames))
        for _ in 0..<(rng.chance(0.8) ? 2 : 1) { n.append(rng.pick(given)) }
        return n
    }
    static func idNumber(_ rng: inout SplitMix64, birth: Day, female: Bool) -> String {
        let (y, m, d) = birth.components
        let seq = rng.int(10...99) * 10 + (female ? rng.int(0...4) * 2 : rng.int(0...4) * 2 + 1)
        let body = "500108\(y)\(m < 10 ? "0" : "")\(m)\(d < 10 ? "0" : "")\(d)\(seq)"
        return body + String(ResidentID.checkCharacter(body)!)
    }
    static let health = ["精神状态良好,表达清楚,行动缓慢需拄拐", "患高血压,按时服药,反应正常", "近期感冒已好转,情绪稳定",
                         "行动不便,长期卧床,由老伴照料", "记忆力下降,偶有走失风险", "身体状况尚可,能自理日常生活"]
    static let finance = ["享受低保,衣食无忧", "医疗支出较大,经济压力明显", "有养老金,收支基本平衡", "住房老旧,冬季取暖困难"]
    static let family = ["子女每周探望一次", "子女在外地务工,很少回家", "独居,侄女偶尔照看", "与老伴同住,相互照顾"]
    static let safety = ["燃气管道老化,已提醒更换", "卫生间无扶手,建议适老化改造", "用电安全,无明显隐患", "楼道杂物较多,已通知物业"]
    static let notes = ["老人很高兴,聊了家常,下次带降压药宣传资料", "提醒按时服药,留下社工站联系电话",
                        "协助申请高龄津贴,材料已收齐", "老人反映楼道灯坏了,已联系社区处理", "陪同老人到社区卫生服务中心体检"]
    static let problems = ["独居高龄老人缺乏照料,情绪低落", "家庭矛盾突出,与子女沟通困难", "因病致贫,需要链接救助资源",
                           "困境儿童学业困难,监护不足", "残疾人就业困难,社会融入不足"]
    static let assessments = ["服务对象社会支持网络薄弱,需优先解决生活照料", "家庭系统存在沟通障碍,优势是服务对象改变意愿强"]
    static let services = ["上门探访,开展心理疏导,缓解孤独情绪", "链接社区卫生服务中心,安排上门体检", "协助申请临时救助,已提交材料",
                           "召开家庭会议,调解子女赡养分歧", "电话关怀,了解近况并鼓励参加小组活动"]
    static let groups = ["老友会客厅——高龄老人互助支持小组", "快乐童年——困境儿童成长小组", "健康同行——慢病老人健康管理小组",
                         "邻里守望——空巢老人社区支持小组"]
    static let activities = ["社会工作宣传周便民服务", "重阳节敬老活动", "义诊进社区", "垃圾分类宣传", "邻里节文艺汇演"]
}

/// A dry run of the generator: where its events end.
struct GeneratorProbe {
    var generator: DemoGenerator
    let total: Int
    init(seed: UInt64, totalEvents: Int, start: Day, state: State) {
        generator = DemoGenerator(seed: seed, totalEvents: totalEvents, start: start, state: state)
        total = totalEvents
    }
    mutating func lastDay() -> Day {
        let events = generator.next(total)
        return events.compactMap { $0.body["date"]?.string.flatMap { Day(iso: $0) } }.max() ?? generator.day
    }
}
