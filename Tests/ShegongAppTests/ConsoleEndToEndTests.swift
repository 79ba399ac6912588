import Foundation
import Testing
import ShegongTestSupport

/// The real binary in tmux, with a real store file and real second processes.
@Suite(.serialized) struct ConsoleEndToEndTests {
    func station(_ dir: TempDir) throws -> String {
        let store = dir.file("s.log")
        let demo = try run(["demo", "--store", store, "--events", "1500", "--seed", "3"])
        #expect(demo.status == 0, "\(demo.stderr)")
        return store
    }

    /// Quits with q and expects a clean exit (the terminal restored, status 0).
    func quit(_ tmux: Tmux, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try tmux.type("q")
        #expect(tmux.waitFor("[exit 0]").found, "\(tmux.screen())", sourceLocation: sourceLocation)
    }

    /// A demo station's console, on 我的一天.
    func consoleOnHome(_ dir: TempDir) throws -> (store: String, tmux: Tmux) {
        let store = try station(dir)
        let tmux = try console(store, dir)
        #expect(tmux.waitFor("我的一天").found)
        return (store, tmux)
    }

    func console(_ store: String, _ dir: TempDir, extra: String = "") throws -> Tmux {
        try Tmux(command: "\(shegongBinary) --store \(store) --lang zh \(extra)", environment: ["XDG_STATE_HOME": dir.path])
    }

    @Test(Tmux.required) func aVisitLoggedInTheConsoleAppearsInThePersonsTimeline() throws {
        let dir = TempDir()
        let (_, tmux) = try consoleOnHome(dir)
        try tmux.type("2")
        try tmux.type("n")
        #expect(tmux.waitFor("服务对象*").found)
        try tmux.type("P-1")
        try tmux.press("Tab", "Tab", "Tab", "Tab")          // date (today), time, mode
        for _ in 0..<10 { try tmux.press("Tab") }          // down to the note
        try tmux.type("老人说腿疼，已联系社区医生上门")
        try tmux.press("C-s")
        #expect(tmux.waitFor("已保存").found, "\(tmux.screen())")
        try tmux.type("3")
        try tmux.type("/")
        try tmux.type("P-1")
        try tmux.press("Enter", "Enter")
        let (found, screen) = tmux.waitFor("老人说腿疼")
        #expect(found, "\(screen)")
        try tmux.press("Escape")
        #expect(tmux.waitFor { !$0.contains("老人说腿疼") }.found)
        try quit(tmux)
    }

    @Test(Tmux.required) func altArrowsGoBackAndForwardAndAFunctionKeyOpensASavedView() throws {
        let dir = TempDir()
        let (_, tmux) = try consoleOnHome(dir)
        try tmux.type("3")
        try tmux.type("/")
        try tmux.type("P-1")
        try tmux.press("Enter")
        try tmux.type("V")                                   // the filter becomes view F1
        #expect(tmux.waitFor("保存视图").found, "\(tmux.screen())")
        try tmux.press("Enter")
        #expect(tmux.waitFor("已保存视图 F1").found, "\(tmux.screen())")
        try tmux.press("Enter")                              // the person opens
        #expect(tmux.waitFor("服务对象 · ").found, "\(tmux.screen())")
        try tmux.type("4")
        #expect(tmux.waitFor { !$0.contains("服务对象 · ") }.found)
        try tmux.press("M-Left")                             // back: the person again
        #expect(tmux.waitFor("服务对象 · ").found, "\(tmux.screen())")
        try tmux.press("M-Right")
        #expect(tmux.waitFor { !$0.contains("服务对象 · ") }.found, "\(tmux.screen())")
        try tmux.type("6")
        try tmux.press("F1")
        #expect(tmux.waitFor("视图 F1:P-1").found, "\(tmux.screen())")
        try quit(tmux)
    }

    @Test(Tmux.required) func aVisitAppendedByAnotherProcessShowsUpWithinASecond() throws {
        let dir = TempDir()
        let store = try station(dir)
        let tmux = try console(store, dir)
        try tmux.type("2")
        #expect(tmux.waitFor("筛选").found)
        let add = try run(["add", "visit", "--store", store, "--person", "P-2", "--mode", "phone", "--followup", "2030-01-02",
                           "--note", "另一位社工刚记录"])
        #expect(add.status == 0, "\(add.stderr)")
        let started = Date()
        let (found, screen) = tmux.waitFor("2030-01-02", timeout: 3)
        #expect(found, "\(screen)")
        #expect(Date().timeIntervalSince(started) < 1.5, "seen within a second, plus tmux's capture overhead")
        try quit(tmux)
    }

