/// The hub's figures, reported with the station's (统计报表, `shegong report`): each with its
/// definition, rolled up by site, and each drills down to the projects or ledger entries it adds up.
/// A district's database does not hold funds and projects yet, so it reports the station figures only.
public enum HubReport {
    static let definitions: [Report.Definition] = [
        ("projects_approved", "立项项目", "projects approved", "期内立项的项目数(个)", "projects approved in the period"),
        ("projects_completed", "结项项目", "projects completed", "期内结项评估完成的项目数(个)", "projects closed with an evaluation in the period"),
        ("funding_approved", "立项资金(万元)", "funding approved (10k yuan)",
         "期内立项项目的立项金额之和,含已记录的金额变更(万元)", "approved amounts of the projects approved in the period, after recorded changes (10,000 yuan)"),
        ("funds_raised", "募集资金(万元)", "funds raised (10k yuan)",
         "期内各基金收到的现金捐赠,减去期内对捐赠的冲正(万元);不含调拨", "money donated to the funds in the period, less reversals of donations recorded in it; transfers excluded (10,000 yuan)"),
        ("resources_linked", "链接物资价值(万元)", "resources linked (10k yuan)",
         "期内实物捐赠的登记价值,减去期内冲正(万元)", "recorded value of goods donated in the period, less reversals (10,000 yuan)"),
        ("funds_granted", "资助支出(万元)", "grants (10k yuan)",
         "期内各基金对项目的资助,减去期内对资助的冲正(万元)", "grants from the funds to projects in the period, less reversals of grants recorded in it (10,000 yuan)"),
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
        var raised = Money.zero, goods = Money.zero, granted = Money.zero
        for e in hub.entries where period.contains(e.day) && inSite(hub.funds[Int(e.fund)].site) {
            let undone = e.kind == .reversal ? hub.reversedKind(of: e) : e.kind
            let subject = "\(hub.funds[Int(e.fund)].id)/\(e.id)"
            switch undone {
            case .donation where e.pool.inKind: goods += e.amount; add("resources_linked", subject, e.day, e.amount.inWan)
            case .donation: raised += e.amount; add("funds_raised", subject, e.day, e.amount.inWan)
            case .grant: granted -= e.amount; add("funds_granted", subject, e.day, (-e.amount).inWan)
            default: break
            }
        }
        return [("projects_approved", Double(approved)), ("projects_completed", Double(completed)), ("funding_approved", funding.inWan),
                ("funds_raised", raised.inWan), ("resources_linked", goods.inWan), ("funds_granted", granted.inWan)]
    }
}
