import Foundation
import Testing
@testable import ShegongApp
@testable import ShegongDomain
@testable import ShegongStore
import ShegongTerminal
import ShegongTestSupport

/// `z` takes back this session's last save with a compensating event: the log only grows.
@Suite(.serialized) struct UndoTests {
    /// Opens `name` about the selected record, sets `values` and saves it, as a user would.
    func save(_ c: Console, _ name: String, _ values: [String: String]) throws {
        c.send(.command(.form(name)))
        guard case .form(var form)? = c.overlays.last else { Issue.record("\(name) opens"); return }
        form.restore(values: values)
        c.send(.saveFailed(form, .refused("")))          // puts the filled form back in place
        c.handle(.ctrl("s"))
    }

    @Test func aNewVisitIsWithdrawnAndNothingCountsItButTheHistoryShowsBoth() throws {
        let f = try Fixture(events: 1500)
        let worker = "sg001"
        let place = try #require(f.store.state.people.firstIndex { $0.worker == worker })
        let person = f.store.state.people[place]
        let c = try f.console(as: worker)
        let month = Day(iso: "2026-11-01")!, end = Day(iso: "2026-11-30")!
        let before = Report(state: c.store.state, from: month, to: end)
        let lastVisit = f.store.state.lastVisit(of: place)
        let events = c.store.state.eventCount
        c.handle(.char("2"))
        try save(c, "visit", ["person": person.id, "mode": "home", "date": "2026-11-21", "note": "误记的一次走访"])
        #expect(c.status.hasPrefix("已保存"), "\(c.status)")
        let visit = try #require(c.store.state.visits.last)
        #expect(c.store.state.lastVisit(of: place) == fixedDay)

        c.handle(.char("z"))
        #expect(c.status.hasPrefix("已撤销: ") && c.status.contains("撤销已记入历史"), "\(c.status)")
        let after = try Store.open(path: f.store.path).state
        #expect(after.eventCount == events + 2, "the visit and its withdrawal are both in the log")
        #expect(after.visit(visit.id)?.person == -1 && after.lastVisit(of: place) == lastVisit)
        let report = Report(state: after, from: month, to: end)
        #expect(report["service_person_times"] == before["service_person_times"] && report["household_visits"] == before["household_visits"])
        #expect(c.currentRows(Screen.visits.list(today: fixedDay)!).indices.allSatisfy { after.visits[Int($0)].id != visit.id }, "gone from the list")
        // The person's timeline says what happened.
        findPerson(c, person.id)
        #expect(c.render(width: 120, height: 40).text.contains("撤销走访"))
        // Nothing more to undo; a withdrawn visit is not withdrawn or amended again.
        c.handle(.char("z"))
        #expect(c.status.contains("没有可撤销"))
        #expect(throws: DomainError.invalidState(.visitWithdrawn(visit.id))) {
            try after.validate(testContext(actor: "root").event("visit.voided", subject: visit.id, body: .object([JSONField("person", .string(person.id))])))
        }
        #expect(throws: DomainError.unknown(kind: "visit", id: visit.id), "to a worker it no longer exists") {
            try after.validate(testContext(actor: worker).event("visit.amended", subject: visit.id, body: .object([JSONField("person", .string(person.id))])))
        }
        // A colleague who had it open sees it close, not a crash; its id names it nowhere else.
        #expect(c.data.subjectLabel(visit.id) == visit.id && c.data.detail(visit.id, c.ui) == nil)
    }

    @Test func aWorkerCannotMoveWithdrawOrReadAColleaguesVisit() throws {
        let f = try Fixture(events: 3000)
        let state = f.store.state
        let theirs = try #require(state.visits.first { $0.person >= 0 && $0.worker != "sg001" && state.people[Int($0.person)].worker != "sg001" })
        let mine = try #require(state.people.first { $0.worker == "sg001" })
        let ctx = testContext(actor: "sg001")
        // Moving it to one of my people, or withdrawing it: as if it did not exist.
        #expect(throws: DomainError.unknown(kind: "visit", id: theirs.id)) {
            try state.validate(ctx.event("visit.amended", subject: theirs.id, body: .object([JSONField("person", .string(mine.id)), JSONField("mode", .string("home"))])))
        }
        #expect(throws: DomainError.unknown(kind: "visit", id: theirs.id)) {
            try state.validate(ctx.event("visit.voided", subject: theirs.id, body: .object([JSONField("person", .string(state.people[Int(theirs.person)].id))])))
        }
        // Withdrawing a visit of my own person that a colleague logged is theirs to do.
        if let logged = state.visits.first(where: { $0.person >= 0 && state.people[Int($0.person)].worker == "sg001" && $0.worker != "sg001" && $0.caseIndex < 0 }) {
            #expect(throws: DomainError.self) {
                try state.validate(ctx.event("visit.voided", subject: logged.id, body: .object([JSONField("person", .string(state.people[Int(logged.person)].id))])))
            }
        }
        // The amend key refuses before showing the visit's notes in a form.
        var h = try Harness(f, as: "sg001")
        h.send(.command(.goTo(.visits)))
        h.state.selections[.visits] = Selection(subject: theirs.id)
        #expect(ConsoleReducer.refusal(Forms.spec("visit-amend")!, subject: theirs.id, h.data) != nil)
    }

    @Test func aHandMadeDraftOrAStaleHistoryTellsNothingTheUserMayNotSee() throws {
        let f = try Fixture(events: 3000)
        // A district user sees figures only: no person, case or name.
        try f.store.append { s in [try Forms.build(Forms.spec("staff")!, values: ["account": "qu.wang", "name": "王区", "role": "district", "site": s.sites[0].id],
                                                   state: s, context: testContext(actor: "root"))] }
        let state = f.store.state
        let hidden = try #require(state.people.first { Policy.person($0, for: Policy.viewer("qu.wang", in: state)!, in: state) == .none })
        var h = try Harness(f, as: "qu.wang")
        h.state.overlays = [.restoreDraft(DraftStore.Draft(form: "visit", values: ["person": hidden.id], hidden: [:]))]
        #expect(!h.screenText.contains(hidden.name), "a draft does not name someone the user may not see")
        h.state.overlays = [.restoreDraft(DraftStore.Draft(form: "person-update", values: ["address": "x"], hidden: ["id": hidden.id]))]
        h.press(.char("y"))
        #expect(h.state.overlays.isEmpty && !h.screenText.contains(hidden.address), "\(h.state.status)")
        // History that names a record the user may not see opens nothing and records no access.
        h.state.history = [Place(screen: .people, record: hidden.id), Place(screen: .home)]
        h.state.historyAt = 1
        #expect(h.send(.key(.altLeft)) == [] && h.state.openDetail == nil && h.state.status.contains("不可查看"))
        if let restricted = state.cases.first(where: { $0.isRestricted }) {
            h.state.history = [Place(screen: .cases, record: restricted.id), Place(screen: .home)]
            h.state.historyAt = 1
            #expect(h.send(.key(.altLeft)) == [], "no access record for a case that is not the user's")
        }
        // A saved sort for a column the list does not have is dropped, not trusted.
        h.state.views = [SavedView(slot: 1, name: "x", screen: .people, filter: "", sort: SortOrder(column: 99, ascending: true))]
        h.press(.function(1))
        #expect(h.state.screen == .people && h.state.sorts[.people] == nil)
        _ = h.screenText
    }

    @Test func anEditIsTakenBackToWhatItWasUnlessSomeoneChangedItSince() throws {
        let f = try Fixture(events: 1500)
        let worker = "sg001"
        let place = try #require(f.store.state.people.firstIndex { $0.worker == worker })
        let person = f.store.state.people[place]
        let c = try f.console(as: worker)
        findPerson(c, person.id, open: false)
        try save(c, "person-update", ["address": "彩云社区9栋9号", "phone": "13900001111"])
        #expect(c.store.state.person(person.id)?.address == "彩云社区9栋9号")
        c.handle(.char("z"))
        let restored = try #require(c.store.state.person(person.id))
        #expect(restored.address == person.address && restored.phone == person.phone && restored.version == person.version + 2)
        c.handle(.enter)
        #expect(c.render(width: 120, height: 40).text.contains("撤销上次修改 · 修改档案"))
        c.handle(.escape)

        // A colleague edits after my save: my undo would overwrite them, so it is refused.
        try save(c, "person-update", ["address": "彩云社区1栋"])
        try f.store.append { s in [try Forms.build(Forms.spec("person-update")!, values: ["id": person.id, "household": "户-88"],
                                                   state: s, context: testContext(actor: "root"))] }
        c.follow()
        c.handle(.char("z"))
        #expect(c.status.hasPrefix("未能撤销") && c.store.state.person(person.id)?.address == "彩云社区1栋", "\(c.status)")
    }

    @Test func anUndoThatFailsForAPassingReasonIsKeptForZToTryAgain() throws {
        var h = try Harness(try Fixture(events: 600))
        let step = UndoStep(label: "走访记录", compensations: [Compensation(type: "visit.voided", subject: "V-1", body: .object([]),
                                                                       versionAfter: 1, undoes: "x")])
        h.send(.undoFailed(step, reason: "磁盘已满", final: false))
        #expect(h.state.undoStack == [step] && h.state.status == "未能撤销: 磁盘已满(可再按 z 重试)")
        #expect(h.send(.key(.char("z"))) == [.undo(step)] && h.state.undoStack.isEmpty)
        h.send(.undoFailed(step, reason: "记录在你保存之后已被修改,请直接修改它", final: true))
        #expect(h.state.undoStack.isEmpty, "a conflict ends it: the record moved on")
    }
}
