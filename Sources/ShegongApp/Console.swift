#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain
import ShegongStore
import ShegongTerminal

/// What covers the screen above the current tab.
public enum Overlay: Equatable, Sendable {
    case help
    case palette(Palette)
    case form(FormState)
    case detail(Detail)
    case confirmLeave(FormState)
    case restoreDraft(DraftStore.Draft)
    case message(title: String, lines: [String], isError: Bool)
}

/// The console: UI state, the reducer for keys, and rendering into a grid. It holds the store,
/// follows it live, and never touches a terminal itself (the backend does).
public final class Console {
    public let store: Store
    public let strings: Strings
    public let actor: String
    public var today: Day
    let drafts: DraftStore?
    let makeContext: () -> EventContext

    public private(set) var screen: Screen = .home
    public private(set) var overlays: [Overlay] = []
    public private(set) var status = ""
    public private(set) var statusRole: StyleRole = .status
    public private(set) var quitRequested = false
    var tables: [Screen: TableView] = [:]
    var rows: [Screen: FilteredRows] = [:]
    var filters: [Screen: TextField] = [:]
    var filtering = false
    var reportMonth: Day
    /// The site the report is for (nil: the whole store); figures roll up over the sites below it.
    var reportSite: String?
    var unmasked = Set<String>()
    var homeCache: (count: Int, rows: [HomeRow])?
    /// Set by the runner for the very first frame: the month's figures (a scan of every visit)
    /// are drawn one frame later, so the screen appears at once.
    public var deferMonthFigures = false
    /// Reports already computed since the log last grew (home and the reports screen share them).
    var reportCache: (count: Int, reports: [String: Report]) = (-1, [:])
    var caseloadCache: (count: Int, rows: [WorkerLoad])?
    var damageAnnounced = false

    public init(store: Store, strings: Strings, actor: String, today: Day, drafts: DraftStore?,
                makeContext: @escaping () -> EventContext) {
        self.store = store
        self.strings = strings
        self.actor = actor
        self.today = today
        self.drafts = drafts
        self.makeContext = makeContext
        reportMonth = today.firstOfMonth
        if let reason = store.readOnlyReason {
            damageAnnounced = store.damage != nil
            setStatus("\(strings[.readOnly]): \(Messages.store(reason, strings))", role: .warning)
        }
        if let draft = drafts?.load(), Forms.spec(draft.form) != nil { overlays = [.restoreDraft(draft)] }
    }

    var state: State { store.state }
    var role: Role? { state.staff[actor]?.role }
    /// Who is looking; an account removed from the roster while the console is open sees nothing.
    var viewer: Viewer { Policy.viewer(actor, in: state) ?? .nobody(actor) }

    public func setStatus(_ text: String, role: StyleRole = .status) {
        status = text
        statusRole = role
    }

    // MARK: Live

    /// Reads records other processes appended; returns true when the screen should be redrawn.
    @discardableResult
    public func follow() -> Bool {
        let before = state.eventCount
        do { try store.refresh() } catch { setStatus("\(error)", role: .error) }
        // Damage found by the background check (or behind a colleague's record) is said once, when
        // it is found; after that the read-only marker and refused saves keep saying it.
        if !damageAnnounced, store.damage != nil, let reason = store.readOnlyReason {
            damageAnnounced = true
            setStatus(Messages.store(reason, strings), role: .error)
            return true
        }
        let n = state.eventCount - before
        if n > 0 { setStatus("\(n) \(strings[.newRecordsArrived])", role: .ok) }
        return n > 0
    }

    // MARK: Keys

    public func handle(_ key: Key) {
        if key == .resize { return }
        if let top = overlays.last {
            handleOverlay(top, key)
            return
        }
        if filtering {
            var f = filters[screen] ?? TextField()
            switch key {
            case .enter, .escape, .down, .up:
                filtering = false
                if key == .escape { f.clear() }
                if key == .down || key == .up { _ = tableHandle(key) }
            default:
                f.handle(key)
            }
            filters[screen] = f
            return
        }
        if tableHandle(key) { return }
        guard let action = ActionRegistry.action(for: key, on: screen) else { return }
        perform(action)
    }

