import Foundation
import Testing
@testable import ShegongApp
import ShegongDomain
import ShegongTerminal
import ShegongTestSupport

@Suite(.serialized) struct NavigationTests {
    @Test func backAndForwardRetraceTheScreensAndRecordsTheUserOpened() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f)
        h.send(.command(.goTo(.people)))
        h.press(.down, .down)
        let person = try #require(h.selected)
        h.press(.enter)                                   // the person opens
        h.press(.char("4"))                               // then the cases screen
        h.press(.enter)
        let caseFile = try #require(h.state.openDetail?.subject)
        #expect(h.state.history.map(\.screen) == [.home, .people, .people, .cases, .cases])

        h.press(.altLeft)                                 // back to the cases list
        #expect(h.state.screen == .cases && h.state.openDetail == nil)
        h.press(.backspace)                               // Backspace goes back too: the person again
        #expect(h.state.screen == .people && h.state.openDetail?.subject == person)
        #expect(h.state.openDetail?.title.contains(f.store.state.person(person)!.name) == true)
        h.press(.altLeft, .altLeft)                       // the people list, then 我的一天
        #expect(h.state.screen == .home)
        h.press(.altLeft)
        #expect(h.state.status == "已是最早的位置" && h.state.screen == .home)
        h.press(.altRight, .altRight, .altRight, .altRight)
        #expect(h.state.screen == .cases && h.state.openDetail?.subject == caseFile)
        // Going somewhere new from the middle drops what was ahead, as in a browser.
        h.press(.altLeft, .altLeft, .char("6"))
        #expect(h.state.history.last == Place(screen: .volunteers) && h.state.historyAt == h.state.history.count - 1)
        h.press(.altRight)
        #expect(h.state.screen == .volunteers && h.state.status == "已是最新的位置")
    }

    @Test func aRestrictedCaseReopenedFromHistoryIsShownOnlyAfterItsAccessRecord() throws {
        let f = try Fixture(events: 3000)
        let state = f.store.state
        let restricted = try #require(state.cases.first { $0.isRestricted })
        var h = try Harness(f, as: restricted.worker)
        h.send(.command(.goTo(.cases)))
        let row = try #require(h.data.row(of: restricted.id, .cases, h.state))
        ConsoleReducer.select(&h.state, h.data, row: row)
        #expect(h.send(.key(.enter)) == [.recordAccess(subject: restricted.id, what: "case")])
        h.send(.accessRecorded(subject: restricted.id, what: "case"))
        h.press(.escape)
        #expect(h.send(.key(.altLeft)) == [.recordAccess(subject: restricted.id, what: "case")])
        #expect(h.state.openDetail == nil, "not shown before its access record is written")
        h.send(.accessRecorded(subject: restricted.id, what: "case"))
        #expect(h.state.openDetail?.subject == restricted.id)
    }

    @Test func aSavedViewKeepsAFilterAndSortOnAFunctionKeyAcrossSessions() throws {
        let f = try Fixture(events: 1500)
        let viewsFile = f.dir.file("views.json")
        let c = Console(store: f.store, strings: Strings(.zh), actor: "root", today: fixedDay, drafts: nil,
                        views: ViewStore(path: viewsFile), makeContext: { testContext(actor: "root") })
        c.handle(.char("3"))
        c.handle(.char("/"))
        let name = try #require(f.store.state.people.first?.name)
        type(c, String(name.prefix(1)))
        c.handle(.enter)
        c.handle(.char("s"))                               // sorted by the first column
        c.handle(.char("V"))
        let dialog = c.render(width: 80, height: 24).text
        #expect(dialog.contains("保存视图") && dialog.contains("[ Esc 取消 ]"), "every button is read whole: \(dialog)")
        for _ in 0..<4 { c.handle(.backspace) }
        type(c, "本月 \(name.prefix(1))")
        c.handle(.enter)
        #expect(c.status == "已保存视图 F1「本月 \(name.prefix(1))」")
        let expectedRows = c.currentRows(Screen.people.list(today: fixedDay)!).indices

        // A new session (another process, same account): F1 brings the same list back.
        let next = Console(store: f.store, strings: Strings(.zh), actor: "root", today: fixedDay, drafts: nil,
                           views: ViewStore(path: viewsFile), makeContext: { testContext(actor: "root") })
        next.handle(.char("5"))
        next.handle(.function(1))
        #expect(next.screen == .people && next.ui.filters[.people]?.text == String(name.prefix(1)))
        #expect(next.ui.sorts[.people] == SortOrder(column: 0, ascending: true))
        #expect(next.currentRows(Screen.people.list(today: fixedDay)!).indices == expectedRows)
        #expect(next.status.hasPrefix("视图 F1:本月"))
        // Help lists it by name; an empty key says how to fill it.
        next.handle(.char("?"))
        #expect(next.render(width: 120, height: 40).text.contains("视图:本月 \(name.prefix(1))"))
        next.handle(.escape)
        next.handle(.function(2))
        #expect(next.status.contains("F2 还没有视图"))
        // Ctrl-D in the dialog deletes the named view, for the next session too.
        next.handle(.function(1))
        next.handle(.char("V"))
        next.handle(.ctrl("d"))
        #expect(next.ui.views.isEmpty && ViewStore(path: viewsFile).load().isEmpty)
    }

    @Test func aDamagedOrHostileViewsFileLoadsWhatIsValidAndNothingElse() throws {
        let dir = TempDir()
        let path = dir.file("views.json")
        try #"[{"slot":"1","name":"好","screen":"2","filter":"李","sort":"0-"},{"slot":"99","name":"x","screen":"2","filter":""},"#
            .appending(#"{"slot":"2","name":"","screen":"2"},{"slot":"3","name":"home","screen":"0"},{"slot":"4","name":"y","screen":"2","sort":"-5+"}]"#)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let views = ViewStore(path: path).load()
        #expect(views == [SavedView(slot: 1, name: "好", screen: .people, filter: "李", sort: SortOrder(column: 0, ascending: false)),
                          SavedView(slot: 4, name: "y", screen: .people, filter: "", sort: nil)])
        try "not json".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(ViewStore(path: path).load().isEmpty)
    }
}

