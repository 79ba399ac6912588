/// A year of the station as a hub for the demo: a charity fund pool and a community fund with
/// donations (some restricted, some in kind), grants and a transfer each quarter, one donation
/// entered twice and reversed, about thirty community projects at every stage, and the
/// organisations, talent and wishes of `DemoCommunity.swift`. Each event is
/// made by the forms table and checked by the same rules as a person's, so the demo holds
/// nothing a station could not have written.
public struct DemoHub {
    var rng: SplitMix64
    var state: State
    let today: Day
    var out: [Event] = []
    var duplicated = false
    let admin: String
    let leads: [String]
    let workers: [String]

    let seed: UInt64

    public init(seed: UInt64, state: State, today: Day) {
        self.seed = seed
        rng = SplitMix64(seed: seed ^ 0x4855_4200)
        self.state = state
        self.today = today
        admin = state.staff.values.filter { $0.role == .admin && $0.active }.map(\.account).sorted().first ?? "admin"
        let supervisors = state.staff.values.filter { $0.role == .supervisor && $0.active }.map(\.account).sorted()
        leads = supervisors.isEmpty ? [admin] : supervisors
        let ws = state.staff.values.filter { $0.role == .worker && $0.active }.map(\.account).sorted()
        workers = ws.isEmpty ? [admin] : ws
    }

    /// The hub's events for a station that has none yet (empty otherwise: a second fill adds no second fund pool).
    public static func events(seed: UInt64, state: State, today: Day) -> [Event] {
        guard state.hub.funds.isEmpty, !state.sites.isEmpty else { return [] }
        var demo = DemoHub(seed: seed, state: state, today: today)
        demo.run()
        return demo.out
    }

    /// Adds the event a form makes, if the rules take it; returns its subject.
    @discardableResult
    mutating func add(_ form: String, as actor: String, on day: Day, _ values: [String: String]) -> String? {
        guard day <= today, let spec = Forms.spec(form) else { return nil }
        var v = values
        if spec.fields.contains(where: { $0.key == "date" }) { v["date"] = day.iso }
        let seconds = Int64(day.number) * 86400 + Int64(rng.int(1 * 3600...9 * 3600))
        let context = EventContext(actor: actor, now: Timestamp(seconds: seconds), makeID: { EventID(high: 0, low: 0) })
        guard var event = try? Forms.build(spec, values: v, state: state, context: context) else { return nil }
        event.id = EventID(unixMillis: UInt64(seconds) * 1000 + UInt64(rng.int(0...999)), random: (rng.next(), rng.next()))
        guard (try? state.validate(event)) != nil else { return nil }
        state.apply(event, offset: 0)
        out.append(event)
        return event.subject
    }

    static let companies = ["重庆弹子石商贸有限公司", "南岸区慈善会", "长江实业集团", "爱心企业家联谊会", "弹子石老街商户联合会",
                            "重庆银行南岸支行", "某物业服务公司", "区福彩中心"]
    static let residents = ["居民张先生", "居民李阿姨", "退休教师王老师", "党员志愿者刘女士", "匿名捐赠人", "社区居民"]
    static let goods = ["粮油", "棉被", "助行器", "学习用品", "爱心餐券"]
    static let projects: [(name: String, field: ProjectField)] = [
        ("长者食堂助餐服务", .elderly), ("独居老人安全守护", .elderly), ("银龄互助学堂", .elderly), ("失能老人家庭照护支持", .elderly),
        ("四点半课堂", .children), ("困境儿童成长陪伴", .children), ("暑期护苗行动", .children), ("亲子阅读角", .children),
        ("残障人士就业帮扶", .disability), ("康复辅具租借站", .disability), ("困难家庭微帮扶", .hardship), ("低保家庭增能计划", .hardship),
        ("楼栋议事会", .governance), ("居民公约共建", .governance), ("社区骨干培育", .governance), ("老旧小区楼道微改造", .renewal),
        ("口袋公园共建", .renewal), ("社区菜园", .renewal), ("微心愿圆梦行动", .wishes), ("邻里守望互助队", .governance),
        ("老年认知症友好社区", .elderly), ("流动儿童融入", .children), ("电梯加装议事协商", .renewal), ("退役军人关爱", .hardship),
        ("社区慈善超市", .hardship), ("防诈骗宣传进楼栋", .governance), ("健康小屋", .elderly), ("青少年志愿服务队", .children),
        ("无障碍出行改造", .disability), ("邻里节", .governance),
    ]
    static let applicants: [(ApplicantKind, String)] = [
        (.organisation, "弹子石邻里互助会"), (.organisation, "彩云社区老年协会"), (.organisation, "新力社区志愿服务队"),
        (.residents, "楼栋长自治小组"), (.residents, "家长互助组"), (.agency, "重庆某社会工作服务中心"), (.ownStation, "本站"),
    ]

