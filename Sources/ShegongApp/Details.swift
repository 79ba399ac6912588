import ShegongDomain
import ShegongStore
import ShegongTerminal

/// A record opened full-screen: its lines (profile and timeline) and the scroll position.
public struct Detail: Equatable, Sendable {
    public var title: String
    public var subject: String
    public var lines: [(text: String, role: StyleRole)]
    public var top = 0

    public static func == (a: Detail, b: Detail) -> Bool { a.subject == b.subject && a.top == b.top && a.lines.map(\.text) == b.lines.map(\.text) }
}

/// Builds detail views. Long text comes from the log by offset (the projection does not hold it).
struct DetailBuilder {
    let state: State
    let store: Store
    let t: Strings
    let unmasked: Set<String>
    let viewer: Viewer
    let today: Day

    func event(_ offset: Int64) -> Event? { try? store.record(at: offset).event }
    /// The records at these offsets, newest first: read once per page, for its timeline and
    /// anything else the page says about them.
    func newestFirst(_ offsets: [Int64]) -> [Event] { offsets.sorted(by: >).compactMap(event) }

    func label(_ e: Event) -> String {
        let name = EventType(rawValue: e.type)?.label(chinese: t.chinese) ?? "\(t[.unknownEvent]): \(e.type)"
        // A change that takes an earlier one back says so (a withdrawn visit says it by its type).
        guard e.body["undoes"] != nil, e.type != EventType.visitVoided.rawValue else { return name }
        return (t.chinese ? "撤销上次修改 · " : "undo · ") + name
    }

    func summary(_ e: Event) -> String {
        let keys = ["amount", "problem", "summary", "content", "note", "health", "finance", "family", "safety", "events", "aim", "text",
                    "comment", "reason", "agency", "record", "report", "referral", "objectives", "to", "scope",
                    "item", "opinion", "conditions", "finding", "grade", "evaluation", "records"]
        return keys.compactMap { k -> String? in
            guard let v = e.body[k] else { return nil }
            if k == "amount", let fen = v.int { return "¥" + Money(fen: fen).yuan }   // hub events: money in fen
            if k == "grade", let code = v.string { return Vocabularies.label(of: code, chinese: t.chinese) }
            if k == "to", let account = v.string { return "→ " + state.staffName(account) }  // a transfer names the new worker
            if let s = v.string { return s }
            let items = v.strings
            return items.isEmpty ? nil : items.joined(separator: "、")
        }.joined(separator: " · ")
    }

    /// A stored value as a person reads it: labels for codes, a case's number, people's names.
    func shown(_ value: JSON, as field: FieldSpec) -> String {
        let items = value.string.map { [$0] } ?? value.strings
        return items.map { item in
            switch field.kind {
            case .choice, .choices: return Vocabularies.label(of: item, chinese: t.chinese)
            case .caseRef: return state.caseFile(item)?.number ?? item
            case .person: return state.person(item)?.name ?? item
            case .staff: return state.staffName(item)
            case .volunteer: return state.volunteer(item)?.name ?? item
            case .site: return state.site(item)?.name ?? item
            default: return item
            }
        }.joined(separator: "、")
    }

    func dayOf(_ e: Event) -> String { e.body["date"]?.string ?? e.at.day().iso }

    /// `records` newest first (`newestFirst`).
    func timelineLines(_ records: [Event]) -> [(String, StyleRole)] {
        // Newest first; events of one day in the order they were written (newest first too), so the
        // timeline reads the same every time it is drawn.
        let events = records.enumerated().sorted { a, b in
            dayOf(a.element) != dayOf(b.element) ? dayOf(a.element) > dayOf(b.element) : a.offset < b.offset
        }.map(\.element)
        return events.map { e in
            let who = state.staffName(e.actor)
            return ("\(dayOf(e))  \(label(e))  \(who)  \(summary(e))", e.type.hasPrefix("case.closure") ? .accent : .normal)
        }
    }

