import Testing
@testable import ShegongDomain
import ShegongTestSupport

/// Every role against every kind of record and action, from one table.
@Suite struct PolicyTests {
    func station() throws -> Harness {
        var h = Harness()
        try h.station()   // admin; dudao supervises sg001 (S-2) and sg002 (S-3)
        try h.add("staff", as: "admin", ["account": "coord", "name": "陈协调", "role": "coordinator", "site": "S-1"])
        try h.add("staff", as: "admin", ["account": "district", "name": "区中心", "role": "district", "site": "S-1"])
        try h.add("staff", as: "admin", ["account": "dudao2", "name": "王督导", "role": "supervisor", "site": "S-1"])
        try h.add("case", ["person": "P-1", "source": "self", "problem": "独居"])                                       // C-1, sg001
        try h.add("case", ["person": "P-2", "source": "self", "problem": "矫正人员帮扶", "flags": "corrections"])         // C-2, restricted
        try h.add("volunteer", as: "admin", ["name": "周秀英", "site": "S-2"])
        return h
    }

    @Test func whoSeesWhat() throws {
        let h = try station()
        let s = h.state
        let p1 = s.person("P-1")!, p3 = s.person("P-3")!
        let c1 = s.caseFile("C-1")!, c2 = s.caseFile("C-2")!
        // account: (P-1 of sg001/S-2, P-3 of sg002/S-3, C-1, C-2 restricted, volunteers)
        let expected: [String: (Visibility, Visibility, Visibility, Visibility, Visibility)] = [
            "admin": (.full, .full, .full, .full, .full),
            "dudao": (.full, .full, .full, .full, .summary),         // supervises both workers
            "dudao2": (.summary, .summary, .summary, .none, .summary),  // supervises nobody here
            "sg001": (.full, .summary, .full, .full, .summary),
            "sg002": (.summary, .full, .summary, .none, .summary),
            "coord": (.taskCard, .taskCard, .none, .none, .full),
            "district": (.none, .none, .none, .none, .none),
        ]
        for (account, e) in expected {
            let v = try #require(Policy.viewer(account, in: s))
            #expect(Policy.person(p1, for: v, in: s) == e.0, "\(account) P-1")
            #expect(Policy.person(p3, for: v, in: s) == e.1, "\(account) P-3")
            #expect(Policy.caseFile(c1, for: v, in: s) == e.2, "\(account) C-1")
            #expect(Policy.caseFile(c2, for: v, in: s) == e.3, "\(account) C-2")
            #expect(Policy.volunteers(for: v) == e.4, "\(account) volunteers")
        }
        #expect(Policy.viewer("stranger", in: s) == nil, "an account not on the roster sees nothing")
    }

    @Test func whoMayWriteWhat() throws {
        let h = try station()
        // (form, values, account) → allowed?
        let cases: [(String, [String: String], String, Bool)] = [
            ("visit", ["person": "P-1", "mode": "home"], "sg001", true),
            ("visit", ["person": "P-3", "mode": "home"], "sg001", false),     // another community's person
            ("visit", ["person": "P-1", "mode": "home"], "dudao", false),     // supervisors read, they do not record
            ("visit", ["person": "P-1", "mode": "home"], "coord", false),
            ("visit", ["person": "P-1", "mode": "home"], "admin", true),
            ("person", ["name": "新人", "community": "S-2"], "sg001", true),
            ("person", ["name": "新人", "community": "S-3"], "sg001", false),
            ("service", ["id": "C-1", "mode": "home", "service": "care", "content": "陪伴"], "sg001", true),
            ("service", ["id": "C-1", "mode": "home", "service": "care", "content": "陪伴"], "sg002", false),
            ("supervision-note", ["id": "C-1", "text": "注意情绪变化"], "dudao", true),
            ("supervision-note", ["id": "C-1", "text": "注意情绪变化"], "dudao2", false),
            ("supervision-note", ["id": "C-1", "text": "注意情绪变化"], "sg001", false),
            ("staff", ["account": "x", "name": "x", "role": "worker", "site": "S-1"], "dudao", false),
            ("staff", ["account": "x", "name": "x", "role": "worker", "site": "S-1"], "admin", true),
            ("hours", ["volunteer": "VOL-1", "hours": "2", "activity": "陪伴"], "coord", true),
            ("hours", ["volunteer": "VOL-1", "hours": "2", "activity": "陪伴"], "district", false),
            ("activity", ["name": "义诊", "site": "S-2", "headcount": "30"], "coord", true),
            ("visit", ["person": "P-1", "mode": "home"], "stranger", false),
        ]
        for (form, values, account, allowed) in cases {
            var copy = h
            do {
                try copy.add(form, as: account, values)
                #expect(allowed, "\(account) \(form) should be refused")
            } catch let e as DomainError {
                #expect(!allowed, "\(account) \(form) should be allowed: \(e)")
                if !allowed, case .notAllowed = e {} else if !allowed { Issue.record("\(account) \(form): \(e) is not a refusal") }
            }
        }
    }

