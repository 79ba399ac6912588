import ShegongDomain
import ShegongTerminal

/// One input of a form, built from the domain's `FieldSpec`.
public struct FieldState: Equatable, Sendable {
    public var spec: FieldSpec.Key
    public var line = TextField()
    public var area: TextArea?
    public var choice: Int?            // index into options, for .choice
    public var options: [String] = []  // codes, for .choice
    public var attendance: CheckList?
    public var suggestions: [(id: String, label: String)] = []
    /// How many records matched in all (the list shows the best five).
    public var matchCount = 0
    public var picked = 0

    public static func == (a: FieldState, b: FieldState) -> Bool {
        a.spec == b.spec && a.line == b.line && a.area == b.area && a.choice == b.choice && a.attendance == b.attendance
    }

    /// The field's text as its items, at each comma (or 顿号), empty ones kept.
    var items: [String] { line.text.split(omittingEmptySubsequences: false, whereSeparator: Forms.isItemSeparator).map(String.init) }

    /// The item being typed: what follows the last comma (or 顿号), trimmed.
    var typedItem: String { (items.last ?? "").trimmingSpaces }

    /// The text value handed to `Forms.build`.
    public var value: String {
        if let area { return area.text }
        // A fixed-value field's text is only what the user types to find an option.
        if !options.isEmpty { return choice.map { options.indices.contains($0) ? options[$0] : "" } ?? "" }
        if let attendance {
            return zip(attendance.items, attendance.states).map { item, state in
                "\(item.split(separator: " ").first ?? ""):\(Attendance.allCases[state].rawValue)"
            }.joined(separator: ",")
        }
        switch spec.kind {
        case .person, .caseRef, .group, .volunteer, .staff, .site, .hoursRecord, .fund, .project, .ledgerEntry, .organisation, .talent,
             .talents, .wish:
            // "P-12 张晓芳" → "P-12"; several ids separated by commas stay a list.
            // Items as the domain splits them, full-width commas included: none is dropped on the way.
            return Forms.listItems(line.text).map { $0.split(separator: " ").first.map(String.init) ?? $0 }.joined(separator: ",")
        default:
            return line.text
        }
    }

    public var height: Int {
        if area != nil { return 3 }
        if let attendance { return max(1, min(8, attendance.items.count)) }
        return suggestions.isEmpty ? 1 : 1 + min(5, suggestions.count) + (matchCount > suggestions.count || suggestions.count > 5 ? 1 : 0)
    }
}

extension FieldSpec {
    /// A field's identity inside a form (Equatable and Sendable, unlike the spec's closures).
    public struct Key: Equatable, Sendable {
        public var key: String
        public var zh: String
        public var en: String
        public var kind: FieldKind
        public var required: Bool
        public func label(_ t: Strings) -> String { t.chinese ? zh : en }
    }
    var stateKey: Key { Key(key: key, zh: zh, en: en, kind: kind, required: required) }
}

/// An open form: its fields, which one has focus, and what went wrong last time it was saved.
public struct FormState: Equatable, Sendable {
    public var name: String
    public var title: String
    public var fields: [FieldState]
    public var focus = 0
    public var error: String?
    public var dirty = false
    /// Values the form carries but does not show (the record being changed, its version).
    public var hidden: [String: String] = [:]
    /// The values the form opened with (the record as the user first saw it): a later edit
    /// conflict is merged against them.
    public var original: [String: String] = [:]
    /// Fields both the user and someone else changed: the other person's value, drawn beside the input.
    public var theirs: [String: String] = [:]
    /// Dim text in an empty field: a masked value that is kept unless something is typed.
    public var placeholders: [String: String] = [:]
    /// The language messages are worded in.
    public var chinese = true
    /// Opened with rows marked: saving it clears the marks.
    public var actsOnMarks = false
    /// Lines shown above the fields: what the form decides on (a closure request to approve).
    public var context: [String] = []