    func person(_ id: String) -> Detail? {
        guard let i = state.personPosition(id) else { return nil }
        let p = state.people[Int(i)]
        let visibility = Policy.person(p, for: viewer, in: state)
        guard visibility > .none else { return nil }
        if visibility < .full {
            // Need to know only: who and where, never notes or sensitive fields.
            var lines: [(String, StyleRole)] = [(p.name, .title), ("\(t[.address]): \(p.address)", .normal)]
            if visibility == .summary {
                lines.append(("\(t[.colTier]): \(p.tier.label(chinese: t.chinese))   \(t[.colWorker]): \(state.staffName(p.worker))", .normal))
            }
            lines.append((t.chinese ? "(仅显示工作所需信息)" : "(need-to-know view)", .dim))
            return Detail(title: p.name, subject: id, lines: lines)
        }
        let full = unmasked.contains(id)
        // Children's birth dates and health, disability and justice categories stay hidden until shown on request.
        let categories = p.categories.map { full || !PersonCategories.sensitive.contains($0) ? $0 : Mask.hidden }
        var lines: [(String, StyleRole)] = [
            ("\(p.name)  \(p.sex?.label(chinese: t.chinese) ?? "")  \(Policy.birthShown(p, today: today, unmasked: full) ? p.birth.map { "\($0.iso)" } ?? "" : Mask.hidden)", .title),
            ("\(t[.address]): \(p.address)   \(t[.colCommunity]): \(state.site(p.community)?.name ?? p.community)", .normal),
            ("\(t[.idNumber]): \(full ? p.idNumber : Mask.idNumber(p.idNumber))   \(t[.phone]): \(full ? p.phone : Mask.phone(p.phone))"
                + (full ? "   (\(t[.unmasked]))" : ""), full ? .warning : .normal),
            ("\(t[.categories]): \(categories.joined(separator: "、"))", .normal),
            ("\(t[.colTier]): \(p.tier.label(chinese: t.chinese))   \(t[.colLastVisit]): \(state.lastVisits[Int(i)]?.iso ?? "-")   "
                + "\(t[.nextVisit]): \(state.nextVisitDue(of: Int(i)).iso)   \(t[.colWorker]): \(state.staffName(p.worker))", .normal),
        ]
        for v in state.volunteers where v.pairedWith.contains(i) {
            lines.append(("\(t.chinese ? "结对志愿者" : "Paired volunteer"): \(v.name) (\(v.id))", .normal))
        }
        for w in state.hub.wishes where w.person == i && w.isOpen {
            lines.append(("\(t.chinese ? "微心愿" : "Wish"): \(w.item) (\(w.id)) \(w.stage.label(chinese: t.chinese))", .normal))
        }
        let (offsets, restricted) = timelineOffsets(of: p, at: i)
        // What could meet the needs recorded for them, from what this viewer may read, above the timeline.
        let records = newestFirst(offsets)
        lines += suggestionLines(for: p, from: records)
        lines += [("", .normal), (t[.timeline], .header)] + restricted
        lines += timelineLines(records)
        return Detail(title: "\(p.name) · \(t[.profile])", subject: id, lines: lines)
    }

    /// The records on a person's timeline that the viewer may read: case notes and the visits of
    /// a case only as the policy allows. A restricted case of someone else's is a line to open
    /// (which is logged) instead.
    func timelineOffsets(of p: Person, at i: Int32) -> (offsets: [Int64], restricted: [(String, StyleRole)]) {
        var offsets = p.offsets
        var restricted: [(String, StyleRole)] = []
        for v in state.visitIndexes(of: i).map({ state.visits[Int($0)] }) {
            let linked = v.caseIndex >= 0 ? state.cases[Int(v.caseIndex)] : nil
            if Policy.visitNotes(person: p, case: linked, for: viewer, in: state) { offsets.append(v.offset) }
        }
        for c in state.cases where c.person == i {
            if Policy.caseNotesInTimeline(c, for: viewer, in: state) { offsets += c.offsets }
            else if Policy.caseFile(c, for: viewer, in: state) > .none {
                restricted.append(("\(c.id) \(c.number): \(t.chinese ? "受限个案,记录请在个案中查看(查看会被记录)" : "restricted case; open the case to read it (logged)")", .dim))
            }
        }
        for g in state.groups {
            for s in g.sessions where s.attendance[i] != nil { offsets.append(s.offset) }
        }
        return (Array(Set(offsets)), restricted)
    }

