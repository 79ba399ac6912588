import ShegongDomain
import ShegongStore
import ShegongTerminal

extension Console {
    /// The whole screen for a terminal of `width` × `height` cells.
    public func render(width: Int, height: Int) -> Grid {
        var g = Grid(width: width, height: height)
        guard width >= TooSmall.minimum.width, height >= TooSmall.minimum.height else {
            TooSmall.render(into: &g, message: "\(strings[.tooSmall]) (\(width)×\(height))")
            return g
        }
        let t = strings
        g.fill(g.bounds, role: .normal)
        let header = "\(state.station) · \(state.staff[actor]?.name ?? actor) (\(role?.label(chinese: t.chinese) ?? "-")) · \(today.iso)"
        g.write(TextWidth.truncate(header, to: width), x: 0, y: 0, role: .title)
        TabBar.render(into: &g, rect: Rect(x: 0, y: 1, width: width, height: 1), titles: Screen.allCases.map { t[$0.title] },
                      active: screen.rawValue)
        let body = Rect(x: 0, y: 2, width: width, height: height - 3)
        var cursor: (x: Int, y: Int)?
        switch screen {
        case .home: renderHome(&g, body)
        case .caseload: renderCaseload(&g, body)
        case .reports: renderReport(&g, body)
        default: cursor = renderList(&g, body)
        }
        for overlay in overlays {
            switch overlay {
            case .help:
                let entries = ActionRegistry.available(on: screen).map {
                    ActionEntry(id: $0.id, keys: $0.keyLabel, label: $0.label(t), enabled: !$0.changesData || store.readOnlyReason == nil)
                }
                HelpOverlay.render(into: &g, title: "\(t[.helpTitle]) · \(t[screen.title])", entries: entries, footer: t[.helpFooter])
                cursor = nil
            case .palette(var p):
                cursor = p.render(into: &g, title: t[.paletteTitle])
            case .form(var form):
                let r = Rect(x: 2, y: 2, width: width - 4, height: height - 3)
                cursor = form.render(into: &g, rect: r, strings: t)
            case .detail(let d):
                renderDetail(&g, body, d)
                cursor = nil
            case .confirmLeave:
                Dialog.render(into: &g, title: t[.leaveForm], lines: [t[.discardChanges]], buttons: ["y \(t[.yes])", "n \(t[.no])"])
                cursor = nil
            case .restoreDraft(let draft):
                let name = Forms.spec(draft.form)?.label(chinese: t.chinese) ?? draft.form
                let preview = draft.values.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.prefix(4)
                Dialog.render(into: &g, title: name, lines: [t[.draftOffer]] + preview, buttons: ["y \(t[.yes])", "n \(t[.no])"])
                cursor = nil
            case .message(let title, let lines, let isError):
                Dialog.render(into: &g, title: title, lines: lines, buttons: [t[.ok]], role: isError ? .error : .dialog)
                cursor = nil
            }
        }
        let hints = statusHints
        StatusBar.render(into: &g, rect: Rect(x: 0, y: height - 1, width: width, height: 1), message: status, messageRole: statusRole,
                         hints: hints)
        g.cursor = cursor
        return g
    }

    var statusHints: [(key: String, label: String)] {
        let t = strings
        if case .form? = overlays.last { return [("Ctrl-S", t[.save]), ("Esc", t[.cancel])] }
        if !overlays.isEmpty { return [("Esc", t.chinese ? "返回" : "back")] }
        let ids = ["filter", "open", "visit.new", "person.new", "case.new", "help", "palette", "quit"]
        return ActionRegistry.available(on: screen).filter { ids.contains($0.id) }.map { ($0.keyLabel, $0.label(t)) }
    }

    func renderList(_ g: inout Grid, _ body: Rect) -> (x: Int, y: Int)? {
        guard let spec = screen.list else { return nil }
        let t = strings
        let filterText = filters[screen]?.text ?? ""
        var cursor: (x: Int, y: Int)?
        let (filterRow, tableRect) = body.splitTop(1)
        let label = "/ \(t[.filter]): "
        let used = g.write(label, x: 0, y: filterRow.y, role: filtering ? .accent : .dim)
        if filtering || !filterText.isEmpty {
            var f = filters[screen] ?? TextField()
            let x = f.render(into: &g, rect: Rect(x: used, y: filterRow.y, width: 30, height: 1), role: filtering ? .inputFocused : .input)
            filters[screen] = f
            if filtering { cursor = (x, filterRow.y) }
        }
        let r = currentRows(spec)
        var table = tables[screen] ?? TableView(columns: spec.columns(t))
        table.columns = spec.columns(t)
        table.setRowCount(r.indices.count)
        g.write(" \(r.indices.count)", x: used + 31, y: filterRow.y, role: .dim)
        let state = self.state
        table.render(into: &g, rect: tableRect, focused: !filtering) { i in spec.row(state, viewer, r.indices[i], t) }
        tables[screen] = table
        if r.indices.isEmpty { g.write(t[.noRows], x: 2, y: tableRect.y + 2, role: .dim) }
        return cursor
    }

