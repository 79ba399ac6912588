import Testing
import ShegongApp
import ShegongDomain
import ShegongTerminal
import ShegongTestSupport

/// The district view on figures it is handed: what an officer sees, and the keys they use.
@Suite struct DistrictConsoleTests {
    let now = Timestamp(seconds: Int64(Day(iso: "2026-11-20")!.number) * 86400 + 3 * 3600)

    init() { _ = localeReady }  // widths as the terminal measures them

    func figures(_ pairs: [String: Double], from: Day, to: Day) -> Report {
        Report(from: from, to: to, site: nil, figures: Report.definitions.map { ($0.key, pairs[$0.key] ?? 0) })
    }

    /// Two stations, one of which last shipped three days ago; records every period asked for.
    func console(asked: @escaping @Sendable (Day, Day) -> Void = { _, _ in }) -> DistrictConsole {
        let now = self.now
        return DistrictConsole(strings: Strings(.zh), today: now.day(), now: { now }) { from, to in
            asked(from, to)
            let a = StationStatus(origin: "弹子石", station: "弹子石街道社工站", shippedRecords: 120_345,
                                  shippedAt: Timestamp(seconds: now.seconds - 120), newestRecord: now,
                                  report: self.figures(["service_person_times": 1308, "people_served_case": 13, "visit_rate": 0.874], from: from, to: to))
            let b = StationStatus(origin: "南坪", station: "南坪街道社工站", shippedRecords: 88_000,
                                  shippedAt: Timestamp(seconds: now.seconds - 3 * 86400 - 60), newestRecord: nil,
                                  report: self.figures(["service_person_times": 700, "people_served_case": 9, "visit_rate": 0.5], from: from, to: to))
            return DistrictSnapshot(total: self.figures(["service_person_times": 2008, "people_served_case": 22, "visit_rate": 0.7], from: from, to: to),
                                    stations: [a, b])
        }
    }

    @Test func theDistrictSeesEachStationsFiguresTheirSumAndWhichStationIsLate() {
        let screen = console().render(width: 120, height: 30)
        let text = (0..<screen.height).map(screen.line).joined(separator: "\n")
        #expect(text.contains("区级汇总 · 2026-11-01 — 2026-11-20"))
        let a = screen.line((0..<screen.height).first { screen.line($0).contains("弹子石街道社工站") }!)
        #expect(a.contains("1308") && a.contains("87.4%") && a.contains("2 分钟前") && !a.contains("⚠"), "\(a)")
        let bRow = (0..<screen.height).first { screen.line($0).contains("南坪街道社工站") }!
        #expect(screen.line(bRow).contains("3 天前 ⚠"))
        #expect(screen.role(atLine: bRow, containing: "南坪") == .warning, "a late station stands out")
        let total = screen.line((0..<screen.height).first { screen.line($0).hasPrefix("合计") }!)
        #expect(total.contains("2008") && total.contains("208345"), "\(total)")
        #expect(screen.line(29).contains("1 个站点超过一天未上报"), "the status line says a station is late")
    }

    @Test func monthsMoveWithTheArrowsAndEnterShowsEveryFigureWithItsDefinition() {
        final class Periods: @unchecked Sendable { var seen: [String] = [] }
        let periods = Periods()
        let c = console { from, to in periods.seen.append("\(from.iso)_\(to.iso)") }
        #expect(c.handle(.left))
        #expect(periods.seen.last == "2026-10-01_2026-10-31", "a whole earlier month")
        #expect(c.handle(.right))
        #expect(c.handle(.right))
        #expect(periods.seen.last == "2026-11-01_2026-11-20" && periods.seen.count == 3, "no month after this one: \(periods.seen)")
        #expect(c.handle(.down) && c.handle(.enter))
        let screen = c.render(width: 120, height: 30)
        let text = (0..<screen.height).map(screen.line).joined(separator: "\n")
        #expect(text.contains("南坪街道社工站 (南坪)") && text.contains("个案服务人数") && text.contains("期内有个案服务记录"), "\(text)")
        #expect(c.handle(.escape) && c.showingStation == nil)
        #expect(!c.handle(.char("q")), "q quits")
    }

    @Test func atEightyColumnsALongChineseStationNameIsCutWholeAndTheFiguresStayInTheirColumns() {
        let now = self.now
        let c = DistrictConsole(strings: Strings(.zh), today: now.day(), now: { now }) { from, to in
            let long = StationStatus(origin: "弹子石", station: "南岸区弹子石街道社会工作服务站（含彩云社区社工室）", shippedRecords: 5,
                                     shippedAt: now, newestRecord: now,
                                     report: self.figures(["service_person_times": 12345, "visit_rate": 0.5], from: from, to: to))
            let short = StationStatus(origin: "南坪", station: "南坪站", shippedRecords: 123_456, shippedAt: now, newestRecord: now,
                                      report: self.figures(["service_person_times": 7, "visit_rate": 1], from: from, to: to))
            return DistrictSnapshot(total: self.figures(["service_person_times": 12352], from: from, to: to), stations: [long, short])
        }
        let screen = c.render(width: 80, height: 24)
        let lines = (0..<screen.height).map(screen.line)
        for line in lines { #expect(TextWidth.of(line) <= 80, "\(line)") }
        let header = lines.first { $0.contains("服务人次") }!
        let rows = ["南岸区弹子石", "南坪站", "合计"].map { name in lines.first { $0.hasPrefix(name) }! }
        #expect(rows[0].hasPrefix("南岸区弹子石街道社会") && !rows[0].contains("社工室"), "cut at a whole character: \(rows[0])")
        // Right-aligned figures end where their header ends, row after row, whatever the name's width.
        let end = TextWidth.of(String(header[..<header.range(of: "服务人次")!.upperBound]))
        for (row, value) in zip(rows, ["12345", "7", "12352"]) {
            #expect(TextWidth.of(String(row[..<row.range(of: value)!.upperBound])) == end, "\(row)")
        }
        #expect(header.contains("探访率") && !header.contains("志愿时长"), "the figures that fit at 80 columns: \(header)")
    }

    @Test func helpListsTheDistrictKeysFromTheKeyMap() {
        let c = console()
        _ = c.handle(.char("?"))
        let screen = c.render(width: 100, height: 30)
        let text = (0..<screen.height).map(screen.line).joined(separator: "\n")
        for binding in KeyMap.district { #expect(text.contains(binding.zh), "\(binding.zh)") }
    }
}
