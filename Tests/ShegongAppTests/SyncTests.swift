import Foundation
import Testing
import ShegongDomain
import ShegongTestSupport

/// `shegong sync` between real stores, as separate processes: a worker's laptop and a station.
@Suite struct SyncTests {
    func shegong(_ args: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        let r = try run(args, environment: environment)
        return r
    }

    func visits(_ store: String) throws -> String { try shegong(["export", "--store", store, "--kind", "visits"]).stdout }

    /// The `n`th person of a store and the worker responsible for them (who may log their visits).
    func person(_ store: String, _ n: Int) throws -> (id: String, worker: String) {
        let line = try shegong(["export", "--store", store, "--kind", "people"]).stdout.split(separator: "\n")[n]
        let row = try JSON.parse(String(line))
        return (row["id"]!.string!, row["worker"]!.string!)
    }

    /// A station of demo records and a laptop made from it by sync.
    func stationAndLaptop(_ dir: TempDir) throws -> (station: String, laptop: String) {
        let station = dir.file("station.log"), laptop = dir.file("laptop.log")
        #expect(try shegong(["demo", "--store", station, "--events", "1500", "--seed", "3", "--origin", "弹子石"]).status == 0)
        let made = try shegong(["sync", "--store", laptop, "--from", station, "--origin", "laptop-li"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("1503 new"), "\(made.stdout)")
        // The station admin introduces the laptop to the station (its records may come back then).
        let introduced = try shegong(["sync", "--store", station, "--from", laptop])
        #expect(introduced.status == 0 && introduced.stdout.contains("2 new"), "its creation and its sync record: \(introduced.stdout)")
        return (station, laptop)
    }

    @Test func aLaptopsVisitsComeBackToTheStationOnceAndOverSSH() throws {
        let dir = TempDir()
        let (station, laptop) = try stationAndLaptop(dir)
        // On the laptop, the station's people carry the station's origin.
        let (someone, worker) = try person(station, 0)
        let added = try shegong(["add", "visit", "--store", laptop, "--as", worker, "--person", "弹子石/\(someone)", "--mode", "home",
                                 "--date", "2026-11-20", "--note", "离线记录:老人腿脚不便"])
        #expect(added.status == 0, "\(added.stderr)")
        let day = ["--from", "2026-11-20", "--to", "2026-11-20", "--format", "json"]
        let before = try shegong(["report", "--store", station] + day).stdout

        // Through ssh: a stand-in for the ssh client runs the remote command on this host.
        let fakeSSH = dir.file("ssh")
        try "#!/bin/sh\nwhile [ \"$1\" != \"--\" ]; do shift; done; shift; shift; exec /bin/sh -c \"$1\"\n"
            .write(toFile: fakeSSH, atomically: true, encoding: .utf8)
        chmod(fakeSSH, 0o755)
        var env = ProcessInfo.processInfo.environment
        env["SHEGONG_SSH"] = fakeSSH
        env["PATH"] = (shegongBinary as NSString).deletingLastPathComponent + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        // The worker brings their own records back (the remote side reads the laptop as its admin).
        let pulled = try shegong(["sync", "--store", station, "--from", "ssh://laptop-host" + laptop, "--as", worker], environment: env)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        #expect(pulled.stdout.contains("1 new") && !pulled.stdout.contains("held"), "the laptop's visit: \(pulled.stdout)")

        // At the station the visit is the laptop's and the person is the station's own.
        let rows = try visits(station)
        #expect(rows.contains("\"id\":\"laptop-li/V-") && rows.contains("离线记录"), "\(rows.suffix(300))")
        #expect(rows.contains("\"person\":\"\(someone)\""))
        let after = try shegong(["report", "--store", station] + day).stdout
        #expect(figure(after, "service_person_times") == figure(before, "service_person_times") + 1, "\(before)\n\(after)")

        // Again: nothing moves, nothing is written.
        let size = readBytes(station).count
        let again = try shegong(["sync", "--store", station, "--from", laptop, "--as", worker])
        #expect(again.status == 0 && again.stdout.contains("nothing new"), "\(again.stdout)")
        #expect(readBytes(station).count == size)
        #expect(try shegong(["verify", "--store", station]).status == 0)
        // And back: the laptop already has everything the station has but its sync record.
        let back = try shegong(["sync", "--store", laptop, "--from", station])
        #expect(back.stdout.contains("2 new") && back.stdout.contains("held, not applied (2)"),
                "the station's two sync records, written as root, whom nobody vouched for here: \(back.stdout)")
    }