    func tableHandle(_ key: Key) -> Bool {
        guard screen != .reports else { return false }
        var table = tables[screen] ?? TableView(columns: [])
        let used = table.handle(key, pageSize: 18)
        tables[screen] = table
        return used
    }

    public func perform(_ action: AppAction) {
        if action.changesData, let reason = store.readOnlyReason {
            setStatus("\(strings[.readOnly]): \(Messages.store(reason, strings))", role: .error)
            return
        }
        switch action.id {
        case let id where id.hasPrefix("screen.") && !["screen.next", "screen.previous"].contains(id):
            if let s = Screen.allCases.first(where: { "screen.\($0)" == id }) { screen = s }
        case "screen.next": screen = Screen(rawValue: (screen.rawValue + 1) % Screen.allCases.count)!
        case "screen.previous": screen = Screen(rawValue: (screen.rawValue + Screen.allCases.count - 1) % Screen.allCases.count)!
        case "filter":
            filtering = true
            if let spec = screen.list {
                var r = rows[screen] ?? FilteredRows()
                r.prepareSearch(spec, state: state, viewer: viewer, strings: strings)
                rows[screen] = r
            }
        case "open": openSelected()
        case "sort":
            var table = tables[screen] ?? TableView(columns: [])
            if let spec = screen.list { table.columns = spec.columns(strings) }
            table.cycleSort()
            tables[screen] = table
        case "palette":
            var p = Palette()
            p.update(entries: paletteEntries)
            overlays.append(.palette(p))
        case "help": overlays.append(.help)
        case "quit": quitRequested = true
        case "back": filters[screen]?.clear()
        case "report.previous": reportMonth = reportMonth.adding(months: -1)
        case "report.next": reportMonth = reportMonth.adding(months: 1)
        case "report.export": exportReport()
        case "report.site":
            let ids = state.sites.map(\.id)
            if let current = reportSite, let i = ids.firstIndex(of: current) { reportSite = i + 1 < ids.count ? ids[i + 1] : nil }
            else { reportSite = ids.first }
        case "volunteer.certificate": exportCertificate()
        case "person.unmask": unmaskSelected()
        case "access.review": reviewAccess()
        default:
            if let form = action.form { openForm(form) }
        }
    }

    var paletteEntries: [ActionEntry] {
        ActionRegistry.available(on: screen).filter { !["palette", "back"].contains($0.id) }.map {
            ActionEntry(id: $0.id, keys: $0.keyLabel, label: $0.label(strings), enabled: !$0.changesData || store.readOnlyReason == nil)
        }
    }

