import ShegongDomain
import ShegongStore
import ShegongTerminal

/// The console's one reducer: an action and the data it reads give the new state and the
/// effects to run. It writes nothing; the console's runner does what the effects ask.
public enum ConsoleReducer {
    public static func reduce(_ s: inout ConsoleState, _ action: Action, _ data: ConsoleData) -> [Effect] {
        let t = data.strings
        switch action {
        case .resized(let width, let height):
            s.width = width
            s.height = height
            followSelection(&s, data)
            return []
        case .key(let key):
            defer { recordPlace(&s) }
            return reduceKey(&s, key, data)
        case .command(let command):
            defer { recordPlace(&s) }
            return perform(&s, command, data)
        case .followed(let newRecords, let damaged):
            refreshDetails(&s, data)
            followSelection(&s, data)
            if damaged, !s.damageAnnounced, let reason = data.readOnlyReason {
                s.damageAnnounced = true
                s.setStatus(Messages.store(reason, t), .error)
            } else if newRecords > 0 {
                s.setStatus("\(newRecords) \(t[.newRecordsArrived])", .ok)
            }
            return []
        case .saved(let form, let subjects, let undo):
            removeForm(&s)
            if !undo.isEmpty {
                s.undoStack.append(UndoStep(label: subjects.count > 1 ? "\(form.title) (\(subjects.count))" : form.title, compensations: undo))
                if s.undoStack.count > 20 { s.undoStack.removeFirst() }
            }
            if form.hidden["ids"] != nil || form.actsOnMarks { s.marks[s.screen] = nil }
            // What was saved, named by the records written (a form for several names them all).
            let names = subjects.count > 1 ? subjects.prefix(3).map(data.subjectLabel).joined(separator: "; ") + (subjects.count > 3 ? " …" : "") : nil
            let kind = Forms.spec(form.name)?.label(chinese: t.chinese) ?? form.title
            s.setStatus("\(t[.saved]): " + (names.map { "\(kind) (\(subjects.count)): \($0)" } ?? form.title), .ok)
            // The screen shows what the save changed: its record is selected where the list has it.
            if let subject = subjects.last, let row = data.row(of: subject, s.screen, s) { select(&s, data, row: row) }
            refreshDetails(&s, data)
            followSelection(&s, data)
            return [.clearDraft]
        case .saveFailed(let form, let failure):
            var f = form
            switch failure {
            case .conflict(let version): mergeNewerVersion(&f, version: version, data)
            case .refused(let message): f.error = "\(t[.saveFailed]): \(message)"
            }
            replaceForm(&s, with: f)
            return []
        case .accessRecorded(let subject, let what):
            defer { recordPlace(&s) }
            if what == "case" {
                if let d = data.detail(subject, s) { s.overlays.append(.detail(d)) }
            } else {
                s.unmasked.insert(subject)
                s.setStatus(t[.unmasked], .warning)
                refreshDetails(&s, data)
            }
            return []
        case .undone(let step):
            s.setStatus((t.chinese ? "已撤销: " : "Undone: ") + step.label + (t.chinese ? "(撤销已记入历史)" : " (the undo is in the history)"), .ok)
            refreshDetails(&s, data)
            followSelection(&s, data)
            return []
        case .undoFailed(let step, let reason, let final):
            // A conflict ends the undo (the record moved on); anything else (a full disk, a
            // read-only log) keeps it, so z can try again once that is fixed.
            if !final { s.undoStack.append(step) }
            s.setStatus((t.chinese ? "未能撤销: " : "Could not undo: ") + reason
                        + (final ? "" : (t.chinese ? "(可再按 z 重试)" : " (z tries again)")), .error)
            return []
        case .accessNotRecorded(let reason):
            s.setStatus((t.chinese ? "无法留下访问记录,因此不显示: " : "Cannot record this access, so it is not shown: ") + reason, .error)
            return []
        case .exported(let path):
            if let path { s.setStatus("\(t[.exported]): \(path)", .ok) } else { s.setStatus(t[.saveFailed], .error) }
            return []
        }
    }

    // MARK: Keys

