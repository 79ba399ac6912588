import ShegongDomain
import ShegongTerminal

/// What the district view shows: the district's figures and each station's, for one period.
public struct DistrictSnapshot: Sendable {
    public var total: Report
    public var stations: [StationStatus]
    public init(total: Report, stations: [StationStatus]) { self.total = total; self.stations = stations }
}

/// `shegong console --store postgresql://…`: a district officer's view. It can show only what the
/// district holds, figures per station and their sum, so no person's record can be opened here.
/// The data comes from `fetch`, so this is tested without a database or a terminal.
public final class DistrictConsole {
    public private(set) var month: Day
    public private(set) var snapshot: DistrictSnapshot?
    public private(set) var problem: String?
    public private(set) var showingStation: Int?
    public private(set) var helpShown = false
    private var table: TableView
    private let strings: Strings
    private let fetch: (Day, Day) throws -> DistrictSnapshot
    private let now: () -> Timestamp

    public init(strings: Strings, today: Day, now: @escaping () -> Timestamp, fetch: @escaping (Day, Day) throws -> DistrictSnapshot) {
        self.strings = strings
        self.month = today.firstOfMonth
        self.now = now
        self.fetch = fetch
        table = TableView(columns: [])
        refresh()
    }

    /// The period shown: the month so far, or a whole earlier month.
    public var period: (from: Day, to: Day) {
        let today = now().day()
        let end = month.adding(months: 1).adding(days: -1)
        return (month, min(end, today))
    }

    /// A figure column: its header and which report figure it shows.
    struct FigureColumn {
        var zh: String, en: String, key: String, width: Int
    }

    static let figureColumns = [
        FigureColumn(zh: "服务人次", en: "person-times", key: "service_person_times", width: 10),
        FigureColumn(zh: "个案人数", en: "case people", key: "people_served_case", width: 8),
        FigureColumn(zh: "入户户次", en: "home visits", key: "household_visits", width: 8),
        FigureColumn(zh: "探访率", en: "visit rate", key: "visit_rate", width: 7),
        FigureColumn(zh: "小组节数", en: "sessions", key: "group_sessions", width: 8),
        FigureColumn(zh: "志愿时长", en: "vol. hours", key: "volunteer_hours", width: 9),
    ]

    /// The figures that fit beside a readable station name (at least 16 cells) and the columns
    /// every row has: at 80 columns the first four, all six from about 100.
    func figureColumns(width: Int) -> [FigureColumn] {
        var shown: [FigureColumn] = []
        var used = 16 + 1 + 8 + 1 + 12
        for c in Self.figureColumns where used + 1 + c.width <= width {
            shown.append(c)
            used += 1 + c.width
        }
        return shown
    }

    public func refresh() {
        do {
            snapshot = try fetch(period.from, period.to)
            problem = nil
        } catch {
            problem = "\(error)"
        }
        table.setRowCount((snapshot?.stations.count ?? 0) + 1)
    }

    /// Handles a key; false means quit.
    public func handle(_ key: Key) -> Bool {
        if helpShown { helpShown = false; return true }
        guard let binding = KeyMap.district.first(where: { $0.keys.contains(key) }) else { return true }
        switch binding.command {
        case .quit: return false
        case .back: if showingStation != nil { showingStation = nil } else { return false }
        case .help: helpShown = true
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            if showingStation == nil { _ = table.handle(key, pageSize: 10) }
        case .open: if let count = snapshot?.stations.count, table.selected < count { showingStation = table.selected }
        case .reportPrevious: month = month.adding(months: -1); refresh()
        case .reportNext:
            guard month < now().day().firstOfMonth else { break }
            month = month.adding(months: 1); refresh()
        case .refresh: refresh()
        default: break
        }
        return true
    }

    public func render(width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height)
        guard width >= TooSmall.minimum.width, height >= TooSmall.minimum.height else {
            TooSmall.render(into: &grid, message: strings[.tooSmall])
            return grid
        }
        let zh = strings.chinese
        let (from, to) = period
        grid.fill(grid.bounds.row(0), role: .header)
        grid.write((zh ? "区级汇总 · " : "District · ") + "\(from.iso) — \(to.iso)", x: 1, y: 0, role: .header)
        let body = Rect(x: 0, y: 2, width: width, height: height - 3)
        if let index = showingStation, let s = snapshot?.stations[index] {
            renderFigures(s.report, title: "\(s.station) (\(s.origin))", into: &grid, rect: body)
        } else if let snapshot {
            let clock = now()
            let rows = snapshot.stations
            let figures = figureColumns(width: width)
            table.columns = [Column(zh ? "站点" : "station"), Column(zh ? "记录" : "records", width: 8, alignRight: true),
                             Column(zh ? "最近上报" : "shipped", width: 12)]
                + figures.map { Column(zh ? $0.zh : $0.en, width: $0.width, alignRight: true) }
            table.render(into: &grid, rect: body, rowRole: { i in i < rows.count && rows[i].isLate(now: clock) ? .warning : .normal }) { i in
                let (name, records, shipped, report) = i < rows.count
                    ? (SafeText.terminal(rows[i].station), String(rows[i].shippedRecords),
                       rows[i].shippedAgo(now: clock, chinese: zh) + (rows[i].isLate(now: clock) ? " ⚠" : ""), rows[i].report)
                    : (zh ? "合计" : "total", String(rows.reduce(0) { $0 + $1.shippedRecords }), "", snapshot.total)
                return [name, records, shipped] + figures.map { report.formatted($0.key) }
            }
        }
        let late = snapshot?.stations.filter { $0.isLate(now: now()) }.count ?? 0
        let message = problem.map { SafeText.terminal($0) }
            ?? (late > 0 ? (zh ? "\(late) 个站点超过一天未上报,其数字可能不全" : "\(late) stations have not shipped for over a day: their figures may be incomplete")
                : (zh ? "各站数字由其上报的记录在区级数据库中计算,口径与站点统计相同" : "each station's figures are computed in the district database from what it shipped"))
        StatusBar.render(into: &grid, rect: grid.bounds.row(height - 1), message: message, messageRole: problem != nil || late > 0 ? .warning : .status,
                         hints: KeyMap.district.filter { $0.command != .quit || showingStation == nil }.map { ($0.keyLabel(inDetail: false), $0.label(strings)) })
        if helpShown {
            HelpOverlay.render(into: &grid, title: strings[.helpTitle],
                               entries: KeyMap.district.map { ActionEntry(id: $0.id, keys: $0.keyLabel(inDetail: false), label: $0.label(strings)) },
                               footer: zh ? "任意键关闭" : "any key closes")
        }
        return grid
    }

    /// Every figure of one report with its definition, as the station's own report screen has them.
    func renderFigures(_ report: Report, title: String, into grid: inout Grid, rect: Rect) {
        let zh = strings.chinese
        grid.write(SafeText.terminal(title), x: rect.x + 1, y: rect.y, role: .accent)
        let labelWidth = report.shownDefinitions.map { TextWidth.of(zh ? $0.zh : $0.en) }.max() ?? 10
        for (i, d) in report.shownDefinitions.enumerated() where i + 2 < rect.height {
            let y = rect.y + 2 + i
            grid.writePadded(zh ? d.zh : d.en, x: rect.x + 1, y: y, width: labelWidth, role: .normal)
            grid.writePadded(report.formatted(d.key), x: rect.x + 2 + labelWidth, y: y, width: 10, role: .accent, alignRight: true)
            grid.write(zh ? d.defZh : d.defEn, x: rect.x + 14 + labelWidth, y: y, role: .dim, maxWidth: rect.width - labelWidth - 15)
        }
    }
}