    func handleOverlay(_ overlay: Overlay, _ key: Key) {
        switch overlay {
        case .help:
            if key == .escape || key == .char("?") || key == .char("q") { overlays.removeLast() }
        case .palette(var p):
            switch key {
            case .escape: overlays.removeLast()
            case .enter:
                overlays.removeLast()
                if let id = p.selectedAction?.id, let action = ActionRegistry.named(id) { perform(action) }
            case .up, .down: _ = p.list.handle(key); replaceTop(.palette(p))
            default:
                p.field.handle(key)
                p.update(entries: paletteEntries)
                replaceTop(.palette(p))
            }
        case .form(var form):
            switch key {
            case .ctrl("s"): save(form)
            case .escape:
                if form.dirty { overlays.append(.confirmLeave(form)) } else { closeForm() }
            default:
                if form.handle(key, state: state) {
                    replaceTop(.form(form))
                    drafts?.save(DraftStore.Draft(form: form.name, values: form.values.filter { form.hidden[$0.key] == nil },
                                                  hidden: form.hidden))
                }
            }
        case .confirmLeave:
            switch key {
            case .char("y"), .char("Y"), .char("是"):
                overlays.removeLast()
                closeForm()
            case .char("n"), .char("N"), .escape, .char("否"):
                overlays.removeLast()
            default: break
            }
        case .restoreDraft(let draft):
            switch key {
            case .char("y"), .char("Y"), .enter, .char("是"):
                overlays.removeLast()
                if let spec = Forms.spec(draft.form) {
                    var form = FormState(form: spec, strings: strings, state: state, hidden: draft.hidden)
                    form.restore(values: draft.values)
                    overlays.append(.form(form))
                    setStatus(strings[.draftRestored], role: .ok)
                }
            case .char("n"), .char("N"), .escape, .char("否"):
                overlays.removeLast()
                drafts?.clear()
            default: break
            }
        case .detail(var d):
            switch key {
            case .escape, .char("q"): overlays.removeLast()
            case .down, .char("j"): d.top = min(max(0, d.lines.count - 1), d.top + 1); replaceTop(.detail(d))
            case .up, .char("k"): d.top = max(0, d.top - 1); replaceTop(.detail(d))
            case .pageDown: d.top = min(max(0, d.lines.count - 1), d.top + 15); replaceTop(.detail(d))
            case .pageUp: d.top = max(0, d.top - 15); replaceTop(.detail(d))
            default:
                if let action = ActionRegistry.action(for: key, on: screen), action.form != nil || action.id == "person.unmask" {
                    perform(action)
                }
            }
        case .message:
            if key == .escape || key == .enter || key == .char(" ") { overlays.removeLast() }
        }
    }

    func replaceTop(_ overlay: Overlay) { overlays[overlays.count - 1] = overlay }

    func closeForm() {
        if let i = overlays.lastIndex(where: { if case .form = $0 { return true }; return false }) { overlays.remove(at: i) }
        drafts?.clear()
    }

    // MARK: Selection and forms

    /// The record the user has in front of them: an open detail, else the selected row.
    var selectedSubject: String? {
        for o in overlays.reversed() { if case .detail(let d) = o { return d.subject } }
        if screen == .home { return homeRows.indices.contains(selectedIndex) ? subject(of: homeRows[selectedIndex]) : nil }
        guard let spec = screen.list else { return nil }
        let r = currentRows(spec)
        return r.indices.indices.contains(selectedIndex) ? spec.subject(state, r.indices[selectedIndex]) : nil
    }

    var selectedIndex: Int { tables[screen]?.selected ?? 0 }

    func openForm(_ name: String) {
        guard let spec = Forms.spec(name) else { return }
        var hidden: [String: String] = [:]
        var prefill: [String: String] = [:]
        let subject = selectedSubject
        if case .existing(let kind) = spec.subject {
            guard let subject, subjectMatches(subject, kind: kind, form: name) else {
                setStatus(strings.chinese ? "请先选择一条相应的记录" : "Select a matching record first", role: .warning)
                return
            }
            hidden["id"] = subject
            if spec.versioned, let v = state.version(of: subject) { hidden["base"] = String(v) }
            prefill = editPrefill(name, subject: subject)
        }
        if name == "visit", let subject, let p = state.person(subject) { prefill["person"] = "\(subject) \(p.name)" }
        if ["person", "group", "activity", "volunteer"].contains(name), let site = state.staff[actor]?.site {
            prefill[name == "person" ? "community" : "site"] = site
        }
        overlays.append(.form(FormState(form: spec, strings: strings, state: state, prefill: prefill, hidden: hidden)))
    }

