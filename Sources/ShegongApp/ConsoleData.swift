import ShegongDomain
import ShegongStore
import ShegongTerminal

/// What the screens are computed from: the store (read only; the effect runner writes), who is
/// looking, today, and caches of derived rows that are dropped when the log grows. The reducer
/// and the renderer ask it; neither keeps any of it.
public final class ConsoleData {
    public let store: Store
    public let strings: Strings
    public let actor: String
    public var today: Day
    /// Set by the runner for the very first frame: the month's figures (a scan of every visit)
    /// are drawn one frame later, so the screen appears at once.
    public var deferMonthFigures = false
    var rows: [Screen: FilteredRows] = [:]
    var homeCache: (count: Int, rows: [HomeRow])?
    var reportCache: (count: Int, reports: [String: Report]) = (-1, [:])
    var caseloadCache: (count: Int, rows: [WorkerLoad])?

    public init(store: Store, strings: Strings, actor: String, today: Day) {
        self.store = store
        self.strings = strings
        self.actor = actor
        self.today = today
    }

    public var state: State { store.state }
    var role: Role? { state.staff[actor]?.role }
    /// Who is looking; an account removed from the roster while the console is open sees nothing.
    var viewer: Viewer { Policy.viewer(actor, in: state) ?? .nobody(actor) }

    // MARK: Rows of a screen

    func listRows(_ screen: Screen, _ ui: ConsoleState) -> FilteredRows {
        guard let spec = screen.list(today: today) else { return FilteredRows() }
        var r = rows[screen] ?? FilteredRows()
        let sort = ui.sorts[screen]
        r.update(spec, state: state, viewer: viewer, query: ui.filters[screen]?.text ?? "",
                 sort: sort.map { ($0.column, $0.ascending) }, strings: strings)
        rows[screen] = r
        return r
    }

    /// Builds a list's search text ahead of the first typed character.
    func prepareSearch(_ screen: Screen) {
        guard let spec = screen.list(today: today) else { return }
        var r = rows[screen] ?? FilteredRows()
        r.prepareSearch(spec, state: state, viewer: viewer, strings: strings)
        rows[screen] = r
    }

    func rowCount(_ screen: Screen, _ ui: ConsoleState) -> Int {
        switch screen {
        case .home: homeRows.count
        case .caseload: caseloadRows.count
        case .reports: Report.allDefinitions.count
        default: listRows(screen, ui).indices.count
        }
    }

    /// The record on row `row` of a screen: a person, case, visit, group or volunteer id, or a
    /// worker's account on the caseload screen.
    func subject(_ screen: Screen, _ ui: ConsoleState, row: Int) -> String? {
        switch screen {
        case .home: return homeRows.indices.contains(row) ? subject(of: homeRows[row]) : nil
        case .caseload: return caseloadRows.indices.contains(row) ? caseloadRows[row].account : nil
        case .reports: return Report.allDefinitions.indices.contains(row) ? Self.reportPrefix + Report.allDefinitions[row].key : nil
        default:
            guard let spec = screen.list(today: today) else { return nil }
            let r = listRows(screen, ui)
            return r.indices.indices.contains(row) ? spec.subject(state, r.indices[row]) : nil
        }
    }

    /// The row showing `subject`, if it is in the list.
    func row(of subject: String, _ screen: Screen, _ ui: ConsoleState) -> Int? {
        switch screen {
        case .home: return homeRows.firstIndex { self.subject(of: $0) == subject }
        case .caseload: return caseloadRows.firstIndex { $0.account == subject }
        case .reports: return Report.allDefinitions.firstIndex { Self.reportPrefix + $0.key == subject }
        default:
            guard let record = recordIndex(of: subject, on: screen) else { return nil }
            return listRows(screen, ui).indices.firstIndex(of: record)
        }
    }

    func recordIndex(of subject: String, on screen: Screen) -> Int32? {
        switch screen {
        case .people: state.personPosition(subject)
        case .cases: state.casePosition(subject)
        case .groups: state.groupIndex[subject]
        case .volunteers: state.volunteerPosition(subject)
        case .visits: state.visitPosition(subject)
        case .projects: state.hub.projectPosition(subject)
        case .funds: ledgerEntryIndex(subject)
        case .organisations: state.hub.organisationPosition(subject)
        case .talent: state.hub.talentPosition(subject)
        case .wishes: state.hub.wishPosition(subject)
        default: nil
        }
    }

