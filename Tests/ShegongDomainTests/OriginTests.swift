import Testing
@testable import ShegongDomain
import ShegongTestSupport

@Suite struct OriginTests {
    @Test func idsAreReadThroughTheOriginThatWroteThem() {
        #expect(Origin.local("P-12", writtenBy: "弹子石", home: "弹子石") == "P-12")
        #expect(Origin.local("P-12", writtenBy: "laptop", home: "弹子石") == "laptop/P-12")
        #expect(Origin.local("弹子石/P-12", writtenBy: "laptop", home: "弹子石") == "P-12", "the station's own person, named by the laptop")
        #expect(Origin.local("南坪/P-3", writtenBy: "laptop", home: "弹子石") == "南坪/P-3", "a third origin's stays qualified")
        #expect(Origin.canonical("P-12", home: "弹子石") == "弹子石/P-12")
        #expect(Origin.canonical("laptop/V-3", home: "弹子石") == "laptop/V-3")
        for good in ["P-1", "弹子石/P-1", "laptop-li/V-20"] { #expect(Origin.isWellFormed(good), "\(good)") }
        for bad in ["", "a/b/c", "弹子石/", "/P-1", "P-1\u{0}x", "P 1", "x\u{1B}[31m/P-1"] { #expect(!Origin.isWellFormed(bad), "\(bad)") }
        #expect(!Origin.isValidName("x/y") && !Origin.isValidName("") && Origin.isValidName("弹子石"))
    }

    @Test func aLogWrittenBeforeOriginsKeepsItsIdsAndGetsAFixedOrigin() throws {
        var h = Harness()
        try h.station()
        #expect(h.state.origin.count == 8 && h.state.origin.allSatisfy(\.isHexDigit), "the first event id's first 8 hex digits")
        #expect(h.state.person("P-1")?.name == "刘桂兰", "ids are as they were")
    }

    func carried(_ h: Harness, _ type: String, subject: String, number: Int, body: [JSONField], held: String? = nil) -> Event {
        var e = testContext(actor: "sg001").event(type, subject: subject, version: 2, body: .object(body))
        e.origin = OriginStamp(origin: "laptop", number: number, prev: String(repeating: "0", count: 64), hash: String(repeating: "1", count: 64), held: held)
        return e
    }

    @Test func aCarriedRecordIsCheckedAndAppliedUnderThisStoresNamesAndAHeldOneNever() throws {
        var h = Harness()
        try h.station()
        let stranger = carried(h, "visit.logged", subject: "V-9", number: 2, body: [JSONField("person", .string("P-1")), JSONField("mode", .string("home"))])
        #expect(throws: DomainError.notAllowed(.originNotIntroduced("laptop"))) { try h.state.validate(stranger) }
        h.apply(carried(h, "store.created", subject: "", number: 1, body: [JSONField("origin", .string("laptop")), JSONField("station", .string("笔记本"))]))
        #expect(h.state.origins["laptop"]?.introduced == true)
        let person = [JSONField("person", .string("\(h.state.origin)/P-1")), JSONField("date", .string("2026-11-20")),
                      JSONField("mode", .string("home"))]
        let visit = carried(h, "visit.logged", subject: "V-1", number: 5, body: person)
        try h.state.validate(visit)
        h.apply(visit)
        #expect(h.state.visit("laptop/V-1")?.person == h.state.personPosition("P-1"), "the laptop's visit, of the station's own person")
        #expect(h.state.origins["laptop"]?.number == 5 && h.state.origins["laptop"]?.records == 2, "its creation and the visit")

        let held = carried(h, "visit.logged", subject: "V-2", number: 6, body: person, held: "conflict")
        try h.state.validate(held)
        h.apply(held)
        #expect(h.state.visit("laptop/V-2") == nil && h.state.origins["laptop"]?.held == 1, "held: stored, never applied")

        // No origin may create a record under another's id, this store's included.
        let squat = carried(h, "person.registered", subject: "\(h.state.origin)/P-9", number: 7,
                            body: [JSONField("name", .string("x")), JSONField("community", .string("S-2"))])
        #expect(throws: DomainError.invalidState(.badRecordID("\(h.state.origin)/P-9"))) { try h.state.validate(squat) }
        // Nor name one no store could have made.
        let odd = carried(h, "visit.logged", subject: "V-3", number: 8,
                          body: [JSONField("person", .string("a/b/P-1")), JSONField("mode", .string("home"))])
        #expect(throws: DomainError.invalidState(.badRecordID("a/b/P-1"))) { try h.state.validate(odd) }
    }
}
