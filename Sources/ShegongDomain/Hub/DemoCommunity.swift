/// The demo's organisations, talent pool and micro-wishes: organisations at every incubation
/// stage, the station's staff and local talent with certificates, monthly trainings and
/// supervision, and wishes in every state. Made by the forms table and checked by the rules, as
/// the rest of the demo hub is.
extension DemoHub {
    static let organisations: [(name: String, kind: OrgKind, field: ProjectField)] = [
        ("彩云邻里互助会", .socialOrg, .elderly), ("银发志愿服务队", .volunteerTeam, .elderly), ("四点半课堂家长会", .residentGroup, .children),
        ("楼栋自治促进会", .socialOrg, .governance), ("老街文化传承队", .volunteerTeam, .governance), ("阳光助残服务社", .socialOrg, .disability),
        ("社区菜园共建组", .residentGroup, .renewal), ("巾帼志愿服务队", .volunteerTeam, .hardship), ("青少年成长营", .socialOrg, .children),
        ("邻里调解工作室", .socialOrg, .governance),
    ]
    static let trainings: [(String, TrainingProgramme)] = [
        ("社区骨干领导力", .leaders), ("个案管理实务", .talents), ("入户探访与风险识别", .everyone), ("小组工作方法", .talents),
        ("社会工作伦理与保密", .continuing), ("项目申报书撰写", .leaders), ("志愿者管理", .everyone), ("心理急救", .continuing),
    ]
    static let wishes: [(item: String, card: String, yuan: Int)] = [
        ("冬季棉被", "一位独居的高龄老人冬天怕冷,想要一床厚实的棉被", 260),
        ("助行器", "腿脚不便的长者想有一个助行器,自己下楼晒太阳", 180),
        ("书桌台灯", "一名上小学的孩子想要一张书桌和一盏台灯写作业", 450),
        ("收音机", "一位视力不好的老人想要一台能听戏的收音机", 120),
        ("新书包", "开学前,一个孩子想要一个新书包和一套文具", 150),
        ("电饭煲", "一户困难家庭的电饭煲坏了,想换一个新的", 200),
        ("老花镜", "一位老人想配一副合适的老花镜看报纸", 100),
        ("轮椅坐垫", "长期坐轮椅的居民想要一个防压疮坐垫", 220),
    ]

    mutating func communityWork(from yearAgo: Day, station: String) {
        let communities = state.sites.filter { $0.tier == .community }.map(\.id)
        for (k, o) in Self.organisations.enumerated() {
            let registered = yearAgo.adding(days: 5 + k * 9)
            let site = communities.isEmpty ? station : communities[k % communities.count]
            guard let id = add("organisation", as: rng.pick(workers), on: registered, [
                "name": o.name, "kind": o.kind.rawValue, "field": o.field.rawValue, "site": site,
                "leader": DemoText.name(&rng), "members": String(rng.int(6...40)),
            ]) else { continue }
            // Every fourth stays in cultivation; the rest move on, a few as far as being filed.
            let reach = [IncubationStage.cultivating, .incubating, .graduated, .filed][k % 4]
            var day = registered
            for stage in IncubationStage.allCases where stage > .cultivating && stage <= reach {
                day = day.adding(days: rng.int(60...110))
                add("org-support", as: rng.pick(workers), on: day.adding(days: -20), [
                    "id": id, "support": rng.pick(SupportKind.allCases).rawValue, "hours": String(rng.int(2...6)),
                    "note": "孵化基地陪伴指导",
                ])
                add("org-stage", as: rng.pick(workers), on: day, ["id": id, "stage": stage.rawValue])
            }
        }
        talentPool(from: yearAgo, station: station, communities: communities)
        postWishes(from: yearAgo)
    }

