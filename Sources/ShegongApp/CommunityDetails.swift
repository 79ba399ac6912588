import ShegongDomain
import ShegongTerminal

/// An organisation, someone in the talent pool, or a wish, opened; and the suggestions a
/// person's recorded needs lead to (`Matching`).
extension DetailBuilder {
    func organisation(_ id: String) -> Detail? {
        guard let o = state.hub.organisation(id), Policy.hub(for: viewer) == .full else { return nil }
        let zh = t.chinese
        var lines: [(String, StyleRole)] = [
            ("\(o.name)  [\(o.stage.label(chinese: zh))]  \(o.kind.label(chinese: zh))", .title),
            ("\(zh ? "服务领域" : "Field"): \(o.field.label(chinese: zh))   \(zh ? "站点" : "Site"): \(state.site(o.site)?.name ?? o.site)   "
                + "\(zh ? "负责人" : "Leader"): \(o.leader)   \(zh ? "成员" : "Members"): \(o.members)", .normal),
            ("", .normal), (zh ? "孵化历程" : "Incubation", .header),
        ]
        lines += o.steps.map { ("\($0.day.iso)  \($0.stage.label(chinese: zh))", $0.stage.isOut ? StyleRole.accent : .normal) }
        if !o.supports.isEmpty {
            lines.append(("", .normal))
            let hours = o.supports.reduce(0) { $0 + $1.hours }
            let value = o.supports.map(\.value).sum()
            lines.append(("\(zh ? "培育支持" : "Support received")  \(formatHours(hours))\(zh ? " 小时" : " h")"
                + (value == .zero ? "" : "  ¥\(value.yuan)"), .header))
            lines += o.supports.reversed().map { s in
                ("\(s.day.iso)  \(s.kind.label(chinese: zh))" + (s.hours > 0 ? "  \(formatHours(s.hours))h" : "")
                    + (s.value == .zero ? "" : "  ¥\(s.value.yuan)"), .normal)
            }
        }
        lines.append(("", .normal))
        lines.append((t[.timeline], .header))
        lines += timelineLines(newestFirst(o.offsets))
        return Detail(title: o.name, subject: id, lines: lines)
    }

    func talent(_ id: String) -> Detail? {
        guard let p = state.hub.talent(id), Policy.hub(for: viewer) == .full else { return nil }
        let zh = t.chinese
        let year = TalentYear(p, in: state.hub, to: today)
        var lines: [(String, StyleRole)] = [
            ("\(p.name)  \(p.kind.label(chinese: zh))  \(state.site(p.site)?.name ?? p.site)" + (p.account.isEmpty ? "" : "  (\(p.account))"), .title),
            (p.level.map { "\($0.label(chinese: zh)) (\(zh ? $0.short.zh : $0.short.en))  \(zh ? "证书编号" : "No.") \(p.certificate)  "
                + "\(zh ? "取得" : "since") \(p.certifiedOn?.iso ?? "")" } ?? (zh ? "未持证" : "not certified"), p.level == nil ? .dim : .normal),
            ("\(zh ? "近12个月" : "Last 12 months"): \(zh ? "培训" : "training") \(formatHours(year.training))h / \(formatHours(ContinuingEducation.hoursPerYear))h   "
                + "\(zh ? "接受督导" : "supervision received") \(formatHours(year.received))h   \(zh ? "提供督导" : "given") \(formatHours(year.given))h",
             year.due ? .warning : .normal),
        ]
        if year.due { lines.append((zh ? "继续教育学时不足,请安排培训" : "Continuing education is due: arrange training", .warning)) }
        let trainings = p.trainings.map { state.hub.trainings[Int($0)] }.sorted { $0.day > $1.day }
        if !trainings.isEmpty {
            lines.append(("", .normal))
            lines.append((zh ? "培训" : "Trainings", .header))
            lines += trainings.map { ("\($0.day.iso)  \($0.title)  \($0.programme.label(chinese: zh))  \(formatHours($0.hours))h", .normal) }
        }
        let given = state.hub.talents.flatMap { other in other.supervision.filter { $0.supervisor == p.id }.map { (other.name, $0) } }
        if !p.supervision.isEmpty || !given.isEmpty {
            lines.append(("", .normal))
            lines.append((zh ? "督导" : "Supervision", .header))
            let received = p.supervision.map { s in (s.day, "\(zh ? "接受" : "from") \(state.hub.talent(s.supervisor)?.name ?? s.supervisor)", s) }
            let gave = given.map { name, s in (s.day, "\(zh ? "督导" : "to") \(name)", s) }
            lines += (received + gave).sorted { $0.0 > $1.0 }.prefix(24).map { day, who, s in
                ("\(day.iso)  \(who)  \(s.form.label(chinese: zh))  \(formatHours(s.hours))h", .normal)
            }
        }
        return Detail(title: p.name, subject: id, lines: lines)
    }

