import ShegongDomain
import ShegongTerminal

/// The hub's people and groups: organisations by incubation stage, the talent pool, and
/// micro-wishes with what waits first. A wish lists only where its person may be seen.
enum CommunityLists {
    static var organisations: ListSpec { ListSpec(
        columns: { t in [Column("ID", width: 5), Column(t[.colOrganisation], width: 16), Column(t[.colKind], width: t.chinese ? 12 : 14),
                         Column(t[.colField], width: t.chinese ? 8 : 10), Column(t[.colStage], width: t.chinese ? 6 : 11),
                         Column(t[.colSince], width: 10), Column(t[.colMemberCount], width: 5, alignRight: true), Column(t[.colLeader])] },
        // Who is still in the incubator first, then by id.
        indices: { s in
            Array(0..<Int32(s.hub.organisations.count)).sorted { a, b in
                let (x, y) = (s.hub.organisations[Int(a)], s.hub.organisations[Int(b)])
                return (x.stage.isOut ? 1 : 0, a) < (y.stage.isOut ? 1 : 0, b)
            }
        },
        visible: { _, v in { _ in Policy.hub(for: v) == .full } },
        row: { s, _, i, t in
            let o = s.hub.organisations[Int(i)]
            return [o.id, o.name, o.kind.label(chinese: t.chinese), o.field.label(chinese: t.chinese), o.stage.label(chinese: t.chinese),
                    o.lastStep.iso, String(o.members), o.leader]
        },
        haystack: { s, _ in { i in
            let o = s.hub.organisations[Int(i)]
            return "\(o.id) \(o.name) \(Pinyin.initials(o.name)) \(o.kind.zh) \(o.field.zh) \(o.stage.zh) \(o.leader)"
        } },
        subject: { s, i in s.hub.organisations[Int(i)].id }) }

    static func talent(today: Day) -> ListSpec { ListSpec(
        columns: { t in [Column("ID", width: 5), Column(t[.colName], width: 8), Column(t[.colKind], width: t.chinese ? 8 : 12),
                         Column(t[.colLevel], width: t.chinese ? 14 : 12), Column(t[.colTraining], width: t.chinese ? 10 : 12, alignRight: true),
                         Column(t[.colSupervision], width: t.chinese ? 11 : 14, alignRight: true), Column(t[.colDue], width: t.chinese ? 8 : 15),
                         Column(t[.colSite])] },
        indices: { s in Array(0..<Int32(s.hub.talents.count)) },
        visible: { _, v in { _ in Policy.hub(for: v) == .full } },
        row: { s, _, i, t in
            let p = s.hub.talents[Int(i)]
            let year = TalentYear(p, in: s.hub, to: today)
            let exempt = ContinuingEducation.inFirstYear(p, on: today)
            let due = p.level == nil ? "" : year.due ? (t.chinese ? "待补学时" : "due")
                : exempt ? (t.chinese ? "新证首年" : "first year") : (t.chinese ? "达标" : "up to date")
            return [p.id, p.name, p.kind.label(chinese: t.chinese), p.level?.label(chinese: t.chinese) ?? "",
                    formatHours(year.training), "\(formatHours(year.received))/\(formatHours(year.given))", due,
                    s.site(p.site)?.name ?? p.site]
        },
        haystack: { s, _ in { i in
            let p = s.hub.talents[Int(i)]
            return "\(p.id) \(p.name) \(Pinyin.nameInitials(p.name).joined(separator: " ")) \(p.kind.zh) \(p.level?.zh ?? "未持证") \(p.certificate) \(p.account)"
        } },
        subject: { s, i in s.hub.talents[Int(i)].id }) }

    static var wishes: ListSpec { ListSpec(
        columns: { t in [Column("ID", width: 5), Column(t[.colWish], width: 12), Column(t[.colEstimate], width: 9, alignRight: true),
                         Column(t[.colStage], width: t.chinese ? 6 : 9), Column(t[.colCommunity], width: 10),
                         Column(t[.colPerson], width: 8), Column(t[.colWanted], width: 10), Column(t[.colClaimant])] },
        // Open and unclaimed first (soonest wanted first), then claimed, then what has come to rest.
        indices: { s in
            Array(0..<Int32(s.hub.wishes.count)).sorted { a, b in
                let (x, y) = (s.hub.wishes[Int(a)], s.hub.wishes[Int(b)])
                return (order(x.stage), x.due?.number ?? Int32.max, a) < (order(y.stage), y.due?.number ?? Int32.max, b)
            }
        },
        visible: { s, v in { i in Policy.wish(s.hub.wishes[Int(i)], for: v, in: s) > .none } },
        row: { s, v, i, t in
            let w = s.hub.wishes[Int(i)]
            let person = wishPersonCell(w, for: v, in: s)
            return [w.id, w.item, w.value.yuan, w.stage.label(chinese: t.chinese), s.site(w.site)?.name ?? w.site, person, w.due?.iso ?? "", w.claimant]
        },
        haystack: { s, v in { i in
            let w = s.hub.wishes[Int(i)]
            let person = Policy.wishPerson(w, for: v, in: s)?.name ?? ""
            return "\(w.id) \(w.item) \(w.stage.zh) \(w.claimant) \(person) \(Pinyin.initials(w.item))"
        } },
        subject: { s, i in s.hub.wishes[Int(i)].id }) }

    static func order(_ stage: WishStage) -> Int { [.posted, .claimed, .fulfilled, .withdrawn].firstIndex(of: stage) ?? 0 }
}

/// A wish's person in a list row or an export: their name, masked for who may not be told, and
/// nothing for a wish with nobody behind it (a mask there would say someone is hidden).
func wishPersonCell(_ w: Wish, for v: Viewer, in s: State) -> String {
    guard w.person >= 0, Int(w.person) < s.people.count else { return "" }
    return Policy.wishPerson(w, for: v, in: s)?.name ?? Mask.hidden
}