    static func reduceKey(_ s: inout ConsoleState, _ key: Key, _ data: ConsoleData) -> [Effect] {
        if key == .resize { return [] }
        // Nothing is drawn behind the too-small notice, so no key may act there unseen; Ctrl-C
        // still quits (every keystroke of an open form is already in the draft).
        if s.tooSmall {
            if key == .ctrl("c") { s.quitRequested = true }
            return []
        }
        if let top = s.overlays.last, !isDetail(top) { return reduceOverlayKey(&s, top, key, data) }
        let inDetail = s.openDetail != nil
        if s.filtering && !inDetail {
            var f = s.filters[s.screen] ?? TextField()
            switch key {
            case .enter, .escape, .down, .up:
                s.filtering = false
                s.filterFresh = false
                if key == .escape { f.clear() }
                s.filters[s.screen] = f
                followSelection(&s, data)
                if key == .down || key == .up { return perform(&s, key == .down ? .down : .up, data) }
            default:
                if s.filterFresh, case .char = key { f.clear() }
                s.filterFresh = false
                f.handle(key)
                s.filters[s.screen] = f
                // A new query: the best match is the first row.
                select(&s, data, row: 0)
            }
            return []
        }
        let place = keyPlace(s)
        guard let binding = KeyMap.binding(for: key, on: place.screen, inDetail: place.inDetail) else { return [] }
        guard binding.isFor(data.role) else {
            s.setStatus(data.strings.chinese ? "「\(binding.zh)」不是你的角色能做的" : "\(binding.en) is not for your role", .warning)
            return []
        }
        return perform(&s, binding.command, data)
    }

    static func isDetail(_ o: Overlay) -> Bool { if case .detail = o { return true }; return false }

    static func reduceOverlayKey(_ s: inout ConsoleState, _ overlay: Overlay, _ key: Key, _ data: ConsoleData) -> [Effect] {
        let t = data.strings
        switch overlay {
        case .help(let top):
            switch key {
            case .escape, .char("?"), .char("q"): s.overlays.removeLast()
            case .down, .char("j"): s.overlays[s.overlays.count - 1] = .help(top: top + 1)
            case .up, .char("k"): s.overlays[s.overlays.count - 1] = .help(top: max(0, top - 1))
            case .pageDown, .char(" "): s.overlays[s.overlays.count - 1] = .help(top: top + 10)
            case .pageUp: s.overlays[s.overlays.count - 1] = .help(top: max(0, top - 10))
            default: break
            }
            if case .help(let top)? = s.overlays.last {
                let count = helpEntries(s, data).count
                s.overlays[s.overlays.count - 1] = .help(top: max(0, min(top, count - 1)))
            }
        case .palette(var p):
            switch key {
            case .escape: s.overlays.removeLast()
            case .enter:
                s.overlays.removeLast()
                if let id = p.selectedAction?.id, let b = KeyMap.bindings.first(where: { $0.id == id }) { return perform(&s, b.command, data) }
            case .up, .down:
                _ = p.list.handle(key)
                s.overlays[s.overlays.count - 1] = .palette(p)
            default:
                p.field.handle(key)
                p.update(entries: paletteEntries(s, data))
                s.overlays[s.overlays.count - 1] = .palette(p)
            }
        case .form(var form):
            switch key {
            case .ctrl("s"):
                if let reason = data.readOnlyReason {
                    form.error = "\(t[.readOnly]): \(Messages.store(reason, t))"
                    replaceForm(&s, with: form)
                    return []
                }
                let matches = form.name == "person" ? duplicates(of: form, data) : form.name == "case" ? openCases(of: form, data) : []
                if !matches.isEmpty {
                    s.overlays.append(.confirmDuplicate(form, matches: matches))
                    return []
                }
                return [.save(form)]
            case .escape:
                if form.dismissPicker() { replaceForm(&s, with: form); return [] }
                if form.dirty { s.overlays.append(.confirmLeave(form)) } else { removeForm(&s); return [.clearDraft] }
            case .ctrl("c"):
                s.overlays.append(.confirmQuit)
            default:
                if form.handle(key, state: data.state, viewer: data.viewer, today: data.today) {
                    replaceForm(&s, with: form)
                    return [.saveDraft(DraftStore.Draft(form: form.name, values: form.shownValues, hidden: form.hidden))]
                }
            }
        case .confirmLeave:
            switch key {
            case .char("y"), .char("Y"), .char("是"):
                s.overlays.removeLast()
                removeForm(&s)
                s.setStatus(t.chinese ? "已放弃未保存的输入" : "Unsaved input discarded", .status)
                return [.clearDraft]
            case .char("n"), .char("N"), .escape, .char("否"):
                s.overlays.removeLast()
            default: break
            }
        case .confirmDuplicate(let form, _):
            switch key {
            case .char("y"), .char("Y"), .char("是"):
                s.overlays.removeLast()
                return [.save(form)]
            case .char("n"), .char("N"), .escape, .char("否"): s.overlays.removeLast()
            default: break
            }
        case .confirmQuit:
            switch key {
            case .char("y"), .char("Y"), .char("是"), .ctrl("c"): s.quitRequested = true
            case .char("n"), .char("N"), .escape, .char("否"): s.overlays.removeLast()
            default: break
            }
        case .restoreDraft(let draft):
            switch key {
            case .char("y"), .char("Y"), .enter, .char("是"):
                s.overlays.removeLast()
                // A draft is the user's own file: it opens only as the form itself would.
                if let spec = Forms.spec(draft.form), let roles = KeyMap.formRoles(spec.name), !(data.role.map(roles.contains) ?? false) {
                    s.setStatus(t.chinese ? "「\(spec.label(chinese: true))」不是你的角色能做的" : "\(spec.label(chinese: false)) is not for your role", .warning)
                    return [.clearDraft]
                }
                if let spec = Forms.spec(draft.form), let id = draft.hidden["id"], let refused = refusal(spec, subject: id, data) {
                    s.setStatus(refused.text(chinese: t.chinese), .warning)
                    return [.clearDraft]
                }
                if let spec = Forms.spec(draft.form) {
                    var form = FormState(form: spec, strings: t, state: data.state, hidden: draft.hidden)
                    if let id = draft.hidden["id"] { form.title += " · " + data.subjectLabel(id) }
                    form.restore(values: draft.values, label: data.labelled)
                    s.overlays.append(.form(form))
                    s.setStatus(t[.draftRestored], .ok)
                }
            case .char("n"), .char("N"), .escape, .char("否"):
                s.overlays.removeLast()
                return [.clearDraft]
            default: break
            }
        case .nameView(let field):
            return reduceNameViewKey(&s, field, key, data)
        case .detail:
            break
        }
        return []
    }