    func visit(_ id: String) -> Detail? {
        // A withdrawn visit is shown as its withdrawal in the timelines, not as a record.
        guard let v = state.visit(id), v.person >= 0, let e = event(v.offset) else { return nil }
        let p = v.person >= 0 ? state.people[Int(v.person)] : nil
        if let p, Policy.person(p, for: viewer, in: state) < .full { return person(p.id) }
        let linked = v.caseIndex >= 0 ? state.cases[Int(v.caseIndex)] : nil
        if let p, !Policy.visitNotes(person: p, case: linked, for: viewer, in: state) { return person(p.id) }
        var lines: [(String, StyleRole)] = [("\(v.day.iso)  \(p?.name ?? "?")  \(v.mode.label(chinese: t.chinese))  "
                                             + "\(state.staffName(v.worker))  v\(v.version)", .title)]
        if let form = Forms.spec("visit") {
            for f in form.fields {
                guard let value = e.body[f.key], !["person", "date", "mode", "worker"].contains(f.key) else { continue }
                let text = shown(value, as: f)
                if !text.isEmpty { lines.append(("\(f.label(chinese: t.chinese)): \(text)", .normal)) }
            }
        }
        return Detail(title: "\(t[.visits]) \(id)", subject: id, lines: lines)
    }

    func caseFile(_ id: String) -> Detail? {
        guard let c = state.caseFile(id) else { return nil }
        let visibility = Policy.caseFile(c, for: viewer, in: state)
        guard visibility > .none else { return nil }
        let p = state.people[Int(c.person)]
        if visibility < .full {
            return Detail(title: "\(t[.cases]) \(c.number)", subject: id, lines: [
                ("\(c.number)  \(p.name)  \(c.stage.label(chinese: t.chinese))  \(t[.colWorker]): \(state.staffName(c.worker))", .title),
                (t.chinese ? "(仅显示工作所需信息;个案记录仅负责社工及其督导可见)" : "(need-to-know view; case notes are for the worker and their supervisor)", .dim),
            ])
        }
        var lines: [(String, StyleRole)] = [
            ("\(c.number)  \(p.name)  \(c.stage.label(chinese: t.chinese))  \(t[.colWorker]): \(state.staffName(c.worker))", .title),
            ("\(t[.colOpened]): \(c.openedOn.iso)  \(c.source.label(chinese: t.chinese))  \(t[.colRisk]): \(c.risk?.label(chinese: t.chinese) ?? "-")"
                + (c.flags.isEmpty ? "" : "  [\(c.flags.map { $0.label(chinese: t.chinese) }.joined(separator: ","))]"), c.isRestricted ? .warning : .normal),
            ("\(t.chinese ? "主要问题" : "Problem"): \(c.problem)", .normal),
        ]
        // What the intake recorded beyond the problem (自愿, 期望, 初步筛查), as the form labels it.
        if let opened = c.offsets.first.flatMap(event), let form = Forms.spec("case") {
            for f in form.fields where ["voluntary", "expectations", "screening"].contains(f.key) {
                guard let value = opened.body[f.key] else { continue }
                let text = value.bool.map { $0 ? t[.yes] : t[.no] } ?? shown(value, as: f)
                if !text.isEmpty { lines.append(("\(f.label(chinese: t.chinese)): \(text)", .normal)) }
            }
        }
        if !c.objectives.isEmpty {
            lines.append((t.chinese ? "服务目标:" : "Objectives:", .header))
            for o in c.objectives { lines.append(("  \(o.id) [\(o.status.label(chinese: t.chinese))] \(o.text)", .normal)) }
        }
        if let r = c.closure, c.stage == .closing || c.stage == .closed {
            let label = c.stage == .closed ? (t.chinese ? "结案" : "Closed") : (t.chinese ? "结案申请" : "Closure request")
            let when = c.closedOn.map { " · \($0.iso)" } ?? ""
            lines.append(("\(label): \(r.type.label(chinese: t.chinese)) · \(r.summary) · \(state.staffName(r.requestedBy))\(when)", .accent))
        }
        lines.append(("", .normal))
        lines.append((t[.timeline], .header))
        lines += timelineLines(newestFirst(c.offsets))
        return Detail(title: "\(t[.cases]) \(c.number)", subject: id, lines: lines)
    }