    public init(form: FormSpec, strings t: Strings, state: State, prefill: [String: String] = [:], hidden: [String: String] = [:]) {
        name = form.name
        chinese = t.chinese
        title = form.label(chinese: t.chinese)
        self.hidden = hidden
        fields = form.fields.filter { hidden[$0.key] == nil }.map { spec in
            var f = FieldState(spec: spec.stateKey)
            let initial = prefill[spec.key] ?? ""
            switch spec.kind {
            case .longText:
                f.area = TextArea(initial)
            case .choice(let options):
                f.options = options
                f.choice = options.firstIndex(of: initial) ?? (spec.required ? 0 : nil)
            case .bool:
                // 是/否 is a fixed value too: picked, not typed.
                f.options = YesNo.allCases.map(\.rawValue)
                f.choice = YesNo(text: initial).flatMap { f.options.firstIndex(of: $0.rawValue) } ?? (spec.required ? 0 : nil)
            case .attendance:
                let members = hidden["id"].flatMap { state.group($0) }?.members ?? []
                f.attendance = CheckList(items: members.map { "\(state.people[Int($0)].id) \(state.people[Int($0)].name)" },
                                         stateLabels: Attendance.allCases.map { $0.label(chinese: t.chinese) })
            case .date:
                // An empty required date means today: shown as a dim hint, never as text to type after.
                f.line = TextField(initial)
            default:
                f.line = TextField(initial)
            }
            return f
        }
        original = shownValues
        for f in form.fields where f.kind == .date && f.required {
            placeholders[f.key] = t.chinese ? "今天(可直接输入日期)" : "today (or type a date)"
        }
    }

    /// The values of the fields on screen (not the hidden ones).
    public var shownValues: [String: String] { values.filter { hidden[$0.key] == nil } }

    /// Merges a newer version of the record into the form, field by field: a field the user did
    /// not touch takes the newer value, a field only the user changed keeps the user's, and a
    /// field both changed differently is a conflict, kept as typed and shown beside the newer
    /// value. Returns the keys taken from the newer version and the keys in conflict.
    public mutating func merge(newer: [String: String]) -> (taken: [String], conflicts: [String]) {
        let mine = shownValues
        var taken: [String] = [], conflicts: [String] = []
        theirs = [:]
        for f in fields {
            let key = f.spec.key
            let base = original[key] ?? "", m = mine[key] ?? "", n = newer[key] ?? ""
            if m == base, n != base {
                setValue(n, of: key)
                taken.append(key)
            } else if m != base, n != base, m != n {
                theirs[key] = n
                conflicts.append(key)
            }
        }
        original = newer
        return (taken, conflicts)
    }

    public var values: [String: String] {
        var out = hidden
        for f in fields {
            if !f.value.isEmpty { out[f.spec.key] = f.value }
            else if f.spec.kind == .date, f.spec.required { out[f.spec.key] = "today" }
        }
        return out
    }

    /// Puts saved values back (a draft); record ids are shown as `label` names them ("P-12 张晓芳").
    public mutating func restore(values: [String: String], label: (String) -> String = { $0 }) {
        for (key, v) in values {
            switch fields.first(where: { $0.spec.key == key })?.spec.kind {
            case .person?, .caseRef?, .group?, .volunteer?, .staff?, .site?, .fund?, .project?:
                setValue(v.split(separator: ",").map { label($0.trimmingSpaces) }.joined(separator: ", "), of: key)
            default: setValue(v, of: key)
            }
        }
        dirty = true
    }

    mutating func setValue(_ v: String, of key: String) {
        guard let i = fields.firstIndex(where: { $0.spec.key == key }) else { return }
        if fields[i].area != nil { fields[i].area = TextArea(v) }
        else if fields[i].choice != nil || !fields[i].options.isEmpty { fields[i].choice = fields[i].options.firstIndex(of: v) }
        else if fields[i].attendance == nil { fields[i].line.setText(v) }
    }

    /// Closes the focused field's open list of suggestions; false when none was open (Esc then
    /// means leaving the form).
    public mutating func dismissPicker() -> Bool {
        guard fields.indices.contains(focus), !fields[focus].suggestions.isEmpty else { return false }
        fields[focus].suggestions = []
        if !fields[focus].options.isEmpty { fields[focus].line.clear() }
        fields[focus].picked = 0
        return true
    }