    // MARK: Commands

    static func perform(_ s: inout ConsoleState, _ command: Command, _ data: ConsoleData) -> [Effect] {
        let t = data.strings
        // A new command replaces the last one's message (moving in a list keeps it).
        if ![.up, .down, .pageUp, .pageDown, .top, .bottom].contains(command) { s.setStatus("", .status) }
        if let b = KeyMap.binding(for: command), b.changesData, let reason = data.readOnlyReason {
            s.setStatus("\(t[.readOnly]): \(Messages.store(reason, t))", .error)
            return []
        }
        switch command {
        case .goTo(let screen): show(&s, screen, data)
        case .nextScreen: show(&s, Screen(rawValue: (s.screen.rawValue + 1) % Screen.allCases.count)!, data)
        case .previousScreen: show(&s, Screen(rawValue: (s.screen.rawValue + Screen.allCases.count - 1) % Screen.allCases.count)!, data)
        case .up: move(&s, data) { row, _, _ in row - 1 }
        case .down: move(&s, data) { row, _, _ in row + 1 }
        case .pageUp: move(&s, data) { row, _, page in row - page }
        case .pageDown: move(&s, data) { row, _, page in row + page }
        case .top: move(&s, data) { _, _, _ in 0 }
        case .bottom: move(&s, data) { _, count, _ in count - 1 }
        case .filter:
            s.filtering = true
            data.prepareSearch(s.screen)
            if let old = s.filters[s.screen]?.text, !old.isEmpty {
                s.filterFresh = true
                s.setStatus(t.chinese ? "输入新的筛选词将替换「\(old)」;←/→ 或退格键继续编辑它" : "Typing replaces “\(old)”; ←/→ or Backspace edit it", .status)
            }
        case .open: return open(&s, data)
        case .sort:
            let columns = s.screen.list(today: data.today)?.columns(t).count ?? 0
            guard columns > 0 else { return [] }
            // Each column up, then down, then the next; after the last, the list's own order again.
            if let current = s.sorts[s.screen] {
                s.sorts[s.screen] = current.ascending ? SortOrder(column: current.column, ascending: false)
                    : current.column + 1 < columns ? SortOrder(column: current.column + 1, ascending: true) : nil
            } else {
                s.sorts[s.screen] = SortOrder(column: 0, ascending: true)
            }
            followSelection(&s, data)
        case .mark:
            guard let subject = selectedSubject(s, data) else { return [] }
            var marked = s.marks[s.screen] ?? []
            if let i = marked.firstIndex(of: subject) { marked.remove(at: i) } else { marked.append(subject) }
            s.marks[s.screen] = marked.isEmpty ? nil : marked
            s.setStatus(t.chinese ? "已标记 \(marked.count) 条(Space 标记/取消,Esc 清除);按操作键一次处理全部"
                                  : "\(marked.count) marked (Space marks/unmarks, Esc clears); an action key acts on all", .ok)
            return perform(&s, .down, data)
        case .back:
            if s.openDetail != nil { s.overlays.removeLast() } else if s.marks[s.screen] != nil { s.marks[s.screen] = nil } else {
                s.filters[s.screen]?.clear()
                followSelection(&s, data)
            }
        case .form(let name): return openForm(&s, name, data)
        case .visitForPerson:
            guard let subject = selectedSubject(s, data), data.state.person(subject) != nil else { return needSelection(&s, t) }
            return openForm(&s, "visit", data)
        case .unmask:
            guard let subject = selectedSubject(s, data), let person = data.state.person(subject) else { return needSelection(&s, t) }
            guard Policy.mayUnmask(person, for: data.viewer, in: data.state) else {
                s.setStatus(t[.notPermitted], .error)
                return []
            }
            let fields = Policy.maskedFields(of: person, today: data.today)
            guard !fields.isEmpty else { s.unmasked.insert(subject); return [] }
            return [.recordAccess(subject: subject, what: fields.joined(separator: ","))]
        case .certificate:
            guard Policy.mayIssueCertificate(data.viewer) else {
                s.setStatus(t[.notPermitted], .error)
                return []
            }
            guard let subject = selectedSubject(s, data),
                  let text = Certificate.text(volunteer: subject, state: data.state, issuer: data.state.staffName(data.actor), today: data.today)
            else { return needSelection(&s, t) }
            return [.export(text: SafeText.terminal(text, keepLineBreaks: true), fileName: "\(t.chinese ? "志愿服务证明" : "certificate")-\(data.subjectLabel(subject).replacing(" · ", with: "-"))-\(data.today.iso).txt")]
        case .accessReview:
            guard Policy.mayReviewAccess(data.viewer) else {
                s.setStatus(t[.notPermitted], .error)
                return []
            }
            s.overlays.append(.detail(data.accessLog()))
        case .reportPrevious: s.reportMonth = s.reportMonth.adding(months: -1)
        case .reportNext: s.reportMonth = s.reportMonth.adding(months: 1)
        case .reportSite:
            let ids = data.state.sites.map(\.id)
            if let current = s.reportSite, let i = ids.firstIndex(of: current) { s.reportSite = i + 1 < ids.count ? ids[i + 1] : nil }
            else { s.reportSite = ids.first }
        case .reportExport:
            let report = data.report(s)
            let site = s.reportSite.flatMap { data.state.site($0)?.name } ?? data.state.station
            return [.export(text: Report.csv(report, siteName: site, chinese: t.chinese, byteOrderMark: true),
                            fileName: Report.fileName(siteName: site, from: report.from, to: report.to, chinese: t.chinese))]
        case .palette:
            var p = Palette()
            p.update(entries: paletteEntries(s, data))
            s.overlays.append(.palette(p))
        case .help: s.overlays.append(.help(top: 0))
        case .quit: s.quitRequested = true
        case .refresh: break  // the station console follows its log live; only the district view asks
        case .undo:
            guard let step = s.undoStack.popLast() else {
                s.setStatus(t.chinese ? "本次没有可撤销的保存(可撤销新走访及走访、档案、志愿者的修改)"
                                      : "Nothing of this session to undo (new visits and visit, profile and volunteer edits can be)", .warning)
                return []
            }
            return [.undo(step)]
        case .historyBack: return goThroughHistory(&s, by: -1, data)
        case .historyForward: return goThroughHistory(&s, by: 1, data)
        case .saveView: startNamingView(&s, data)
        case .openView(let slot): openView(&s, slot: slot, data)
        }
        return []
    }