    func group(_ id: String) -> Detail? {
        guard let g = state.group(id), Policy.groups(for: viewer) > .none else { return nil }
        var lines: [(String, StyleRole)] = [
            ("\(g.name)  \(g.kind.label(chinese: t.chinese))  \(state.site(g.site)?.name ?? g.site)", .title),
            ("\(t.chinese ? "目标" : "Goals"): \(g.goals)   \(t[.colSessions]): \(g.sessions.count)/\(g.plannedSessions)", .normal),
            ("\(t[.colMembers]): " + g.members.map { state.people[Int($0)].name }.joined(separator: "、"), .normal),
            ("", .normal),
        ]
        for s in g.sessions.reversed() {
            let marks = g.members.map { m in "\(state.people[Int(m)].name):\(s.attendance[m]?.label(chinese: t.chinese) ?? "-")" }
            lines.append(("\(s.day.iso)  #\(s.number) \(s.stage)  \(marks.joined(separator: " "))", .normal))
            if let e = event(s.offset), let record = e.body["record"]?.string { lines.append(("    \(record)", .dim)) }
        }
        return Detail(title: "\(t[.groups]) \(g.name)", subject: id, lines: lines)
    }

    func volunteer(_ id: String) -> Detail? {
        guard let i = state.volunteerPosition(id), Policy.volunteers(for: viewer) > .none else { return nil }
        let v = state.volunteers[Int(i)]
        let hours = state.certifiedHours(i)
        var lines: [(String, StyleRole)] = [
            ("\(v.name)  \(v.team)  \(t[.colStars]): \(Volunteer.stars(hours: hours))  \(t[.colHours]): \(formatHours(hours))  "
                + "\(t[.colBalance]): \(formatHours(state.timeBankBalance(i)))", .title),
            ("\(t[.colSkills]): \(v.skills.joined(separator: "、"))  \(t.chinese ? "可服务时间" : "Available"): \(v.availability)", .normal),
            ("", .normal), (t.chinese ? "服务时长记录" : "Service hours", .header),
        ]
        for h in state.hours.reversed() where h.volunteer == i {
            lines.append(("\(h.day.iso)  \(formatHours(h.hours)) \(t.chinese ? "小时" : "h")  \(h.activity)  (\(state.staffName(h.recorder)))", .normal))
        }
        lines.append((t.chinese ? "时间银行" : "Time bank", .header))
        for e in state.timeBank.reversed() where e.volunteer == i {
            lines.append(("\(e.day.iso)  \(e.hours > 0 ? "+" : "")\(formatHours(e.hours)) \(t.chinese ? "小时" : "h")  \(e.note)", .normal))
        }
        return Detail(title: "\(t[.volunteers]) \(v.name)", subject: id, lines: lines)
    }
}

/// 志愿服务证明: a plain-text statement of a volunteer's certified hours.
public enum Certificate {
    public static func text(volunteer id: String, state: State, issuer: String, today: Day) -> String? {
        guard let i = state.volunteerPosition(id) else { return nil }
        let v = state.volunteers[Int(i)]
        let records = state.hours.filter { $0.volunteer == i }
        // The total the list, the detail and the export show, so the certificate never differs from them.
        let total = state.certifiedHours(i)
        let number = "ZYFW-\(today.iso.replacingDashes)-\(id)"
        var out = "志愿服务证明\n\n证明编号: \(number)\n\n"
        out += "兹证明 \(v.name)(身份证号 \(Mask.idNumber(v.idNumber)))为 \(v.team) 注册志愿者,"
        out += "截至 \(today.iso) 累计参加志愿服务 \(formatHours(total)) 小时(不含往返路程),星级 \(Volunteer.stars(hours: total)) 星。\n\n"
        out += "服务记录:\n"
        for h in records { out += "  \(h.day.iso)  \(h.activity)  \(formatHours(h.hours)) 小时\n" }
        out += "\n出具单位: \(state.station)\n经办人: \(issuer)\n日期: \(today.iso)\n"
        return out
    }
}

extension String {
    var replacingDashes: String { String(filter { $0 != "-" }) }
}
