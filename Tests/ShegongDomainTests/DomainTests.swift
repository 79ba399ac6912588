import Foundation
import Testing
@testable import ShegongDomain
import ShegongTestSupport

@Suite struct FormTests {
    @Test func missingFieldsBadDatesAndUnknownPeopleAreRefused() throws {
        var h = Harness()
        try h.station()
        #expect(throws: DomainError.missingField("name")) { try h.add("person", ["community": "S-2"]) }
        #expect(throws: DomainError.unknown(kind: "person", id: "P-99")) { try h.add("visit", ["person": "P-99", "mode": "home"]) }
        #expect {
            try h.add("visit", ["person": "P-1", "mode": "home", "date": "2026-02-30"])
        } throws: { e in
            if case DomainError.invalidValue(field: "date", value: "2026-02-30", _) = e { return true }
            return false
        }
        #expect {
            try h.add("visit", ["person": "P-1", "mode": "飞行"])
        } throws: { e in
            if case DomainError.invalidValue(field: "mode", _, _) = e { return true }
            return false
        }
        #expect(h.state.visits.isEmpty)
    }

    @Test func datesAcceptWhatWorkersType() {
        let today = Day(iso: "2026-11-21")!
        #expect(DateInput.parse("2026-11-21", today: today) == today)
        #expect(DateInput.parse("11-21", today: today) == today)
        #expect(DateInput.parse("今天", today: today) == today)
        #expect(DateInput.parse("today", today: today) == today)
        #expect(DateInput.parse("昨天", today: today) == Day(iso: "2026-11-20"))
        #expect(DateInput.parse("2026/11/3", today: today) == nil)
        #expect(DateInput.parse("11/3", today: today) == Day(iso: "2026-11-03"))
        #expect(DateInput.parse("13-01", today: today) == nil)
    }

    @Test func choicesAcceptCodesAndChineseLabels() throws {
        var h = Harness()
        try h.station()
        let e = try h.add("visit", ["person": "P-1", "mode": "电话视频", "needs": "精神慰藉、适老化改造"])
        #expect(e.body["mode"]?.string == "phone")
        #expect(e.body["needs"]?.strings == ["精神慰藉", "适老化改造"])
        #expect(e.body["date"]?.string == "2026-11-21", "the date defaults to today")
    }
}

@Suite struct ProjectionTests {
    @Test func visitsMoveTheNextDueDateByTier() throws {
        var h = Harness()
        try h.station()
        func nextDue(_ id: String) -> Day? { h.state.personPosition(id).map { h.state.nextVisitDue(of: Int($0)) } }
        #expect(nextDue("P-1") == Day(iso: "2026-11-28"), "high risk: a week after registration")
        try h.add("visit", on: "2026-11-25", ["person": "P-1", "mode": "home", "date": "2026-11-25"])
        #expect(nextDue("P-1") == Day(iso: "2026-12-02"))
        try h.add("visit", ["person": "P-2", "mode": "home", "date": "2026-01-31"])
        #expect(nextDue("P-2") == Day(iso: "2026-02-28"), "monthly, clamped to the month's end")
        #expect(h.state.visitIndexes(of: 0).count == 1)
    }

    @Test func amendingAVisitMakesANewVersion() throws {
        var h = Harness()
        try h.station()
        try h.add("visit", ["person": "P-1", "mode": "home", "date": "2026-11-20"])
        try h.add("visit-amend", ["id": "V-1", "person": "P-1", "mode": "phone", "date": "2026-11-19"])
        let v = h.state.visit("V-1")!
        #expect(v.version == 2 && v.mode == .phone && v.day == Day(iso: "2026-11-19"))
        #expect(h.state.visits.count == 1)
        #expect(h.state.lastVisit(of: 0) == Day(iso: "2026-11-19"))
    }