    /// A ledger row's subject, "F-1/L-6", back to its entry.
    /// A bare entry id (what a save names, "L-6") finds its first side.
    func ledgerEntryIndex(_ subject: String) -> Int32? {
        let parts = subject.split(separator: "/").map(String.init)
        if parts.count == 1 { return state.hub.entries.firstIndex { $0.id == subject }.map(Int32.init) }
        guard parts.count == 2, let fund = state.hub.fundPosition(parts[0]) else { return nil }
        return state.hub.entryPosition(parts[1], fund: fund)
    }

    /// The row the selection is on now: its record's row, or (the record left the list) the
    /// nearest row to where it was.
    func selectedRow(_ screen: Screen, _ ui: ConsoleState) -> Int {
        let s = ui.selections[screen] ?? Selection()
        let count = rowCount(screen, ui)
        if let subject = s.subject, let row = row(of: subject, screen, ui) { return row }
        return max(0, min(s.row, count - 1))
    }

    /// Rows of the table that fit on screen (header, tabs, filter line, column titles, status).
    func pageRows(_ screen: Screen, height: Int) -> Int {
        max(1, height - (screen == .caseload ? 4 : screen == .reports ? 6 : 5))
    }

    // MARK: Records by name

    /// How a person reads a record: "张晓芳 · P-1", "张晓芳 · 弹子石-2026-0042", a group's name.
    /// A record the viewer may not know about is named by its id only (a hand-made draft or a
    /// stale history entry must not tell a name).
    func subjectLabel(_ subject: String) -> String {
        let v = viewer
        if let p = state.person(subject) { return Policy.person(p, for: v, in: state) > .none ? "\(p.name) · \(p.id)" : subject }
        if let c = state.caseFile(subject) {
            guard Policy.caseFile(c, for: v, in: state) > .none else { return subject }
            let name = Policy.personNameShown(on: c, for: v, in: state) ? state.people[Int(c.person)].name : "***"
            return "\(name) · \(c.number)"
        }
        if let g = state.group(subject) { return "\(g.name) · \(g.id)" }
        if let vol = state.volunteer(subject) { return "\(vol.name) · \(vol.id)" }
        if let visit = state.visit(subject) {
            // A withdrawn visit belongs to nobody; one of a person the viewer may not see is its id.
            guard visit.person >= 0, Policy.person(state.people[Int(visit.person)], for: v, in: state) > .none else { return subject }
            return "\(state.people[Int(visit.person)].name) · \(visit.day.iso) · \(visit.id)"
        }
        if let s = state.staff[subject] { return "\(s.name) · \(s.account)" }
        if let p = state.hub.project(subject) { return Policy.hub(for: v) == .full ? "\(p.name) · \(p.id)" : subject }
        if let o = state.hub.organisation(subject) { return Policy.hub(for: v) == .full ? "\(o.name) · \(o.id)" : subject }
        if let x = state.hub.talent(subject) { return Policy.hub(for: v) == .full ? "\(x.name) · \(x.id)" : subject }
        if let w = state.hub.wish(subject) { return Policy.wish(w, for: v, in: state) > .none ? "\(w.item) · \(w.id)" : subject }
        if let tr = state.hub.training(subject) { return Policy.hub(for: v) == .full ? "\(tr.title) · \(tr.day.iso) · \(tr.id)" : subject }
        if let f = state.hub.fund(subject.split(separator: "/").first.map(String.init) ?? subject) {
            return Policy.hub(for: v) == .full ? "\(f.name) · \(subject)" : subject
        }
        if let i = state.hoursPosition(subject) {
            let h = state.hours[Int(i)]
            return "\(state.volunteers[Int(h.volunteer)].name) \(formatHours(h.hours))\(strings.chinese ? " 小时" : " h")"
        }
        return subject
    }