    mutating func run() {
        let yearAgo = today.adding(days: -365)
        let station = state.sites.first { $0.tier == .street }?.id ?? state.sites[0].id
        let community = state.sites.first { $0.tier == .community } ?? state.sites[0]
        add("fund", as: admin, on: yearAgo, ["name": "公益慈善基金库", "kind": "charity-pool", "site": station])
        let short = community.name.hasSuffix("社区") ? String(community.name.dropLast(2)) : community.name
        add("fund", as: admin, on: yearAgo, ["name": "\(short)社区基金", "kind": "community-fund", "site": community.id])
        var pending: [(Day, String)] = []   // projects waiting for their next step
        for (k, p) in Self.projects.enumerated() {
            let day = yearAgo.adding(days: 10 + k * 7 + rng.int(0...6))
            let (kind, applicant) = rng.pick(Self.applicants)
            let budget = rng.int(2...20) * 10_000
            if let id = add("project", as: rng.pick(workers), on: day, [
                "name": p.name, "kind": kind.rawValue, "applicant": applicant, "funder": rng.chance(0.3) ? "南岸区民政局" : "",
                "source": rng.chance(0.55) ? FundingSource.fundPool.rawValue : rng.pick([FundingSource.government, .lottery, .foundation]).rawValue,
                "field": p.field.rawValue, "site": rng.chance(0.5) ? station : community.id, "budget": String(budget),
                "starts": day.adding(days: 30).iso, "ends": day.adding(days: 300).iso,
                "summary": "围绕\(p.field.zh)需求,由\(applicant)申报,社工站指导实施。",
            ]) { pending.append((day, id)) }
        }
        var day = yearAgo
        var month = 0
        while day <= today {
            donations(on: day, month: month)
            for (i, (due, id)) in pending.enumerated() where due <= day {
                pending[i].0 = step(id, on: day).map { day.adding(days: $0) } ?? Day(number: Int32.max)
            }
            if month % 3 == 2 { add("fund-transfer", as: rng.pick(leads), on: day, ["fund": "F-1", "to": "F-2", "amount": "5000", "note": "季度调拨"]) }
            day = day.adding(days: 30)
            month += 1
        }
        communityWork(from: yearAgo, station: station)
    }

    mutating func donations(on day: Day, month: Int) {
        for _ in 0..<rng.int(2...4) {
            let d = day.adding(days: rng.int(0...27))
            var v = ["fund": "F-1", "donor": rng.pick(Self.companies), "amount": String(rng.int(2...80) * 1_000),
                     "receipt": "JJK-\(d.components.year)-\(String(out.count + 100))"]
            if rng.chance(0.25) { v["purpose"] = rng.pick([ProjectField.elderly, .children]).rawValue }
            if rng.chance(0.1) { v["inkind"] = "是"; v["note"] = rng.pick(Self.goods) }
            let entry = add("donation", as: rng.pick(leads), on: d, v)
            // Once, the same receipt entered twice, and the second copy reversed.
            if month == 4, !duplicated, entry != nil, let again = add("donation", as: rng.pick(leads), on: d, v) {
                duplicated = true
                add("reversal", as: admin, on: d.adding(days: 2), ["entry": again, "reason": "收据 \(v["receipt"]!) 重复录入"])
            }
        }
        for _ in 0..<rng.int(1...3) {
            add("donation", as: rng.pick(leads), on: day.adding(days: rng.int(0...27)),
                ["fund": "F-2", "donor": rng.pick(Self.residents), "amount": String(rng.int(2...50) * 100)])
        }
    }

