/// The hub's figures, reported with the station's (统计报表, `shegong report`): each with its
/// definition, rolled up by site, and each drills down to the projects or ledger entries it adds up.
/// A district adds up the same figures from the facts its stations ship (`DistrictReport`).
public enum HubReport {
    public static let definitions: [Report.Definition] = [
        ("projects_approved", "立项项目", "projects approved", "期内立项的项目数(个)", "projects approved in the period"),
        ("projects_completed", "结项项目", "projects completed", "期内结项评估完成的项目数(个)", "projects closed with an evaluation in the period"),
        ("funding_approved", "立项资金(万元)", "funding approved (10k yuan)",
         "期内立项项目的立项金额之和,含已记录的金额变更(万元)", "approved amounts of the projects approved in the period, after recorded changes (10,000 yuan)"),
        ("funds_raised", "募集资金(万元)", "funds raised (10k yuan)",
         "期内各基金收到的现金捐赠,减去期内对捐赠的冲正(万元);不含调拨", "money donated to the funds in the period, less reversals of donations recorded in it; transfers excluded (10,000 yuan)"),
        ("resources_linked", "链接物资价值(万元)", "resources linked (10k yuan)",
         "期内实物捐赠的登记价值,减去期内冲正(万元)", "recorded value of goods donated in the period, less reversals (10,000 yuan)"),
        ("funds_granted", "资助支出(万元)", "grants (10k yuan)",
         "期内各基金对项目和微心愿的资助,减去期内对资助的冲正(万元)", "grants from the funds to projects and micro-wishes in the period, less reversals of grants recorded in it (10,000 yuan)"),
        ("orgs_incubated", "孵化出壳组织", "organisations incubated",
         "期内首次出壳或备案的社区社会组织和志愿服务队(个)", "community organisations and volunteer teams that graduated or were filed for the first time in the period"),
        ("certified_workers", "持证社工", "certified social workers",
         "期末人才库中持有社会工作者职业资格证书的人数(人)", "people in the talent pool holding a social work certificate at the end of the period"),
        ("training_person_times", "培训人次", "training person-times",
         "期内各次培训的参训人数之和(人次)", "attendees of every training held in the period, added up (person-times)"),
        ("supervision_hours", "督导时数", "supervision hours",
         "期内记录的督导时长之和(小时)", "hours of supervision recorded in the period"),
        ("wishes_fulfilled", "微心愿实现", "micro-wishes fulfilled",
         "期内实现的微心愿(个);撤回的不计", "micro-wishes fulfilled in the period; withdrawn ones are not counted"),
    ]

    /// Figures in 万元 are shown to the fen's hundredth of a 万, as stations report them.
    public static let moneyKeys: Set<String> = ["funding_approved", "funds_raised", "resources_linked", "funds_granted"]

    static func figures(_ s: State, from: Day, to: Day, inSite: (String) -> Bool,
                        add: (String, String, Day?, Double) -> Void) -> [(key: String, value: Double)] {
        let hub = s.hub
        let period = from...to
        var approved = 0, completed = 0
        var funding = Money.zero
        for p in hub.projects where inSite(p.site) {
            if let on = p.approvedOn, period.contains(on), let amount = p.approved {
                approved += 1
                funding += amount
                add("projects_approved", p.id, on, 1)
                add("funding_approved", p.id, on, amount.inWan)
            }
            if let on = p.closedOn, period.contains(on) { completed += 1; add("projects_completed", p.id, on, 1) }
        }
        var ledger: [String: Money] = [:]
        for e in hub.entries where period.contains(e.day) && inSite(hub.funds[Int(e.fund)].site) {
            guard let (key, amount) = ledgerFigure(e, in: hub) else { continue }
            ledger[key, default: .zero] += amount
            add(key, "\(hub.funds[Int(e.fund)].id)/\(e.id)", e.day, amount.inWan)
        }
        let (raised, goods, granted) = (ledger["funds_raised"] ?? .zero, ledger["resources_linked"] ?? .zero, ledger["funds_granted"] ?? .zero)
        return [("projects_approved", Double(approved)), ("projects_completed", Double(completed)), ("funding_approved", funding.inWan),
                ("funds_raised", raised.inWan), ("resources_linked", goods.inWan), ("funds_granted", granted.inWan)]
            + communityFigures(hub, period: period, inSite: inSite, add: add)
    }

    /// The money figure a ledger entry adds to, and how much: a reversal takes from the figure of
    /// what it undoes; transfers add to none. The district ships exactly this per entry.
    public static func ledgerFigure(_ e: LedgerEntry, in hub: Hub) -> (key: String, amount: Money)? {
        switch e.kind == .reversal ? hub.reversedKind(of: e) : e.kind {
        case .donation where e.pool.inKind: return ("resources_linked", e.amount)
        case .donation: return ("funds_raised", e.amount)
        case .grant: return ("funds_granted", -e.amount)
        default: return nil
        }
    }

    static func communityFigures(_ hub: Hub, period: ClosedRange<Day>, inSite: (String) -> Bool,
                                 add: (String, String, Day?, Double) -> Void) -> [(key: String, value: Double)] {
        var incubated = 0, certified = 0, personTimes = 0, fulfilled = 0
        var supervision = 0.0
        for o in hub.organisations where inSite(o.site) {
            if let out = o.outOn, period.contains(out) { incubated += 1; add("orgs_incubated", o.id, out, 1) }
        }
        for t in hub.talents where inSite(t.site) {
            if t.isCertified(on: period.upperBound) { certified += 1; add("certified_workers", t.id, t.certifiedOn, 1) }
            for s in t.supervision where period.contains(s.day) { supervision += s.hours; add("supervision_hours", t.id, s.day, s.hours) }
        }
        for tr in hub.trainings where inSite(tr.site) && period.contains(tr.day) {
            personTimes += tr.attendees.count
            add("training_person_times", tr.id, tr.day, Double(tr.attendees.count))
        }
        for w in hub.wishes where inSite(w.site) {
            if let on = w.fulfilledDay, period.contains(on) { fulfilled += 1; add("wishes_fulfilled", w.id, on, 1) }
        }
        return [("orgs_incubated", Double(incubated)), ("certified_workers", Double(certified)),
                ("training_person_times", Double(personTimes)), ("supervision_hours", supervision), ("wishes_fulfilled", Double(fulfilled))]
    }
}