    @Test func aCaseMovesThroughItsStagesToAnApprovedClosure() throws {
        var h = Harness()
        try h.station()
        try h.add("case", ["person": "P-1", "source": "转介", "problem": "独居高龄，情绪低落", "date": "2026-11-01"])
        let c0 = h.state.caseFile("C-1")!
        #expect(c0.number == "彩云-2026-0001" && c0.stage == .intake && c0.site == "S-2")
        try h.add("assessment", ["id": "C-1", "summary": "社会支持薄弱", "risk": "high"])
        try h.add("plan", ["id": "C-1", "aim": "增强支持", "objectives": "链接资源，每周电话关怀"])
        #expect(h.state.caseFile("C-1")!.objectives.map(\.text) == ["链接资源", "每周电话关怀"])
        try h.add("objective", ["id": "C-1", "objective": "O1", "status": "met"])
        try h.add("service", ["id": "C-1", "mode": "面谈", "service": "心理疏导", "content": "倾听与陪伴", "date": "2026-11-10"])
        try h.add("evaluation", ["id": "C-1", "summary": "目标基本达成"])
        #expect(h.state.caseFile("C-1")!.stage == .evaluation)
        #expect(h.state.caseFile("C-1")!.objectives[0].status == .met)

        // Closure needs an approval, which the requester cannot give.
        #expect(throws: DomainError.self) { try h.add("approve", as: "dudao", ["id": "C-1"]) }
        try h.add("closure-request", ["id": "C-1", "type": "goals-met", "summary": "目标实现"])
        #expect(h.state.caseFile("C-1")!.stage == .closing)
        let number = h.state.caseFile("C-1")!.number              // refusals name the case as people know it
        #expect(throws: DomainError.notAllowed(.cannot(role: .worker, account: "sg001", .decideClosure(number)))) {
            try h.add("approve", as: "sg001", ["id": "C-1"])
        }
        #expect(throws: DomainError.notAllowed(.cannot(role: .worker, account: "sg002", .decideClosure(number)))) {
            try h.add("approve", as: "sg002", ["id": "C-1"])
        }
        try h.add("reject", as: "dudao", ["id": "C-1", "comment": "请补充回访计划"])
        #expect(h.state.caseFile("C-1")!.stage == .intervention)
        #expect(h.state.caseFile("C-1")!.closure?.rejections == ["请补充回访计划"])
        // Work resumed after the rejection: goals met is claimed again only after a new evaluation.
        #expect(throws: DomainError.invalidState(.evaluationFirst(number: "彩云-2026-0001"))) {
            try h.add("closure-request", ["id": "C-1", "type": "goals-met", "summary": "已补充回访计划"])
        }
        try h.add("evaluation", ["id": "C-1", "summary": "回访计划已补充,目标达成"])
        try h.add("closure-request", ["id": "C-1", "type": "goals-met", "summary": "已补充回访计划"])
        try h.add("approve", as: "dudao", on: "2026-11-22", ["id": "C-1", "comment": "同意"])
        let closed = h.state.caseFile("C-1")!
        #expect(closed.stage == .closed && closed.closedOn == Day(iso: "2026-11-22"))
        #expect(throws: DomainError.invalidState(.caseClosed(number: "彩云-2026-0001"))) {
            try h.add("service", ["id": "C-1", "mode": "电话", "service": "人文关怀", "content": "回访"])
        }
    }

    @Test func transfersKeepHistoryAndReferralsNeedConsent() throws {
        var h = Harness()
        try h.station()
        try h.add("case", as: "sg002", ["person": "P-3", "source": "外展", "problem": "困境儿童学业困难", "flags": "child"])
        try h.add("transfer", as: "sg002", ["id": "C-1", "to": "sg001", "reason": "社工调岗"])
        #expect(h.state.caseFile("C-1")!.worker == "sg001")
        #expect(h.state.caseFile("C-1")!.offsets.count == 2, "the timeline keeps the transfer")
        #expect(throws: DomainError.self) { try h.add("service", as: "sg002", ["id": "C-1", "mode": "面谈", "service": "心理疏导", "content": "x"]) }
        #expect(throws: DomainError.self) { try h.add("referral", ["id": "C-1", "agency": "区未保中心", "reason": "需要专业辅导"]) }
        try h.add("consent", as: "sg002", ["id": "P-3", "scope": "referral"])
        try h.add("referral", ["id": "C-1", "agency": "区未保中心", "reason": "需要专业辅导"])
        try h.add("consent", as: "sg002", ["id": "P-3", "scope": "referral", "withdrawn": "是"])
        #expect(throws: DomainError.self) { try h.add("referral", ["id": "C-1", "agency": "另一机构", "reason": "再次转介"]) }
    }

    @Test func groupSessionsRecordAttendancePerMember() throws {
        var h = Harness()
        try h.station()
        try h.add("group", ["name": "老友会客厅——高龄老人互助支持小组", "kind": "支持", "site": "S-2", "goals": "互助",
                            "sessions": "6", "members": "P-1,P-2"])
        try h.add("session", ["id": "G-1", "attendance": "P-1:出席,P-2:请假", "date": "2026-11-10"])
        try h.add("session", ["id": "G-1", "attendance": "P-1:present,P-2:present", "date": "2026-11-17"])
        let g = h.state.group("G-1")!
        #expect(g.sessions.map(\.present) == [1, 2])
        #expect(g.sessions[0].attendance[1] == .leave)
        #expect(throws: DomainError.self) { try h.add("session", ["id": "G-1", "attendance": "P-1:迟到"]) }
    }

    @Test func volunteerHoursCorrectionsStarsAndATimeBankThatNeverGoesNegative() throws {
        var h = Harness()
        try h.station()
        try h.add("volunteer", as: "admin", ["name": "周秀英", "site": "S-2", "skills": "陪伴聊天,理发", "backbone": "是"])
        for i in 0..<25 { try h.add("hours", ["volunteer": "VOL-1", "hours": "4", "activity": "陪伴高龄老人 \(i)"]) }
        #expect(h.state.certifiedHours(0) == 100)
        #expect(Volunteer.stars(hours: h.state.certifiedHours(0)) == 1)
        try h.add("hours-correct", ["id": "H-1", "hours": "3.5", "reason": "路程时间不计入"])
        #expect(h.state.certifiedHours(0) == 99.5)
        #expect(Volunteer.stars(hours: 99.5) == 0)
        #expect(throws: DomainError.self) { try h.add("hours", ["volunteer": "VOL-1", "hours": "30", "activity": "x"]) }

        try h.add("deposit", ["id": "VOL-1", "hours": "3"])
        #expect(throws: DomainError.invalidState(.timeBankShort(balance: 3, asked: 4))) {
            try h.add("withdraw", ["id": "VOL-1", "hours": "4", "note": "家政服务"])
        }
        try h.add("withdraw", ["id": "VOL-1", "hours": "2.5", "note": "家政服务"])
        #expect(h.state.timeBankBalance(0) == 0.5)
        #expect(h.state.certifiedHours(0) == 99.5, "time-bank credits are a separate ledger")
        // A withdrawal takes out more than none, and what was put in comes out exactly.
        #expect(throws: DomainError.self) { try h.add("withdraw", ["id": "VOL-1", "hours": "-100", "note": "倒存"]) }
        let raw = testContext(actor: "admin").event("timebank.withdraw", subject: "VOL-1", body: .object([JSONField("hours", .double(-100))]))
        // An event made around the form (an import) is refused for its hours.
        let refusal = #expect(throws: DomainError.self) { try h.state.validate(raw) }
        if case .invalidValue(field: "hours", value: _, expected: _)? = refusal {} else { Issue.record("refused for \(String(describing: refusal))") }
        try h.add("deposit", ["id": "VOL-1", "hours": "1.0000004"])
        try h.add("withdraw", ["id": "VOL-1", "hours": "1.5000004", "note": "助浴"])
        #expect(h.state.timeBankBalance(0) == 0)
    }

    /// Each volunteer's hours and balance are kept as records arrive (a list reads them per row):
    /// they must be what adding up the records gives, after corrections too, and a state from a
    /// checkpoint, which adds them up afresh, must equal the replayed one exactly.
    @Test func everyVolunteersTotalsAreTheSumOfTheirRecords() throws {
        var state = Harness().state
        var g = DemoGenerator(seed: 11, totalEvents: 6000, endingNear: Day(iso: "2026-11-21")!, state: state)
        for (i, e) in g.next(6000).enumerated() { state.apply(e, offset: Int64(i)) }
        try #require(state.hours.count > 100 && state.timeBank.count > 10)
        let ctx = testContext(actor: "root")
        for (k, h) in state.hours.prefix(40).enumerated() {
            state.apply(ctx.event("volunteer.hours_corrected", subject: h.id, body: .object([JSONField("hours", .double(0.1 * Double(k)))])),
                        offset: Int64(7000 + k))
        }
        #expect(state.hours[1].hours == 0.1 && state.hours[0].hours == 0, "the corrections applied")
        for (i, v) in state.volunteers.enumerated() {
            let hours = state.hours.filter { $0.volunteer == Int32(i) }.reduce(0) { $0 + $1.hours }
            let balance = state.timeBank.filter { $0.volunteer == Int32(i) }.reduce(0) { $0 + $1.hours }
            #expect(abs(state.certifiedHours(Int32(i)) - hours) < 1e-6 && abs(state.timeBankBalance(Int32(i)) - balance) < 1e-6, "\(v.id)")
        }
        #expect(state.certifiedHours(Int32(state.volunteers.count)) == 0, "no such volunteer: nothing")
        #expect(StateCodec.decode(StateCodec.encode(state)) == state)
    }

    @Test func checkpointCodecRoundTripsAWholeStation() throws {
        var h = Harness()
        var generator = DemoGenerator(seed: 3, totalEvents: 3000, endingNear: Day(iso: "2026-11-21")!, state: h.state)
        let events = generator.next(3000)
        for e in events {
            try h.state.validate(e)
            h.apply(e)
        }
        // Imported records keep ids that break the "V-n" pattern; the index must still find them.
        for type in ["visit.logged", "volunteer.hours"] {
            var imported = try #require(events.first { $0.type == type })
            imported.id = testContext().makeID()
            imported.subject = type == "visit.logged" ? "V-外部-1" : "H-外部-1"
            h.apply(imported)
        }
        #expect(!h.state.visitIndex.exceptions.isEmpty && !h.state.hoursIndex.exceptions.isEmpty)
        let decoded = StateCodec.decode(StateCodec.encode(h.state))
        #expect(decoded == h.state)
        #expect(decoded?.visit("V-外部-1") != nil)
        #expect(StateCodec.decode(Array(StateCodec.encode(h.state).dropLast())) == nil)
    }

    @Test func demoIsDeterministicForASeed() {
        let day = Day(iso: "2026-11-21")!
        var a = DemoGenerator(seed: 9, totalEvents: 500, endingNear: day, state: State())
        var b = DemoGenerator(seed: 9, totalEvents: 500, endingNear: day, state: State())
        #expect(a.next(500) == b.next(500))
    }
}