    func detail(_ subject: String, _ ui: ConsoleState, top: Int = 0) -> Detail? {
        let builder = DetailBuilder(state: state, store: store, t: strings, unmasked: ui.unmasked, viewer: viewer, today: today)
        var d: Detail?
        if subject.isEmpty { d = accessLog() }
        else if subject.hasPrefix(Self.reportPrefix) { d = drillDown(String(subject.dropFirst(Self.reportPrefix.count)), ui) }
        else {
            switch subject.split(separator: "-").first ?? "" {
            case "P": d = builder.person(subject)
            case "V": d = builder.visit(subject)
            case "C": d = builder.caseFile(subject)
            case "G": d = builder.group(subject)
            case "VOL": d = builder.volunteer(subject)
            case "PJ": d = builder.project(subject)
            case "F": d = builder.fund(subject, year: today)
            case "O": d = builder.organisation(subject)
            case "T": d = builder.talent(subject)
            case "W": d = builder.wish(subject)
            default: d = nil
            }
        }
        guard var shown = d else { return nil }
        // Every opened record names its kind and its subject the way a person reads it.
        let kind: Text? = switch subject.split(separator: "-").first ?? "" {
        case "P": .people
        case "V": .visits
        case "C": .cases
        case "G": .groups
        case "VOL": .volunteers
        case "PJ": .projects
        case "F": .funds
        case "O": .organisations
        case "T": .talent
        case "W": .wishes
        default: nil
        }
        if let kind { shown.title = "\(strings[kind]) · \(subjectLabel(subject))" }
        shown.top = max(0, min(top, shown.lines.count - 1))
        return shown
    }

    /// Who opened restricted cases and unmasked fields, newest first (supervisors, admin).
    func accessLog() -> Detail {
        let lines = state.access.suffix(500).reversed().map { a in
            (text: "\(a.at.local())  \(state.staffName(a.actor))  \(accessWhat(a.what))  \(subjectLabel(a.subject))", role: StyleRole.normal)
        }
        return Detail(title: strings.chinese ? "访问记录" : "Access log", subject: "", lines: Array(lines))
    }

    /// What an access record says was seen, in the user's words: "身份证号、电话", "个案", "导入 20 条".
    func accessWhat(_ what: String) -> String {
        let zh = strings.chinese
        if what == "case" { return zh ? "查看个案" : "opened the case" }
        if what.hasPrefix("import ") { return zh ? "导入 \(what.dropFirst(7)) 条" : what }
        return (zh ? "显示 " : "showed ") + what.split(separator: ",").map { Forms.fieldLabel(String($0), chinese: zh) }.joined(separator: zh ? "、" : ", ")
    }

    /// The record's current values as an edit form shows them, and a placeholder for each field
    /// that stays masked (left blank it keeps its value; `u` first shows it, with an access record).
    func editPrefill(_ name: String, subject: String, unmasked: Set<String>) -> (values: [String: String], placeholders: [String: String]) {
        var prefill: [String: String] = [:]
        var placeholders: [String: String] = [:]
        if name == "visit-amend", let v = state.visit(subject), let e = try? store.record(at: v.offset).event {
            for f in e.body.fields ?? [] { prefill[f.key] = f.value.string ?? f.value.strings.joined(separator: ",") }
            if let p = prefill["person"], let person = state.person(p) { prefill["person"] = "\(p) \(person.name)" }
        }
        if name == "org-update", let o = state.hub.organisation(subject) {
            prefill = ["leader": o.leader, "members": String(o.members), "field": o.field.rawValue]
        }
        // The stage an organisation moves to is, nearly always, the next one.
        if name == "org-stage", let o = state.hub.organisation(subject), let next = o.stage.next { prefill["stage"] = next.rawValue }
        if name == "person-update", let p = state.person(subject) {
            prefill = ["name": p.name, "sex": p.sex?.rawValue ?? "", "birth": p.birth?.iso ?? "", "idno": p.idNumber, "phone": p.phone,
                       "address": p.address, "community": labelled(p.community), "household": p.household,
                       "categories": p.categories.joined(separator: ","), "tier": p.tier.rawValue, "worker": labelled(p.worker)]
            if !unmasked.contains(subject) {
                for key in Policy.maskedFields(of: p, today: today) {
                    prefill[key] = nil
                    placeholders[key] = strings.chinese ? "(已隐藏;不填则保持不变,按 u 显示)" : "(hidden; left blank it stays, u shows it)"
                }
            }
        }
        return (prefill, placeholders)
    }