    /// The record's current values as an edit form shows them.
    func editPrefill(_ name: String, subject: String) -> [String: String] {
        var prefill: [String: String] = [:]
        if name == "visit-amend", let v = state.visit(subject), let e = try? store.record(at: v.offset).event {
            for f in e.body.fields ?? [] { prefill[f.key] = f.value.string ?? f.value.strings.joined(separator: ",") }
            if let p = prefill["person"], let person = state.person(p) { prefill["person"] = "\(p) \(person.name)" }
        }
        if name == "person-update", let p = state.person(subject) {
            prefill = ["name": p.name, "phone": p.phone, "address": p.address, "community": p.community, "tier": p.tier.rawValue]
        }
        return prefill
    }

    func subjectMatches(_ subject: String, kind: FieldKind, form: String) -> Bool {
        switch kind {
        case .person: return state.person(subject) != nil
        case .caseRef: return state.caseFile(subject) != nil
        case .group: return state.group(subject) != nil
        case .volunteer: return state.volunteer(subject) != nil
        case .text: return form == "visit-amend" && state.visit(subject) != nil
        case .hoursRecord: return state.hoursPosition(subject) != nil
        default: return false
        }
    }

    func save(_ form: FormState) {
        guard let spec = Forms.spec(form.name) else { return }
        var values = form.values
        // Hours for several volunteers at once: one record each, saved together.
        let many = form.name == "hours" ? (values["volunteer"] ?? "").split(separator: ",").map(String.init) : []
        do {
            let written = try store.append { state in
                let context = self.makeContext()
                if many.count > 1 {
                    var scratch = state
                    return try many.map { v in
                        values["volunteer"] = v
                        let e = try Forms.build(spec, values: values, state: scratch, context: context)
                        scratch.apply(e, offset: 0)
                        return e
                    }
                }
                return [try Forms.build(spec, values: values, state: state, context: context)]
            }
            closeForm()
            setStatus("\(strings[.saved]): \(form.title) \(written.map(\.subject).joined(separator: ", "))", role: .ok)
        } catch {
            var f = form
            if case DomainError.conflict(_, _, let actual, _) = error, let subject = f.hidden["id"] {
                // Merge the newer version field by field: what only they changed is taken, what
                // only the user changed is kept, and what both changed is shown side by side.
                let newer = FormState(form: spec, strings: strings, state: state, prefill: editPrefill(f.name, subject: subject),
                                      hidden: f.hidden).shownValues
                let (taken, conflicts) = f.merge(newer: newer)
                f.hidden["base"] = String(actual)
                func labels(_ keys: [String]) -> String {
                    keys.map { k in spec.fields.first { $0.key == k }?.label(chinese: strings.chinese) ?? k }.joined(separator: "、")
                }
                let merged = taken.isEmpty ? "" : (strings.chinese ? "已取他人的新值: \(labels(taken))。" : "Took their newer \(labels(taken)). ")
                f.error = "\(strings[.conflict]): " + merged + (conflicts.isEmpty
                    ? (strings.chinese ? "你的修改已保留,Ctrl-S 保存" : "Your changes are kept; Ctrl-S to save")
                    : (strings.chinese ? "\(labels(conflicts)) 两人都改了(右侧为他人的值),Ctrl-S 以你的值保存"
                                       : "both of you changed \(labels(conflicts)) (theirs on the right); Ctrl-S saves yours"))
            } else {
                f.error = "\(strings[.saveFailed]): \(describe(error))"
            }
            replaceTop(.form(f))
        }
    }

    func describe(_ error: Error) -> String {
        if let e = error as? DomainError { return Messages.domain(e, strings) }
        if let e = error as? StoreError { return Messages.store(e, strings) }
        return "\(error)"
    }

    func openSelected() {
        if screen == .caseload {
            let workers = caseloadRows
            guard workers.indices.contains(selectedIndex) else { return }
            screen = .cases
            filters[.cases] = TextField(workers[selectedIndex].account)
            return
        }
        guard let subject = selectedSubject else { return }
        let builder = DetailBuilder(state: state, store: store, t: strings, unmasked: unmasked, viewer: viewer, today: today)
        let detail: Detail?
        switch subject.split(separator: "-").first ?? "" {
        case "P": detail = builder.person(subject)
        case "V": detail = builder.visit(subject)
        case "C":
            if let c = state.caseFile(subject), c.isRestricted, !logAccess(subject, what: "case") { return }
            detail = builder.caseFile(subject)
        case "G": detail = builder.group(subject)
        case "VOL": detail = builder.volunteer(subject)
        default: detail = nil
        }
        if let detail { overlays.append(.detail(detail)) }
    }