    /// Registered people the form's person may be (same ID number, or same name and birth date),
    /// as the user may see them; people they may not see are only counted.
    static func duplicates(of form: FormState, _ data: ConsoleData) -> [String] {
        let t = data.strings
        let values = form.values
        let idNumber = values["idno"] ?? ""
        let birth = values["birth"].flatMap { DateInput.parse($0, today: data.today) } ?? ResidentID.parse(idNumber)?.birth
        let found = data.state.possibleDuplicates(name: values["name"] ?? "", birth: birth, idNumber: idNumber)
        let shown = found.filter { Policy.person($0, for: data.viewer, in: data.state) >= .summary }
        var lines = shown.prefix(5).map { p in
            "\(p.id)  \(p.name)  \(data.state.site(p.community)?.name ?? p.community)  \(t[.colWorker]): \(data.state.staffName(p.worker))"
        }
        if found.count > shown.count {
            lines.append(t.chinese ? "另有 \(found.count - shown.count) 位在你的权限之外(请联系站长核对)" : "\(found.count - shown.count) more you may not see (ask the station admin)")
        }
        return lines
    }

    /// The open cases of the person a new case is for, as the user may see them: a second case
    /// for the same person is usually a duplicate (the work belongs in the open one).
    static func openCases(of form: FormState, _ data: ConsoleData) -> [String] {
        let t = data.strings
        guard let person = form.values["person"].flatMap({ data.state.personPosition($0) }) else { return [] }
        return data.state.cases.filter { $0.person == person && $0.isOpen && Policy.caseFile($0, for: data.viewer, in: data.state) > .none }
            .prefix(5).map { c in "\(c.number)  \(c.stage.label(chinese: t.chinese))  \(t[.colWorker]): \(data.state.staffName(c.worker))" }
    }