@Suite struct ReportTests {
    /// A small station computed by hand: see the comments for each figure.
    @Test func figuresMatchAHandComputedStation() throws {
        var h = Harness()
        try h.station()
        // Visits in November: P-1 twice (11-03, 11-10), P-2 on 11-03 (same household as P-1), P-3 on 10-30 (October).
        try h.add("visit", ["person": "P-1", "mode": "home", "date": "2026-11-03"])
        try h.add("visit", ["person": "P-2", "mode": "home", "date": "2026-11-03"])
        try h.add("visit", ["person": "P-1", "mode": "phone", "date": "2026-11-10"])
        try h.add("visit", as: "sg002", ["person": "P-3", "mode": "home", "date": "2026-10-30"])
        // A case for P-1 opened in October with one November contact; a case for P-3 opened in November, no contact.
        try h.add("case", ["person": "P-1", "source": "self", "problem": "孤独", "date": "2026-10-20"])
        try h.add("service", ["id": "C-1", "mode": "home", "service": "care", "content": "陪伴", "date": "2026-11-05"])
        try h.add("case", as: "sg002", ["person": "P-3", "source": "outreach", "problem": "学业", "date": "2026-11-12"])
        // A group in S-3 with P-2 and P-3: one session in November (both present), one in October.
        try h.add("group", ["name": "成长小组", "kind": "growth", "site": "S-3", "goals": "成长", "sessions": "4", "members": "P-2,P-3", "date": "2026-10-01"])
        try h.add("session", ["id": "G-1", "attendance": "P-2:present,P-3:absent", "date": "2026-10-25"])
        try h.add("session", ["id": "G-1", "attendance": "P-2:present,P-3:present", "date": "2026-11-08"])
        try h.add("activity", ["name": "重阳节敬老活动", "site": "S-2", "headcount": "40", "date": "2026-11-15"])
        try h.add("volunteer", as: "admin", ["name": "周秀英", "site": "S-2", "backbone": "yes"])
        try h.add("volunteer", as: "admin", ["name": "吴浩然", "site": "S-3"])
        try h.add("hours", ["volunteer": "VOL-1", "hours": "2.5", "activity": "陪伴", "date": "2026-11-02"])
        try h.add("hours", ["volunteer": "VOL-1", "hours": "3", "activity": "陪伴", "date": "2026-10-02"])

        let r = Report(state: h.state, from: Day(iso: "2026-11-01")!, to: Day(iso: "2026-11-30")!)
        #expect(r["people_served_case"] == 2)     // P-1 (contact) and P-3 (new case): distinct people
        // (彩云1栋101, 11-03) counted once for P-1 and P-2; P-1's 11-10 call is a visit but not 入户 (home).
        #expect(r["household_visits"] == 1)
        #expect(r["cases_new"] == 1 && r["cases_open"] == 2 && r["contacts"] == 1 && r["cases_closed"] == 0)
        #expect(r["groups"] == 1 && r["group_sessions"] == 1 && r["group_attendances"] == 2)
        #expect(r["activities"] == 1 && r["activity_participants"] == 40)
        #expect(r["service_person_times"] == 3 + 1 + 2 + 40)  // visits + contacts + attendances + participants
        #expect(r["volunteers_registered"] == 2 && r["volunteers_active"] == 1 && r["volunteers_backbone"] == 1)
        #expect(r["volunteer_hours"] == 2.5)
        #expect(r["visit_rate"] == 1.0)          // P-1 (high) and P-2 (priority) both visited in November
        // Overdue at 11-30: P-1 last 11-10 +7 = 11-17 < 11-30; P-2 11-03 + 1 month = 12-03 no; P-3 10-30 + 3 months no.
        #expect(r["overdue_people"] == 1)

        // Rolled up by site: 新力社区 (S-3) holds P-3, the group and VOL-2.
        let s3 = Report(state: h.state, from: Day(iso: "2026-11-01")!, to: Day(iso: "2026-11-30")!, site: "S-3")
        #expect(s3["people_served_case"] == 1 && s3["household_visits"] == 0 && s3["group_sessions"] == 1)
        #expect(s3["volunteers_registered"] == 1 && s3["volunteer_hours"] == 0)
        let station = Report(state: h.state, from: Day(iso: "2026-11-01")!, to: Day(iso: "2026-11-30")!, site: "S-1")
        #expect(station.figures.map(\.value) == r.figures.map(\.value), "the station rolls up both communities")
    }
}