    /// Handles a key inside the form. Returns true when the key was used.
    public mutating func handle(_ key: Key, state: State, viewer: Viewer? = nil, today: Day? = nil) -> Bool {
        guard fields.indices.contains(focus) else { return false }
        var f = fields[focus]
        defer { fields[focus] = f }
        switch key {
        case .tab, .enter:
            // Tab always moves on; Enter in a text area or an attendance list belongs to that field.
            guard key == .tab || (f.area == nil && f.attendance == nil) else { break }
            if case .choices = f.spec.kind, key == .enter, !f.suggestions.isEmpty {
                // Several values: Enter takes one and stays for the next, Tab moves on.
                accept(&f)
                f.line.setText(f.line.text + ", ")
                dirty = true
                return true
            }
            if !f.suggestions.isEmpty { accept(&f) }
            else if !f.options.isEmpty, !f.line.text.isEmpty {
                // Typed text that finds no value: say so and stay, the value unchanged.
                error = DomainError.invalidValue(field: f.spec.key, value: f.line.text, expected: .oneOf(f.options)).text(chinese: chinese)
                f.line.clear()
                return true
            }
            if let today { checkLeaving(f, state: state, today: today) }
            moveFocus(1, current: &f)
            return true
        case .backTab:
            if let today { checkLeaving(f, state: state, today: today) }
            moveFocus(-1, current: &f)
            return true
        case .down where f.area == nil && f.attendance == nil && f.suggestions.isEmpty:
            moveFocus(1, current: &f)
            return true
        case .up where f.area == nil && f.attendance == nil && f.suggestions.isEmpty:
            moveFocus(-1, current: &f)
            return true
        default: break
        }
        if !f.options.isEmpty { return handleChoice(key, &f) }
        if var list = f.attendance {
            let used = list.handle(key)
            f.attendance = list
            if used { dirty = true }
            return used
        }
        if var area = f.area {
            let used = area.handle(key)
            f.area = area
            if used { dirty = true }
            return used
        }
        if !f.suggestions.isEmpty {
            switch key {
            case .down: f.picked = min(f.suggestions.count - 1, f.picked + 1); return true
            case .up: f.picked = max(0, f.picked - 1); return true
            default: break
            }
        }
        let lastPart = f.typedItem
        if case .choices(let options) = f.spec.kind, key == .char(" "),
           lastPart.isEmpty || options.contains(where: { Vocabularies.label(of: $0, chinese: chinese) == lastPart }) {
            // Space where a value would start, or after a whole one, lists every value (several
            // are separated by commas).
            if !lastPart.isEmpty { f.line.setText(f.line.text + ", ") }
            f.suggestions = listed(options)
            f.matchCount = options.count
            f.picked = 0
            return true
        }
        let used = f.line.handle(key)
        if used {
            dirty = true
            (f.suggestions, f.matchCount) = suggestions(for: f, state: state, viewer: viewer)
            f.picked = 0
        }
        return used
    }

    /// A fixed-value field is a picker: Space lists every value, typing lists those whose label
    /// (Chinese, its pinyin initials, or English) or code matches, ↑/↓ choose and Enter or Tab
    /// takes one; ←/→ step through the values without opening the list.
    mutating func handleChoice(_ key: Key, _ f: inout FieldState) -> Bool {
        let open = !f.suggestions.isEmpty
        switch key {
        case .left where !open, .char("-") where f.line.text.isEmpty:
            f.choice = max(0, (f.choice ?? 0) - 1)
            error = nil
        case .right where !open, .char("+") where f.line.text.isEmpty:
            f.choice = min(f.options.count - 1, (f.choice ?? -1) + 1)
            error = nil
        case .char(" ") where f.line.text.isEmpty:
            f.suggestions = listed(f.options)
            f.matchCount = f.options.count
            f.picked = f.choice ?? 0
            return true
        case .down where open: f.picked = min(f.suggestions.count - 1, f.picked + 1); return true
        case .up where open: f.picked = max(0, f.picked - 1); return true
        default:
            guard f.line.handle(key) else { return false }
            let query = f.line.text.trimmingSpaces
            f.suggestions = query.isEmpty ? [] : listed(f.options.filter { Self.option($0, matches: query) })
            f.matchCount = f.suggestions.count
            f.picked = 0
            return true
        }
        dirty = true
        return true
    }

    /// Whether a fixed value is what `query` names: its Chinese label contains it, or its pinyin
    /// initials do, or its English label or code starts with it.
    static func option(_ code: String, matches query: String) -> Bool {
        let zh = Vocabularies.label(of: code, chinese: true), q = query.lowercased()
        return zh.contains(query) || Pinyin.initials(zh).contains(q) || Vocabularies.label(of: code, chinese: false).lowercased().hasPrefix(q)
            || code.hasPrefix(query)
    }

    /// Fixed values as a picker lists them: each code with its label in the user's language.
    func listed(_ options: [String]) -> [(id: String, label: String)] {
        options.map { ($0, Vocabularies.label(of: $0, chinese: chinese)) }
    }

