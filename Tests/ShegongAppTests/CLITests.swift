import Foundation
import Testing
import ShegongDomain
import ShegongTerminal
import ShegongTestSupport

@Suite struct CLITests {
    func add(_ store: String, _ kind: String, _ fields: [String: String], as actor: String? = nil) throws -> ProcessResult {
        var args = ["add", kind, "--store", store]
        if let actor { args += ["--as", actor] }
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) { args += ["--\(k)", v] }
        return try run(args)
    }

    @Test func addExportImportGivesTheSameReport() throws {
        let dir = TempDir()
        let store = dir.file("a.log")
        #expect(try run(["init", "--store", store, "--station", "弹子石街道社工站"]).status == 0)
        for (kind, fields) in [
            ("site", ["name": "彩云社区", "tier": "community", "parent": "S-1"]),
            ("person", ["name": "张晓芳", "community": "彩云社区", "tier": "高风险", "address": "彩云社区3栋2单元501"]),
            ("visit", ["person": "P-1", "mode": "上门", "date": "2026-11-20", "note": "老人精神好，需要适老化改造"]),
            ("case", ["person": "P-1", "source": "self", "problem": "独居", "date": "2026-11-20"]),
            ("service", ["id": "C-1", "mode": "home", "service": "人文关怀", "content": "陪伴", "date": "2026-11-21"]),
            ("group", ["name": "老友会客厅——高龄老人互助支持小组", "kind": "support", "site": "S-2", "goals": "互助", "sessions": "6",
                       "members": "P-1", "date": "2026-11-01"]),
            ("session", ["id": "G-1", "attendance": "P-1:出席", "date": "2026-11-14"]),
            ("volunteer", ["name": "周秀英", "site": "S-2"]),
            ("hours", ["volunteer": "VOL-1", "hours": "2.5", "activity": "陪伴", "date": "2026-11-15"]),
        ] {
            let r = try add(store, kind, fields)
            #expect(r.status == 0, "\(kind): \(r.stderr)")
        }
        let exported = try run(["export", "--store", store, "--format", "jsonl"])
        let file = dir.file("events.jsonl")
        try exported.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let copy = dir.file("b.log")
        let imported = try run(["import", "--store", copy, file])
        #expect(imported.status == 0, "\(imported.stderr)")
        let sizeAfterImport = readBytes(copy).count
        let again = try run(["import", "--store", copy, file])
        #expect(again.stdout.contains("nothing new"), "import is idempotent by event id")
        #expect(readBytes(copy).count == sizeAfterImport, "a second import writes nothing, not even a batch record")
        let period = ["--from", "2026-11-01", "--to", "2026-11-30", "--format", "json"]
        let a = try run(["report", "--store", store] + period).stdout
        let b = try run(["report", "--store", copy] + period).stdout
        #expect(a == b && a.contains("\"people_served_case\":1"))
        #expect(try run(["verify", "--store", copy]).status == 0)
    }

    @Test func badInputGetsAClearMessageAndWritesNothing() throws {
        let dir = TempDir()
        let store = dir.file("s.log")
        _ = try run(["init", "--store", store, "--station", "弹子石街道社工站"])
        _ = try add(store, "person", ["name": "刘桂兰", "community": "S-1"])
        let size = readBytes(store).count
        let cases: [(String, [String: String], String)] = [
            ("visit", ["mode": "home"], "missing field: person"),
            ("visit", ["person": "P-1", "mode": "home", "date": "2026-13-01"], "invalid date"),
            ("visit", ["person": "P-404", "mode": "home"], "unknown person: P-404"),
            ("person-update", ["id": "P-1", "phone": "13900000000", "base": "7"], "changed by someone else"),
            ("person-update", ["id": "P-1", "phone": "1"], "invalid phone \"1\""),
            ("person", ["name": "刘桂兰", "community": "S-1", "idno": "50010819400302123X"], "invalid idno"),
            ("visit", ["person": "P-1", "mode": "home", "colour": "red"], "invalid colour"),
        ]
        for (kind, fields, message) in cases {
            let r = try add(store, kind, fields)
            #expect(r.status != 0)
            #expect(r.stderr.contains(message), "\(kind) \(fields): \(r.stderr)")
        }
        #expect(try run(["add", "spaceship", "--store", store]).stderr.contains("unknown kind"))
        #expect(readBytes(store).count == size, "nothing was written")
    }

    @Test func refusalsSpeakTheUsersLanguageAndNameValuesTheWayTheyTypeThem() throws {
        let dir = TempDir()
        let store = dir.file("s.log")
        _ = try run(["init", "--store", store, "--station", "弹子石街道社工站"])
        let args = ["add", "person", "--store", store, "--name", "刘桂兰", "--community", "S-1", "--tier", "很高"]
        var zh = ProcessInfo.processInfo.environment
        zh["LANG"] = "zh_CN.UTF-8"
        zh["LC_ALL"] = nil
        let chinese = try run(args, environment: zh)
        #expect(chinese.status != 0 && chinese.stderr.contains("「很高」 无效") && chinese.stderr.contains("高风险、重点、一般"),
                "\(chinese.stderr)")
        #expect(!chinese.stderr.contains("expected"), "no English under a Chinese locale")
        var c = zh
        c["LANG"] = "C.UTF-8"
        let english = try run(args, environment: c)
        #expect(english.stderr.contains("invalid tier \"很高\": expected one of high risk, priority, general"), "\(english.stderr)")
        // Either language is accepted as input.
        #expect(try run(["add", "person", "--store", store, "--name", "刘桂兰", "--community", "S-1", "--tier", "高风险"]).status == 0)
    }

    @Test func hoursForSeveralVolunteersAtOnceFromTheCommandLine() throws {
        let dir = TempDir()
        let store = dir.file("s.log")
        _ = try run(["init", "--store", store, "--station", "弹子石街道社工站"])
        for name in ["周秀英", "陈建华"] { _ = try add(store, "volunteer", ["name": name, "site": "S-1"]) }
        let r = try add(store, "hours", ["volunteer": "VOL-1, VOL-2", "hours": "2", "activity": "陪伴", "date": "2026-11-15"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").count == 2 && r.stdout.contains("H-1") && r.stdout.contains("H-2"), "\(r.stdout)")
        let before = readBytes(store).count
        let bad = try add(store, "hours", ["volunteer": "VOL-1,VOL-9", "hours": "2", "activity": "陪伴"])
        #expect(bad.status != 0 && bad.stderr.contains("VOL-9") && readBytes(store).count == before, "all or nothing: \(bad.stderr)")
    }

    @Test func aMalformedImportLineIsNamedAndNothingIsApplied() throws {
        let dir = TempDir()
        let store = dir.file("s.log")
        _ = try run(["init", "--store", store, "--station", "站"])
        _ = try add(store, "person", ["name": "刘桂兰", "community": "S-1"])
        let lines = try run(["export", "--store", store]).stdout.split(separator: "\n").map(String.init)
        let target = dir.file("t.log")
        let file = dir.file("bad.jsonl")
        try (lines + ["{\"id\": \"oops\""]).joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let r = try run(["import", "--store", target, file])
        #expect(r.status != 0 && r.stderr.contains("line \(lines.count + 1)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target) || readBytes(target).isEmpty)
    }

    @Test func storeComesFromTheEnvironmentAndOnlyRootMayActAsAnother() throws {
        let dir = TempDir()
        let store = dir.file("s.log")
        var env = ProcessInfo.processInfo.environment
        env["SHEGONG_STORE"] = store
        #expect(try run(["init", "--station", "站"], environment: env).status == 0)
        #expect(try run(["verify"], environment: env).stdout.contains("ok: 3 records"))
        if getuid() != 0 {
            #expect(try run(["add", "person", "--as", "someone", "--name", "x", "--community", "S-1"], environment: env).status != 0)
        }
    }

    @Test func reportTableCarriesItsDefinitions() throws {
        let dir = TempDir()
        let store = dir.file("s.log")
        _ = try run(["demo", "--store", store, "--events", "1500", "--seed", "5"])
        let zh = try run(["report", "--store", store, "--lang", "zh", "--from", "2026-10-01", "--to", "2026-10-31"]).stdout
        #expect(zh.contains("口径说明") && zh.contains("服务人次") && zh.contains("月度探访率"))
        // Labels of different display widths, values in one right-aligned column.
        _ = localeReady  // this process measures widths as the terminal does
        let rows = zh.split(separator: "\n").filter { $0.hasPrefix("个案服务人数") || $0.hasPrefix("服务人次") }.map(String.init)
        #expect(rows.count == 2 && rows.map { TextWidth.of($0) } == [TextWidth.of(rows[0]), TextWidth.of(rows[0])], "\(rows)")
        let en = try run(["report", "--store", store, "--lang", "en", "--format", "csv", "--from", "2026-10-01", "--to", "2026-10-31"]).stdout
        #expect(en.hasPrefix("site,弹子石街道社工站\nperiod,2026-10-01,2026-10-31\nkey,label,value,definition\n"
                             + "people_served_case,people given case service,"), "\(en.prefix(200))")
        let bom = try run(["report", "--store", store, "--format", "csv", "--bom"]).stdout
        #expect(Array(bom.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }
}