    @Test func twoOriginsChangingTheSameVisitIsHeldAndShownNotLost() throws {
        let dir = TempDir()
        let (station, laptop) = try stationAndLaptop(dir)
        let row = try visits(station).split(separator: "\n").first { $0.contains("\"worker\":\"sg001\"") }!
        let id = String(row.split(separator: "\"")[3]), person = String(row.split(separator: "\"")[7])
        #expect(try shegong(["add", "visit-amend", "--store", laptop, "--as", "sg001", "--id", "弹子石/\(id)", "--person", "弹子石/\(person)",
                             "--mode", "phone", "--note", "笔记本上改的"]).status == 0)
        #expect(try shegong(["add", "visit-amend", "--store", station, "--as", "sg001", "--id", id, "--person", person,
                             "--mode", "phone", "--note", "站里改的"]).status == 0)
        let pulled = try shegong(["sync", "--store", station, "--from", laptop, "--as", "sg001"])
        #expect(pulled.status == 0, "\(pulled.stderr)")
        #expect(pulled.stdout.contains("held") && pulled.stdout.contains("laptop-li #") && pulled.stdout.contains("visit.amended \(id)"),
                "\(pulled.stdout)")
        #expect(pulled.stdout.contains("笔记本上改的") && pulled.stdout.contains("站里改的"), "both values are shown: \(pulled.stdout)")
        let rows = try visits(station)
        #expect(rows.contains("站里改的") && !rows.contains("笔记本上改的"), "the station's change stands")
        // The held record is kept: the laptop's chain in the station stays whole, and a re-run brings nothing.
        #expect(try shegong(["sync", "--store", station, "--from", laptop, "--as", "sg001"]).stdout.contains("nothing new"))
        #expect(try shegong(["verify", "--store", station]).status == 0)
    }

    /// A worker's own store, where they are admin, whose records try to make them admin here.
    func forgedStore(_ dir: TempDir) throws -> (station: String, forged: String) {
        let station = dir.file("station.log"), forged = dir.file("mine.log")
        #expect(try shegong(["demo", "--store", station, "--events", "400", "--seed", "7", "--origin", "弹子石"]).status == 0)
        #expect(try shegong(["init", "--store", forged, "--station", "我的", "--origin", "mine", "--as", "sg001"]).status == 0)
        #expect(try shegong(["add", "staff", "--store", forged, "--as", "sg001", "--account", "sg009", "--name", "外人",
                             "--role", "admin", "--site", "S-1"]).status == 0)
        return (station, forged)
    }

    func staff(_ store: String) throws -> String { try shegong(["export", "--store", store, "--kind", "staff"]).stdout }

    @Test func aStoreOfOnesOwnCannotMakeAnyoneAdminHereEvenWithAForgedActor() throws {
        let dir = TempDir()
        let (station, forged) = try forgedStore(dir)
        // The worker also rewrites one record as if the station admin (root) had written it.
        try rewriteRecord(forged, number: 3) { $0.actor = "root" }
        let pulled = try shegong(["sync", "--store", station, "--from", forged, "--as", "sg001"])
        #expect(pulled.status == 0, "\(pulled.stderr)")
        #expect(pulled.stdout.contains("held, not applied"), "\(pulled.stdout)")
        #expect(pulled.stdout.contains("has not been introduced"), "a worker cannot bring a new origin: \(pulled.stdout)")
        let roster = try staff(station)
        #expect(!roster.contains("sg009"), "nobody was added: \(roster)")
        #expect(roster.split(separator: "\n").first { $0.contains("\"sg001\"") }.map { !$0.contains("admin") && !$0.contains("站长") } ?? false,
                "sg001 is still a worker: \(roster)")
        // Raw events stay the admin's.
        #expect(try shegong(["export", "--store", station, "--as", "sg001"]).status != 0)
    }

    @Test func whenTheAdminBringsALaptopBackRecordsInTheAdminsNameAreNotTakenOnTrust() throws {
        let dir = TempDir()
        let (station, laptop) = try stationAndLaptop(dir)
        let (someone, worker) = try person(station, 3)
        #expect(try shegong(["add", "visit", "--store", laptop, "--as", worker, "--person", "弹子石/\(someone)", "--mode", "home",
                             "--note", "冒名记录"]).status == 0)
        let last = String(decoding: readBytes(laptop), as: UTF8.self).split(separator: "\n").count
        try rewriteRecord(laptop, number: last) { $0.actor = "root" }
        let pulled = try shegong(["sync", "--store", station, "--from", laptop])
        #expect(pulled.status == 0 && pulled.stdout.contains("held") && pulled.stdout.contains("vouch"), "\(pulled.stdout)")
        #expect(!(try visits(station)).contains("冒名记录"), "nothing in the admin's name applies without --vouch")
    }

    @Test func aSourceWhoseOriginOrIdsNoStoreCouldHaveMadeIsRefusedOrHeld() throws {
        let dir = TempDir()
        let (station, forged) = try forgedStore(dir)
        let bad = dir.file("bad-origin.log")
        try FileManager.default.copyItem(atPath: forged, toPath: bad)
        try rewriteRecord(bad, number: 1) { $0.body = .object([JSONField("station", .string("x")), JSONField("origin", .string("x/y"))]) }
        let refused = try shegong(["sync", "--store", station, "--from", bad, "--as", "sg001"])
        #expect(refused.status != 0 && refused.stderr.contains("valid origin"), "\(refused.stderr)")
        #expect(try shegong(["verify", "--store", station]).status == 0)

        // A registration that claims the station's own next id is held, and the station goes on registering.
        let (someone, worker) = try person(station, 0)
        let squat = dir.file("squat.log")
        #expect(try shegong(["sync", "--store", squat, "--from", station, "--origin", "squat"]).status == 0)
        #expect(try shegong(["sync", "--store", station, "--from", squat]).status == 0, "the admin introduces it")
        #expect(try shegong(["add", "visit", "--store", squat, "--as", worker, "--person", "弹子石/\(someone)", "--mode", "home"]).status == 0)
        let count = String(decoding: readBytes(squat), as: UTF8.self).split(separator: "\n").count
        let people = try shegong(["export", "--store", station, "--kind", "people"]).stdout.split(separator: "\n").count
        try rewriteRecord(squat, number: count) { $0.subject = "弹子石/P-\(people + 1)" }
        let pulled = try shegong(["sync", "--store", station, "--from", squat, "--as", worker])
        #expect(pulled.stdout.contains("not a record id"), "\(pulled.stdout)")
        let row = try JSON.parse(String(try shegong(["export", "--store", station, "--kind", "people"]).stdout.split(separator: "\n")[0]))
        let registered = try shegong(["add", "person", "--store", station, "--as", worker, "--name", "新来的", "--community", row["community"]!.string!])
        #expect(registered.status == 0, "the station still registers people: \(registered.stderr)")
    }

    @Test func aTamperedSourceIsRefusedByOriginAndNumberAndNothingIsWritten() throws {
        let dir = TempDir()
        let (station, laptop) = try stationAndLaptop(dir)
        for n in [1, 2] {
            let (someone, worker) = try person(station, n)
            #expect(try shegong(["add", "visit", "--store", laptop, "--as", worker, "--person", "弹子石/\(someone)", "--mode", "home"]).status == 0)
        }
        // Someone edits the laptop's record 1506 (the first of those visits; 1505 is its own sync record).
        var lines = String(decoding: readBytes(laptop), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let target = lines.firstIndex { $0.hasPrefix("{\"n\":1506,") }!
        lines[target] = lines[target].replacingOccurrences(of: "\"mode\":\"home\"", with: "\"mode\":\"phone\"")
        writeBytes(laptop, Array(lines.joined(separator: "\n").utf8))
        let size = readBytes(station).count
        let pulled = try shegong(["sync", "--store", station, "--from", laptop])
        #expect(pulled.status != 0)
        #expect(pulled.stderr.contains("origin laptop-li") && pulled.stderr.contains("record 1506"), "\(pulled.stderr)")
        #expect(readBytes(station).count == size, "nothing of a refused sync is written")
    }

    @Test func readingAWholeStoreIsForItsStationAdmin() throws {
        let dir = TempDir()
        let station = dir.file("station.log")
        #expect(try shegong(["demo", "--store", station, "--events", "300", "--seed", "5", "--origin", "弹子石"]).status == 0)
        let mine = dir.file("mine.log")
        let r = try shegong(["sync", "--store", mine, "--from", station, "--origin", "my-copy", "--as", "sg001"])
        #expect(r.status != 0 && r.stderr.contains("station admin"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: mine), "no store is made for a refused sync")
    }

    func figure(_ json: String, _ key: String) -> Int {
        guard let value = try? JSON.parse(json)[key]?.int else { return -1 }
        return value
    }
}
