import Foundation
import Testing
import ShegongDomain
import ShegongStore
import ShegongTestSupport

/// Stations ship to a real PostgreSQL server (started for the tests, never a mock) and the district
/// reports from it; every step is a separate `shegong` process.
@Suite struct DistrictTests {
    let period = ["--from", "2026-09-01", "--to", "2026-11-30"]

    func shegong(_ args: [String]) throws -> ProcessResult { try run(args) }

    /// A demo station; with `hub`, a year of funds, projects, organisations, talent and wishes too.
    func station(_ dir: TempDir, _ origin: String, seed: Int, events: Int = 2500, hub: Bool = false) throws -> String {
        let path = dir.file("\(origin).log")
        let r = try shegong(["demo", "--store", path, "--events", String(events), "--seed", String(seed), "--origin", origin,
                             "--station", "\(origin)街道社工站"] + (hub ? ["--hub"] : []))
        #expect(r.status == 0, "\(r.stderr)")
        return path
    }

    func ship(_ store: String, _ url: String) throws -> ProcessResult { try shegong(["sync", "--store", store, "--to", url]) }

    func json(_ text: String) throws -> JSON { try JSON.parse(text) }

    @Test func twoStationsAndALaptopAddUpInTheDistrictAndASecondRoundShipsNothing() throws {
        let dir = TempDir()
        let url = try TestPostgres.freshDatabase()
        let a = try station(dir, "弹子石", seed: 11), b = try station(dir, "南坪", seed: 12)
        // A worker's laptop, made from A, logs a visit offline and syncs it back into A.
        let laptop = dir.file("laptop.log")
        #expect(try shegong(["sync", "--store", laptop, "--from", a, "--origin", "laptop-li"]).status == 0)
        #expect(try shegong(["sync", "--store", a, "--from", laptop]).status == 0, "the admin introduces the laptop")
        let someone = try JSON.parse(String(try shegong(["export", "--store", a, "--kind", "people"]).stdout.split(separator: "\n")[0]))
        let visit = try shegong(["add", "visit", "--store", laptop, "--as", someone["worker"]!.string!, "--person",
                                 "弹子石/" + someone["id"]!.string!, "--mode", "home", "--date", "2026-11-20"])
        #expect(visit.status == 0, "\(visit.stderr)")
        #expect(try shegong(["sync", "--store", a, "--from", laptop, "--as", someone["worker"]!.string!]).status == 0)

        for store in [a, b] {
            let r = try ship(store, url)
            #expect(r.status == 0 && r.stdout.contains("shipped"), "\(r.stdout)\(r.stderr)")
        }
        let district = try json(try shegong(["report", "--store", url, "--format", "json"] + period).stdout)
        let own = [try json(try shegong(["report", "--store", a, "--format", "json"] + period).stdout),
                   try json(try shegong(["report", "--store", b, "--format", "json"] + period).stdout)]
        let stations = district["stations"]!.array!
        #expect(stations.count == 2)
        for key in Report.definitions.map(\.key) {
            // Each station's figure in the district is its own report's, every figure, the rate too.
            for s in stations {
                let mine = s["origin"]!.string! == "弹子石" ? own[0] : own[1]
                #expect(s["figures"]![key]!.double == mine[key]!.double, "\(s["origin"]!.string!) \(key)")
            }
            guard key != "visit_rate" else { continue }
            // The district's figure is the sum (people are per station, so the distinct union is the sum).
            let sum = own[0][key]!.double! + own[1][key]!.double!
            #expect(abs(district[key]!.double! - sum) < 0.005, "\(key): district \(district[key]!.double!) vs \(sum)")
        }
        let rates = own.map { $0["visit_rate"]!.double! }
        #expect(district["visit_rate"]!.double! >= rates.min()! && district["visit_rate"]!.double! <= rates.max()!)
        #expect(district["service_person_times"]!.int! > 0 && district["household_visits"]!.int! > 0)

        // The laptop's visit reached the district under its own origin, shipped by A.
        #expect(try TestPostgres.query(url, "SELECT count(*) FROM shegong.events WHERE origin = 'laptop-li' AND type = 'visit.logged'") == "1")
        // The laptop ships too (it should not, but it can): A's records and the visit A shipped
        // stay A's, figure by figure.
        #expect(try ship(laptop, url).status == 0)
        let after = try json(try shegong(["report", "--store", url, "--format", "json"] + period).stdout)
        let stationA = after["stations"]!.array!.first { $0["origin"]!.string! == "弹子石" }!
        for key in Report.definitions.map(\.key) { #expect(stationA["figures"]![key]!.double == own[0][key]!.double, "\(key) after the laptop shipped") }
        _ = try TestPostgres.query(url, "DELETE FROM shegong.origins WHERE origin = 'laptop-li'")
        // The household hash is keyed by a secret that stays beside the station's log.
        var st = stat()
        #expect(stat(a + ".district-key", &st) == 0 && st.st_size == 32 && st.st_mode & 0o077 == 0)
        // A second round moves nothing.
        for store in [a, b] {
            let r = try ship(store, url)
            #expect(r.stdout.contains("nothing new"), "\(r.stdout)")
        }
        let before = try TestPostgres.query(url, "SELECT count(*) FROM shegong.events")
        // Every event once: A's 2503 and its two sync records, the laptop's creation, visit and sync record, B's 2503.
        #expect(Int(before)! == 2503 + 2 + 3 + 2503)
    }

    @Test func aStationLogRewrittenAfterShippingIsRefusedWithItsOriginAndRecordNumber() throws {
        let dir = TempDir()
        let url = try TestPostgres.freshDatabase()
        let a = try station(dir, "弹子石", seed: 13, events: 600)
        #expect(try ship(a, url).status == 0)
        // Someone rewrites record 300 and recomputes the chain after it, so the log verifies alone.
        try rewriteRecord(a, number: 300) { $0.body = .object(($0.body.fields ?? []) + [JSONField("note", .string("改过的"))]) }
        #expect(try shegong(["verify", "--store", a]).status == 0, "the rewritten log is consistent in itself")
        let r = try ship(a, url)
        #expect(r.status != 0)
        #expect(r.stderr.contains("origin 弹子石, record 300"), "\(r.stderr)")
        // After more records, the same: nothing past the district's head is shipped.
        #expect(try shegong(["demo", "--store", a, "--events", "50", "--seed", "14"]).status == 0)
        let again = try ship(a, url)
        #expect(again.status != 0 && again.stderr.contains("record 300"), "\(again.stderr)")
        #expect(try TestPostgres.query(url, "SELECT shipped_number FROM shegong.origins") == "603")
        // Whoever holds a copy of the log cannot ship it as the station under another database role.
        let role = "impostor_" + String(UInt32.random(in: 0...UInt32.max))
        _ = try TestPostgres.query(url, "CREATE ROLE \(role) LOGIN SUPERUSER")
        let other = url.replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://\(role)@")
        let impostor = try ship(dir.file("弹子石.log"), other)
        #expect(impostor.status != 0 && impostor.stderr.contains("database role postgres"), "\(impostor.stderr)")
        _ = try TestPostgres.query(url, "DROP ROLE \(role)")
    }

    @Test func theDistrictHoldsNoPersonsDetailsAndNoCommandReadsARecordThere() throws {
        let dir = TempDir()
        let url = try TestPostgres.freshDatabase()
        let a = try station(dir, "弹子石", seed: 15, events: 800, hub: true)
        #expect(try ship(a, url).status == 0)
        // Everything the district database holds, as text: no name, address, phone, note or worker.
        let dump = try run(["--data-only", "--schema", "shegong", url], program: "/usr/bin/pg_dump").stdout
        #expect(dump.contains("弹子石"), "the dump has the district's data")
        let people = try shegong(["export", "--store", a, "--kind", "people"]).stdout.split(separator: "\n").prefix(50)
        for line in people {
            let p = try json(String(line))
            for key in ["name", "address"] { #expect(!dump.contains(p[key]!.string!), "\(key) reached the district") }
        }
        let staff = try shegong(["export", "--store", a, "--kind", "staff"]).stdout
        for line in staff.split(separator: "\n") {
            let name = try json(String(line))["name"]?.string ?? ""
            if name.count > 1 { #expect(!dump.contains(name), "a worker's name reached the district") }
        }
        #expect(!dump.contains("sg001"), "no account reached the district")
        // Nor any hub record's words: names of funds, donors, projects, organisations and their
        // leaders, talents and their certificates, wishes and who claimed them.
        let hub = try Store.open(path: a, wantWrite: false).state.hub
        #expect(!hub.talents.isEmpty && !hub.wishes.isEmpty && !hub.organisations.isEmpty && !hub.entries.isEmpty, "the station is a hub")
        let words = hub.funds.map(\.name) + hub.entries.map(\.counterparty) + hub.projects.map(\.name)
            + hub.organisations.flatMap { [$0.name, $0.leader] } + hub.talents.flatMap { [$0.name, $0.certificate] }
            + hub.wishes.flatMap { [$0.item, $0.card, $0.claimant] }
        // A grant's counterparty is the project or wish it pays, named by id: ids may go.
        let isID = { (w: String) in w.range(of: "^[A-Z]{1,3}-[0-9]+$", options: .regularExpression) != nil }
        for word in Set(words) where word.count > 1 && !isID(word) { #expect(!dump.contains(word), "\(word) reached the district") }
        // Commands that read records do not open a district at all.
        for args in [["export", "--kind", "people"], ["export"], ["add", "visit", "--person", "P-1", "--mode", "home"],
                     ["certificate", "--volunteer", "VOL-1"]] {
            let r = try shegong(args + ["--store", url])
            #expect(r.status != 0 && !r.stdout.contains("姓名"), "\(args): \(r.stdout)")
        }
        // The district sees per-station figures.
        let report = try shegong(["report", "--store", url, "--by-station"] + period)
        #expect(report.status == 0 && report.stdout.contains("弹子石街道社工站 (弹子石)"), "\(report.stdout)")
    }

    @Test func aStationThatStoppedShippingShowsAsLate() throws {
        let dir = TempDir()
        let url = try TestPostgres.freshDatabase()
        let a = try station(dir, "弹子石", seed: 16, events: 300), b = try station(dir, "南坪", seed: 17, events: 300)
        #expect(try ship(a, url).status == 0 && ship(b, url).status == 0)
        _ = try TestPostgres.query(url, "UPDATE shegong.origins SET shipped_at = now() - interval '3 days 1 hour' WHERE origin = '南坪'")
        let out = try shegong(["report", "--store", url, "--lang", "zh"]).stdout
        let line = out.split(separator: "\n").first { $0.contains("(南坪)") }.map(String.init) ?? ""
        #expect(line.contains("3 天前") && line.contains("超过一天未上报"), "\(out)")
        let fresh = out.split(separator: "\n").first { $0.contains("(弹子石)") }.map(String.init) ?? ""
        #expect(!fresh.contains("超过一天未上报"), "\(fresh)")
    }

    @Test func shipsKilledAtRandomPointsResumeWithNoGapAndNoDuplicate() throws {
        let dir = TempDir()
        let url = try TestPostgres.freshDatabase()
        let a = try station(dir, "弹子石", seed: 21, events: 100_000)
        let args = ["sync", "--store", a, "--to", url, "--batch", "1000"]
        #expect(try shegong(["report", "--store", url]).status == 0, "the district's tables exist before the first kill")
        var kills = 0, killedMidWay = 0, shipped = 0
        for _ in 0..<12 {
            let child = try ChildProcess(shegongBinary, args, output: .discard)
            // Killed once it has committed at least one batch, a random moment later: mid-way.
            _ = try waitUntil(timeout: 30, interval: 0.1) {
                Int(try TestPostgres.query(url, "SELECT count(*) FROM shegong.chain"))! > shipped
            }
            usleep(useconds_t.random(in: 0...400_000))
            kill(child.pid, SIGKILL)
            if child.wait().status == 128 + SIGKILL { kills += 1 }
            let now = Int(try TestPostgres.query(url, "SELECT count(*) FROM shegong.chain"))!
            if now > shipped && now < 100_003 { killedMidWay += 1 }
            shipped = now
            // After every kill the district holds a whole prefix: numbers 1…n, each once.
            let row = try TestPostgres.query(url, """
                SELECT count(*), coalesce(max(number), 0), (SELECT coalesce(max(shipped_number), 0) FROM shegong.origins)
                FROM shegong.chain
                """)
            let parts = row.split(separator: "|").map { Int($0)! }
            #expect(parts[0] == parts[1] && parts[1] == parts[2], "after a kill: \(row)")
        }
        #expect(kills >= 10 && killedMidWay >= 3, "the ships were killed, several of them mid-way: \(kills), \(killedMidWay)")
        var finished = false
        for _ in 0..<20 where !finished {
            let r = try shegong(args)
            #expect(r.status == 0, "\(r.stderr)")
            finished = r.stdout.contains("nothing new") || r.stdout.contains("now has 1–100003")
            if !finished { usleep(200_000) }  // the killed ship's session is still being ended by the server
        }
        #expect(finished)
        #expect(try TestPostgres.query(url, "SELECT count(*), count(DISTINCT number), max(number) FROM shegong.chain") == "100003|100003|100003")
        #expect(try TestPostgres.query(url, "SELECT count(*), count(DISTINCT event_id) FROM shegong.events") == "100003|100003")
        // The chain verifies in the database: every record names the hash of the one before, and
        // the head is the station's own.
        #expect(try TestPostgres.query(url, """
            SELECT count(*) FROM shegong.chain c JOIN shegong.chain p ON p.origin = c.origin AND p.number = c.number - 1
            WHERE c.prev <> p.hash
            """) == "0")
        let head = try shegong(["verify", "--store", a]).stdout
        let districtHead = try TestPostgres.query(url, "SELECT hash FROM shegong.chain WHERE number = 100003")
        #expect(head.contains(districtHead), "\(head) vs \(districtHead)")
        let district = try json(try shegong(["report", "--store", url, "--format", "json"] + period).stdout)
        let own = try json(try shegong(["report", "--store", a, "--format", "json"] + period).stdout)
        for key in Report.definitions.map(\.key) { #expect(district[key]!.double == own[key]!.double, "\(key)") }
    }

    @Test func theHubsFiguresAddUpInTheDistrictAndAStationShippedBeforeTheyExistedCatchesUp() throws {
        let dir = TempDir()
        let url = try TestPostgres.freshDatabase()
        var stores: [String] = []
        for (origin, seed) in [("弹子石", 21), ("南坪", 22)] {
            let path = try station(dir, origin, seed: seed, events: 1500, hub: true)
            stores.append(path)
            #expect(try ship(path, url).status == 0)
        }
        let year = ["--from", "2025-12-01", "--to", "2026-11-30"]
        func compare(_ when: String) throws {
            let district = try json(try shegong(["report", "--store", url, "--format", "json"] + year).stdout)
            let own = try stores.map { try json(try shegong(["report", "--store", $0, "--format", "json"] + year).stdout) }
            let stations = district["stations"]!.array!
            for d in HubReport.definitions {
                for s in stations {
                    let mine = s["origin"]!.string! == "弹子石" ? own[0] : own[1]
                    #expect(s["figures"]![d.key]!.double == mine[d.key]!.double, "\(when): \(s["origin"]!.string!) \(d.key)")
                }
                let sum = own[0][d.key]!.double! + own[1][d.key]!.double!
                #expect(abs(district[d.key]!.double! - sum) < 0.000_001, "\(when): \(d.key) district \(district[d.key]!.double!) vs \(sum)")
            }
            for key in ["projects_approved", "funds_raised", "funds_granted", "orgs_incubated", "certified_workers", "training_person_times",
                        "supervision_hours", "wishes_fulfilled"] {
                #expect(district[key]!.double! > 0, "\(when): \(key) over a year")
            }
        }
        try compare("shipped")
        // As if both had shipped to a database of schema 1, before the hub's tables: the next ship
        // brings the database up to schema 2 and, with nothing new to ship, every hub record.
        _ = try TestPostgres.query(url, "ALTER TABLE shegong.origins DROP COLUMN hub_facts")
        _ = try TestPostgres.query(url, "UPDATE shegong.meta SET value = '1' WHERE key = 'schema_version'")
        for table in ["hub_projects", "hub_ledger", "hub_organisations", "hub_talents", "hub_supervision", "hub_trainings", "hub_wishes"] {
            _ = try TestPostgres.query(url, "DELETE FROM shegong.\(table)")
        }
        for store in stores {
            let r = try ship(store, url)
            #expect(r.status == 0 && r.stdout.contains("nothing new"), "\(r.stdout)\(r.stderr)")
        }
        try compare("caught up")
        #expect(try TestPostgres.query(url, "SELECT count(*) FROM shegong.origins WHERE NOT hub_facts") == "0")
        #expect(try TestPostgres.query(url, "SELECT value FROM shegong.meta WHERE key = 'schema_version'") == "2")
        // A database a newer release has moved on is refused, not shipped into.
        _ = try TestPostgres.query(url, "UPDATE shegong.meta SET value = '3' WHERE key = 'schema_version'")
        let refused = try ship(stores[0], url)
        #expect(refused.status != 0 && refused.stderr.contains("schema version 3"), "\(refused.stdout)\(refused.stderr)")
    }

    @Test(Tmux.required) func theDistrictConsoleShowsEachStationInARealTerminal() throws {
        let dir = TempDir()
        let url = try TestPostgres.freshDatabase()
        let a = try station(dir, "弹子石", seed: 18, events: 400), b = try station(dir, "南坪", seed: 19, events: 400)
        #expect(try ship(a, url).status == 0 && ship(b, url).status == 0)
        let tmux = try Tmux(command: "\(shegongBinary) console --store \(url) --lang zh", width: 120, height: 30)
        let shown = tmux.waitFor("南坪街道社工站")
        #expect(shown.found && shown.screen.contains("弹子石街道社工站") && shown.screen.contains("合计"), "\(shown.screen)")
        try tmux.press("Enter")
        #expect(tmux.waitFor("个案服务人数").found)
        try tmux.press("Escape")
        try tmux.type("q")
        #expect(tmux.waitFor(timeout: 5) { !$0.contains("合计") }.found, "q quits")
    }
}
