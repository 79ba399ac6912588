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

    @Test func closureApprovalNeedsTheWorkersOwnSupervisor() throws {
        var h = try station()
        try h.add("closure-request", ["id": "C-1", "type": "goals-met", "summary": "目标实现"])
        #expect(throws: DomainError.self) { try h.add("approve", as: "sg001", ["id": "C-1"]) }
        #expect(throws: DomainError.self) { try h.add("approve", as: "dudao2", ["id": "C-1"]) }
        try h.add("approve", as: "dudao", ["id": "C-1", "comment": "同意"])
        #expect(h.state.caseFile("C-1")?.stage == .closed)
    }
}