    func renderHome(_ g: inout Grid, _ body: Rect) {
        let t = strings
        if deferMonthFigures {
            g.write("\(t[.monthCounts]): …", x: 0, y: body.y, role: .dim)
        } else {
            let report = report(month: today.firstOfMonth, site: nil)
            let summary = [("household_visits", t.chinese ? "本月走访户次" : "visits"), ("cases_open", t.chinese ? "在案个案" : "open cases"),
                           ("contacts", t.chinese ? "个案服务" : "contacts"), ("group_sessions", t.chinese ? "小组节数" : "sessions"),
                           ("volunteer_hours", t.chinese ? "志愿时长" : "volunteer hours"), ("overdue_people", t[.overdue])]
                .map { "\($0.1) \(report.formatted($0.0))" }.joined(separator: "  ")
            g.write(TextWidth.truncate("\(t[.monthCounts]): \(summary)", to: body.width), x: 0, y: body.y, role: .accent)
        }
        renderHomeTable(&g, body)
    }

    func renderHomeTable(_ g: inout Grid, _ body: Rect) {
        let t = strings
        let rows = homeRows
        var table = tables[.home] ?? TableView(columns: [])
        table.columns = [Column("", width: 14), Column(t[.colName], width: 10), Column(t[.colTier], width: 16), Column(t[.colDate], width: 10),
                         Column(t.chinese ? "说明" : "Detail")]
        table.setRowCount(rows.count)
        let rect = Rect(x: 0, y: body.y + 1, width: body.width, height: body.height - 1)
        table.render(into: &g, rect: rect, rowRole: { rows[$0].role }) { i in cells(of: rows[i]) }
        tables[.home] = table
        if rows.isEmpty { g.write(t[.nothingDue], x: 2, y: rect.y + 2, role: .ok) }
    }

    func renderCaseload(_ g: inout Grid, _ body: Rect) {
        let t = strings
        let loads = caseloadRows
        var table = tables[.caseload] ?? TableView(columns: [])
        table.columns = [Column(t[.colWorker], width: 12), Column("", width: 10), Column(t[.colOpenCases], width: 6, alignRight: true),
                         Column(t[.colHighRisk], width: 8, alignRight: true), Column(t[.colOverdue], width: 8, alignRight: true),
                         Column(t[.colLastContact], width: 12), Column(t[.colPending], width: 6, alignRight: true)]
        table.setRowCount(loads.count)
        table.render(into: &g, rect: body) { i in
            let l = loads[i]
            return [l.name, l.account, String(l.open), String(l.highRisk), String(l.overdue), l.lastContact?.iso ?? "-", String(l.pending)]
        }
        tables[.caseload] = table
        if loads.isEmpty { g.write(t[.noRows], x: 2, y: body.y + 2, role: .dim) }
    }

    func renderReport(_ g: inout Grid, _ body: Rect) {
        let t = strings
        let report = currentReport
        let site = reportSite.flatMap { state.site($0)?.name } ?? state.station
        g.write("\(t[.period]): \(report.from.iso) — \(report.to.iso)   \(t[.colSite]): \(site)   [ ] \(t.chinese ? "月份" : "month")  t \(t[.colSite])  x CSV",
                x: 0, y: body.y, role: .accent, maxWidth: body.width)
        var table = TableView(columns: [Column(t[.colFigure], width: 16), Column(t[.colValue], width: 10, alignRight: true),
                                        Column(t[.colDefinition])])
        table.setRowCount(Report.definitions.count)
        table.render(into: &g, rect: Rect(x: 0, y: body.y + 1, width: body.width, height: body.height - 1), focused: false) { i in
            let d = Report.definitions[i]
            return [t.chinese ? d.zh : d.en, report.formatted(d.key), t.chinese ? d.defZh : d.defEn]
        }
    }

    func renderDetail(_ g: inout Grid, _ body: Rect, _ d: Detail) {
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