    /// A value is checked as the user leaves its field: the message (with the allowed values, in
    /// the user's language) shows at once instead of on save.
    mutating func checkLeaving(_ f: FieldState, state: State, today: Day) {
        let spec = FieldSpec(f.spec.key, f.spec.zh, f.spec.en, f.spec.kind, required: f.spec.required)
        error = Forms.check(f.value, field: spec, state: state, today: today).map { $0.text(chinese: chinese, form: name) }
    }

    mutating func moveFocus(_ delta: Int, current f: inout FieldState) {
        f.suggestions = []
        if !f.options.isEmpty { f.line.clear() }
        fields[focus] = f
        focus = (focus + delta + fields.count) % fields.count
        f = fields[focus]
    }

    mutating func accept(_ f: inout FieldState) {
        guard f.suggestions.indices.contains(f.picked) else { return }
        let chosen = f.suggestions[f.picked]
        if !f.options.isEmpty {
            f.choice = f.options.firstIndex(of: chosen.id)
            f.line.clear()
            f.suggestions = []
            error = nil
            dirty = true
            return
        }
        var parts = f.items
        // A record goes in as its id and name only (the list's community and address would push
        // both out of a narrow field); the id is what the form keeps.
        let name = chosen.label.components(separatedBy: "  ").first ?? chosen.label
        if case .choices = f.spec.kind { parts[parts.count - 1] = chosen.label } else { parts[parts.count - 1] = "\(chosen.id) \(name)" }
        f.line.setText(parts.joined(separator: ", "))
        f.suggestions = []
    }

    /// Candidates for a reference field: what the last comma-separated part of the text names,
    /// and how many matched in all. People are ranked: the exact name or id first, then names
    /// that start with the text, then names whose pinyin initials start with it (`zxf` for
    /// 张晓芳), then names that contain it; only people the viewer works with.
    func suggestions(for f: FieldState, state: State, viewer: Viewer?) -> ([(id: String, label: String)], Int) {
        let query = f.typedItem
        guard !query.isEmpty, !query.contains(" ") else { return ([], 0) }
        var out: [(String, String)] = []
        switch f.spec.kind {
        case .person:
            var ranked: [[Int]] = [[], [], [], []]
            let initials = Pinyin.Query(query)
            for (i, p) in state.people.enumerated() {
                let rank = p.name == query || p.id == query ? 0 : p.name.hasPrefix(query) ? 1
                    : initials?.starts(p.name) == true ? 2 : p.name.contains(query) ? 3 : -1
                guard rank >= 0 else { continue }
                // A form writes about the person it names: only people the user works with in full.
                guard viewer.map({ Policy.person(p, for: $0, in: state) == .full }) ?? true else { continue }
                ranked[rank].append(i)
            }
            for i in ranked.joined().prefix(5) {
                let p = state.people[i]
                out.append((p.id, "\(p.name)  \(state.site(p.community)?.name ?? "")  \(p.address)"))
            }
            return (out, ranked.reduce(0) { $0 + $1.count })
        case .volunteer:
            out = Self.named(state.volunteers, query) { ($0.id, $0.name, "\($0.name)  \($0.team)") }
        case .staff:
            for s in state.staff.values.sorted(by: { $0.account < $1.account }) where s.name.contains(query) || s.account.hasPrefix(query) || Pinyin.Query(query)?.starts(s.name) == true {
                out.append((s.account, s.name))
                if out.count == 5 { break }
            }
        case .site:
            for s in state.sites where s.name.contains(query) || s.id == query {
                out.append((s.id, s.name))
                if out.count == 5 { break }
            }
        case .caseRef:
            // Open cases the user works on, found by number or by the person's name.
            for c in state.cases where c.isOpen && (viewer.map { c.worker == $0.account || $0.role == .admin } ?? true) {
                let name = state.people[Int(c.person)].name
                guard c.number.contains(query) || c.id == query || name.contains(query) else { continue }
                out.append((c.id, "\(c.number)  \(name)"))
                if out.count == 5 { break }
            }
        case .fund:
            out = Self.named(state.hub.funds, query) { ($0.id, $0.name, "\($0.name)  \($0.kind.zh)") }
        case .project:
            // Projects still moving first: a grant, an expense or a link goes to one of those.
            let initials = Pinyin.Query(query)
            let matching = state.hub.projects.filter { $0.name.contains(query) || $0.id == query || initials?.starts($0.name) == true }
            for p in matching.sorted(by: { [.approved, .running, .midterm].contains($0.stage) && ![.approved, .running, .midterm].contains($1.stage) }).prefix(5) {
                out.append((p.id, "\(p.name)  \(p.stage.zh)  \(p.field.zh)"))
            }
            return (out, matching.count)
        case .organisation:
            out = Self.named(state.hub.organisations, query) { ($0.id, $0.name, "\($0.name)  \($0.stage.zh)") }
        case .talent, .talents:
            // A staff member is also found by their account.
            out = Self.named(state.hub.talents, query, alsoExactly: { $0.account.isEmpty ? nil : $0.account }) {
                ($0.id, $0.name, "\($0.name)  \($0.level?.zh ?? $0.kind.zh)")
            }
        case .wish:
            // Open wishes the viewer may see, by what is wished (or its initials, 电暖器 as dnq).
            let open = state.hub.wishes.lazy.filter { w in w.isOpen && (viewer.map { Policy.wish(w, for: $0, in: state) > .none } ?? true) }
            out = Self.named(open, query) { ($0.id, $0.item, "\($0.item)  \($0.stage.zh)") }
        case .choices(let options):
            // Several of a fixed list: offered by label as the user types (生活照料, 康复护理 …).
            let found = listed(options.filter { Self.option($0, matches: query) })
            return (found, found.count)
        default: break
        }
        return (out, out.count)
    }

