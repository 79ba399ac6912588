import Foundation
import Testing
@testable import ShegongApp
import ShegongDomain
@testable import ShegongStore
import ShegongTerminal
import ShegongTestSupport

let fixedDay = Day(iso: "2026-11-21")!
let localeReady: Bool = { TextWidth.prepareLocale(); return true }()

/// A demo station at a fixed date, and a console on it for `actor`.
final class Fixture {
    let dir = TempDir()
    let store: Store
    init(events: Int = 3000) throws {
        _ = localeReady
        store = try Store.create(path: dir.file("s.log"), station: "弹子石街道社工站", context: testContext(actor: "root"))
        var generator = DemoGenerator(seed: 1, totalEvents: events, endingNear: fixedDay, state: store.state)
        try store.append { _ in generator.next(events) }
        try store.append { s in DemoHub.events(seed: 1, state: s, today: fixedDay) }
    }

    func console(as actor: String = "root", lang: Language = .zh) throws -> Console {
        Console(store: try Store.open(path: store.path), strings: Strings(lang), actor: actor, today: fixedDay,
                drafts: DraftStore(path: dir.file("draft-\(actor).json")), makeContext: { testContext(actor: actor) })
    }
}

func type(_ console: Console, _ text: String) { for c in text { console.handle(.char(c)) } }

/// Finds a person on 服务对象 as a worker does (3, / and the id, Enter), and opens them unless `open` is false.
func findPerson(_ console: Console, _ id: String, open: Bool = true) {
    console.handle(.char("3"))
    console.handle(.char("/"))
    type(console, id)
    console.handle(.enter)
    if open { console.handle(.enter) }
}

func expectGolden(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    ShegongTestSupport.expectGolden(name, text, in: "Tests/ShegongAppTests/Golden", sourceLocation: sourceLocation)
}

@Suite(.serialized) struct ConsoleScreenTests {
    @Test func everyScreenAtBothSizesMatchesItsGolden() throws {
        let f = try Fixture()
        for lang in [Language.zh, .en] {
            for size in [(80, 24), (120, 40)] {
                let c = try f.console(lang: lang)
                for screen in Screen.allCases {
                    c.handle(.char(screen.key))
                    let g = c.render(width: size.0, height: size.1)
                    expectGolden("\(screen)-\(size.0)x\(size.1)\(lang == .en ? "-en" : "")", g.text)
                    // The tab bar always shows the screen you are on, with its key, however narrow.
                    #expect(g.line(1).contains("\(screen.key) \(Strings(lang)[screen.title])"), "\(g.line(1))")
                    if lang == .en {
                        // The English interface has no Chinese of its own (names and addresses are data).
                        let chrome = [g.line(1), g.line(g.height - 1)].joined()
                        #expect(!chrome.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(screen): \(chrome)")
                    }
                }
            }
        }
    }

    @Test func myDayShowsLateHighRiskPeopleInTheDangerColour() throws {
        let f = try Fixture()
        let c = try f.console(as: "sg001")
        c.handle(.down)                                      // the selection moves off the first row
        let g = c.render(width: 120, height: 40)
        let state = f.store.state
        let late = state.people.indices.filter { state.people[$0].worker == "sg001" && state.nextVisitDue(of: $0) < fixedDay }.map { state.people[$0] }
        let highRisk = try #require(late.first { $0.tier == .high }, "the fixture has a late high-risk person")
        let lowRisk = try #require(late.first { $0.tier != .high })
        func roleOfLine(naming name: String) -> StyleRole? {
            (0..<g.height).first { g.line($0).contains(name) }.map { g.cells[$0 * g.width + g.width - 1].role }
        }
        #expect(roleOfLine(naming: highRisk.name) == .danger, "\(g.text)")
        #expect(roleOfLine(naming: lowRisk.name) == .warning)
    }

    @Test func tooSmallTerminalSaysSo() throws {
        let c = try Fixture(events: 200).console()
        #expect(c.render(width: 60, height: 20).text.contains("终端太小"))
    }