    /// A reference as a form shows it: the id the form keeps, then what a person reads
    /// ("S-2 彩云社区", "sg001 张晓芳", "C-5 彩云-2026-0005").
    func labelled(_ id: String) -> String {
        if let site = state.site(id) { return "\(id) \(site.name)" }
        if let staff = state.staff[id] { return "\(id) \(staff.name)" }
        if let p = state.person(id) { return Policy.person(p, for: viewer, in: state) > .none ? "\(id) \(p.name)" : id }
        if let c = state.caseFile(id) { return Policy.caseFile(c, for: viewer, in: state) > .none ? "\(id) \(c.number)" : id }
        if let v = state.volunteer(id) { return "\(id) \(v.name)" }
        if let g = state.group(id) { return "\(id) \(g.name)" }
        if let f = state.hub.fund(id) { return "\(id) \(f.name)" }
        if let p = state.hub.project(id) { return "\(id) \(p.name)" }
        if let o = state.hub.organisation(id) { return "\(id) \(o.name)" }
        if let x = state.hub.talent(id) { return "\(id) \(x.name)" }
        if let w = state.hub.wish(id) { return "\(id) \(w.item)" }
        return id
    }

    /// Values a new record's form takes from the selected record: its person, an open case of
    /// the user's own, a volunteer, a group.
    func prefillFromSelection(_ spec: FormSpec, subject: String) -> [String: String] {
        var out: [String: String] = [:]
        let caseFile = state.caseFile(subject)
        let person = state.person(subject) ?? caseFile.map { state.people[Int($0.person)] }
        for field in spec.fields {
            switch field.kind {
            case .person:
                if let p = person, Policy.person(p, for: viewer, in: state) == .full { out[field.key] = labelled(p.id) }
            case .caseRef:
                if let c = caseFile, c.isOpen, c.worker == actor { out[field.key] = labelled(c.id) }
            case .volunteer:
                if state.volunteer(subject) != nil { out[field.key] = labelled(subject) }
            case .group:
                if state.group(subject) != nil { out[field.key] = labelled(subject) }
            case .project:
                if state.hub.project(subject) != nil { out[field.key] = labelled(subject) }
            case .organisation:
                if state.hub.organisation(subject) != nil { out[field.key] = labelled(subject) }
            case .talent, .talents:
                // The selected person is who a certificate or supervision is about, and who attended a training.
                if state.hub.talent(subject) != nil, field.key == "id" || field.key == "attendees" { out[field.key] = labelled(subject) }
            case .wish:
                if state.hub.wish(subject) != nil { out[field.key] = labelled(subject) }
            case .fund, .ledgerEntry:
                // A ledger row ("F-1/L-6"): its fund for a new entry, the entry itself for a reversal.
                let parts = subject.split(separator: "/").map(String.init)
                if parts.count == 2, state.hub.fund(parts[0]) != nil, field.kind == .ledgerEntry || field.key == "fund" {
                    out[field.key] = field.kind == .fund ? labelled(parts[0]) : parts[1]
                }
            default: break
            }
        }
        return out
    }

    func subjectMatches(_ subject: String, kind: FieldKind, form: String) -> Bool {
        switch kind {
        case .person: return state.person(subject) != nil
        case .caseRef: return state.caseFile(subject) != nil
        case .group: return state.group(subject) != nil
        case .volunteer: return state.volunteer(subject) != nil
        case .text: return form == "visit-amend" && state.visit(subject) != nil
        case .hoursRecord: return state.hoursPosition(subject) != nil
        case .project: return state.hub.project(subject) != nil
        case .organisation: return state.hub.organisation(subject) != nil
        case .talent: return state.hub.talent(subject) != nil
        case .wish: return state.hub.wish(subject) != nil
        default: return false
        }
    }

    // MARK: Reports

    /// A report figure as a selectable row: "report:KEY".
    static let reportPrefix = "report:"