    /// Opening a restricted case or unmasking a field leaves an access record nobody can remove;
    /// when that record cannot be written (a read-only or damaged log, a full disk), the data is
    /// not shown either. Returns whether it was written.
    func logAccess(_ subject: String, what: String) -> Bool {
        do {
            try store.append { _ in [self.makeContext().event("access.viewed", subject: subject, body: .object([JSONField("what", .string(what))]))] }
            return true
        } catch {
            setStatus((strings.chinese ? "无法留下访问记录,因此不显示: " : "Cannot record this access, so it is not shown: ") + describe(error),
                      role: .error)
            return false
        }
    }

    func unmaskSelected() {
        guard let subject = selectedSubject, let person = state.person(subject) else { return }
        guard Policy.mayUnmask(person, for: viewer, in: state) else {
            setStatus(strings[.notPermitted], role: .error)
            return
        }
        guard logAccess(subject, what: "idno,phone") else { return }
        unmasked.insert(subject)
        setStatus(strings[.unmasked], role: .warning)
        if case .detail = overlays.last {
            overlays.removeLast()
            openSelected()
        }
    }

    /// Supervisors and admins review who opened restricted cases and unmasked fields.
    func reviewAccess() {
        guard Policy.mayReviewAccess(viewer) else {
            setStatus(strings[.notPermitted], role: .error)
            return
        }
        let lines = state.access.suffix(500).reversed().map { a in
            (text: "\(a.at.local())  \(state.staff[a.actor]?.name ?? a.actor) (\(a.actor))  \(a.what)  \(a.subject)", role: StyleRole.normal)
        }
        overlays.append(.detail(Detail(title: strings.chinese ? "访问记录" : "Access log", subject: "", lines: Array(lines))))
    }

    func exportReport() {
        let report = currentReport
        announceExport(writeExport(Report.csv(report, chinese: strings.chinese), named: "shegong-report-\(reportMonth.iso.prefix(7)).csv"))
    }

    func exportCertificate() {
        guard Policy.mayIssueCertificate(viewer) else {
            setStatus(strings[.notPermitted], role: .error)
            return
        }
        guard let subject = selectedSubject,
              let text = Certificate.text(volunteer: subject, state: state, issuer: state.staff[actor]?.name ?? actor, today: today)
        else { return }
        announceExport(writeExport(SafeText.terminal(text, keepLineBreaks: true), named: "shegong-certificate-\(subject)-\(today.iso).txt"))
    }

    func announceExport(_ path: String?) {
        if let path { setStatus("\(strings[.exported]): \(path)", role: .ok) } else { setStatus(strings[.saveFailed], role: .error) }
    }

    /// Exports go to the user's home as new files (never over an existing file or through a
    /// symlink), written with the setgid group privilege put down. Returns the path written.
    func writeExport(_ text: String, named name: String) -> String? {
        let home = getenv("HOME").map { String(cString: $0) } ?? "/tmp"
        let dot = name.lastIndex(of: ".") ?? name.endIndex
        return try? GroupPrivilege.droppedWhile { () throws -> String? in
            for n in 1...99 {
                let path = "\(home)/\(name[..<dot])\(n == 1 ? "" : "-\(n)")\(name[dot...])"
                let fd: Int32
                do { fd = try SafeFile.createNew(path, mode: 0o600) } catch StoreError.alreadyExists { continue }
                defer { close(fd) }
                var t = text
                let failed = t.withUTF8 { SafeFile.writeAll(fd, UnsafeRawBufferPointer($0)) } != nil || fsync(fd) != 0
                return failed ? nil : path
            }
            return nil
        } ?? nil
    }