@Suite struct FoundationTests {
    @Test func jsonRoundTripsChineseAndEscapes() throws {
        let value = JSON.object([JSONField("note", .string("老人说：\"谢谢\"\n下次再来\t😀")), JSONField("n", .int(-42)),
                                 JSONField("h", .double(2.5)), JSONField("list", .array([.bool(true), .null]))])
        #expect(try JSON.parse(value.text) == value)
        #expect(value.text.contains("老人说"), "Chinese is written as UTF-8, not escaped")
        #expect(try JSON.parse("\"\\u5f20\\ud83d\\ude00\"") == .string("张😀"))
        for bad in ["{", "{\"a\":}", "[1,]", "\"\\ud800\"", "tru", "{\"a\":1}x", String(repeating: "[", count: 100)] {
            #expect(throws: JSONParseError.self) { try JSON.parse(bad) }
        }
    }

    @Test func daysAndTimestamps() {
        #expect(Day(iso: "2024-02-29")?.adding(months: 12) == Day(iso: "2025-02-28"))
        #expect(Day(iso: "2026-11-21")!.age(on: Day(iso: "2040-11-20")!) == 13)
        #expect(Timestamp(iso: "2026-11-21T01:30:00Z")!.day() == Day(iso: "2026-11-21"))
        #expect(Timestamp(iso: "2026-11-20T17:30:00Z")!.day() == Day(iso: "2026-11-21"), "China time is UTC+8")
        #expect(Timestamp(iso: "2026-11-21T01:30:00Z")!.iso == "2026-11-21T01:30:00Z")
        let id = EventID(unixMillis: 1_790_000_000_000, random: (0x123, 0x456))
        #expect(EventID(id.description) == id)
    }

    @Test func masksHideTheMiddle() {
        #expect(Mask.idNumber("500108194003021230") == "5001**********1230")
        #expect(Mask.phone("13812345678") == "138****5678")
    }
}

@Suite struct EventCatalogueTests {
    @Test func theLogFormatDocumentListsEveryEventTypeAsTheCatalogueSays() throws {
        let path = packageRoot + "/docs/log-format.md"
        let doc = try String(contentsOfFile: path, encoding: .utf8)
        let begin = "<!-- event catalogue: generated, do not edit -->\n", end = "<!-- end of event catalogue -->"
        let from = try #require(doc.range(of: begin)), to = try #require(doc.range(of: end))
        let fresh = EventType.catalogueMarkdown()
        if ProcessInfo.processInfo.environment["UPDATE_DOCS"] == "1" {
            try (String(doc[..<from.upperBound]) + fresh + String(doc[to.lowerBound...])).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(doc[from.upperBound..<to.lowerBound]) == fresh, "docs/log-format.md's catalogue is stale (UPDATE_DOCS=1 rewrites it)")
    }