@Suite struct SortKeyTests {
    /// The visits list sorts by numbers (660,000 rows at a station); the order must be exactly the
    /// order of the text it shows, ties kept in list order, for every column both ways.
    @Test func theVisitsListsNumericSortIsItsTextSort() throws {
        let f = try Fixture(events: 3000)
        let state = f.store.state
        let spec = try #require(Screen.visits.list(today: fixedDay))
        var byText = spec
        byText.sortKey = nil
        for actor in ["root", "sg001"] {
            let viewer = try #require(Policy.viewer(actor, in: state))
            let rows = spec.indices(state).filter(spec.visible(state, viewer))
            for lang in [Language.zh, .en] {
                let t = Strings(lang)
                for column in 0..<spec.columns(t).count {
                    for ascending in [true, false] {
                        let fast = FilteredRows.sorted(rows, by: (column, ascending), spec: spec, state: state, viewer: viewer, strings: t)
                        let slow = FilteredRows.sorted(rows, by: (column, ascending), spec: byText, state: state, viewer: viewer, strings: t)
                        #expect(fast == slow, "\(actor) \(lang) column \(column) \(ascending ? "↑" : "↓")")
                    }
                }
            }
        }
    }
}

/// A colleague's visits arriving on a sorted list are merged into it, not sorted anew: the rows
/// must be exactly those a full sort gives, ties and all, and a change a sorted row would notice
/// must sort everything again.
@Suite struct LiveSortTests {
    @Test func newVisitsMergedIntoASortedListGiveTheRowsAFullSortGives() throws {
        let f = try Fixture()
        var state = f.store.state
        let viewer = try #require(Policy.viewer("root", in: state))
        let spec = try #require(Screen.visits.list(today: fixedDay))
        let t = Strings(.zh)
        let someone = state.people[Int(state.visits[0].person)]   // a person with visits already: ties
        for sort in [(column: 1, ascending: true), (column: 1, ascending: false), (column: 0, ascending: true), (column: 3, ascending: false)] {
            var live = FilteredRows()
            live.update(spec, state: state, viewer: viewer, query: "", sort: sort, strings: t)
            for round in 0..<3 {
                for k in 0..<(round + 1) {
                    let person = k == 0 ? someone : state.people[(round * 7 + k * 13) % state.people.count]
                    let e = try Forms.build(Forms.spec("visit")!, values: ["person": person.id, "mode": "phone", "date": "2026-11-\(10 + k)"],
                                            state: state, context: testContext(actor: person.worker.isEmpty ? "root" : person.worker))
                    state.apply(e, offset: Int64(9_000_000 + round * 10 + k))
                }
                live.update(spec, state: state, viewer: viewer, query: "", sort: sort, strings: t)
                #expect(live.mergedUpdates == round + 1, "merged, not sorted again: sort \(sort), round \(round)")
                var full = FilteredRows()
                full.update(spec, state: state, viewer: viewer, query: "", sort: sort, strings: t)
                #expect(live.indices == full.indices, "sort \(sort), round \(round)")
                #expect(live.sortedKeys == full.sortedKeys)
            }
        }
        // A renamed person moves their visits in a list sorted by person: that is a full sort again.
        var live = FilteredRows()
        let byPerson = (column: 1, ascending: true)
        live.update(spec, state: state, viewer: viewer, query: "", sort: byPerson, strings: t)
        let renamed = try Forms.build(Forms.spec("person-update")!, values: ["id": someone.id, "name": "阿阿阿"], state: state,
                                      context: testContext(actor: "root"))
        state.apply(renamed, offset: 9_500_000)
        let visit = try Forms.build(Forms.spec("visit")!, values: ["person": someone.id, "mode": "phone"], state: state, context: testContext(actor: "root"))
        state.apply(visit, offset: 9_500_100)
        live.update(spec, state: state, viewer: viewer, query: "", sort: byPerson, strings: t)
        #expect(live.mergedUpdates == 0, "a sorted row's key changed: sorted again")
        var full = FilteredRows()
        full.update(spec, state: state, viewer: viewer, query: "", sort: byPerson, strings: t)
        #expect(live.indices == full.indices)
    }
}
