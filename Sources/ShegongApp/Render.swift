import ShegongDomain
import ShegongStore
import ShegongTerminal

/// Draws the console: a pure function of its state and the data, into a grid a test can read.
/// Nothing here changes the state; scroll positions come in with it.
public enum ConsoleView {
    public static func render(_ s: ConsoleState, _ data: ConsoleData) -> Grid {
        let (width, height) = (s.width, s.height)
        var g = Grid(width: width, height: height)
        let t = data.strings
        guard !s.tooSmall else {
            TooSmall.render(into: &g, message: "\(t[.tooSmall]) (\(width)×\(height))")
            return g
        }
        let state = data.state
        g.fill(g.bounds, role: .normal)
        let role = data.role?.label(chinese: t.chinese) ?? "-"
        let readOnly = data.readOnlyReason == nil ? "" : " · [\(t[.readOnly])]"
        let header = "\(state.station) · \(data.state.staffName(data.actor)) (\(role)) · \(data.today.iso)\(readOnly)"
        g.write(TextWidth.truncate(header, to: width), x: 0, y: 0, role: .title)
        TabBar.render(into: &g, rect: Rect(x: 0, y: 1, width: width, height: 1), tabs: Screen.allCases.map { ($0.key, t[$0.title]) },
                      active: s.screen.rawValue)
        let body = Rect(x: 0, y: 2, width: width, height: height - 3)
        var cursor: (x: Int, y: Int)?
        switch s.screen {
        case .home: renderHome(&g, body, s, data)
        case .caseload: renderCaseload(&g, body, s, data)
        case .reports: renderReport(&g, body, s, data)
        default: cursor = renderList(&g, body, s, data)
        }
        for overlay in s.overlays {
            cursor = nil
            switch overlay {
            case .help(let top):
                HelpOverlay.render(into: &g, title: "\(t[.helpTitle]) · \(ConsoleReducer.underDetail(s)?.title ?? t[s.screen.title])", entries: ConsoleReducer.helpEntries(s, data),
                                   top: top, footer: t[.helpFooter])
            case .palette(var p):
                cursor = p.render(into: &g, title: t[.paletteTitle])
            case .form(var form):
                cursor = form.render(into: &g, rect: Rect(x: 2, y: 2, width: width - 4, height: height - 3), strings: t)
            case .detail(let d):
                renderDetail(&g, body, d)
            case .confirmLeave:
                Dialog.render(into: &g, title: t[.leaveForm], lines: [t[.discardChanges]], buttons: ["y \(t[.yes])", "n \(t[.no])"])
            case .confirmDuplicate(let form, let matches) where form.name == "case":
                Dialog.render(into: &g, title: t.chinese ? "已有在案个案" : "A case is already open",
                              lines: [t.chinese ? "这位服务对象已有未结案的个案:" : "This person already has an open case:"]
                                  + matches + [t.chinese ? "仍要再开一个新个案?(通常应在原个案中继续服务)" : "Open another case anyway? (The work usually belongs in the open one.)"],
                              buttons: ["y \(t[.yes])", "n \(t[.no])"], role: .warning)
            case .confirmDuplicate(_, let matches):
                Dialog.render(into: &g, title: t.chinese ? "可能重复登记" : "Possibly registered already",
                              lines: [t.chinese ? "已有相同身份证号或相同姓名和出生日期的服务对象:" : "Someone with the same ID number, or name and birth date, exists:"]
                                  + matches + [t.chinese ? "仍要登记为新的服务对象?" : "Register a new person anyway?"],
                              buttons: ["y \(t[.yes])", "n \(t[.no])"], role: .warning)
            case .confirmQuit:
                Dialog.render(into: &g, title: t.chinese ? "退出" : "Quit",
                              lines: [t.chinese ? "退出 shegong?未保存的输入已存为草稿,下次打开时可恢复。" : "Quit shegong? Unsaved input is kept as a draft for next time."],
                              buttons: ["y \(t[.yes])", "n \(t[.no])"])
            case .nameView(let field):
                Dialog.render(into: &g, title: t.chinese ? "保存视图" : "Save view",
                              lines: [(t.chinese ? "名称: " : "Name: ") + field.text + "▏",
                                      t.chinese ? "保存当前的筛选和排序,按 F1–F8 打开;同名视图会被替换" : "Keeps this filter and sort, opened with F1–F8; the same name replaces a view"],
                              buttons: ["Enter \(t[.save])", "Ctrl-D \(t.chinese ? "删除" : "delete")", "Esc \(t[.cancel])"])
            case .restoreDraft(let draft):
                let name = Forms.spec(draft.form)?.label(chinese: t.chinese) ?? draft.form
                // Values as a person reads them: names for records, labels for codes.
                let preview = draft.values.sorted { $0.key < $1.key }.prefix(4).map { key, value in
                    let record = data.labelled(value)
                    return "\(Forms.fieldLabel(key, chinese: t.chinese, preferring: draft.form)): "
                        + (record != value ? record : Vocabularies.label(of: value, chinese: t.chinese))
                }
                Dialog.render(into: &g, title: name, lines: [t[.draftOffer]] + preview, buttons: ["y \(t[.yes])", "n \(t[.no])"])
            }
        }
        StatusBar.render(into: &g, rect: Rect(x: 0, y: height - 1, width: width, height: 1), message: s.status, messageRole: s.statusRole,
                         hints: hints(s, data))
        g.cursor = cursor
        return g
    }