    static func needSelection(_ s: inout ConsoleState, _ t: Strings) -> [Effect] {
        s.setStatus(t.chinese ? "请先选择一条相应的记录" : "Select a matching record first", .warning)
        return []
    }

    /// Switches screens; a record open on the old screen is closed first.
    static func show(_ s: inout ConsoleState, _ screen: Screen, _ data: ConsoleData) {
        s.overlays.removeAll { isDetail($0) }
        s.filtering = false
        s.screen = screen
        followSelection(&s, data)
    }

    /// The record in front of the user: an opened record, else the selected row's.
    static func selectedSubject(_ s: ConsoleState, _ data: ConsoleData) -> String? {
        if let d = s.openDetail, !d.subject.isEmpty { return d.subject }
        return data.subject(s.screen, s, row: data.selectedRow(s.screen, s))
    }

    static func open(_ s: inout ConsoleState, _ data: ConsoleData) -> [Effect] {
        guard let subject = selectedSubject(s, data) else { return [] }
        if s.screen == .caseload {
            show(&s, .cases, data)
            s.filters[.cases] = TextField(data.state.staffName(subject))
            select(&s, data, row: 0)
            return []
        }
        // A restricted case is shown only once the access record is written.
        return openRecord(&s, subject, data)
    }

    static func openForm(_ s: inout ConsoleState, _ name: String, _ data: ConsoleData) -> [Effect] {
        let t = data.strings
        guard let spec = Forms.spec(name) else { return [] }
        let state = data.state
        var hidden: [String: String] = [:]
        var prefill: [String: String] = [:]
        var placeholders: [String: String] = [:]
        var title = spec.label(chinese: t.chinese)
        let subject = selectedSubject(s, data)
        if case .existing(let kind) = spec.subject, let marked = s.marks[s.screen], s.openDetail == nil {
            // One form for every marked record: each gets its own event when it is saved.
            let fitting = marked.filter { data.subjectMatches($0, kind: kind, form: name) && data.state.caseFile($0)?.stage != .closed }
            guard fitting.count == marked.count else {
                s.setStatus(t.chinese ? "标记的记录中有 \(marked.count - fitting.count) 条不能这样处理" : "\(marked.count - fitting.count) marked records do not fit this action", .warning)
                return []
            }
            var form = FormState(form: spec, strings: t, state: state, hidden: ["id": fitting[0], "ids": fitting.joined(separator: ",")])
            form.title = "\(title) · \(t.chinese ? "\(fitting.count) 条" : "\(fitting.count) records"): " + fitting.prefix(3).map(data.subjectLabel).joined(separator: "; ")
                + (fitting.count > 3 ? " …" : "")
            s.overlays.append(.form(form))
            return []
        }
        if case .existing(let kind) = spec.subject {
            guard let subject, data.subjectMatches(subject, kind: kind, form: name) else { return needSelection(&s, t) }
            if let c = state.caseFile(subject), c.stage == .closed, name != "supervision-note" {
                s.setStatus(DomainError.invalidState(.caseClosed(number: c.number)).text(chinese: t.chinese), .warning)
                return []
            }
            // Who may write this about the record, and whether its state allows it, is said
            // before the form is filled in, not after.
            if let refusal = refusal(spec, subject: subject, data) {
                s.setStatus(refusal.text(chinese: t.chinese), .warning)
                return []
            }
            hidden["id"] = subject
            if spec.versioned, let v = state.version(of: subject) { hidden["base"] = String(v) }
            (prefill, placeholders) = data.editPrefill(name, subject: subject, unmasked: s.unmasked)
            title += " · " + data.subjectLabel(subject)
        }
        var actsOnMarks = false
        if case .new = spec.subject, let marked = s.marks[s.screen], marked.count > 1, s.openDetail == nil,
           let field = spec.fields.first(where: { $0.kind == .volunteer }), marked.allSatisfy({ state.volunteer($0) != nil }) {
            // Hours for every marked volunteer: one record each, the title says for whom.
            prefill[field.key] = marked.map(data.labelled).joined(separator: ", ")
            title += " · \(t.chinese ? "\(marked.count) 人" : "\(marked.count) volunteers"): " + marked.prefix(3).map(data.subjectLabel).joined(separator: "; ")
                + (marked.count > 3 ? " …" : "")
            actsOnMarks = true
        } else if case .new = spec.subject, let subject {
            // A new record about what is selected: the person (or the person and case) and the
            // volunteer are filled in, and the title says whom it is about.
            let filled = data.prefillFromSelection(spec, subject: subject)
            prefill.merge(filled) { a, _ in a }
            if !filled.isEmpty { title += " · " + data.subjectLabel(subject) }
        }
        if ["person", "group", "activity", "volunteer", "project", "fund"].contains(name), let site = state.staff[data.actor]?.site {
            prefill[name == "person" ? "community" : "site"] = data.labelled(site)
        }
        // A decision on an amount starts from the one on file: what was asked, what was approved.
        if let id = hidden["id"], let p = state.hub.project(id) {
            if name == "project-approve" { prefill["amount"] = p.budget.yuan }
            if name == "project-budget", let approved = p.approved { prefill["amount"] = approved.yuan }
        }
        var form = FormState(form: spec, strings: t, state: state, prefill: prefill, hidden: hidden)
        form.title = title
        form.actsOnMarks = actsOnMarks
        // A supervisor decides on what the worker asked: the request is shown above the fields.
        if ["approve", "reject"].contains(name), let id = hidden["id"], let c = state.caseFile(id), let request = c.closure {
            form.context = [
                (t.chinese ? "结案申请: " : "Closure request: ") + "\(request.type.label(chinese: t.chinese)) · \(state.staffName(request.requestedBy)) · \(request.requestedOn.iso)",
                (t.chinese ? "结案摘要: " : "Summary: ") + request.summary,
            ] + (request.rejections.isEmpty ? [] : [(t.chinese ? "此前退回: " : "Sent back before: ") + request.rejections.joined(separator: "; ")])
        }
        form.context += hubContext(name, hidden: hidden, prefill: prefill, data)
        form.placeholders.merge(placeholders) { _, masked in masked }
        s.overlays.append(.form(form))
        return []
    }