    @Test func englishToo() throws {
        let c = try Fixture(events: 500).console(lang: .en)
        c.handle(.char("2"))
        let text = c.render(width: 80, height: 24).text
        #expect(text.contains("Visits") && text.contains("Date"))
    }
}

@Suite(.serialized) struct ConsoleActionTests {
    @Test func screensSwitchByNumberAndTab() throws {
        let c = try Fixture(events: 300).console()
        c.handle(.char("4"))
        #expect(c.screen == .cases)
        c.handle(.tab)
        #expect(c.screen == .groups)
        c.handle(.backTab)
        c.handle(.backTab)
        #expect(c.screen == .people)
    }

    @Test func filterAsYouTypeNarrowsAndEscClears() throws {
        let f = try Fixture()
        let c = try f.console()
        c.handle(.char("3"))
        let name = f.store.state.people[7].name
        c.handle(.char("/"))
        type(c, name)
        let screen = c.render(width: 100, height: 30).text
        let shown = screen.split(separator: "\n").filter { $0.hasPrefix("P-") }
        #expect(!shown.isEmpty && shown.allSatisfy { $0.contains(name) }, "\(shown)")
        c.handle(.escape)
        c.handle(.escape)
        #expect(c.render(width: 100, height: 30).text.split(separator: "\n").filter { $0.hasPrefix("P-") }.count > shown.count)
    }