    @Test func everyFormWritesACataloguedTypeThatCreatesOrChangesWhatTheFormSays() {
        for form in Forms.all {
            guard let type = EventType(rawValue: form.eventType) else { Issue.record("\(form.name): \(form.eventType) is not catalogued"); continue }
            switch (form.subject, type.info.subject) {
            case (.new, .creates), (.existing, .changes): break
            default: Issue.record("\(form.name): the form's subject rule and \(type.rawValue)'s disagree")
            }
        }
    }

    @Test func replayKnowsEveryCataloguedTypeAndKeepsUnknownOnes() {
        var state = State()
        let ctx = testContext(actor: "root")
        for type in EventType.allCases { state.apply(ctx.event(type.rawValue, subject: "X-1", body: .object([])), offset: 0) }
        #expect(state.unknown.isEmpty, "every catalogued type has a place in the projection")
        state.apply(ctx.event("pledge.made", subject: "PL-1", body: .object([])), offset: 0)
        #expect(state.unknown.map(\.type) == ["pledge.made"])
    }
}

@Suite struct RegistryChecksTests {
    @Test func residentIDNumbersAreCheckedAndStateBirthAndSex() throws {
        let id = "500108194003021230"
        let parsed = try #require(ResidentID.parse(id))
        #expect(parsed.birth == Day(iso: "1940-03-02") && parsed.sex == .male)
        #expect(ResidentID.parse("50010819400302123X") == nil, "a wrong check character (a typo) is refused")
        #expect(ResidentID.parse("500108194002301233") == nil, "30 February does not exist")
        #expect(ResidentID.parse("50010819400302123") == nil && ResidentID.parse("") == nil)
        let lower = "11010519491231002x"
        #expect(ResidentID.parse(lower)?.sex == .female && ResidentID.normalized(lower) == "11010519491231002X")
    }

    @Test func aNewPersonGetsBirthAndSexFromTheIDNumberAndContradictionsAreRefused() throws {
        var h = Harness()
        try h.station()
        let e = try h.add("person", ["name": "刘桂兰", "community": "S-2", "idno": "11010519491231002x", "phone": "138 1234 5678"])
        #expect(e.body["birth"]?.string == "1949-12-31" && e.body["sex"]?.string == "female" && e.body["idno"]?.string == "11010519491231002X")
        #expect(e.body["phone"]?.string == "13812345678")
        #expect(throws: DomainError.invalidValue(field: "birth", value: "1950-01-01", expected: .matchesIDNumber("1949-12-31"))) {
            try h.add("person", ["name": "刘桂兰", "community": "S-2", "idno": "11010519491231002X", "birth": "1950-01-01"])
        }
        #expect(throws: DomainError.invalidValue(field: "idno", value: "11010519491231002", expected: .idNumber)) {
            try h.add("person", ["name": "刘桂兰", "community": "S-2", "idno": "11010519491231002"])
        }
        #expect(throws: DomainError.invalidValue(field: "phone", value: "1234", expected: .phone)) {
            try h.add("person", ["name": "刘桂兰", "community": "S-2", "phone": "1234"])
        }
        let landline = try h.add("person", ["name": "王大爷", "community": "S-2", "phone": "02362345678"])
        #expect(landline.body["phone"]?.string == "023-62345678")
        #expect(h.state.possibleDuplicates(name: "刘桂兰", birth: Day(iso: "1949-12-31"), idNumber: "").map(\.id) == ["P-\(h.state.people.count - 1)"])
        #expect(h.state.possibleDuplicates(name: "别人", birth: nil, idNumber: "11010519491231002x").count == 1, "same ID number, any name")
        // An edit that leaves the (masked) ID number alone is checked against the one on file.
        let id = e.subject
        #expect(throws: DomainError.invalidValue(field: "sex", value: "male", expected: .matchesIDNumberOnFile)) {
            try h.add("person-update", ["id": id, "sex": "男"])
        }
        // Someone who may not change the person is refused as such, learning nothing of what is on file.
        #expect(throws: DomainError.notAllowed(.cannot(role: .worker, account: "sg002", .change(id)))) {
            try h.add("person-update", as: "sg002", ["id": id, "birth": "2000-01-01"])
        }
        try h.add("person-update", ["id": id, "address": "彩云社区2栋"])
        #expect(h.state.person(id)?.sex == .female)
    }

    @Test func aTimeOfDayIsAClockTime() throws {
        var h = Harness()
        try h.station()
        try h.add("person", ["name": "刘桂兰", "community": "S-2"])
        for bad in ["25:70", "99:99", "9:5", "09:60", "noon"] {
            #expect(throws: DomainError.invalidValue(field: "time", value: bad, expected: .time)) {
                try h.add("visit", ["person": "P-1", "mode": "home", "time": bad])
            }
        }
        let visit = try h.add("visit", ["person": "P-1", "mode": "home", "time": "9:05"])
        #expect(visit.body["time"]?.string == "09:05")
    }
}

