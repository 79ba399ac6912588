import Testing
import ShegongApp
import ShegongDomain
import ShegongTerminal
import ShegongTestSupport

/// The district view on figures it is handed: what an officer sees, and the keys they use.
@Suite struct DistrictConsoleTests {
    let now = Timestamp(seconds: Int64(Day(iso: "2026-11-20")!.number) * 86400 + 3 * 3600)

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

    @Test func helpListsTheDistrictKeysFromTheKeyMap() {
        let c = console()
        _ = c.handle(.char("?"))
        let screen = c.render(width: 100, height: 30)
        let text = (0..<screen.height).map(screen.line).joined(separator: "\n")
        for binding in KeyMap.district { #expect(text.contains(binding.zh), "\(binding.zh)") }
    }
}