    /// The records behind one figure of the report on screen: each with its day, what it is,
    /// whom it concerns (where the user may see that) and what it adds, so the list adds up to
    /// the figure. District users see figures only.
    func drillDown(_ key: String, _ ui: ConsoleState) -> Detail? {
        guard let d = Report.allDefinitions.first(where: { $0.key == key }), viewer.role != .district else { return nil }
        let t = strings
        let month = ui.reportMonth
        let last = month.adding(months: 1).adding(days: -1)
        let report = Report(state: state, from: month, to: today >= month ? min(last, today) : last, site: ui.reportSite, drillDown: true)
        let items = report.items[key] ?? []
        let site = ui.reportSite.flatMap { state.site($0)?.name } ?? state.station
        var lines: [(text: String, role: StyleRole)] = [
            ("\(t.chinese ? d.zh : d.en) = \(report.formatted(key))   \(report.from.iso) — \(report.to.iso)   \(site)", .title),
            (t.chinese ? d.defZh : d.defEn, .dim),
            (t.chinese ? "以下 \(items.count) 条记录合计即为该数:" : "The \(items.count) records below add up to it:", .normal),
        ]
        for item in items.sorted(by: { ($0.day ?? report.from) > ($1.day ?? report.from) }) {
            let weight = HubReport.moneyKeys.contains(key) ? "  \(Money(wan: item.weight).yuan)"
                : item.weight == 1 ? "" : "  +\(formatHours(item.weight))"
            lines.append(("\(item.day?.iso ?? "          ")  \(item.subject)  \(visibleLabel(item.subject))\(weight)", .normal))
        }
        return Detail(title: "\(t[.reports]) · \(t.chinese ? d.zh : d.en)", subject: Self.reportPrefix + key, lines: lines)
    }

    /// A record's label where the viewer may see whom it concerns, else only that it exists.
    func visibleLabel(_ subject: String) -> String {
        let hidden = strings.chinese ? "(无权查看)" : "(not yours to see)"
        if let p = state.person(subject) { return Policy.person(p, for: viewer, in: state) >= .summary ? p.name : hidden }
        if let c = state.caseFile(subject) { return Policy.caseFile(c, for: viewer, in: state) >= .summary ? subjectLabel(subject) : hidden }
        if let v = state.visit(subject) {
            return v.person >= 0 && Policy.person(state.people[Int(v.person)], for: viewer, in: state) >= .summary
                ? state.people[Int(v.person)].name : hidden
        }
        if let g = state.group(subject) { return g.name }
        if let a = state.activities.first(where: { $0.id == subject }) { return a.name }
        if let vol = state.volunteer(subject) { return Policy.volunteers(for: viewer) >= .summary ? vol.name : hidden }
        if let h = state.hoursPosition(subject) { return state.volunteers[Int(state.hours[Int(h)].volunteer)].name }
        if let p = state.hub.project(subject) { return Policy.hub(for: viewer) == .full ? p.name : hidden }
        if let o = state.hub.organisation(subject) { return Policy.hub(for: viewer) == .full ? o.name : hidden }
        if let x = state.hub.talent(subject) { return Policy.hub(for: viewer) == .full ? x.name : hidden }
        if let tr = state.hub.training(subject) { return Policy.hub(for: viewer) == .full ? "\(tr.title) (\(tr.attendees.count))" : hidden }
        if let w = state.hub.wish(subject) { return Policy.wish(w, for: viewer, in: state) > .none ? w.item : hidden }
        if let i = ledgerEntryIndex(subject) {
            let e = state.hub.entries[Int(i)]
            return Policy.hub(for: viewer) == .full ? "\(state.hub.funds[Int(e.fund)].name) \(e.kind.label(chinese: strings.chinese)) \(e.counterparty)" : hidden
        }
        return ""
    }

    var readOnlyReason: StoreError? { store.readOnlyReason }

    func report(_ ui: ConsoleState) -> Report { report(month: ui.reportMonth, site: ui.reportSite) }

    /// The figures for a calendar month (up to today while it is still running) and a site.
    func report(month: Day, site: String?) -> Report {
        let last = month.adding(months: 1).adding(days: -1)
        let to = today >= month ? min(last, today) : last
        if reportCache.count != state.eventCount { reportCache = (state.eventCount, [:]) }
        let key = "\(month.iso)|\(to.iso)|\(site ?? "")"
        if let r = reportCache.reports[key] { return r }
        let r = Report(state: state, from: month, to: to, site: site)
        reportCache.reports[key] = r
        return r
    }
}