    /// A colleague in the same community who neither works nor supervises the restricted case C-2.
    func stationWithColleague() throws -> Harness {
        var h = try station()
        try h.add("staff", as: "admin", ["account": "sg003", "name": "刘晓", "role": "worker", "site": "S-2", "supervisor": "dudao2"])
        try h.add("visit", ["person": "P-2", "mode": "home", "case": "C-2", "note": "矫正对象情绪稳定"])   // V-1, on the restricted case
        return h
    }

    func refusal(_ h: Harness, _ form: String, as account: String, _ values: [String: String]) -> DomainError? {
        var copy = h
        do { try copy.add(form, as: account, values); return nil } catch let e as DomainError { return e } catch { return nil }
    }

    @Test func aRecordNobodyMaySeeGetsTheAnswerOfOneThatDoesNotExist() throws {
        let h = try stationWithColleague()
        let service = ["mode": "home", "service": "care", "content": "陪伴"]
        let hidden = refusal(h, "service", as: "sg003", service.merging(["id": "C-2"]) { a, _ in a })
        let missing = refusal(h, "service", as: "sg003", service.merging(["id": "C-2"]) { a, _ in a }.merging(["id": "C-99"]) { _, b in b })
        #expect(hidden == .unknown(kind: "case", id: "C-2") && missing == .unknown(kind: "case", id: "C-99"), "\(String(describing: hidden)) / \(String(describing: missing))")
        // The same for a visit linked to it, and for a supervisor who does not supervise its worker.
        #expect(refusal(h, "visit", as: "sg003", ["person": "P-2", "mode": "home", "case": "C-2"]) == .unknown(kind: "case", id: "C-2"))
        #expect(refusal(h, "approve", as: "dudao2", ["id": "C-2"]) == .unknown(kind: "case", id: "C-2"))
    }

    @Test func visitsLinkOnlyToTheWorkersOwnCasesAndOnlyTheAdminReassignsPeople() throws {
        let h = try stationWithColleague()
        guard case .notAllowed? = refusal(h, "visit", as: "sg003", ["person": "P-1", "mode": "home", "case": "C-1"]) else {
            Issue.record("a visit may not be linked to a colleague's case"); return
        }
        #expect(refusal(h, "visit", as: "sg001", ["person": "P-1", "mode": "home", "case": "C-1"]) == nil)
        guard case .notAllowed? = refusal(h, "person-update", as: "sg003", ["id": "P-1", "worker": "sg003"]) else {
            Issue.record("a worker may not take over a colleague's client"); return
        }
        #expect(refusal(h, "person-update", as: "sg003", ["id": "P-1", "phone": "13900000000"]) == nil, "editing stays allowed")
        #expect(refusal(h, "person-update", as: "admin", ["id": "P-1", "worker": "sg003"]) == nil)
    }

    @Test func restrictedCaseNotesStayOutOfTimelinesAndExportsOfEveryoneButTheirWorker() throws {
        let h = try stationWithColleague()
        let s = h.state
        let c2 = s.caseFile("C-2")!, p2 = s.person("P-2")!
        // account: (notes in the person's timeline, the visit's notes, the case number on the visit)
        let expected: [String: (Bool, Bool, Bool)] = [
            "sg001": (true, true, true), "admin": (false, false, true), "dudao": (false, false, true),
            "sg003": (false, false, false), "dudao2": (false, false, false), "coord": (false, false, false),
            "district": (false, false, false),
        ]
        for (account, e) in expected {
            let v = try #require(Policy.viewer(account, in: s))
            #expect(Policy.caseNotesInTimeline(c2, for: v, in: s) == e.0, "\(account) timeline")
            #expect(Policy.visitNotes(person: p2, case: c2, for: v, in: s) == e.1, "\(account) visit notes")
            #expect(Policy.linkedCaseShown(c2, for: v, in: s) == e.2, "\(account) case number")
        }
        // Certificates: the same rule for console and CLI.
        for (account, may) in ["admin": true, "coord": true, "sg001": false, "dudao": false, "district": false] {
            #expect(Policy.mayIssueCertificate(Policy.viewer(account, in: s)!) == may, "\(account) certificate")
        }
        // A child's birth date is masked until shown on request.
        let child = s.person("P-3")!
        #expect(!Policy.birthShown(child, today: Day(iso: "2026-11-21")!, unmasked: false))
        #expect(Policy.birthShown(child, today: Day(iso: "2026-11-21")!, unmasked: true))
        #expect(Policy.birthShown(s.person("P-1")!, today: Day(iso: "2026-11-21")!, unmasked: false))
    }

    @Test func closureApprovalNeedsTheWorkersOwnSupervisor() throws {
        var h = try station()
        try h.add("closure-request", ["id": "C-1", "type": "moved", "summary": "目标实现"])
        #expect(throws: DomainError.self) { try h.add("approve", as: "sg001", ["id": "C-1"]) }
        #expect(throws: DomainError.self) { try h.add("approve", as: "dudao2", ["id": "C-1"]) }
        try h.add("approve", as: "dudao", ["id": "C-1", "comment": "同意"])
        #expect(h.state.caseFile("C-1")?.stage == .closed)
    }
}