@Suite struct RecordNumberAndDateTests {
    @Test func caseNumbersAreNeverReusedAndRecordsAreNotDatedInTheFuture() throws {
        var h = Harness()
        try h.station()
        try h.add("person", ["name": "刘桂兰", "community": "S-2"])
        let first = try h.add("case", ["person": "P-1", "source": "self", "problem": "独居"])
        #expect(first.body["number"]?.string == "彩云-2026-0001")
        // A case numbered elsewhere (an import, an older release) with a higher number in the same series.
        h.apply(testContext(actor: "sg001").event("case.opened", subject: "C-2", body: .object([
            JSONField("person", .string("P-1")), JSONField("number", .string("彩云-2026-0007")), JSONField("problem", .string("x"))])))
        let next = try h.add("case", ["person": "P-1", "source": "self", "problem": "独居"])
        #expect(next.body["number"]?.string == "彩云-2026-0008", "one more than the highest, not the count")
        var reused = next
        reused.id = testContext().makeID()
        reused.subject = "C-9"
        #expect(throws: DomainError.invalidState(.alreadyExists("彩云-2026-0008"))) { try h.state.validate(reused) }

        #expect(throws: DomainError.invalidValue(field: "date", value: "2026-12-05", expected: .notAfter("2026-11-21"))) {
            try h.add("visit", ["person": "P-1", "mode": "home", "date": "2026-12-05"])
        }
        #expect(throws: DomainError.invalidValue(field: "followup", value: "2026-11-01", expected: .notBefore("2026-11-20"))) {
            try h.add("visit", ["person": "P-1", "mode": "home", "date": "2026-11-20", "followup": "2026-11-01"])
        }
        try h.add("visit", ["person": "P-1", "mode": "home", "date": "2026-11-20", "followup": "2026-12-01"])
    }

    @Test func aDemoStationEndsOnItsLastDayNotAfter() {
        for seed in [UInt64(1), 3, 5] {
            var g = DemoGenerator(seed: seed, totalEvents: 3000, endingNear: Day(iso: "2026-11-21")!, state: State())
            let events = g.next(3000)
            let last = events.compactMap { $0.body["date"]?.string }.max() ?? ""
            #expect(last <= "2026-11-21", "seed \(seed): \(last)")
        }
    }
}