    /// What a hub form acts on, shown above its fields: the entry a reversal undoes, the project a
    /// decision is about (what was asked, approved, spent).
    static func hubContext(_ name: String, hidden: [String: String], prefill: [String: String], _ data: ConsoleData) -> [String] {
        let hub = data.state.hub, zh = data.strings.chinese
        if name == "reversal", let id = prefill["entry"], let e = hub.sides(of: id).first {
            return [(zh ? "冲正: " : "Reverses: ") + "\(e.id)  \(e.day.iso)  \(hub.funds[Int(e.fund)].name)  \(e.kind.label(chinese: zh))  "
                    + "¥\(e.amount.fen < 0 ? (-e.amount).yuan : e.amount.yuan)  \(e.counterparty)"]
        }
        guard let id = hidden["id"], let p = hub.project(id) else { return [] }
        return [(zh ? "申请 " : "Asked ") + "¥\(p.budget.yuan)   " + (zh ? "立项 " : "approved ") + (p.approved.map { "¥" + $0.yuan } ?? "-")
                + "   " + (zh ? "已支出 " : "spent ") + "¥\(p.spent.yuan)   " + (zh ? "基金资助 " : "granted ") + "¥\(p.granted.yuan)"
                + "   \(p.stage.label(chinese: zh))"]
    }