    // MARK: Derived data

    func currentRows(_ spec: ListSpec) -> FilteredRows {
        var r = rows[screen] ?? FilteredRows()
        let table = tables[screen]
        r.update(spec, state: state, viewer: viewer, query: filters[screen]?.text ?? "",
                 sort: table?.sortColumn.map { ($0, table?.sortAscending ?? true) }, strings: strings)
        rows[screen] = r
        return r
    }

    var currentReport: Report { report(month: reportMonth, site: reportSite) }

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

    /// One line of "my day": a person (due, overdue, follow-up) or a case (approval, my case).
    /// Only the lines on screen are turned into text, so a station admin's thousands of overdue
    /// people cost one pass over the records, not thousands of strings.
    struct HomeRow {
        var section: Text
        var record: Int32
        /// The date the line shows: visit due, follow-up, closure requested, last contact.
        var day: Day?
        var role: StyleRole
        var isCase: Bool { section == .approvalsWaiting || section == .myCases }
    }

    func subject(of row: HomeRow) -> String {
        row.isCase ? state.cases[Int(row.record)].id : state.people[Int(row.record)].id
    }

    func cells(of row: HomeRow) -> [String] {
        let t = strings
        if row.isCase {
            let c = state.cases[Int(row.record)]
            let name = c.isRestricted ? "***" : state.people[Int(c.person)].name
            if row.section == .approvalsWaiting {
                return [t[.approvalsWaiting], name, c.number, row.day?.iso ?? "", c.closure?.summary ?? ""]
            }
            return [t[.myCases], name, c.number, c.stage.label(chinese: t.chinese), row.day?.iso ?? "-"]
        }
        let p = state.people[Int(row.record)]
        return [t[row.section], p.name, p.tier.label(chinese: t.chinese), row.day?.iso ?? "", p.address]
    }

    /// People this account is responsible for on "my day": their own, their supervisees', or
    /// (station admin) everyone's.
    static func isMine(_ worker: String, for viewer: Viewer) -> Bool {
        switch viewer.role {
        case .admin: return true
        case .supervisor: return worker == viewer.account || viewer.supervisees.contains(worker)
        default: return worker == viewer.account
        }
    }

    var homeRows: [HomeRow] {
        if let c = homeCache, c.count == state.eventCount { return c.rows }
        var out: [HomeRow] = []
        var due: [HomeRow] = [], overdue: [(Int, HomeRow)] = []
        let viewer = self.viewer
        let isMine = { Self.isMine($0, for: viewer) }
        let people = state.people
        for i in people.indices {
            let next = people[i].nextVisitDue
            guard next <= today, isMine(people[i].worker), Policy.person(people[i], for: viewer, in: state) == .full else { continue }
            let tier = people[i].tier
            if next == today {
                due.append(HomeRow(section: .dueToday, record: Int32(i), day: next, role: .normal))
            } else {
                let rank = tier == .high ? 0 : tier == .priority ? 1 : 2
                overdue.append((rank * 100_000 + Int(next.number),
                                HomeRow(section: .overdue, record: Int32(i), day: next, role: tier == .high ? .danger : .warning)))
            }
        }
        var waiting: [HomeRow] = []
        let cases = state.cases
        for i in cases.indices where cases[i].isOpen && Policy.caseFile(cases[i], for: viewer, in: state) == .full {
            let c = cases[i]
            if c.stage == .closing, viewer.role == .supervisor || viewer.role == .admin, isMine(c.worker), c.worker != actor {
                out.append(HomeRow(section: .approvalsWaiting, record: Int32(i), day: c.closure?.requestedOn, role: .accent))
            } else if c.worker == actor, c.stage != .closing,
                      c.stage == .intake || (c.lastContact.map { today - $0 > 14 } ?? true) {
                waiting.append(HomeRow(section: .myCases, record: Int32(i), day: c.lastContact, role: .normal))
            }
        }
        // What needs a decision comes first, then today's visits, then what is late.
        out += due
        out += overdue.sorted { $0.0 < $1.0 }.map(\.1)
        for v in state.visits.suffix(5000) where v.person >= 0 && isMine(v.worker) {
            guard let f = v.followUp, f <= today, f >= today.adding(days: -14) else { continue }
            if let last = people[Int(v.person)].lastVisit, last >= f { continue }
            out.append(HomeRow(section: .followUps, record: v.person, day: f, role: .normal))
        }
        out += waiting
        homeCache = (state.eventCount, out)
        return out
    }