    @Test(Tmux.required) func aDroppedLinkKeepsTheFormAsADraft() throws {
        let dir = TempDir()
        let store = try station(dir)
        let tmux = try console(store, dir)
        try tmux.type("2")
        try tmux.type("n")
        #expect(tmux.waitFor("服务对象*").found)
        try tmux.type("P-3")
        // Only what the console has received can be saved: wait until it shows the input.
        #expect(tmux.waitFor("P-3").found)
        // SIGHUP, as when an SSH link drops.
        let pgrep = try run(["-f", "^\(shegongBinary) --store \(store)"], program: "/usr/bin/pgrep")
        let pids = pgrep.stdout.split(separator: "\n").compactMap { Int32($0) }
        #expect(!pids.isEmpty)
        for pid in pids { kill(pid, SIGHUP) }
        #expect(tmux.waitFor("[exit").found, "the console exits on SIGHUP")
        #expect(!tmux.screen().contains("Fatal error"), "no crash")
        let again = try console(store, dir)
        #expect(again.waitFor("发现上次未保存的草稿").found, "\(again.screen())")
        try again.type("y")
        #expect(again.waitFor("P-3").found)
        try again.press("Escape")
        #expect(again.waitFor("放弃未保存的修改").found)
        try again.type("y")
        #expect(again.waitFor { !$0.contains("放弃未保存的修改") }.found)
        try quit(again)
    }

    /// Acting as the demo's staff accounts needs root (`--as`).
    @Test(Tmux.required, rootRequired) func aSupervisorApprovesAClosureRequestedByAWorker() throws {
        let dir = TempDir()
        let store = try station(dir)
        // P-1's own worker opens the case; that worker's supervisor decides on its closure.
        let people = try run(["export", "--store", store, "--format", "csv", "--kind", "people"]).stdout.split(separator: "\n")
        let worker = String(people[1].split(separator: ",")[10])
        let staff = try run(["export", "--store", store, "--format", "csv", "--kind", "staff"]).stdout.split(separator: "\n")
        let supervisor = String(staff.first { $0.hasPrefix(worker + ",") }!.split(separator: ",", omittingEmptySubsequences: false)[4])
        let opened = try run(["add", "case", "--store", store, "--as", worker, "--person", "P-1", "--source", "self", "--problem", "独居老人情绪低落"])
        #expect(opened.status == 0, "\(opened.stderr)")
        let id = String(opened.stdout.split(separator: "\t").first ?? "")
        let requested = try run(["add", "closure-request", "--store", store, "--as", worker, "--id", id, "--type", "moved",
                                 "--summary", "目标已实现"])
        #expect(requested.status == 0, "\(requested.stderr)")
        let selfApprove = try run(["add", "approve", "--store", store, "--as", worker, "--id", id])
        #expect(selfApprove.status != 0 && selfApprove.stderr.contains("cannot"), "\(selfApprove.stderr)")
        let tmux = try console(store, dir, extra: "--as \(supervisor)")
        #expect(tmux.waitFor("待审批结案").found, "\(tmux.screen())")
        // Select the approval row and approve it.
        let screen = tmux.screen()
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines.firstIndex { $0.contains("姓名") } ?? 3
        let cases = try run(["export", "--store", store, "--format", "csv", "--kind", "cases"]).stdout.split(separator: "\n")
        let number = String(cases.first { $0.hasPrefix(id + ",") }!.split(separator: ",")[1])
        let row = try #require(lines.firstIndex { $0.contains("待审批结案") && $0.contains(number) }, "\(screen)")
        for _ in 0..<(row - header - 1) { try tmux.press("Down") }
        try tmux.type("A")
        #expect(tmux.waitFor("批准结案").found)
        try tmux.press("Tab")
        try tmux.type("同意结案，请做好回访")
        try tmux.press("C-s")
        #expect(tmux.waitFor("已保存").found, "\(tmux.screen())")
        try quit(tmux)
        let report = try run(["export", "--store", store, "--format", "csv", "--kind", "cases"]).stdout
        #expect(report.split(separator: "\n").contains { $0.hasPrefix(id + ",") && $0.contains("已结案") })
    }
}
