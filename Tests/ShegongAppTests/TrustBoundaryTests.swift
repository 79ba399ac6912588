import Foundation
import Testing
@testable import ShegongApp
import ShegongDomain
@testable import ShegongStore
import ShegongTestSupport

/// What a hostile name, file or path can do through the ordinary (not setgid) binary. The same
/// attacks across real accounts and the setgid boundary are in PrivacyEndToEndTests.
@Suite struct TrustBoundaryTests {
    static let clipboardWrite = "\u{1B}]52;c;ZXZpbA==\u{07}"
    static let clearScreen = "\u{1B}[2J"

    func station(_ dir: TempDir) throws -> String {
        let store = dir.file("s.log")
        let r = try run(["init", "--store", store, "--station", "弹子石街道社工站"])
        #expect(r.status == 0, "\(r.stderr)")
        return store
    }

    func add(_ store: String, _ args: [String]) throws {
        let r = try run(["add"] + [args[0], "--store", store] + Array(args.dropFirst()))
        #expect(r.status == 0, "\(args): \(r.stderr)")
    }

    /// Runs shegong with a time limit, so a hang is a failure and not a stuck suite.
    func runLimited(_ args: [String], seconds: Int = 10) throws -> ProcessResult {
        try run(["\(seconds)", shegongBinary] + args, program: "/usr/bin/timeout")
    }