    struct WorkerLoad {
        var account: String
        var name: String
        var open: Int
        var highRisk: Int
        var overdue: Int
        var lastContact: Day?
        var pending: Int
    }

    var caseloadRows: [WorkerLoad] {
        if let c = caseloadCache, c.count == state.eventCount { return c.rows }
        let workers = state.staff.values.filter { $0.role == .worker && (role == .admin || $0.supervisor == actor) }
            .sorted { $0.account < $1.account }
        var loads = Dictionary(uniqueKeysWithValues: workers.map { ($0.account, WorkerLoad(account: $0.account, name: $0.name, open: 0,
                                                                                             highRisk: 0, overdue: 0, lastContact: nil, pending: 0)) })
        for c in state.cases where c.isOpen {
            guard var l = loads[c.worker] else { continue }
            l.open += 1
            if c.risk == .high { l.highRisk += 1 }
            if c.stage == .closing { l.pending += 1 }
            if let d = c.lastContact, l.lastContact.map({ d > $0 }) ?? true { l.lastContact = d }
            loads[c.worker] = l
        }
        for p in state.people where p.nextVisitDue < today { loads[p.worker]?.overdue += 1 }
        let rows = workers.compactMap { loads[$0.account] }
        caseloadCache = (state.eventCount, rows)
        return rows
    }
}

/// Error messages in the user's language.
enum Messages {
    static func domain(_ e: DomainError, _ t: Strings) -> String {
        guard t.chinese else { return e.description }
        switch e {
        case .missingField(let f): return "缺少必填项: \(fieldLabel(f))"
        case .invalidValue(let f, let v, let expected): return "\(fieldLabel(f)) 「\(v)」 无效,应为 \(expected)"
        case .unknown(let k, let id): return "找不到\(k): \(id)"
        case .conflict(let s, let e, let a, let latest): return "\(s) 已被他人修改(你编辑的是第 \(e) 版,现为第 \(a) 版:\(latest)),你的输入已保留"
        case .notAllowed(let why): return "不允许: \(why)"
        case .invalidState(let why): return why
        }
    }

    static func store(_ e: StoreError, _ t: Strings) -> String {
        guard t.chinese else { return e.description }
        switch e {
        case .diskFull: return "磁盘已满,未保存任何内容;请释放空间后再按 Ctrl-S(输入已保留)"
        case .readOnly: return "数据文件只读,无法保存(输入已保留)"
        case .permissionDenied: return "没有写入权限(输入已保留)"
        case .damaged(_, let d): return "数据文件在第 \(d.recordNumber) 条记录处损坏,已转为只读;请联系站长运行 shegong repair"
        case .fsyncFailed: return "磁盘未确认写入,本次未保存;请重新打开程序"
        case .recordTooLarge(let bytes, let limit): return "这条记录有 \(bytes / 1024) KiB,超过单条 \(limit / 1024) KiB 的上限,未保存(输入已保留)"
        default: return e.description
        }
    }

    static func fieldLabel(_ key: String) -> String {
        for form in Forms.all { if let f = form.fields.first(where: { $0.key == key }) { return f.zh } }
        return key
    }
}