    /// Each keystroke and backspace shows exactly the rows whose text holds the query, whether
    /// it was searched afresh, narrowed from a query typed before, or remembered.
    @Test func everyQueryTypedOrBackspacedFindsExactlyItsRows() throws {
        let f = try Fixture()
        let state = f.store.state
        let viewer = try #require(Policy.viewer("root", in: state))
        let spec = try #require(Screen.people.list(today: fixedDay))
        let strings = Strings(.zh)
        let records = spec.indices(state).filter(spec.visible(state, viewer))
        // The search reads ASCII letters as lower case, and nothing else differently.
        func folded(_ text: String) -> [UInt8] { text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 } }
        func expected(_ q: String) -> [Int32] {
            let text = spec.haystack(state, viewer)
            return records.filter { folded(text($0)).firstRange(of: folded(q)) != nil }
        }
        let p = state.people[11]
        var queries: [String] = []
        for text in [p.name + String(p.address.prefix(3)), String(p.address.suffix(4)), "p-1", "P-10", "栋"] {
            for n in 1...text.count { queries.append(String(text.prefix(n))) }
            for n in (1..<text.count).reversed() { queries.append(String(text.prefix(n))) }
        }
        var rows = FilteredRows()
        for q in queries {
            rows.update(spec, state: state, viewer: viewer, query: q, sort: nil, strings: strings)
            #expect(rows.indices == expected(q), "\(q)")
        }
    }

    /// The visits list finds a visit by its person's name or initials (either reading of a
    /// surname such as 曾, as the people list does), its worker's account or name, its date and
    /// its id: the same visits as asking each visit's own fields, whatever its text shares with
    /// other visits of the same person, worker or day.
    @Test func theVisitsListFindsAVisitByItsPersonWorkerDateOrId() throws {
        let f = try Fixture()
        let state = f.store.state
        let viewer = try #require(Policy.viewer("root", in: state))
        let spec = try #require(Screen.visits.list(today: fixedDay))
        let records = spec.indices(state).filter(spec.visible(state, viewer))
        let twoReadings = try #require(records.first { r in
            let p = state.visits[Int(r)].person
            return Pinyin.nameInitials(state.people[Int(p)].name).count == 2 && !state.visits[Int(r)].worker.isEmpty
        }, "the demo names someone 曾 or 覃 with a visit")
        let visit = state.visits[Int(twoReadings)]
        let name = state.people[Int(visit.person)].name
        let staffName = try #require(state.staff[visit.worker]?.name)
        func fields(_ v: VisitRow) -> [String] {
            let person = state.people[Int(v.person)].name
            return [v.day.iso, person, v.worker, state.staff[v.worker]?.name ?? "", v.id] + Pinyin.nameInitials(person)
        }
        let queries = [name, String(name.prefix(1)), visit.worker, staffName, visit.day.iso, visit.id] + Pinyin.nameInitials(name)
        #expect(Set(Pinyin.nameInitials(name)).count == 2)
        for q in queries {
            var rows = FilteredRows()
            rows.update(spec, state: state, viewer: viewer, query: q, sort: nil, strings: Strings(.zh))
            let expected = records.filter { r in fields(state.visits[Int(r)]).contains { $0.lowercased().contains(q.lowercased()) } }
            #expect(rows.indices == expected, "\(q)")
            #expect(rows.indices.contains(twoReadings), "\(q)")
        }
    }

    @Test func aNewVisitWithAChineseNoteIsSavedAndShowsInThePersonsTimeline() throws {
        let f = try Fixture()
        let c = try f.console()
        let person = f.store.state.people[3]
        c.handle(.char("2"))
        c.handle(.char("n"))
        type(c, String(person.name.prefix(2)))
        #expect(c.render(width: 100, height: 30).text.contains(person.id), "the picker suggests the person")
        c.handle(.tab)                                     // accept the suggestion
        c.handle(.tab); c.handle(.tab); c.handle(.tab)     // date (today), time, mode
        for _ in 0..<10 { c.handle(.tab) }                 // … down to the note
        type(c, "老人精神很好，需要适老化改造 (grab bars)")
        c.handle(.ctrl("s"))
        #expect(c.status.contains("已保存"), "\(c.status)")
        let saved = try Store.open(path: f.store.path, useCheckpoint: false)
        let visit = saved.state.visits.last!
        #expect(saved.state.people[Int(visit.person)].id == person.id)
        #expect(try saved.record(at: visit.offset).event.body["note"]?.string == "老人精神很好，需要适老化改造 (grab bars)")
        // The person's timeline shows it.
        findPerson(c, person.id)
        #expect(c.render(width: 120, height: 40).text.contains("老人精神很好，需要适老化改造"))
    }

    @Test func aWriteTheDiskDoesNotConfirmKeepsTheFormTheDraftAndAValidLog() throws {
        let f = try Fixture(events: 300)
        let c = try f.console()
        c.handle(.char("2"))
        c.handle(.char("n"))
        type(c, "P-1")
        for _ in 0..<14 { c.handle(.tab) }                 // down to the note
        type(c, "老人说最近睡不好")
        let size = readBytes(f.store.path).count
        c.store.log.sync = { _ in errno = EIO; return -1 }
        c.handle(.ctrl("s"))
        guard case .form(let form)? = c.overlays.last else { Issue.record("the form must stay open"); return }
        #expect(form.values["note"] == "老人说最近睡不好" && form.values["person"] == "P-1", "what was typed is kept")
        #expect(c.render(width: 120, height: 40).text.contains("磁盘未确认写入"), "the user is told, in Chinese")
        #expect(readBytes(f.store.path).count == size, "nothing partial in the log")
        #expect(try run(["verify", "--store", f.store.path]).status == 0)
        #expect(DraftStore(path: f.dir.file("draft-root.json")).load()?.values["note"] == "老人说最近睡不好", "and the draft holds it")
    }

    @Test func aMissingFieldKeepsTheFormAndSaysWhat() throws {
        let c = try Fixture(events: 300).console()
        c.handle(.char("2"))
        c.handle(.char("n"))
        c.handle(.ctrl("s"))
        let text = c.render(width: 100, height: 30).text
        #expect(text.contains("缺少必填项: 服务对象"))
        guard case .form? = c.overlays.last else { Issue.record("the form must stay open"); return }
    }

    @Test func anEditConflictShowsTheNewerVersionAndKeepsTheInput() throws {
        let f = try Fixture(events: 300)
        let c = try f.console()
        c.handle(.char("3"))
        c.handle(.char("e"))                               // edit P-1 (the first row)
        type(c, "·补")
        // Meanwhile another process changes the same person.
        let other = try Store.open(path: f.store.path)
        try other.append { s in [try Forms.build(Forms.spec("person-update")!, values: ["id": "P-1", "phone": "13900000000"], state: s,
                                                 context: testContext(actor: "root"))] }
        c.handle(.ctrl("s"))
        let text = c.render(width: 120, height: 40).text
        #expect(text.contains("记录已被他人修改"), "\(text)")
        guard case .form(let form)? = c.overlays.last else { Issue.record("the form must stay open"); return }
        #expect(form.values["name"]?.hasSuffix("·补") == true, "the input is kept")
        c.handle(.ctrl("s"))
        #expect(c.status.contains("已保存"))
        // The second save merged field by field: the colleague's phone stays, the user's name lands.
        let saved = try Store.open(path: f.store.path).state.person("P-1")!
        #expect(saved.phone == "13900000000", "a field the user did not touch keeps the newer value")
        #expect(saved.name.hasSuffix("·补"))
    }

    @Test func aFieldBothChangedIsShownSideBySideAndTheUsersValueWins() throws {
        let f = try Fixture(events: 300)
        let c = try f.console()
        c.handle(.char("3"))
        c.handle(.char("e"))
        type(c, "·补")
        let other = try Store.open(path: f.store.path)
        let original = other.state.person("P-1")!.name
        try other.append { s in [try Forms.build(Forms.spec("person-update")!, values: ["id": "P-1", "name": "同事改的名字"], state: s,
                                                 context: testContext(actor: "root"))] }
        c.handle(.ctrl("s"))
        #expect(c.render(width: 120, height: 40).text.contains("他人: 同事改的名字"), "the colleague's value beside the user's")
        c.handle(.ctrl("s"))
        #expect(try Store.open(path: f.store.path).state.person("P-1")!.name == original + "·补", "the second save is the user's decision")
    }

    @Test func aRewrittenRecordFoundBehindAFullReplayTurnsTheConsoleReadOnly() throws {
        let f = try Fixture(events: 300)
        // Record 40 re-encoded with a different body: its CRC is right, the next record's prev is not.
        let bytes = readBytes(f.store.path)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A && i + 1 < bytes.count { starts.append(i + 1) }
        let record = try f.store.record(at: Int64(starts[39]))
        var event = record.event
        event.body = .object([JSONField("note", .string("改过的记录"))])
        writeBytes(f.store.path, Array(bytes[0..<starts[39]]) + RecordCodec.encode(event, number: 40, prev: record.prev)
                   + Array(bytes[starts[40]...]))
        unlink(f.store.checkpointPath)
        let tampered = readBytes(f.store.path)
        let c = try f.console()
        #expect(!c.store.loadedFromCheckpoint && c.store.state.eventCount == f.store.state.eventCount)
        let saidAtStart = c.status.contains("损坏")
        _ = c.store.prefixCheckSeconds()                   // the chain check has finished
        #expect(c.follow() != saidAtStart, "said once: at the start, or on the next follow")
        #expect(c.status.contains("第 41 条记录") && c.status.contains("只读"), "\(c.status)")
        c.handle(.char("2"))
        c.handle(.char("n"))
        #expect(c.status.contains("只读"), "no form opens for a new record: \(c.status)")
        #expect(readBytes(f.store.path) == tampered, "nothing was written on top of it")
    }

    @Test func damageBehindTheCheckpointTurnsTheConsoleReadOnlyAndSaysSoOnce() throws {
        let f = try Fixture(events: 300)
        try f.store.append { s in [try Forms.build(Forms.spec("case")!, values: ["person": "P-1", "source": "referral",
                                                                                 "problem": "社区矫正帮扶", "flags": "corrections"],
                                                   state: s, context: testContext(actor: "root"))] }
        try f.store.writeCheckpoint()
        var bytes = readBytes(f.store.path)
        bytes[bytes.count / 2] ^= 0x04
        writeBytes(f.store.path, bytes)
        let c = try f.console()
        #expect(c.store.loadedFromCheckpoint, "the start does not wait for the check")
        let saidAtStart = c.status.contains("损坏")           // the scan may finish before the console is up
        _ = c.store.prefixCheckSeconds()                   // the background scan has finished
        #expect(c.follow() != saidAtStart, "said once: at the start, or on the next follow with a redraw")
        #expect(!c.follow(), "and not again")
        #expect(c.status.contains("损坏") && c.status.contains("shegong repair"), "\(c.status)")
        c.handle(.char("2"))
        c.handle(.char("n"))
        #expect(c.status.contains("只读"), "no form opens for a new record: \(c.status)")
        // A restricted case opens only with its access record written: not on this log.
        let restricted = try #require(c.store.state.cases.first { $0.isRestricted }, "the fixture has a restricted case")
        c.handle(.char("4"))
        c.handle(.char("/"))
        type(c, restricted.number)
        c.handle(.enter)
        c.handle(.enter)
        #expect(c.status.contains("无法留下访问记录"), "\(c.status)")
        #expect(!c.overlays.contains { if case .detail = $0 { return true }; return false }, "nothing shown without its record")
        #expect(readBytes(f.store.path) == bytes)
    }

    @Test func leavingAChangedFormAsksFirstAndTheDraftSurvivesARestart() throws {
        let f = try Fixture(events: 300)
        let c = try f.console()
        c.handle(.char("2"))
        c.handle(.char("n"))
        type(c, "P-1")
        c.handle(.escape)                                  // closes the list of matching people
        c.handle(.escape)                                  // then asks about leaving the form
        #expect(c.render(width: 80, height: 24).text.contains("放弃未保存的修改"))
        c.handle(.char("n"))
        guard case .form? = c.overlays.last else { Issue.record("'no' goes back to the form"); return }
        // The process dies here (SIGHUP, kill): the next console offers the draft back.
        let next = try f.console()
        #expect(next.render(width: 80, height: 24).text.contains("发现上次未保存的草稿"))
        next.handle(.char("y"))
        guard case .form(let form)? = next.overlays.last else { Issue.record("the draft opens as a form"); return }
        #expect(form.values["person"] == "P-1")
    }

    @Test func aSupervisorApprovesAClosureAWorkerRequested() throws {
        let f = try Fixture(events: 300)
        let worker = "sg001"
        let person = f.store.state.people.first { $0.worker == worker }!
        let supervisor = f.store.state.staff[worker]!.supervisor!
        try f.store.append { s in [try Forms.build(Forms.spec("case")!, values: ["person": person.id, "source": "self", "problem": "独居"],
                                                   state: s, context: testContext(actor: worker))] }
        let caseID = f.store.state.cases.last!.id
        try f.store.append { s in [try Forms.build(Forms.spec("closure-request")!, values: ["id": caseID, "type": "moved", "summary": "目标实现"],
                                                   state: s, context: testContext(actor: worker))] }
        let workerConsole = try f.console(as: worker)
        workerConsole.handle(.char("4"))
        workerConsole.handle(.char("A"))
        #expect(workerConsole.status.contains("不是你的角色能做的") && workerConsole.overlays.isEmpty, "a worker cannot approve")
        #expect(!workerConsole.render(width: 120, height: 40).text.contains("A 批准结案"), "nor is it offered")

        let c = try f.console(as: supervisor)
        let home = c.render(width: 120, height: 40).text
        #expect(home.contains("待审批结案"), "approvals waiting on the supervisor's day")
        let row = c.homeRows.firstIndex { c.subject(of: $0) == caseID }!
        for _ in 0..<row { c.handle(.down) }
        c.handle(.char("A"))
        c.handle(.tab)                                     // date (today) → comment
        type(c, "同意结案")
        c.handle(.ctrl("s"))
        #expect(c.status.contains("已保存"), "\(c.status)")
        #expect(try Store.open(path: f.store.path).state.caseFile(caseID)?.stage == .closed)
    }

    @Test func aRecordFromAnotherProcessShowsUpLive() throws {
        let f = try Fixture(events: 300)
        let c = try f.console()
        c.handle(.char("2"))
        _ = c.render(width: 100, height: 30)
        let other = try Store.open(path: f.store.path)
        try other.append { s in [try Forms.build(Forms.spec("visit")!, values: ["person": "P-2", "mode": "phone", "date": "2026-11-21"],
                                                 state: s, context: testContext(actor: s.people[1].worker))] }
        #expect(c.follow())
        let top = c.render(width: 100, height: 30).line(4)   // the first row under the column titles
        #expect(top.hasPrefix("2026-11-21") && top.contains(f.store.state.people[1].name), "the new visit is on top: \(top)")
        #expect(c.status.contains("新记录"))
    }

    @Test func readOnlyStoresSayWhyAndOpenNoForms() throws {
        let f = try Fixture(events: 300)
        let ro = Console(store: try Store.open(path: f.store.path, wantWrite: false), strings: Strings(.zh), actor: "root", today: fixedDay,
                         drafts: nil, makeContext: { testContext(actor: "root") })
        ro.handle(.char("2"))
        ro.handle(.char("n"))
        #expect(ro.overlays.isEmpty)
        #expect(ro.status.contains("只读"))
    }

    @Test func helpAndPaletteComeFromTheActionRegistry() throws {
        let c = try Fixture(events: 300).console()
        c.handle(.char("4"))
        c.handle(.char("?"))
        let help = c.render(width: 120, height: 40).text
        for action in KeyMap.available(on: .cases, inDetail: false).prefix(12) { #expect(help.contains(action.zh), "\(action.zh)") }
        c.handle(.escape)
        c.handle(.char(":"))
        type(c, "统计")
        c.handle(.enter)
        #expect(c.screen == .reports)
    }

    @Test func casesSortByStageAndTheCLIAndConsoleAgreeOnWhatEachRoleSees() throws {
        let f = try Fixture()
        let c = try f.console()
        c.handle(.char("4"))
        for _ in 0..<5 { c.handle(.char("s")) }            // column 0 ↑, 0 ↓, 1 ↑, 1 ↓, 2 (stage) ↑
        let text = c.render(width: 120, height: 40).text
        #expect(text.contains("阶段 ^"))
        let stages = c.currentRows(Screen.cases.list(today: fixedDay)!).indices.map { f.store.state.cases[Int($0)].stage.zh }
        #expect(stages == stages.sorted(), "\(stages)")

        for actor in ["root", "sg001", "sg002", "dudao.li", "zyz.chen"] {
            let console = try f.console(as: actor)
            console.handle(.char("4"))
            let shown = Set(console.currentRows(Screen.cases.list(today: fixedDay)!).indices.map { f.store.state.cases[Int($0)].id })
            let viewer = Policy.viewer(actor, in: f.store.state)!
            let exported = Set(Exporter(store: f.store, viewer: viewer, today: fixedDay).table("cases")!.rows.map { $0[0] })
            #expect(shown == exported, "\(actor): console and CLI must show the same cases")
        }
    }

    @Test func sortingComparesNumbersAsNumbersAndKeepsTiesInListOrder() throws {
        let f = try Fixture()
        let state = f.store.state
        let spec = Screen.cases.list(today: fixedDay)!
        let records = spec.indices(state)
        let admin = Policy.viewer("root", in: state)!
        let contacts = 6  // the contacts column: "10" must come after "9"
        let up = FilteredRows.sorted(records, by: (contacts, true), spec: spec, state: state, viewer: admin, strings: Strings(.zh))
        let counts = up.map { state.cases[Int($0)].contactDays.count }
        #expect(counts.contains { $0 < 10 } && counts.contains { $0 >= 10 }, "the fixture has one- and two-digit counts")
        #expect(counts == counts.sorted(), "\(counts)")
        for (a, b) in zip(up, up.dropFirst()) where state.cases[Int(a)].contactDays.count == state.cases[Int(b)].contactDays.count {
            #expect(records.firstIndex(of: a)! < records.firstIndex(of: b)!, "ties keep the list's own order")
        }
        let down = FilteredRows.sorted(records, by: (contacts, false), spec: spec, state: state, viewer: admin, strings: Strings(.zh))
        #expect(down.map { state.cases[Int($0)].contactDays.count } == counts.sorted(by: >))
        let byWorker = FilteredRows.sorted(records, by: (4, true), spec: spec, state: state, viewer: admin, strings: Strings(.zh))
        let workers = byWorker.map { spec.row(state, admin, $0, Strings(.zh))[4] }
        #expect(workers == workers.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
    }

    @Test func aGroupSessionIsRecordedWithAttendanceOnAChecklist() throws {
        let f = try Fixture(events: 3000)
        guard let group = f.store.state.groups.first(where: { $0.closedOn == nil }) ?? f.store.state.groups.first else {
            Issue.record("the demo has a group"); return
        }
        let c = try f.console()
        c.handle(.char("5"))
        c.handle(.char("/"))
        type(c, group.id)
        c.handle(.enter)
        c.handle(.char("S"))
        let form = c.render(width: 120, height: 40).text
        #expect(form.contains("[出席] \(group.members.first.map { f.store.state.people[Int($0)].id } ?? "")"), "\(form)")
        c.handle(.tab); c.handle(.tab)                     // date (today), session number → attendance
        c.handle(.down)
        c.handle(.char(" "))                               // second member: 缺席
        c.handle(.char(" "))                               // … 请假
        c.handle(.ctrl("s"))
        #expect(c.status.contains("已保存"), "\(c.status)")
        let saved = try Store.open(path: f.store.path).state.group(group.id)!
        let last = saved.sessions.last!
        #expect(last.attendance[group.members[1]] == .leave && last.attendance[group.members[0]] == .present)
    }

    @Test func reportsChangeMonthAndSiteAndExportCSV() throws {
        let f = try Fixture()
        let c = try f.console()
        c.handle(.char("8"))
        let station = c.currentReport
        c.handle(.char("t")); c.handle(.char("t"))        // S-1, then the first community room
        let community = c.currentReport
        #expect(c.render(width: 120, height: 40).line(2).contains(f.store.state.sites[1].name))
        #expect(community["household_visits"] < station["household_visits"] && community["household_visits"] > 0)
        c.handle(.char("["))
        #expect(c.currentReport.from == Day(iso: "2026-10-01") && c.currentReport.to == Day(iso: "2026-10-31"))
        setenv("HOME", f.dir.path, 1)
        c.handle(.char("x"))
        let name = "统计-\(f.store.state.sites[1].name)-2026-10.csv"
        #expect(c.status.contains(f.dir.file(name)), "the full path is shown: \(c.status)")
        let bytes = readBytes(f.dir.file(name))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "a byte order mark for spreadsheet programs")
        let csv = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(csv.hasPrefix("站点,\(f.store.state.sites[1].name)\n期间,2026-10-01,2026-10-31\n代码,指标,数值,口径\n"
                              + "people_served_case,个案服务人数,"), "\(csv.prefix(200))")
        // A second export never overwrites the first.
        c.handle(.char("x"))
        #expect(FileManager.default.fileExists(atPath: f.dir.file("统计-\(f.store.state.sites[1].name)-2026-10-2.csv")))
    }

    @Test func hoursForSeveralVolunteersAtOnce() throws {
        let f = try Fixture(events: 2000)
        let c = try f.console()
        c.handle(.char("6"))
        c.handle(.char("h"))
        let before = f.store.state.hours.count
        guard case .form(let form)? = c.overlays.last, let selected = form.values["volunteer"] else {
            Issue.record("the form opens with the selected volunteer"); return
        }
        type(c, selected == "VOL-2" ? ", VOL-1" : ", VOL-2")
        c.handle(.tab); c.handle(.tab)
        type(c, "2.5")
        c.handle(.tab)
        type(c, "重阳节敬老活动")
        c.handle(.ctrl("s"))
        #expect(c.status.contains("已保存"), "\(c.status)")
        #expect(try Store.open(path: f.store.path).state.hours.count == before + 2)
    }
}
