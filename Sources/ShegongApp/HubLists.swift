import ShegongDomain
import ShegongTerminal

/// The hub's two lists: projects by stage, and every fund's ledger, newest first. Station staff
/// see both (donors are named); district users get the figures, not these lists.
enum HubLists {
    static var projects: ListSpec { ListSpec(
        // Money before the applicant, whose name takes what is left: at 80 columns the figures still show.
        columns: { t in [Column("ID", width: 6), Column(t[.colProject], width: 16), Column(t[.colStage], width: t.chinese ? 6 : 9),
                         Column(t[.colField], width: t.chinese ? 8 : 10), Column(t[.colApproved], width: 10, alignRight: true),
                         Column(t[.colSpent], width: 10, alignRight: true), Column(t[.colGranted], width: 10, alignRight: true),
                         Column(t[.colApplicant])] },
        // Stage by stage as a project moves (what waits for a decision first), then by id.
        indices: { s in
            Array(0..<Int32(s.hub.projects.count)).sorted { a, b in
                let (x, y) = (s.hub.projects[Int(a)], s.hub.projects[Int(b)])
                return (order(x.stage), a) < (order(y.stage), b)
            }
        },
        visible: { _, v in { _ in Policy.hub(for: v) == .full } },
        row: { s, _, i, t in
            let p = s.hub.projects[Int(i)]
            return [p.id, p.name, p.stage.label(chinese: t.chinese), p.field.label(chinese: t.chinese), p.approved?.yuan ?? "",
                    p.spent == .zero ? "" : p.spent.yuan, p.granted == .zero ? "" : p.granted.yuan, p.applicant]
        },
        haystack: { s, _ in { i in
            let p = s.hub.projects[Int(i)]
            return "\(p.id) \(p.name) \(Pinyin.initials(p.name)) \(p.applicant) \(p.stage.zh) \(p.field.zh) \(p.funder)"
        } },
        subject: { s, i in s.hub.projects[Int(i)].id }) }

    /// Decisions first (申报, 初评), then running work, then what has come to rest.
    static func order(_ stage: ProjectStage) -> Int {
        [.applied, .screened, .approved, .running, .midterm, .completed, .declined].firstIndex(of: stage) ?? 0
    }

    static var ledger: ListSpec { ListSpec(
        columns: { t in [Column(t[.colDate], width: 10), Column("ID", width: 6), Column(t[.colFund], width: 12),
                         Column(t[.colKind], width: t.chinese ? 8 : 12), Column(t[.colIn], width: 11, alignRight: true),
                         Column(t[.colOut], width: 11, alignRight: true), Column(t[.colPool], width: 10), Column(t[.colCounterparty])] },
        indices: { s in
            Array(0..<Int32(s.hub.entries.count)).sorted { a, b in
                let (x, y) = (s.hub.entries[Int(a)], s.hub.entries[Int(b)])
                return (x.day.number, a) > (y.day.number, b)
            }
        },
        visible: { _, v in { _ in Policy.hub(for: v) == .full } },
        row: { s, _, i, t in
            let e = s.hub.entries[Int(i)]
            let fund = s.hub.funds[Int(e.fund)]
            let counterparty = s.hub.fund(e.counterparty)?.name ?? s.hub.project(e.counterparty)?.name
                ?? s.hub.wish(e.counterparty).map { "\(t.chinese ? "微心愿" : "wish") \($0.item)" } ?? e.counterparty
            let income = s.hub.countsAsIncome(e)
            let shown = (income ? e.amount : -e.amount).yuan
            let kind = e.kind.label(chinese: t.chinese) + (e.reversedBy == nil ? "" : (t.chinese ? "(已冲正)" : " (reversed)"))
            return [e.day.iso, e.id, fund.name, kind, income ? shown : "", income ? "" : shown, e.pool.shortLabel(chinese: t.chinese), counterparty]
        },
        haystack: { s, _ in { i in
            let e = s.hub.entries[Int(i)]
            return "\(e.day.iso) \(e.id) \(s.hub.funds[Int(e.fund)].name) \(e.kind.zh) \(e.counterparty) \(Pinyin.initials(e.counterparty)) \(e.receipt)"
        } },
        // A transfer's two sides share an id: the fund names which side.
        subject: { s, i in let e = s.hub.entries[Int(i)]; return "\(s.hub.funds[Int(e.fund)].id)/\(e.id)" }) }
}