    /// Why the user may not write `spec`'s event about `subject` as things stand (nil: they may).
    /// A probe without values, so only refusals and the record's state count, not missing values.
    static func refusal(_ spec: FormSpec, subject: String, _ data: ConsoleData) -> DomainError? {
        let state = data.state
        let person = state.visit(subject).flatMap { $0.person >= 0 ? state.people[Int($0.person)].id : nil }
        let probe = Event(id: EventID(high: 0, low: 0), type: spec.eventType, at: Timestamp(seconds: 0), actor: data.actor,
                          subject: subject, body: .object(person.map { [JSONField("person", .string($0))] } ?? []))
        do { try state.validate(probe) } catch {
            switch error {
            case .notAllowed, .invalidState: return error
            case .unknown(_, let id) where id == subject: return error
            default: return nil
            }
        }
        return nil
    }

    /// After an edit conflict: the newer version merged in field by field. What only they changed
    /// is taken, what only the user changed is kept, and what both changed is shown side by side.
    static func mergeNewerVersion(_ f: inout FormState, version: Int, _ data: ConsoleData) {
        let t = data.strings
        guard let spec = Forms.spec(f.name), let subject = f.hidden["id"] else { return }
        let newer = FormState(form: spec, strings: t, state: data.state, prefill: data.editPrefill(f.name, subject: subject, unmasked: []).values,
                              hidden: f.hidden).shownValues
        let (taken, conflicts) = f.merge(newer: newer)
        f.hidden["base"] = String(version)
        func labels(_ keys: [String]) -> String {
            keys.map { k in spec.fields.first { $0.key == k }?.label(chinese: t.chinese) ?? k }.joined(separator: "、")
        }
        let merged = taken.isEmpty ? "" : (t.chinese ? "已取他人的新值: \(labels(taken))。" : "Took their newer \(labels(taken)). ")
        f.error = "\(t[.conflict]): " + merged + (conflicts.isEmpty
            ? (t.chinese ? "你的修改已保留,Ctrl-S 保存" : "Your changes are kept; Ctrl-S to save")
            : (t.chinese ? "\(labels(conflicts)) 两人都改了(右侧为他人的值),Ctrl-S 以你的值保存"
                         : "both of you changed \(labels(conflicts)) (theirs on the right); Ctrl-S saves yours"))
    }

    static func replaceForm(_ s: inout ConsoleState, with form: FormState) {
        if let i = s.overlays.lastIndex(where: { if case .form = $0 { return true }; return false }) { s.overlays[i] = .form(form) }
    }