    @Test func namesThatCarryEscapesOrFormulasReachNoTerminalOrSpreadsheetRaw() throws {
        let dir = TempDir()
        let store = try station(dir)
        let hostile = "刘\(Self.clipboardWrite)桂兰\(Self.clearScreen)"
        try add(store, ["person", "--name", hostile, "--community", "S-1"])
        try add(store, ["person", "--name", "=HYPERLINK(\"http://x.example\",\"点我\")", "--community", "S-1"])
        try add(store, ["person", "--name", "@SUM(A1)", "--community", "S-1", "--phone", "+8613800000000"])
        try add(store, ["volunteer", "--name", "周\(Self.clipboardWrite)秀英", "--site", "S-1"])
        try add(store, ["hours", "--volunteer", "VOL-1", "--hours", "2", "--activity", "陪伴\u{202E}txt.exe", "--date", "2026-11-02"])

        for args in [["export", "--kind", "people", "--format", "csv"], ["export", "--kind", "volunteers", "--format", "csv"],
                     ["certificate", "--volunteer", "VOL-1"], ["report", "--format", "csv"], ["report"]] {
            let r = try run([args[0], "--store", store] + Array(args.dropFirst()))
            #expect(r.status == 0, "\(args): \(r.stderr)")
            let bytes = Array(r.stdout.utf8)
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x07), "\(args): no ESC or BEL reaches the terminal")
            #expect(!r.stdout.contains("\u{202E}"), "\(args): no bidi override")
        }
        let csv = try run(["export", "--store", store, "--kind", "people", "--format", "csv"]).stdout
        #expect(csv.contains("刘\\x1B]52;c;ZXZpbA==\\x07桂兰"), "escaped visibly, not dropped: \(csv)")
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x.example\"\",\"\"点我\"\")\""), "a formula becomes text: \(csv)")
        #expect(csv.contains("'@SUM(A1)"))
        // JSON keeps the exact text (escaped the JSON way), so an export re-imports unchanged.
        let jsonl = try run(["export", "--store", store]).stdout
        #expect(jsonl.contains("\\u001b]52;c;ZXZpbA==\\u0007") && !Array(jsonl.utf8).contains(0x1B))
    }

    @Test func demoFillsOnlyAStoreItCreated() throws {
        let dir = TempDir()
        let store = try station(dir)
        let before = readBytes(store)
        let refused = try run(["demo", "--store", store, "--events", "50"])
        #expect(refused.status != 0 && refused.stderr.contains("only to a store it created"), "\(refused.stderr)")
        #expect(readBytes(store) == before)
        let demo = dir.file("demo.log")
        #expect(try run(["demo", "--store", demo, "--events", "50"]).status == 0)
        #expect(try run(["demo", "--store", demo, "--events", "50"]).status == 0, "more demo records on the demo store")
    }

    @Test func importRecordsWhoImportedAndRefusesWhatItCannotTrust() throws {
        let dir = TempDir()
        let source = try station(dir)
        try add(source, ["person", "--name", "张晓芳", "--community", "S-1"])
        try add(source, ["visit", "--person", "P-1", "--mode", "home", "--note", "第一次走访"])
        let lines = try run(["export", "--store", source]).stdout.split(separator: "\n").map(String.init)
        let file = dir.file("events.jsonl")
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let target = dir.file("t.log")
        let imported = try run(["import", "--store", target, file])
        #expect(imported.status == 0, "\(imported.stderr)")
        let events = try run(["export", "--store", target]).stdout
        #expect(events.contains("\"type\":\"import.batch\"") && events.contains("\"file_sha256\""))
        let access = try run(["export", "--store", target, "--kind", "access", "--format", "csv"]).stdout
        #expect(access.contains("import"), "the import shows in the access log: \(access)")

        func refusedImport(_ name: String, _ bytes: [UInt8], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let path = dir.file(name)
            writeBytes(path, bytes)
            let before = readBytes(target)
            let r = try run(["import", "--store", target, path])
            #expect(r.status != 0 && r.stderr.contains(message), "\(r.stderr)", sourceLocation: sourceLocation)
            #expect(readBytes(target) == before, "nothing written", sourceLocation: sourceLocation)
        }
        // The visit, re-sent under its id with another note.
        let changed = lines.map { $0.replacingOccurrences(of: "第一次走访", with: "改过的记录") }
        try refusedImport("changed.jsonl", Array(changed.joined(separator: "\n").utf8), "line \(lines.count): event")
        try refusedImport("latin1.jsonl", Array((lines[0] + "\n").utf8) + [0x7B, 0x22, 0xE9, 0x22, 0x7D, 0x0A], "line 2: not valid UTF-8")
        let huge = lines.last!.replacingOccurrences(of: "第一次走访", with: String(repeating: "长", count: 400_000))
        try refusedImport("huge.jsonl", Array((lines[0] + "\n" + huge).utf8), "line 2: 1200")
    }

    @Test func verifyAuditNamesAnEventWrittenAroundTheRules() throws {
        let dir = TempDir()
        let store = try station(dir)
        try add(store, ["staff", "--account", "sg001", "--name", "张晓芳", "--role", "worker", "--site", "S-1"])
        // A worker's staff.added, written straight into the file with a valid CRC and chain link.
        let records = readBytes(store).split(separator: 0x0A).count
        appendRecord(store, testContext(actor: "sg001").event("staff.added", subject: "sg001x", body: .object([
            JSONField("account", .string("sg001x")), JSONField("name", .string("冒名")), JSONField("role", .string("admin")),
            JSONField("site", .string("S-1")),
        ])))
        #expect(try run(["verify", "--store", store]).status == 0, "the chain alone cannot tell")
        let audit = try run(["verify", "--store", store, "--audit"])
        #expect(audit.status == 4, "\(audit.stdout) \(audit.stderr)")
        #expect(audit.stdout.contains("record \(records + 1)") && audit.stdout.contains("sg001"), "\(audit.stdout)")
    }

    @Test func damageBehindACheckpointRefusesTheNextWrite() throws {
        let dir = TempDir()
        let store = try station(dir)
        try add(store, ["person", "--name", "张晓芳", "--community", "S-1"])
        for i in 0..<6 { try add(store, ["visit", "--person", "P-1", "--mode", "home", "--note", "第\(i)次"]) }
        #expect(try run(["checkpoint", "--store", store]).status == 0)
        var bytes = readBytes(store)
        let middle = bytes.count / 2
        bytes[middle] = bytes[middle] == 0x41 ? 0x42 : 0x41
        writeBytes(store, bytes)
        let r = try run(["add", "visit", "--store", store, "--person", "P-1", "--mode", "home"])
        #expect(r.status != 0 && r.stderr.contains("damage"), "\(r.stdout) \(r.stderr)")
        #expect(readBytes(store) == bytes, "nothing acknowledged past the damage")
    }

    @Test func aFIFOIsRefusedAtOnceAndAFIFOCheckpointIsIgnored() throws {
        let dir = TempDir()
        let fifo = dir.file("fifo.log")
        #expect(mkfifo(fifo, 0o600) == 0)
        for args in [["verify"], ["export"], ["report"], ["add", "visit", "--person", "P-1"]] {
            let r = try runLimited(args + ["--store", fifo])
            #expect(r.status != 0 && r.status != 124 && r.stderr.contains("not a regular file"), "\(args): \(r.status) \(r.stderr)")
        }
        let store = try station(dir)
        #expect(mkfifo(store + ".checkpoint", 0o600) == 0)
        let r = try runLimited(["report", "--store", store])
        #expect(r.status == 0, "\(r.status) \(r.stderr)")
    }

    @Test func theConsoleNeedsATerminal() throws {
        let dir = TempDir()
        let store = try station(dir)
        let r = try runLimited(["--store", store], seconds: 10)
        #expect(r.status != 0 && r.status != 124 && r.stderr.contains("needs a terminal"), "\(r.status) \(r.stderr)")
    }

    @Test func aPlantedSymlinkIsReplacedNotFollowed() throws {
        let dir = TempDir()
        let store = try station(dir)
        let victim = dir.file("victim")
        writeBytes(victim, Array("precious".utf8))
        // At the checkpoint's name.
        #expect(symlink(victim, store + ".checkpoint") == 0)
        #expect(try run(["checkpoint", "--store", store]).status == 0)
        #expect(readBytes(victim) == Array("precious".utf8))
        var st = stat()
        #expect(lstat(store + ".checkpoint", &st) == 0 && st.st_mode & S_IFMT == S_IFREG)
        // At a draft's name.
        let draftPath = dir.file("draft.json")
        #expect(symlink(victim, draftPath) == 0)
        DraftStore(path: draftPath).save(.init(form: "visit", values: ["person": "P-1"], hidden: [:]))
        #expect(readBytes(victim) == Array("precious".utf8))
        #expect(DraftStore(path: draftPath).load()?.values["person"] == "P-1")
        // At a new store's name.
        let linked = dir.file("linked.log")
        #expect(symlink(victim, linked) == 0)
        #expect(try run(["init", "--store", linked, "--station", "站"]).status != 0)
        #expect(readBytes(victim) == Array("precious".utf8))
    }
}
