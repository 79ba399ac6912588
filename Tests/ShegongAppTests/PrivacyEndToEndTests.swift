import Foundation
import Testing
import ShegongTestSupport

/// Two real OS accounts on one host, a setgid binary and a store only its group can open.
/// Needs root (to create the accounts and the group); skipped with that reason otherwise.
@Suite(.serialized, rootRequired,
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd"), "no useradd"))
struct PrivacyEndToEndTests {
    static let group = "sgtestgrp"
    static let alice = "sgtesta"   // worker, 彩云社区 (S-2)
    static let bob = "sgtestb"     // worker, 新力社区 (S-3)
    static let stranger = "sgtestx" // a local account on no roster

    func sh(_ command: String) throws -> ProcessResult { try run(["-c", command], program: "/bin/sh") }

    /// Runs a command as `user` with a minimal environment (as a login would).
    func asUser(_ user: String, _ command: String) throws -> ProcessResult {
        try run(["-s", "/bin/sh", user, "-c", "cd /tmp && LANG=C.UTF-8 \(command)"], program: "/bin/su")
    }

    func home(_ user: String) throws -> String {
        try sh("getent passwd \(user) | cut -d: -f6").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func setUp(_ dir: TempDir) throws -> (bin: String, store: String) {
        _ = try sh("getent group \(Self.group) >/dev/null || groupadd --system \(Self.group)")
        for user in [Self.alice, Self.bob, Self.stranger] {
            _ = try sh("id \(user) >/dev/null 2>&1 || useradd --no-create-home --shell /bin/sh \(user)")
            // A fresh, private home each test: the attacks below plant files there.
            let home = try self.home(user)
            #expect(home.hasPrefix("/home/sgtest"), "\(home)")
            _ = try sh("rm -rf \(home) && mkdir -p \(home) && chown \(user): \(home) && chmod 700 \(home)")
        }
        chmod(dir.path, 0o755)
        // The binary, setgid to the service group; the data directory only that group can enter.
        let bin = dir.file("shegong")
        try copyExecutable(shegongBinary, to: bin)
        let install = try run(["install-system", "--group", Self.group, "--bin", dir.path, "--store", dir.file("data/station.log")],
                              program: bin)
        #expect(install.status == 0, "\(install.stderr)")
        let store = dir.file("data/station.log")
        #expect(try run(["init", "--store", store, "--station", "弹子石街道社工站", "--group", Self.group]).status == 0)
        for args in [["site", "--name", "彩云社区", "--tier", "community", "--parent", "S-1"],
                     ["site", "--name", "新力社区", "--tier", "community", "--parent", "S-1"],
                     ["staff", "--account", Self.alice, "--name", "张晓芳", "--role", "worker", "--site", "S-2"],
                     ["staff", "--account", Self.bob, "--name", "王建国", "--role", "worker", "--site", "S-3"]] {
            let r = try run(["add"] + [args[0], "--store", store] + Array(args.dropFirst()))
            #expect(r.status == 0, "\(r.stderr)")
        }
        return (bin, store)
    }

    @Test func staffUseTheBinaryButCannotReadTheFileOrEachOthersRestrictedCases() throws {
        let dir = TempDir()
        let (bin, store) = try setUp(dir)
        var st = stat()
        stat(store, &st)
        #expect(st.st_mode & 0o777 == 0o660, "the log is 0660")

        // Alice records a person and a case flagged 社区矫正 through the setgid binary.
        let person = try asUser(Self.alice, "\(bin) add person --store \(store) --name 刘桂兰 --community S-2 --idno 500108194003021230")
        #expect(person.status == 0, "\(person.stderr)")
        let opened = try asUser(Self.alice, "\(bin) add case --store \(store) --person P-1 --source referral --problem 社区矫正帮扶 --flags corrections")
        #expect(opened.status == 0, "\(opened.stderr)")

        // Neither can read the file directly.
        let cat = try asUser(Self.alice, "cat \(store)")
        #expect(cat.status != 0 && cat.stderr.lowercased().contains("permission denied"), "\(cat.stdout.prefix(80)) \(cat.stderr)")

        // Alice sees her case; Bob does not even see that it exists, by CLI export.
        let mine = try asUser(Self.alice, "\(bin) export --store \(store) --format csv --kind cases")
        #expect(mine.stdout.contains("C-1"), "\(mine.stderr)")
        let theirs = try asUser(Self.bob, "\(bin) export --store \(store) --format csv --kind cases")
        #expect(theirs.status == 0 && !theirs.stdout.contains("C-1"), "\(theirs.stdout)")
        // Bob sees Alice's resident only as a summary: no ID number at all.
        let people = try asUser(Self.bob, "\(bin) export --store \(store) --format csv --kind people")
        #expect(people.stdout.contains("刘桂兰") && !people.stdout.contains("5001"), "\(people.stdout)")
        // Raw events are for the admin only.
        #expect(try asUser(Self.bob, "\(bin) export --store \(store) --format jsonl").status != 0)
        // Nobody can act as somebody else.
        #expect(try asUser(Self.bob, "\(bin) export --store \(store) --kind cases --format csv --as \(Self.alice)").status != 0)
        // An account not on the roster sees nothing.
        let stranger = try asUser("nobody", "\(bin) report --store \(store)")
        #expect(stranger.status != 0 && stranger.stderr.contains("not on this station's staff roster"), "\(stranger.stderr)")
    }

    @Test(Tmux.required) func unmaskingInTheConsoleWritesAnAccessEvent() throws {
        let dir = TempDir()
        let (bin, store) = try setUp(dir)
        _ = try asUser(Self.alice, "\(bin) add person --store \(store) --name 刘桂兰 --community S-2 --idno 500108194003021230 --phone 13812345678")
        let tmux = try Tmux(command: "su -s /bin/sh \(Self.alice) -c 'cd /tmp && LANG=C.UTF-8 \(bin) --store \(store) --lang zh'")
        #expect(tmux.waitFor("我的一天").found, "\(tmux.screen())")
        try tmux.type("3")
        #expect(tmux.waitFor("刘桂兰").found)
        try tmux.press("Enter")
        #expect(tmux.waitFor("5001**********1230").found, "masked by default: \(tmux.screen())")
        try tmux.type("u")
        #expect(tmux.waitFor("500108194003021230").found, "shown in full on request: \(tmux.screen())")
        try tmux.press("Escape")
        try tmux.type("q")
        let events = try run(["export", "--store", store, "--format", "jsonl"]).stdout
        #expect(events.contains("\"type\":\"access.viewed\"") && events.contains("\"actor\":\"\(Self.alice)\""))
    }

    @Test func aWorldReadableLogIsRefusedWithTheFix() throws {
        let dir = TempDir()
        let (bin, store) = try setUp(dir)
        chmod(store, 0o664)
        let r = try asUser(Self.alice, "\(bin) report --store \(store)")
        #expect(r.status != 0 && r.stderr.contains("chmod o-rwx"), "\(r.stderr)")
        chmod(store, 0o660)
        #expect(try asUser(Self.alice, "\(bin) report --store \(store)").status == 0)
    }

    @Test func anAccountOnNoRosterCanNeitherCopyNorRewriteTheLog() throws {
        let dir = TempDir()
        let (bin, store) = try setUp(dir)
        #expect(try asUser(Self.alice, "\(bin) add person --store \(store) --name 刘桂兰 --community S-2 --idno 500108194003021230").status == 0)
        let before = readBytes(store)
        let home = try self.home(Self.stranger)
        // A symlink to the station log in their own home, then every command that writes or reads.
        #expect(try asUser(Self.stranger, "ln -s \(store) ~/x.log").status == 0)
        for command in ["checkpoint", "repair", "verify", "export", "report", "demo --events 10", "import /dev/null"] {
            let r = try asUser(Self.stranger, "\(bin) \(command) --store ~/x.log")
            #expect(r.status != 0 && r.stderr.contains("data directory"), "\(command): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: home + "/x.log.checkpoint"), "no copy of the projection")
        // The real path: not on the roster, so nothing.
        for command in ["checkpoint", "repair", "verify", "export --kind people --format csv", "report", "demo --events 10",
                        "certificate --volunteer VOL-1"] {
            let r = try asUser(Self.stranger, "\(bin) \(command) --store \(store)")
            #expect(r.status != 0 && (r.stderr.contains("roster") || r.stderr.contains("by root only")), "\(command): \(r.stderr)")
        }
        // Whether a record exists is not an answer either.
        for person in ["P-1", "P-999"] {
            let r = try asUser(Self.stranger, "\(bin) add visit --store \(store) --person \(person) --mode home")
            #expect(r.status != 0 && r.stderr.contains("roster"), "\(person): \(r.stderr)")
        }
        // Developer tools that start programs or take any directory are not in the installed binary.
        for command in ["bench --events 10 --dir \(dir.file("data"))", "bench-console --people 10", "--demo"] {
            let r = try asUser(Self.stranger, "\(bin) \(command)")
            #expect(r.status != 0 && r.stderr.contains("not available in the installed"), "\(command): \(r.stderr)")
        }
        // Nor a new store beside it, where a later command might pick it up.
        #expect(try asUser(Self.stranger, "touch ~/e.jsonl").status == 0)
        for command in ["init --station 站", "demo --events 10", "import ~/e.jsonl"] {
            let r = try asUser(Self.stranger, "\(bin) \(command) --store \(dir.file("data/new.log"))")
            #expect(r.status != 0 && r.stderr.contains("root"), "\(command): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("data/new.log")))
        // A worker may not repair, and may not fill the station with demo records either.
        #expect(try asUser(Self.alice, "\(bin) repair --store \(store)").status != 0)
        #expect(try asUser(Self.alice, "\(bin) demo --events 10 --store \(store)").status != 0)
        // The checkpoint a forger would edit lives where only the binary writes.
        for user in [Self.alice, Self.stranger] {
            #expect(try asUser(user, "echo forged > \(store).checkpoint").status != 0, "\(user) cannot write the checkpoint")
        }
        #expect(readBytes(store) == before, "the log is exactly as it was")
    }

    /// The draft file's name for a store path (FNV-1a of the path, as DraftStore.forStore names it).
    func draftName(_ store: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in store.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        return "draft-\(String(hash, radix: 16)).json"
    }

    @Test(Tmux.required) func symlinksPlantedInAWorkersHomeReachOnlyTheirOwnFiles() throws {
        let dir = TempDir()
        let (bin, store) = try setUp(dir)
        #expect(try asUser(Self.alice, "\(bin) add person --store \(store) --name 刘桂兰 --community S-2").status == 0)
        let home = try self.home(Self.alice)
        let month = try sh("TZ=Asia/Shanghai date +%Y-%m").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let draft = "\(home)/.local/state/shegong/\(draftName(store))"
        let plant = try asUser(Self.alice, "mkdir -p ~/.local/state/shegong && ln -s \(store) \(draft) "
                               + "&& ln -s \(store) ~/统计-弹子石街道社工站-\(month).csv")
        #expect(plant.status == 0, "\(plant.stderr)")
        let before = readBytes(store)

        let tmux = try Tmux(command: "su -s /bin/sh \(Self.alice) -c 'cd /tmp && LANG=C.UTF-8 \(bin) --store \(store) --lang zh'")
        #expect(tmux.waitFor("我的一天").found, "\(tmux.screen())")
        #expect(!tmux.screen().contains("主题"), "the installed themes are readable by staff: \(tmux.screen())")
        try tmux.type("2")
        try tmux.type("n")
        #expect(tmux.waitFor("服务对象*").found, "\(tmux.screen())")
        try tmux.type("P-1")                                  // each key saves the draft
        var st = stat()
        #expect(waitUntil(timeout: 5) { lstat(draft, &st) == 0 && st.st_mode & S_IFMT == S_IFREG }, "the symlink was replaced")
        #expect(st.st_uid == getpwnam(Self.alice).pointee.pw_uid, "the draft is the worker's own file")
        #expect(readBytes(store) == before, "typing in a form never touches the log")
        try tmux.press("Escape")                              // the list of matching people
        try tmux.press("Escape")                              // the form
        #expect(tmux.waitFor("放弃").found, "\(tmux.screen())")
        try tmux.type("y")
        try tmux.type("8")
        #expect(tmux.waitFor("x CSV").found, "\(tmux.screen())")
        try tmux.type("x")
        let exported = "\(home)/统计-弹子石街道社工站-\(month)-2.csv"
        #expect(tmux.waitFor("已导出").found, "\(tmux.screen())")
        #expect(lstat(exported, &st) == 0 && st.st_uid == getpwnam(Self.alice).pointee.pw_uid, "a new file beside the planted one")
        #expect(readBytes(store) == before, "the export never reached the log")
        try tmux.type("q")
        #expect(readBytes(store) == before)
    }
}