    /// Moves a project one step; the days until its next, or nil when it has come to rest.
    mutating func step(_ id: String, on day: Day) -> Int? {
        guard let p = state.hub.project(id) else { return nil }
        let lead = leads.first { $0 != p.submittedBy } ?? admin
        let d = day.adding(days: rng.int(0...20))
        switch p.stage {
        case .applied:
            if dice(id, p.stage) < 0.12 { return nil }   // still waiting for screening
            if dice(id, p.stage, 1) < 0.14 {
                add("project-decline", as: lead, on: d, ["id": id, "reason": "与社区需求契合度不高,建议完善方案后再申报"])
                return nil
            }
            add("project-screen", as: lead, on: d, ["id": id, "opinion": "需求调研充分,预算基本合理"])
            return 20
        case .screened:
            if dice(id, p.stage) < 0.1 { return nil }
            let amount = p.budget.fen / 100 * rng.int(80...100) / 100 / 100 * 100
            add("project-approve", as: lead, on: d, ["id": id, "amount": String(amount), "conditions": "按月报送进度"])
            add("milestone", as: p.submittedBy, on: d, ["id": id, "text": "启动会", "due": d.adding(days: 20).iso])
            add("milestone", as: p.submittedBy, on: d, ["id": id, "text": "中期自评", "due": d.adding(days: 150).iso])
            return 15
        case .approved:
            if dice(id, p.stage) < 0.15 { return nil }
            add("project-start", as: p.submittedBy, on: d, ["id": id])
            add("milestone", as: p.submittedBy, on: d, ["id": id, "text": "启动会", "due": d.iso, "done": d.iso])
            if p.source == .fundPool, let approved = p.approved {
                let grant = approved.fen / 100 * rng.int(40...70) / 100
                add("grant", as: lead, on: d, ["fund": "F-1", "project": id, "amount": String(grant), "note": "首期资助"])
            }
            return 40
        case .running, .midterm:
            let portion = max(1, (p.approved ?? .zero).fen / 100 / rng.int(5...9))
            add("project-expense", as: p.submittedBy, on: d, ["id": id, "amount": String(portion), "item": rng.pick(["活动物资", "场地布置", "专家讲座", "志愿者保险", "宣传印刷"])])
            if let link = linkable(), rng.chance(0.4) { add("project-link", as: p.submittedBy, on: d, ["id": id, "records": link]) }
            if p.stage == .running, d.number - p.approvedOn!.number > 120 {
                add("project-midterm", as: lead, on: d, ["id": id, "finding": "进度符合计划,居民参与度高"])
            } else if p.stage == .midterm, d.number - p.approvedOn!.number > 200, dice(id, p.stage, UInt64(p.offsets.count)) < 0.6 {
                add("project-complete", as: lead, on: d, ["id": id, "grade": rng.pick(["excellent", "good", "good", "pass"]),
                                                           "evaluation": "完成预定目标,形成可推广经验"])
                return nil
            }
            return 30
        case .completed, .declined:
            return nil
        }
    }

    /// A project's own roll for a decision at a stage. Every project's first steps draw from the
    /// shared generator at evenly spaced states, where SplitMix64's outputs are correlated (30
    /// projects, none waiting, none declined); a generator seeded from the project and stage is not.
    func dice(_ id: String, _ stage: ProjectStage, _ salt: UInt64 = 0) -> Double {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for b in (id + stage.rawValue).utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        var g = SplitMix64(seed: h ^ salt &* 0x9E37_79B9_7F4A_7C15)
        return g.double()
    }

    mutating func linkable() -> String? {
        let ids = state.groups.map(\.id) + state.activities.suffix(40).map(\.id)
        return ids.isEmpty ? nil : rng.pick(ids)
    }
}