    /// The key-hint line: what matters most where the user is, from the key map.
    static func hints(_ s: ConsoleState, _ data: ConsoleData) -> [(key: String, label: String)] {
        let t = data.strings
        switch s.overlays.last {
        case .form?: return [("Ctrl-S", t[.save]), ("Tab", t.chinese ? "下一项" : "next"), ("Esc", t[.cancel])]
        case .help?: return [("↑↓", t.chinese ? "滚动" : "scroll"), ("Esc", t.chinese ? "关闭" : "close")]
        case .palette?: return [("Enter", t.chinese ? "执行" : "run"), ("Esc", t.chinese ? "关闭" : "close")]
        case .confirmLeave?, .confirmQuit?, .restoreDraft?, .confirmDuplicate?: return [("y", t[.yes]), ("n", t[.no])]
        case .nameView?: return [("Enter", t[.save]), ("Esc", t[.cancel])]
        case .detail?, nil: break
        }
        let (screen, inDetail) = ConsoleReducer.keyPlace(s)
        let available = KeyMap.available(on: screen, inDetail: inDetail, for: data.role, everyone: false)
        let navigation: Set<Command> = [.up, .down, .pageUp, .pageDown, .top, .bottom, .nextScreen, .previousScreen, .palette, .quit, .back, .help]
        // Opening, then what records work (the first forms), then the rest.
        let subject = ConsoleReducer.selectedSubject(s, data)
        let candidates = available.filter { b in
            switch b.command {
            case .goTo, .openView, .historyBack, .historyForward, .undo: return false
            case .form(let name):
                // A project's steps are hinted only where its stage and the user allow them (the rest are refused when pressed).
                if let spec = Forms.spec(name), EventType(rawValue: spec.eventType)?.isHub == true, case .existing = spec.subject,
                   let subject, ConsoleReducer.refusal(spec, subject: subject, data) != nil { return false }
            default: break
            }
            return !navigation.contains(b.command)
        }
        let ordered = candidates.filter { $0.command == .open } + candidates.filter { $0.changesData }
            + candidates.filter { $0.command != .open && !$0.changesData }
        var chosen = ordered.prefix(3).map { ($0.keyLabel(inDetail: inDetail), $0.label(t)) }
        // Right after a save, the way to take it back.
        if !s.undoStack.isEmpty, data.readOnlyReason == nil { chosen.insert(("z", t.chinese ? "撤销刚才的保存" : "undo last save"), at: 0) }
        if inDetail { chosen.append(("↑↓", t.chinese ? "滚动" : "scroll")) }
        for command in [Command.help, .palette, inDetail ? .back : .quit] {
            if let b = KeyMap.binding(for: command) { chosen.append((b.keyLabel(inDetail: inDetail).split(separator: "/").first.map(String.init) ?? "", b.label(t))) }
        }
        return chosen
    }