    /// A wish as the viewer may see it: the donor's card always; its person only as the policy
    /// allows, and what could meet it.
    func wish(_ id: String) -> Detail? {
        guard let w = state.hub.wish(id) else { return nil }
        let seen = Policy.wish(w, for: viewer, in: state)
        guard seen > .none else { return nil }
        let zh = t.chinese
        let card = Policy.donorCard(w, in: state)
        var lines: [(String, StyleRole)] = [
            ("\(w.item)  ¥\(w.value.yuan)  [\(w.stage.label(chinese: zh))]", .title),
            ((zh ? "捐赠方看到的: " : "What a donor sees: ") + card.text, .normal),
            ("\(zh ? "社区" : "Community"): \(card.community)   \(zh ? "希望完成" : "Wanted by"): \(w.due?.iso ?? "-")   "
                + "\(zh ? "来源" : "From"): \(w.source.label(chinese: zh))", .normal),
        ]
        let person = Policy.wishPerson(w, for: viewer, in: state)
        let whose = person.map { "\(t[.colPerson]): \($0.name)   \(t[.address]): \($0.address)   " } ?? ""
        lines.append((whose + "\(zh ? "发布" : "Posted by"): \(state.staffName(w.postedBy)) \(w.postedOn.iso)", .normal))
        if let kind = w.claimantKind {
            lines.append(("\(zh ? "认领" : "Claimed by"): \(w.claimant) (\(kind.label(chinese: zh))) \(w.claimedOn?.iso ?? "")", .normal))
        }
        if w.granted != .zero { lines.append(("\(zh ? "基金资助" : "Paid from funds"): ¥\(w.granted.yuan)", .normal)) }
        if let on = w.fulfilledOn { lines.append(("\(zh ? "已实现" : "Fulfilled") \(on.iso)", .accent)) }
        if w.stage == .withdrawn { lines.append(("\(zh ? "已撤回" : "Withdrawn"): \(w.withdrawReason)", .dim)) }
        // Its steps carry internal notes: for who sees the person in full.
        if seen == .full {
            if w.isOpen {
                let funds = Matching.fundsFor(w, in: state, on: today)
                if !funds.isEmpty {
                    lines.append(("", .normal))
                    lines.append((zh ? "可资助此心愿的基金(站长或督导按 $)" : "Funds that could pay for it (a station lead presses $)", .header))
                    lines += funds.map { ("\($0.name) (\($0.id))  \(zh ? "可用" : "available") \($0.because)", StyleRole.normal) }
                }
                if let p = person { lines += suggestionLines(for: p, from: newestFirst(timelineOffsets(of: p, at: w.person).offsets)) }
            }
            lines.append(("", .normal))
            lines.append((t[.timeline], .header))
            lines += timelineLines(newestFirst(w.offsets))
        }
        return Detail(title: w.item, subject: id, lines: lines)
    }

    /// The needs recorded in these records (visits and case assessments, newest first), each once.
    func recordedNeeds(in records: [Event]) -> [String] {
        var needs: [String] = []
        for e in records {
            for n in e.body["needs"]?.strings ?? [] where !needs.contains(n) { needs.append(n) }
        }
        return needs
    }

    /// "可对接资源": volunteers, organisations and funds for a person's recorded needs.
    /// `records` are the person's records this viewer may read (`timelineOffsets`), newest first,
    /// so a need recorded in a case they may not open is not told here either.
    func suggestionLines(for p: Person, from records: [Event]) -> [(String, StyleRole)] {
        let needs = recordedNeeds(in: records)
        let zh = t.chinese
        guard !needs.isEmpty else { return [] }
        let found = Matching.suggestions(needs: needs, site: p.community, in: state, on: today)
        var lines: [(String, StyleRole)] = [("", .normal), ((zh ? "可对接资源(依据记录的需求: " : "Who could help (from recorded needs: ")
            + needs.joined(separator: "、") + ")", .header)]
        if found.isEmpty { lines.append((zh ? "(暂无匹配的志愿者、组织或基金)" : "(no volunteer, organisation or fund matches yet)", .dim)) }
        for s in found {
            let kind = switch s.kind {
            case .volunteer: zh ? "志愿者" : "volunteer"
            case .organisation: zh ? "组织" : "organisation"
            case .fund: zh ? "基金" : "fund"
            }
            lines.append(("\(kind)  \(s.name) (\(s.id))  \(s.need) · \(s.because)", .normal))
        }
        return lines
    }
}
