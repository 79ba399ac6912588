import Foundation
import Testing
@testable import ShegongApp
import ShegongDomain
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
        let person = try #require(f.store.state.people.first { $0.worker == worker })
        let c = try f.console(as: worker)
        let month = Day(iso: "2026-11-01")!, end = Day(iso: "2026-11-30")!
        let before = Report(state: c.store.state, from: month, to: end)
        let lastVisit = person.lastVisit
        let events = c.store.state.eventCount
        c.handle(.char("2"))
        try save(c, "visit", ["person": person.id, "mode": "home", "date": "2026-11-21", "note": "误记的一次走访"])
        #expect(c.status.hasPrefix("已保存"), "\(c.status)")
        let visit = try #require(c.store.state.visits.last)
        #expect(c.store.state.person(person.id)?.lastVisit == fixedDay)

        c.handle(.char("z"))
        #expect(c.status.hasPrefix("已撤销: 新建走访") || c.status.hasPrefix("已撤销"), "\(c.status)")
        let after = try Store.open(path: f.store.path).state
        #expect(after.eventCount == events + 2, "the visit and its withdrawal are both in the log")
        #expect(after.visit(visit.id)?.person == -1 && after.person(person.id)?.lastVisit == lastVisit)
        let report = Report(state: after, from: month, to: end)
        #expect(report["service_person_times"] == before["service_person_times"] && report["household_visits"] == before["household_visits"])
        #expect(c.currentRows(Screen.visits.list!).indices.allSatisfy { after.visits[Int($0)].id != visit.id }, "gone from the list")
        // The person's timeline says what happened.
        c.handle(.char("3"))
        c.handle(.char("/"))
        type(c, person.id)
        c.handle(.enter)
        c.handle(.enter)
        #expect(c.render(width: 120, height: 40).text.contains("撤销走访"))
        // Nothing more to undo; a withdrawn visit is not withdrawn or amended again.
        c.handle(.char("z"))
        #expect(c.status.contains("没有可撤销"))
        #expect(throws: DomainError.invalidState(.visitWithdrawn(visit.id))) {
            try after.validate(testContext(actor: worker).event("visit.voided", subject: visit.id, body: .object([JSONField("person", .string(person.id))])))
        }
    }

    @Test func anEditIsTakenBackToWhatItWasUnlessSomeoneChangedItSince() throws {
        let f = try Fixture(events: 1500)
        let worker = "sg001"
        let person = try #require(f.store.state.people.first { $0.worker == worker })
        let c = try f.console(as: worker)
        c.handle(.char("3"))
        c.handle(.char("/"))
        type(c, person.id)
        c.handle(.enter)
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
}