    /// A table at the state's selection and scroll position.
    static func table(_ columns: [Column], _ screen: Screen, _ s: ConsoleState, _ data: ConsoleData, rows: Int) -> TableView {
        var table = TableView(columns: columns)
        table.setRowCount(rows)
        table.select(data.selectedRow(screen, s))
        table.scroll(to: s.selections[screen]?.top ?? 0)
        if let sort = s.sorts[screen] { table.sortColumn = sort.column; table.sortAscending = sort.ascending }
        return table
    }

    static func renderList(_ g: inout Grid, _ body: Rect, _ s: ConsoleState, _ data: ConsoleData) -> (x: Int, y: Int)? {
        guard let spec = s.screen.list(today: data.today) else { return nil }
        let t = data.strings
        let filterText = s.filters[s.screen]?.text ?? ""
        var cursor: (x: Int, y: Int)?
        let (filterRow, tableRect) = body.splitTop(1)
        let used = g.write("/ \(t[.filter]): ", x: 0, y: filterRow.y, role: s.filtering ? .accent : .dim)
        if s.filtering || !filterText.isEmpty {
            var f = s.filters[s.screen] ?? TextField()
            let x = f.render(into: &g, rect: Rect(x: used, y: filterRow.y, width: 30, height: 1), role: s.filtering ? .inputFocused : .input)
            if s.filtering { cursor = (x, filterRow.y) }
        }
        let r = data.listRows(s.screen, s)
        g.write(" \(r.indices.count)", x: used + 31, y: filterRow.y, role: .dim)
        var table = table(spec.columns(t), s.screen, s, data, rows: r.indices.count)
        let (state, viewer) = (data.state, data.viewer)
        // Marked rows (Space) stand out until the action that uses them.
        let marked = Set(s.marks[s.screen] ?? [])
        table.render(into: &g, rect: tableRect, focused: !s.filtering,
                     rowRole: { i in marked.contains(spec.subject(state, r.indices[i])) ? .highlight : .normal }) { i in
            spec.row(state, viewer, r.indices[i], t)
        }
        if r.indices.isEmpty { g.write(t[.noRows], x: 2, y: tableRect.y + 2, role: .dim) }
        return cursor
    }

    static func renderHome(_ g: inout Grid, _ body: Rect, _ s: ConsoleState, _ data: ConsoleData) {
        let t = data.strings
        if data.deferMonthFigures {
            g.write("\(t[.monthCounts]): …", x: 0, y: body.y, role: .dim)
        } else {
            let report = data.report(month: data.today.firstOfMonth, site: nil)
            // Full labels where they fit; at 80 columns short ones, so every figure stays on the line.
            let figures: [(key: String, long: String, short: String)] = [
                ("household_visits", t.chinese ? "入户走访户次" : "home visits", t.chinese ? "入户" : "home"),
                ("cases_open", t.chinese ? "在案个案" : "open cases", t.chinese ? "在案" : "open"),
                ("contacts", t.chinese ? "个案服务" : "contacts", t.chinese ? "服务" : "contacts"),
                ("group_sessions", t.chinese ? "小组节数" : "sessions", t.chinese ? "小组" : "sessions"),
                ("volunteer_hours", t.chinese ? "志愿时长" : "volunteer hours", t.chinese ? "志愿时长" : "vol. hours"),
                ("overdue_people", t[.overdue], t[.overdue]),
            ]
            let full = "\(t[.monthCounts]): " + figures.map { "\($0.long) \(report.formatted($0.key))" }.joined(separator: "  ")
            let line = TextWidth.of(full) <= body.width ? full
                : "\(t.chinese ? t[.monthCounts] : "Station"): " + figures.map { "\($0.short) \(report.formatted($0.key))" }.joined(separator: " ")
            g.write(TextWidth.truncate(line, to: body.width), x: 0, y: body.y, role: .accent)
        }
        let rows = data.homeRows
        // Person lines show a tier, case lines a case number: the column says both.
        let columns = [Column("", width: 14), Column(t[.colName], width: 10), Column(t.chinese ? "等级/个案" : "Tier / case", width: 16),
                       Column(t[.colDate], width: 10), Column(t.chinese ? "说明" : "Detail")]
        var table = table(columns, .home, s, data, rows: rows.count)
        let rect = Rect(x: 0, y: body.y + 1, width: body.width, height: body.height - 1)
        let marked = Set(s.marks[.home] ?? [])
        table.render(into: &g, rect: rect, rowRole: { marked.contains(data.subject(of: rows[$0])) ? .highlight : rows[$0].role }) { i in
            data.cells(of: rows[i])
        }
        if rows.isEmpty { g.write(t[.nothingDue], x: 2, y: rect.y + 2, role: .ok) }
    }