    static func removeForm(_ s: inout ConsoleState) {
        if let i = s.overlays.lastIndex(where: { if case .form = $0 { return true }; return false }) { s.overlays.remove(at: i) }
    }

    // MARK: Selection

    /// Moves the selection (or scrolls an opened record) to `target(row, count, page)`.
    static func move(_ s: inout ConsoleState, _ data: ConsoleData, to target: (Int, Int, Int) -> Int) {
        let page = data.pageRows(s.screen, height: s.height)
        if var d = s.openDetail {
            d.top = max(0, min(target(d.top, d.lines.count, page), d.lines.count - 1))
            s.overlays[s.overlays.count - 1] = .detail(d)
            return
        }
        let count = data.rowCount(s.screen, s)
        guard count > 0 else { return }
        select(&s, data, row: max(0, min(target(data.selectedRow(s.screen, s), count, page), count - 1)))
    }

    static func select(_ s: inout ConsoleState, _ data: ConsoleData, row: Int) {
        var selection = s.selection
        selection.row = row
        selection.subject = data.subject(s.screen, s, row: row)
        s.selections[s.screen] = selection
        followSelection(&s, data)
    }

    /// After the rows changed (a sort, a filter, records from a save or a colleague): the
    /// selection stays on its record wherever that record now is, and stays on screen.
    static func followSelection(_ s: inout ConsoleState, _ data: ConsoleData) {
        var selection = s.selection
        let count = data.rowCount(s.screen, s)
        let row = data.selectedRow(s.screen, s)
        selection.row = row
        if selection.subject == nil || data.row(of: selection.subject!, s.screen, s) == nil {
            selection.subject = data.subject(s.screen, s, row: row)
        }
        let page = data.pageRows(s.screen, height: s.height)
        if row < selection.top { selection.top = row }
        if row >= selection.top + page { selection.top = row - page + 1 }
        selection.top = max(0, min(selection.top, max(0, count - page)))
        s.selections[s.screen] = selection
    }

    /// Every opened record drawn again from the log as it is now.
    static func refreshDetails(_ s: inout ConsoleState, _ data: ConsoleData) {
        for (i, o) in s.overlays.enumerated() {
            guard case .detail(let d) = o else { continue }
            if let fresh = data.detail(d.subject, s, top: d.top) { s.overlays[i] = .detail(fresh) }
        }
    }

    // MARK: What help and the palette list

    /// Whether the screen's keys are those for a record opened from it (the overlay under help or the palette).
    static func underDetail(_ s: ConsoleState) -> Detail? {
        let below = s.overlays.reversed().first { if case .help = $0 { return false }; if case .palette = $0 { return false }; return true }
        if case .detail(let d)? = below { return d }
        return nil
    }

    /// Where keys are looked up: the screen, or inside a record its kind's screen (a person
    /// opened from 我的一天 takes the keys of 服务对象).
    static func keyPlace(_ s: ConsoleState) -> (screen: Screen, inDetail: Bool) {
        guard let d = underDetail(s) else { return (s.screen, false) }
        let screen: Screen = switch d.subject.split(separator: "-").first ?? "" {
        case "P": .people
        case "C": .cases
        case "V": .visits
        case "G": .groups
        case "VOL": .volunteers
        default: s.screen
        }
        return (screen, true)
    }

    static func helpEntries(_ s: ConsoleState, _ data: ConsoleData) -> [ActionEntry] {
        let (screen, inDetail) = keyPlace(s)
        return KeyMap.available(on: screen, inDetail: inDetail, for: data.role, everyone: false).compactMap { b in
            var label = b.label(data.strings)
            // A function key is listed only when a view is saved on it, by the view's name.
            if case .openView(let slot) = b.command {
                guard let view = s.views.first(where: { $0.slot == slot }) else { return nil }
                label = (data.strings.chinese ? "视图:" : "View: ") + view.name
            }
            return ActionEntry(id: b.id, keys: b.keyLabel(inDetail: inDetail), label: label,
                               enabled: !b.changesData || data.readOnlyReason == nil)
        }
    }

    static func paletteEntries(_ s: ConsoleState, _ data: ConsoleData) -> [ActionEntry] {
        helpEntries(s, data).filter { !["palette", "back"].contains($0.id) }
    }
}