    mutating func talentPool(from yearAgo: Day, station: String, communities: [String]) {
        let lead = leads[0]
        let staff = state.staff.values.filter { $0.active && $0.role != .district }.sorted { $0.account < $1.account }
        for s in staff {
            let id = add("talent", as: lead, on: yearAgo, ["name": s.name.isEmpty ? s.account : s.name, "kind": "station-worker",
                                                          "site": s.site, "account": s.account])
            if let id, s.role != .coordinator || rng.chance(0.5) {
                certify(id, level: s.role == .supervisor ? .senior : rng.chance(0.4) ? .social : .assistant, as: lead, on: yearAgo)
            }
        }
        for k in 0..<14 {
            let kind: TalentKind = [.localWorker, .communityCadre, .residentLeader][k % 3]
            let site = communities.isEmpty ? station : communities[k % communities.count]
            if let id = add("talent", as: lead, on: yearAgo.adding(days: k * 11), ["name": DemoText.name(&rng), "kind": kind.rawValue, "site": site]),
               kind == .localWorker, k % 2 == 0 {
                certify(id, level: .assistant, as: lead, on: yearAgo.adding(days: k * 11))
            }
        }
        let supervisors = state.hub.talents.filter { $0.level == .senior }.map(\.id)
        var day = yearAgo.adding(days: 20)
        var month = 0
        while day <= today {
            let (title, programme) = Self.trainings[month % Self.trainings.count]
            // Station staff train most months (some keep up their 72 hours, some fall short); local talent less often.
            let attendees = state.hub.talents.filter { rng.chance($0.kind == .stationWorker ? 0.75 : 0.35) }.map(\.id)
            if !attendees.isEmpty {
                add("training", as: rng.pick(workers), on: day, ["title": title, "programme": programme.rawValue, "site": station,
                                                                "hours": String(rng.int(4...12)), "attendees": attendees.joined(separator: ",")])
            }
            for t in state.hub.talents where t.kind == .stationWorker && !supervisors.contains(t.id) {
                guard let by = supervisors.first, rng.chance(0.6) else { continue }
                add("supervision-hours", as: lead, on: day.adding(days: rng.int(1...20)), [
                    "id": t.id, "supervisor": by, "hours": rng.pick(["1", "1.5", "2"]),
                    "form": rng.chance(0.7) ? "individual" : "group-supervision", "note": "个案进展与风险研判",
                ])
            }
            day = day.adding(days: 30)
            month += 1
        }
    }

    mutating func certify(_ id: String, level: CertLevel, as lead: String, on day: Day) {
        let year = 2014 + rng.int(0...10)
        add("certificate", as: lead, on: day, ["id": id, "level": level.rawValue,
                                               "certificate": "\(year)0\(rng.int(3...5))\(rng.int(100_000...999_999))",
                                               "date": "\(year)-06-\(rng.int(10...28))"])
    }

    /// Wishes for people whose own worker posts them; the older ones have come further.
    mutating func postWishes(from yearAgo: Day) {
        let claimer = state.staff.values.filter { $0.role == .coordinator && $0.active }.map(\.account).sorted().first
        let people = state.people.enumerated().filter { _, p in
            workers.contains(p.worker) && state.staff[p.worker]?.role == .worker
        }.map(\.offset)
        guard !people.isEmpty else { return }
        let orgs = state.hub.organisations.map(\.name)
        for k in 0..<24 {
            let w = Self.wishes[k % Self.wishes.count]
            let p = state.people[rng.pick(people)]
            let posted = yearAgo.adding(days: 15 + k * 14)
            guard let id = add("wish", as: p.worker, on: posted, [
                "person": p.id, "item": w.item, "card": w.card, "value": String(w.yuan),
                "source": rng.pick(WishSource.allCases).rawValue, "due": posted.adding(days: 45).iso, "consent": "是", "note": "家属知情同意发布",
            ]) else { continue }
            let by = claimer ?? p.worker
            let fate = dice(id, .applied)
            if fate < 0.08 { add("wish-withdraw", as: p.worker, on: posted.adding(days: 10), ["id": id, "reason": "家属已自行解决"]); continue }
            if k >= 21 { continue }   // the newest are still open
            // Every sixth is paid for by a fund, which claims it: the community's own fund in its community.
            let fund = state.hub.fund("F-2")?.site == p.community ? "F-2" : "F-1"
            if k % 6 == 1, add("wish-grant", as: leads[0], on: posted.adding(days: 3), ["fund": fund, "wish": id, "amount": String(w.yuan)]) != nil {
                if k < 18 { add("wish-fulfil", as: by, on: posted.adding(days: rng.int(12...30)), ["id": id, "note": "社区基金购买,已送达"]) }
                continue
            }
            let kind = rng.pick([ClaimantKind.donor, .volunteerClaim, .organisationClaim])
            let claimant = kind == .organisationClaim && !orgs.isEmpty ? rng.pick(orgs)
                : kind == .donor ? rng.pick(Self.companies + Self.residents) : DemoText.name(&rng)
            add("wish-claim", as: by, on: posted.adding(days: rng.int(2...9)), ["id": id, "kind": kind.rawValue, "claimant": claimant])
            if k < 18 { add("wish-fulfil", as: by, on: posted.adding(days: rng.int(12...30)), ["id": id, "note": "已送达,老人很满意"]) }
        }
    }
}
