import ShegongApp
import ShegongDistrict
import ShegongDomain
import ShegongTerminal

/// `shegong report --store postgresql://…`: the district's figures, computed in its database, and
/// how far each station has shipped (a station that stopped shipping shows as such).
struct DistrictReporting {
    var url: String
    var from: Day
    var to: Day
    var site: String?
    var format: String
    var chinese: Bool
    var byStation: Bool
    var bom: Bool

    func run() {
        let result: (total: ShegongDomain.Report, stations: [StationStatus])
        do {
            let db = try PostgreSQL(url: url)
            result = try DistrictReport.compute(db, from: from, to: to, site: site)
        } catch {
            fail("\(error)")
        }
        let now = Identity.context(actor: "").now
        let name = site.map { "\(chinese ? "区级" : "district") \($0)" } ?? (chinese ? "区级汇总" : "district total")
        switch format {
        case "json":
            var fields = result.total.json.fields ?? []
            fields.append(JSONField("stations", .array(result.stations.map { s in
                var f = [JSONField("origin", .string(s.origin)), JSONField("station", .string(s.station)),
                         JSONField("shipped_records", .int(s.shippedRecords))]
                if let at = s.shippedAt { f.append(JSONField("shipped_at", .string(at.iso))) }
                if let at = s.newestRecord { f.append(JSONField("newest_record", .string(at.iso))) }
                f.append(JSONField("figures", s.report.json))
                return .object(f)
            })))
            print(JSON.object(fields).text)
        case "csv":
            printReport(result.total, siteName: name, format: format, chinese: chinese, bom: bom)
            for s in result.stations where byStation {
                printReport(s.report, siteName: "\(s.station) (\(s.origin))", format: format, chinese: chinese, bom: false)
            }
        default:
            printReport(result.total, siteName: name, format: format, chinese: chinese, bom: bom, definitions: false)
            print(chinese ? "上报情况:" : "Stations and how far they have shipped:")
            for s in result.stations {
                let late = s.isLate(now: now)
                let ago = s.shippedAgo(now: now, chinese: chinese)
                let line = "  \(SafeText.terminal(s.station)) (\(SafeText.terminal(s.origin))): \(s.shippedRecords) "
                    + (chinese ? "条记录, 最近上报 \(ago)" : "records, last shipped \(ago)")
                    + (s.newestRecord.map { chinese ? ", 最新记录 \($0.iso)" : ", newest record \($0.iso)" } ?? "")
                print(line + (late ? (chinese ? "  ⚠ 超过一天未上报" : "  ⚠ not shipped for over a day") : ""))
            }
            for s in result.stations where byStation {
                print("")
                printReport(s.report, siteName: "\(s.station) (\(s.origin))", format: format, chinese: chinese, bom: false, definitions: false)
            }
            print(chinese ? "口径与各站统计相同(见 shegong report 的口径说明);人数按站点分别计。"
                  : "Definitions are the stations' own (see a station's shegong report); people are counted per station.")
        }
    }
}

/// `shegong console --store postgresql://…`: the district view in the terminal, refreshed every
/// minute (stations ship from cron) and on `r`.
enum DistrictConsoleRunner {
    static func run(url: String, strings: Strings, theme: Theme) -> Int32 {
        let db: PostgreSQL
        do { db = try PostgreSQL(url: url) } catch { fail("\(error)") }
        let console = DistrictConsole(strings: strings, today: Identity.context(actor: "").today, now: { Identity.context(actor: "").now }) { from, to in
            let result = try DistrictReport.compute(db, from: from, to: to)
            return DistrictSnapshot(total: result.total, stations: result.stations)
        }
        let backend = NCursesBackend(forceMono: ColorDepth.noColorRequested)
        let resolved = theme.resolve(depth: backend.colorDepth)
        var fetched = monotonicSeconds()
        var code: Int32 = 0
        while true {
            if let signal = backend.pendingSignal() { code = 128 + signal; break }
            let size = backend.size
            backend.present(console.render(width: size.width, height: size.height), theme: resolved)
            if let key = backend.readKey(timeoutMs: 1000), key != .resize, !console.handle(key) { break }
            if monotonicSeconds() - fetched > 60 {
                console.refresh()
                fetched = monotonicSeconds()
            }
        }
        backend.shutdown()
        return code
    }
}