    /// The first five records found by name, id or pinyin initials (`zxf` for 张晓芳), as
    /// (id, label) for a picker; `describe` gives a record's id, name and label, `alsoExactly`
    /// another text that finds it when typed in full (a staff account).
    /// The first five of `records` the query names; `records` may be lazy, so a filter before it
    /// runs only until five are found.
    static func named<S: Sequence>(_ records: S, _ query: String, alsoExactly other: (S.Element) -> String? = { _ in nil },
                                   _ describe: (S.Element) -> (id: String, name: String, label: String)) -> [(String, String)] {
        let initials = Pinyin.Query(query)
        var out: [(String, String)] = []
        for r in records {
            let d = describe(r)
            guard d.name.contains(query) || d.id == query || other(r) == query || initials?.starts(d.name) == true else { continue }
            out.append((d.id, d.label))
            if out.count == 5 { break }
        }
        return out
    }

    /// Draws the form; returns where the terminal cursor belongs (the focused input).
    public mutating func render(into grid: inout Grid, rect: Rect, strings t: Strings) -> (x: Int, y: Int)? {
        grid.fill(rect, role: .dialog)
        grid.box(rect, title: title)
        let labelWidth = min(16, (fields.map { TextWidth.of($0.spec.label(t)) }.max() ?? 8) + 2)
        let inputX = rect.x + 2 + labelWidth + 1
        let inputWidth = rect.width - labelWidth - 5
        // Scroll so the focused field is visible.
        // A long-text field opens to three lines while it has focus, one otherwise.
        let heights = fields.indices.map { fields[$0].area != nil ? ($0 == focus ? 3 : 1) : fields[$0].height }
        let shownContext = context.flatMap { Dialog.wrap($0, width: rect.width - 4) }.prefix(max(0, (rect.height - 6) / 2))
        for (k, line) in shownContext.enumerated() {
            grid.write(line, x: rect.x + 2, y: rect.y + 1 + k, role: .dim, maxWidth: rect.width - 4)
        }
        let available = rect.height - 4 - shownContext.count
        var first = 0
        while first < focus, heights[first...focus].reduce(0, +) > available { first += 1 }
        var y = rect.y + 1 + shownContext.count
        var cursor: (x: Int, y: Int)?
        for i in first..<fields.count {
            let h = heights[i]
            if y + h > rect.y + 1 + shownContext.count + available { break }
            let focused = i == focus
            let label = fields[i].spec.label(t) + (fields[i].spec.required ? "*" : "")
            grid.writePadded(label, x: rect.x + 2, y: y, width: labelWidth, role: focused ? .accent : .dialog)
            let role: StyleRole = focused ? .inputFocused : .input
            // A field in conflict shows the other person's value beside the user's.
            let other = theirs[fields[i].spec.key]
            let mineWidth = other == nil ? inputWidth : inputWidth / 2
            if let other {
                grid.write("\(t.chinese ? "他人" : "theirs"): \(other)", x: inputX + mineWidth + 1, y: y, role: .warning,
                           maxWidth: inputWidth - mineWidth - 1)
            }
            let inputRect = Rect(x: inputX, y: y, width: mineWidth, height: h)
            if var area = fields[i].area {
                let c = area.render(into: &grid, rect: inputRect, role: role)
                fields[i].area = area
                if focused { cursor = c }
            } else if let list = fields[i].attendance {
                list.render(into: &grid, rect: Rect(x: inputX, y: y, width: inputWidth, height: h), focused: focused)
            } else if !fields[i].options.isEmpty {
                let text = fields[i].choice.map { "< \(choiceLabel(fields[i].options[$0], chinese: t.chinese)) >" } ?? "< - >"
                grid.fill(inputRect, role: role)
                let width = TextWidth.of(text)
                grid.write(text, x: inputX, y: y, role: role, maxWidth: inputWidth)
                if focused {
                    // What the user types to find a value, after the value itself.
                    let query = Rect(x: inputX + width + 1, y: y, width: max(1, mineWidth - width - 1), height: 1)
                    if fields[i].line.text.isEmpty {
                        grid.write(t.chinese ? "空格 列出全部 · 输入以查找" : "Space lists all · type to find", x: query.x, y: y,
                                   role: .dim, maxWidth: query.width)
                    }
                    cursor = (fields[i].line.render(into: &grid, rect: query, role: role), y)
                }
            } else {
                let x = fields[i].line.render(into: &grid, rect: inputRect, role: role)
                if focused { cursor = (x, y) }
                if fields[i].line.text.isEmpty, let placeholder = placeholders[fields[i].spec.key] {
                    grid.write(placeholder, x: inputX + 1, y: y, role: .dim, maxWidth: mineWidth - 1)
                }
            }
            if fields[i].area == nil, fields[i].attendance == nil {
                // Five rows at a time, scrolled to keep the highlighted one in view.
                let list = fields[i].suggestions, picked = fields[i].picked
                let first = max(0, min(picked - 4, list.count - 5))
                // A fixed value is shown by its label only; a record by its id and what it is.
                let byLabel: Bool = { if case .choices = fields[i].spec.kind { return true }; return !fields[i].options.isEmpty }()
                for (k, item) in list.enumerated().dropFirst(first).prefix(5) {
                    grid.writePadded(byLabel ? "  \(item.label)" : "  \(item.id)  \(item.label)", x: inputX, y: y + 1 + k - first,
                                     width: inputWidth, role: k == picked ? .selection : .dialog)
                }
                if list.count > 5, fields[i].matchCount == list.count {
                    let below = list.count - first - 5
                    grid.writePadded(t.chinese ? "  共 \(list.count) 项" + (below > 0 ? ",↓ 还有 \(below) 项" : "") : "  \(list.count) values" + (below > 0 ? ", \(below) more ↓" : ""),
                                     x: inputX, y: y + 6, width: inputWidth, role: .dim)
                }
                let more = fields[i].matchCount - fields[i].suggestions.count
                if more > 0 {
                    grid.writePadded(t.chinese ? "  共 \(fields[i].matchCount) 个匹配,还有 \(more) 个;继续输入以缩小范围"
                                               : "  \(fields[i].matchCount) match, \(more) more; keep typing to narrow",
                                     x: inputX, y: y + 1 + min(5, fields[i].suggestions.count), width: inputWidth, role: .dim)
                }
            }
            y += h
        }
        let hint = t.chinese ? "Tab/↓ 下一项  Shift-Tab/↑ 上一项  Ctrl-S 保存  Esc 离开" : "Tab/↓ next  Shift-Tab/↑ previous  Ctrl-S save  Esc leave"
        if let error {
            // Two lines, so a list of allowed values is read whole, not cut off.
            let lines = Dialog.wrap(error, width: rect.width - 4).prefix(2)
            for (k, line) in lines.enumerated() {
                grid.write(line, x: rect.x + 2, y: rect.y + rect.height - 2 - lines.count + k, role: .error, maxWidth: rect.width - 4)
            }
        }
        grid.write(hint, x: rect.x + 2, y: rect.y + rect.height - 2, role: .dim, maxWidth: rect.width - 4)
        return cursor
    }

    func choiceLabel(_ code: String, chinese: Bool) -> String { Vocabularies.label(of: code, chinese: chinese) }
}