    static func renderCaseload(_ g: inout Grid, _ body: Rect, _ s: ConsoleState, _ data: ConsoleData) {
        let t = data.strings
        let loads = data.caseloadRows
        let columns = [Column(t[.colWorker], width: 12), Column("", width: 10), Column(t[.colOpenCases], width: 6, alignRight: true),
                       Column(t[.colHighRisk], width: 9, alignRight: true), Column(t[.colOverdue], width: 8, alignRight: true),
                       Column(t[.colLastContact], width: 12), Column(t[.colPending], width: t.chinese ? 6 : 7, alignRight: true)]
        var table = table(columns, .caseload, s, data, rows: loads.count)
        table.render(into: &g, rect: body) { i in
            let l = loads[i]
            return [l.name, l.account, String(l.open), String(l.highRisk), String(l.overdue), l.lastContact?.iso ?? "-", String(l.pending)]
        }
        if loads.isEmpty { g.write(t[.noRows], x: 2, y: body.y + 2, role: .dim) }
    }

    static func renderReport(_ g: inout Grid, _ body: Rect, _ s: ConsoleState, _ data: ConsoleData) {
        let t = data.strings
        let report = data.report(s)
        let site = s.reportSite.flatMap { data.state.site($0)?.name } ?? data.state.station
        g.write("\(t[.period]): \(report.from.iso) — \(report.to.iso)   \(t[.colSite]): \(site)   [/] \(t.chinese ? "月份" : "month")  t \(t[.colSite])  x CSV",
                x: 0, y: body.y, role: .accent, maxWidth: body.width)
        let columns = [Column(t[.colFigure], width: t.chinese ? 18 : 28), Column(t[.colValue], width: 10, alignRight: true),
                       Column(t[.colDefinition])]
        var table = table(columns, .reports, s, data, rows: Report.allDefinitions.count)
        table.render(into: &g, rect: Rect(x: 0, y: body.y + 1, width: body.width, height: body.height - 1)) { i in
            let d = Report.allDefinitions[i]
            return [t.chinese ? d.zh : d.en, report.formatted(d.key), t.chinese ? d.defZh : d.defEn]
        }
    }

    static func renderDetail(_ g: inout Grid, _ body: Rect, _ d: Detail) {
        g.fill(body, role: .normal)
        g.box(body, title: d.title)
        let inner = body.inset(1)
        var y = inner.y
        for line in d.lines.dropFirst(d.top) {
            for piece in Dialog.wrap(line.text, width: inner.width - 1) {
                if y >= inner.y + inner.height { return }
                g.write(piece, x: inner.x + 1, y: y, role: line.role, maxWidth: inner.width - 1)
                y += 1
            }
        }
    }
}