@Suite struct ReportDrillDownTests {
    @Test func everyFiguresRecordsAddUpToTheFigure() {
        var state = Harness().state   // with its admin, so the hub's year is written too
        var g = DemoGenerator(seed: 9, totalEvents: 4000, endingNear: Day(iso: "2026-11-21")!, state: state)
        for (i, e) in g.next(4000).enumerated() { state.apply(e, offset: Int64(i)) }
        for (i, e) in DemoHub.events(seed: 9, state: state, today: Day(iso: "2026-11-21")!).enumerated() { state.apply(e, offset: Int64(5000 + i)) }
        #expect(state.hub.projects.count >= 24 && state.hub.entries.count > 50)
        for (from, to, site) in [("2026-11-01", "2026-11-21", nil), ("2026-01-01", "2026-11-21", nil), ("2026-09-01", "2026-10-31", "S-2"),
                                 ("2025-11-01", "2026-11-21", "S-1")] {
            let report = Report(state: state, from: Day(iso: from)!, to: Day(iso: to)!, site: site, drillDown: true)
            #expect(report == Report(state: state, from: Day(iso: from)!, to: Day(iso: to)!, site: site), "collecting changes no figure")
            if from == "2026-01-01" {
                for key in HubReport.moneyKeys.union(["projects_approved", "projects_completed", "orgs_incubated", "certified_workers",
                                                          "training_person_times", "supervision_hours", "wishes_fulfilled"]) { #expect(report[key] > 0, "\(key) over the year") }
            }
            for d in Report.allDefinitions {
                let items = report.items[d.key] ?? []
                let sum = items.reduce(0) { $0 + $1.weight }
                if d.key == "visit_rate" {
                    let rate = items.isEmpty ? 0 : (sum / Double(items.count) * 1000).rounded() / 1000
                    #expect(rate == report[d.key], "\(d.key) \(from)–\(to) \(site ?? "")")
                } else {
                    #expect(abs(sum - report[d.key]) < 0.01, "\(d.key) \(from)–\(to) \(site ?? ""): items add to \(sum), figure \(report[d.key])")
                }
            }
        }
    }
}

/// A person is found by id at the place the id names when it was given out there, and through the
/// index otherwise (imports, ids written another way): never at a place that holds someone else.
@Suite struct PersonPlaceTests {
    @Test func eachIdFindsItsOwnPersonWhereverTheyAre() throws {
        var state = State()
        let ctx = testContext(actor: "root")
        let ids = ["P-1", "P-3", "P-2", "P-04", "X-9", "P-5", "P-7", "P-8"]
        for (i, id) in ids.enumerated() {
            state.apply(ctx.event("person.registered", subject: id, body: .object([JSONField("name", .string("居民\(i)"))])), offset: Int64(i))
        }
        for (i, id) in ids.enumerated() { #expect(state.personPosition(id) == Int32(i), "\(id)") }
        for id in ["P-4", "P-6", "P-004", "P-0", "P-", "P-9", "P-07", "p-1", "P-1 "] { #expect(state.personPosition(id) == nil, "\(id)") }
        // Registered again, an id held in place or out of it names the person it names: nobody new.
        for id in ["P-04", "X-9", "P-2"] {
            state.apply(ctx.event("person.registered", subject: id, body: .object([JSONField("name", .string("重复"))])), offset: 50)
        }
        #expect(state.people.count == ids.count && !state.people.contains { $0.name == "重复" })
        // A visit names its person by id: it counts for that person, at whatever place they are.
        for (k, id) in ["P-2", "P-7", "P-04"].enumerated() {
            state.apply(ctx.event("visit.logged", subject: "V-\(k + 1)", body: .object([JSONField("person", .string(id)),
                                                                                       JSONField("date", .string("2026-11-2\(k)"))])), offset: 100)
        }
        #expect(state.lastVisit(of: 2) == Day(iso: "2026-11-20") && state.lastVisit(of: 6) == Day(iso: "2026-11-21"))
        #expect(state.lastVisit(of: 3) == Day(iso: "2026-11-22") && state.lastVisit(of: 1) == nil && state.lastVisit(of: 4) == nil)
        // A checkpoint's state finds them the same way.
        let decoded = try #require(StateCodec.decode(StateCodec.encode(state)))
        #expect(decoded == state)
        for (i, id) in ids.enumerated() { #expect(decoded.personPosition(id) == Int32(i), "\(id)") }
    }
}

/// Screens ask of everyone whether a visit is due by a day (`VisitsDue`, one comparison): the
/// answer must be exactly whether the next visit falls on or before it, across month ends, short
/// months and a leap day, for every tier.
@Suite struct VisitsDueTests {
    @Test func dueByADayIsTheNextVisitFallingOnOrBeforeIt() {
        let first = Day(iso: "2027-11-01")!
        for d in 0..<500 {
            let day = first.adding(days: d)
            let due = VisitsDue(by: day)
            for tier in VisitTier.allCases {
                for back in -5...130 {
                    let last = day.adding(days: -back)
                    #expect(due.includes(tier: tier, since: last) == (tier.nextDue(after: last) <= day), "\(tier) \(last.iso) by \(day.iso)")
                }
            }
        }
    }
}

/// A checkpoint that passed its checksums but repeats an id (damaged, or forged by anyone who can
/// write beside the log) is refused, so the start replays the log instead of trapping in every
/// console that opens it.
@Suite struct RepeatedIDCheckpointTests {
    @Test func aCheckpointWhoseIdsRepeatIsRefused() throws {
        var state = Harness().state   // with its admin, whom the hub's events name
        var g = DemoGenerator(seed: 4, totalEvents: 6000, endingNear: Day(iso: "2026-11-21")!, state: state)
        for (i, e) in g.next(6000).enumerated() { state.apply(e, offset: Int64(i)) }
        for (i, e) in DemoHub.events(seed: 4, state: state, today: Day(iso: "2026-11-21")!).enumerated() { state.apply(e, offset: Int64(6000 + i)) }
        #expect(StateCodec.decode(StateCodec.encode(state)) == state)
        func repeated(_ name: String, _ change: (inout State) -> Void) {
            var copy = state
            change(&copy)
            #expect(StateCodec.decode(StateCodec.encode(copy)) == nil, "\(name)")
        }
        func again<T>(_ list: inout [T], at k: Int = 0) { list.append(list[k]) }
        try #require(state.people.count > 3 && !state.cases.isEmpty && !state.volunteers.isEmpty && !state.groups.isEmpty)
        try #require(!state.hub.funds.isEmpty && !state.hub.projects.isEmpty && !state.hub.wishes.isEmpty)
        repeated("a person") { again(&$0.people); again(&$0.lastVisits) }
        // An id out of place ("P-3" at the end) repeats the one at its own place, and the other way round.
        repeated("a person's id at another place") { s in s.people.append(s.people[2]); s.lastVisits.append(nil) }
        repeated("an id out of place, then at its place") { s in
            s.people[0].id = "P-\(s.people.count + 1)"
            s.people.append(s.people[0]); s.people[s.people.count - 1].id = "P-\(s.people.count)"; s.lastVisits.append(nil)
        }
        repeated("a case") { again(&$0.cases) }
        repeated("a volunteer") { again(&$0.volunteers) }
        repeated("a group") { again(&$0.groups) }
        repeated("a fund") { again(&$0.hub.funds) }
        repeated("a project") { again(&$0.hub.projects) }
        repeated("a wish") { again(&$0.hub.wishes) }
        // Two ids that are each at no place of their own, the same id twice.
        repeated("an id out of place, twice") { s in s.people[1].id = "X-9"; s.people[2].id = "X-9" }
        repeated("a carried case's id, twice") { s in s.cases[0].id = "laptop/C-1"; again(&s.cases) }
        if !state.hub.organisations.isEmpty { repeated("an organisation") { again(&$0.hub.organisations) } }
        if !state.hub.talents.isEmpty { repeated("a talent") { again(&$0.hub.talents) } }
        if !state.hub.trainings.isEmpty { repeated("a training") { again(&$0.hub.trainings) } }
        var distinct = state
        distinct.people[1].id = "X-9"
        distinct.people[2].id = "X-10"
        #expect(StateCodec.decode(StateCodec.encode(distinct))?.personPosition("X-10") == 2, "ids out of place but distinct are kept")
    }

    /// The visits and hours are the second core's part of a start; the positions they name are
    /// gathered as they are read and checked once the lists they point into are read.
    @Test func aCheckpointWhoseVisitsOrHoursNameNobodyIsRefused() throws {
        var state = Harness().state
        var g = DemoGenerator(seed: 5, totalEvents: 4000, endingNear: Day(iso: "2026-11-21")!, state: state)
        for (i, e) in g.next(4000).enumerated() { state.apply(e, offset: Int64(i)) }
        try #require(state.visits.count > 10 && state.hours.count > 10 && !state.cases.isEmpty)
        let last = state.visits.count - 1
        func refused(_ name: String, _ change: (inout State) -> Void) {
            var copy = state
            change(&copy)
            let wasRefused = StateCodec.decode(StateCodec.encode(copy)) == nil   // not the whole state, printed on failure
            #expect(wasRefused, "\(name)")
        }
        refused("a visit to a person past the last") { $0.visits[last].person = Int32($0.people.count) }
        refused("a visit to a negative person") { $0.visits[3].person = -1 }
        refused("a visit in a case past the last") { $0.visits[0].caseIndex = Int32($0.cases.count) }
        refused("a visit in case -2") { $0.visits[last].caseIndex = -2 }
        refused("hours of a volunteer past the last") { $0.hours[$0.hours.count - 1].volunteer = Int32($0.volunteers.count) }
        refused("hours of a negative volunteer") { $0.hours[0].volunteer = Int32.min }
        // The edges themselves are kept: the last person and case, and a visit in no case.
        var edges = state
        edges.visits[0].person = Int32(state.people.count - 1)
        edges.visits[1].caseIndex = Int32(state.cases.count - 1)
        edges.visits[2].caseIndex = -1
        edges.hours[0].volunteer = Int32(state.volunteers.count - 1)
        let decoded = try #require(StateCodec.decode(StateCodec.encode(edges)))
        #expect(decoded.visits[0].person == Int32(state.people.count - 1) && decoded.visits[2].caseIndex == -1)
        #expect(decoded.visits[1].caseIndex == Int32(state.cases.count - 1))
        #expect(decoded.hours[0].volunteer == Int32(state.volunteers.count - 1))
        // No cases at all: visits in no case are kept, a visit in case 0 is refused.
        var noCases = state
        noCases.cases = []
        for i in noCases.visits.indices { noCases.visits[i].caseIndex = -1 }
        #expect(StateCodec.decode(StateCodec.encode(noCases)) != nil)
        refused("a visit in a case when there are none") { s in
            s.cases = []
            for i in s.visits.indices { s.visits[i].caseIndex = -1 }
            s.visits[0].caseIndex = 0
        }
    }
}

/// Cases and volunteers are found the same way: "C-n" and "VOL-n" at their place, others through the index.
@Suite struct CaseAndVolunteerPlaceTests {
    @Test func eachIdFindsItsOwnRecordWhereverItIs() throws {
        var state = State()
        let ctx = testContext(actor: "root")
        state.apply(ctx.event("person.registered", subject: "P-1", body: .object([JSONField("name", .string("居民"))])), offset: 0)
        let cases = ["C-1", "C-3", "C-2", "C-04", "C-5"], volunteers = ["VOL-1", "VOL-3", "VOL-02", "VOL-4", "V-5", "VOL-6"]
        for id in cases { state.apply(ctx.event("case.opened", subject: id, body: .object([JSONField("person", .string("P-1"))])), offset: 1) }
        for id in volunteers {
            state.apply(ctx.event("volunteer.registered", subject: id, body: .object([JSONField("name", .string("志愿者"))])), offset: 2)
        }
        for (i, id) in cases.enumerated() { #expect(state.casePosition(id) == Int32(i), "\(id)") }
        for (i, id) in volunteers.enumerated() { #expect(state.volunteerPosition(id) == Int32(i), "\(id)") }
        for id in ["C-4", "C-6", "C-05", "VOL-2", "VOL-5", "VOL-04", "VOL-0", "VOL-"] {
            #expect(state.casePosition(id) == nil && state.volunteerPosition(id) == nil, "\(id)")
        }
        let decoded = try #require(StateCodec.decode(StateCodec.encode(state)))
        #expect(decoded == state)
        for (i, id) in volunteers.enumerated() { #expect(decoded.volunteerPosition(id) == Int32(i), "\(id)") }
        for (i, id) in cases.enumerated() { #expect(decoded.casePosition(id) == Int32(i), "\(id)") }
    }
}

@Suite struct AmendmentReplayTests {
    /// From a replay, which keeps the per-person index as visits are logged, and from a
    /// checkpoint, which builds it at the first amendment that needs it.
    @Test(arguments: [false, true]) func amendmentsKeepEveryPersonsLastVisitRight(fromCheckpoint: Bool) throws {
        var g = DemoGenerator(seed: 4, totalEvents: 3000, endingNear: Day(iso: "2026-11-21")!, state: State())
        var state = State()
        for (i, e) in g.next(3000).enumerated() { state.apply(e, offset: Int64(i)) }
        if fromCheckpoint { state = try #require(StateCodec.decode(StateCodec.encode(state))) }
        var rng = SystemRandomNumberGenerator()
        let ctx = testContext(actor: "root")
        for round in 0..<400 {
            let v = state.visits[Int.random(in: 0..<state.visits.count, using: &rng)]
            // A withdrawn visit belongs to nobody: it is given to someone at random.
            let person = round % 3 == 0 || v.person < 0 ? state.people[Int.random(in: 0..<state.people.count, using: &rng)].id : state.people[Int(v.person)].id
            let day = v.day.adding(days: Int.random(in: -400...30, using: &rng))
            // New and withdrawn visits between the amendments: the per-person index is kept up to date.
            let (type, subject) = round % 7 == 3 ? ("visit.logged", "V-\(state.visits.count + 1)")
                : round % 11 == 5 ? ("visit.voided", v.id) : ("visit.amended", v.id)
            state.apply(ctx.event(type, subject: subject, body: .object([JSONField("person", .string(person)),
                                                                         JSONField("date", .string(day.iso))])), offset: 0)
            if round % 10 == 9 {
                for (i, p) in state.people.enumerated() {
                    let expected = state.visits.filter { $0.person == Int32(i) }.map(\.day).max()
                    #expect(state.lastVisit(of: i) == expected, "round \(round): \(p.id)")
                }
            }
        }
    }
}

@Suite struct FootprintTests {
    /// Every console holds every visit (660,000 at a large station): a row stays at 64 bytes.
    @Test func aVisitRowTakesSixtyFourBytes() {
        #expect(MemoryLayout<VisitRow>.stride <= 64, "\(MemoryLayout<VisitRow>.stride)")
    }
}
