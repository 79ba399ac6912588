import Testing
@testable import ShegongDomain
import ShegongTestSupport

/// Funds and projects: the money rules a station's lead relies on, checked as the store checks them.
@Suite struct HubTests {
    /// The station, a fund (F-1) and an approved elderly-care project (PJ-1, 50,000 approved of 60,000 asked).
    func hubStation() throws -> Harness {
        var h = Harness()
        try h.station()
        try h.add("fund", as: "admin", ["name": "弹子石公益慈善基金库", "kind": "charity-pool", "site": "S-1", "date": "2025-11-01"])
        try h.add("project", ["name": "长者食堂", "kind": "organisation", "applicant": "邻里互助会", "source": "fund-pool",
                              "field": "elderly", "site": "S-2", "budget": "6万", "date": "2025-12-20"])
        try h.add("project-screen", as: "dudao", ["id": "PJ-1", "opinion": "需求清楚", "date": "2025-12-25"])
        try h.add("project-approve", as: "dudao", ["id": "PJ-1", "amount": "50000", "date": "2025-12-30"])
        return h
    }

    @Test func moneyIsReadExactlyAndShownAsAStationWritesIt() {
        #expect(Money(text: "1,234.56")?.fen == 123_456)
        #expect(Money(text: "¥800元")?.fen == 80_000)
        #expect(Money(text: "3.5万")?.fen == 3_500_000, "35,000 yuan")
        #expect(Money(text: "0.1")?.fen == 10, "a tenth of a yuan is ten fen, not 9.999…")
        for bad in ["-5", "1.234", "abc", "", "1.2.3", "1e5"] { #expect(Money(text: bad) == nil, "\(bad)") }
        #expect(Money(fen: 123_456_789).yuan == "1,234,567.89")
        #expect(Money(fen: 4_700_000_00).wan == "470.00", "4.7 million yuan is 470 万元")
        #expect(Money(fen: -5).yuan == "-0.05")
    }

    @Test func aGrantThatWouldOverdrawOrMisuseRestrictedMoneyIsRefused() throws {
        var h = try hubStation()
        try h.add("donation", as: "dudao", ["fund": "F-1", "amount": "30000", "donor": "重庆某公司"])
        try h.add("donation", as: "dudao", ["fund": "F-1", "amount": "10000", "donor": "居民张先生", "purpose": "children"])
        #expect(throws: DomainError.self) { try h.add("grant", as: "dudao", ["fund": "F-1", "project": "PJ-1", "amount": "30000.01"]) }
        // Children's money does not go to an elderly-care project, however much the fund holds.
        #expect(throws: DomainError.invalidState(.restrictedPurpose(purpose: .children, field: .elderly))) {
            try h.add("grant", as: "dudao", ["fund": "F-1", "project": "PJ-1", "amount": "100", "purpose": "children"])
        }
        try h.add("grant", as: "dudao", ["fund": "F-1", "project": "PJ-1", "amount": "30000"])
        #expect(h.state.hub.balance(of: 0, pool: Pool()) == .zero)
        #expect(h.state.hub.balance(of: 0) == Money(fen: 1_000_000), "the restricted 10,000 is still there")
        #expect(h.state.hub.project("PJ-1")?.granted == Money(fen: 3_000_000))
        // A worker keeps no accounts.
        #expect(throws: DomainError.self) { try h.add("donation", as: "sg001", ["fund": "F-1", "amount": "5", "donor": "某人"]) }
    }

    @Test func aBackDatedEntryMayNotSpendMoneyThatHadNotArrivedYet() throws {
        var h = try hubStation()
        try h.add("donation", as: "dudao", on: "2026-11-20", ["fund": "F-1", "amount": "10000", "donor": "重庆某公司", "date": "2026-11-10"])
        try h.add("grant", as: "dudao", on: "2026-11-21", ["fund": "F-1", "project": "PJ-1", "amount": "8000", "date": "2026-11-15"])
        // On 11-05 the fund held nothing: October's and early November's statements would go negative.
        #expect(throws: DomainError.self) {
            try h.add("grant", as: "dudao", on: "2026-11-21", ["fund": "F-1", "project": "PJ-1", "amount": "100", "date": "2026-11-05"])
        }
        // Between the donation and the grant it held 10,000, but 8,000 of it was granted on 11-15.
        #expect(throws: DomainError.self) {
            try h.add("grant", as: "dudao", on: "2026-11-21", ["fund": "F-1", "project": "PJ-1", "amount": "2000.01", "date": "2026-11-12"])
        }
        try h.add("grant", as: "dudao", on: "2026-11-21", ["fund": "F-1", "project": "PJ-1", "amount": "2000", "date": "2026-11-12"])
        #expect(throws: DomainError.self, "taking the donation back now would leave the grants unfunded") {
            try h.add("reversal", as: "dudao", on: "2026-11-21", ["entry": "L-1", "reason": "录错"])
        }
        for day in stride(from: 0, to: 30, by: 1) {
            #expect(h.state.hub.balance(of: 0, through: Day(iso: "2026-11-01")!.adding(days: day)) >= .zero)
        }
    }

    @Test func aProjectIsNeverDecidedByWhoeverEnteredIt() throws {
        var h = Harness()
        try h.station()
        try h.add("project", as: "dudao", ["name": "儿童托管", "kind": "residents", "applicant": "家长互助组", "source": "lottery",
                                           "field": "children", "site": "S-2", "budget": "20000"])
        #expect(throws: DomainError.notAllowed(.ownProject)) { try h.add("project-screen", as: "dudao", ["id": "PJ-1", "opinion": "好"]) }
        #expect(throws: DomainError.self) { try h.add("project-screen", as: "sg001", ["id": "PJ-1", "opinion": "好"]) }
        #expect(throws: DomainError.self, "approval comes after screening") {
            try h.add("project-approve", as: "admin", ["id": "PJ-1", "amount": "20000"])
        }
        try h.add("project-screen", as: "admin", ["id": "PJ-1", "opinion": "可行"])
        #expect(throws: DomainError.self, "never more than was asked for") {
            try h.add("project-approve", as: "admin", ["id": "PJ-1", "amount": "20000.01"])
        }
        try h.add("project-approve", as: "admin", ["id": "PJ-1", "amount": "15000"])
        #expect(h.state.hub.project("PJ-1")?.stage == .approved && h.state.hub.project("PJ-1")?.approvedBy == "admin")
    }

    @Test func spendingStaysWithinTheApprovedAmountUnlessAChangeIsRecorded() throws {
        var h = try hubStation()
        try h.add("project-start", ["id": "PJ-1"])
        try h.add("project-expense", ["id": "PJ-1", "amount": "45000", "item": "厨房设备"])
        #expect(throws: DomainError.self) { try h.add("project-expense", ["id": "PJ-1", "amount": "5000.01", "item": "餐具"]) }
        #expect(throws: DomainError.self, "not below what was spent") {
            try h.add("project-budget", as: "dudao", ["id": "PJ-1", "amount": "40000", "reason": "压缩"])
        }
        try h.add("project-budget", as: "dudao", ["id": "PJ-1", "amount": "55000", "reason": "新增送餐"])
        try h.add("project-expense", ["id": "PJ-1", "amount": "10000", "item": "送餐车"])
        #expect(h.state.hub.project("PJ-1")?.remaining == .zero)
        try h.add("project-complete", as: "dudao", ["id": "PJ-1", "grade": "优秀", "evaluation": "达成目标"])
        #expect(throws: DomainError.self, "a completed project spends nothing more") {
            try h.add("project-expense", ["id": "PJ-1", "amount": "1", "item": "x"])
        }
    }

    /// Random donations, grants, transfers and reversals over a year: every period's statement
    /// balances, consecutive periods chain, and no pool ever goes below zero.
    @Test func aStatementBalancesForAnyPeriodAcrossReversalsAndTransfers() throws {
        var h = try hubStation()
        try h.add("project-budget", as: "dudao", ["id": "PJ-1", "amount": "60000", "reason": "追加"])
        try h.add("fund", as: "admin", ["name": "彩云社区基金", "kind": "community-fund", "site": "S-2", "date": "2025-11-01"])
        var rng = SplitMix64(seed: 7)
        func pick(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
        let start = Day(iso: "2025-12-01")!
        var refused = 0
        for k in 0..<400 {
            let day = start.adding(days: k * 365 / 400).iso
            let fund = pick(2) == 0 ? "F-1" : "F-2"
            let amount = "\(1 + pick(5000)).\(pick(100))"
            let purpose = ["", "elderly", "children"][pick(3)]
            var values: [String: String] = ["fund": fund, "amount": amount]
            if !purpose.isEmpty { values["purpose"] = purpose }
            let form: String
            switch pick(10) {
            case 0...3: form = "donation"; values["donor"] = "捐赠人\(k)"
            case 4...5: form = "grant"; values["project"] = "PJ-1"
            case 6...7: form = "fund-transfer"; values["to"] = fund == "F-1" ? "F-2" : "F-1"
            default:
                form = "reversal"
                values = ["entry": "L-\(1 + pick(max(1, h.state.hub.ledgerEvents)))", "reason": "录错"]
            }
            do { try h.add(form, as: "dudao", on: day, values) } catch is DomainError { refused += 1 }
            for f in h.state.hub.funds.indices {
                for pool in Set(h.state.hub.entries.map(\.pool)) {
                    #expect(h.state.hub.balance(of: Int32(f), pool: pool) >= .zero, "no pool below zero after entry \(k)")
                }
            }
        }
        #expect(h.state.hub.entries.count > 300 && refused > 10, "both kinds happened: \(h.state.hub.entries.count) entries, \(refused) refused")
        #expect(h.state.hub.entries.contains { $0.kind == .reversal } && h.state.hub.entries.contains { $0.kind == .transferIn })
        for f in Int32(0)..<2 {
            var previousClosing = Money.zero
            var cursor = Day(iso: "2025-11-01")!
            while cursor < Day(iso: "2027-01-01")! {
                let end = cursor.adding(days: 17 + pick(60))
                let s = h.state.hub.statement(of: f, from: cursor, to: end)
                #expect(s.opening + s.income - s.outgo == s.closing)
                #expect(s.opening == previousClosing, "a period opens with what the one before closed with")
                #expect(s.closing == h.state.hub.balance(of: f, through: end))
                #expect(s.closing == s.pools.map(\.balance).sum(), "the pools add up to the balance")
                previousClosing = s.closing
                cursor = end.adding(days: 1)
            }
        }
    }

    @Test func aCheckpointKeepsTheHub() throws {
        var h = try hubStation()
        try h.add("donation", as: "dudao", ["fund": "F-1", "amount": "30000", "donor": "重庆某公司", "purpose": "elderly", "inkind": "是"])
        try h.add("reversal", as: "dudao", ["entry": "L-1", "reason": "录错"])
        try h.add("milestone", ["id": "PJ-1", "text": "开餐", "due": "2026-12-20"])
        let decoded = try #require(StateCodec.decode(StateCodec.encode(h.state)))
        #expect(decoded.hub == h.state.hub)
        #expect(decoded.hub.entry("L-1", fund: 0)?.reversedBy == "L-2")
    }

    @Test func formNamesAreUnique() {
        let names = Forms.all.map(\.name)
        #expect(Set(names).count == names.count, "\(names)")
    }
}

/// What a careless hand or a hand-made import file might bring, refused with the field it concerns.
@Suite struct HubInputTests {
    @Test func amountsAreReadAsAPersonMeansThemOrRefused() {
        #expect(Money(text: "１２３")?.fen == 12_300, "full-width digits from an input method")
        #expect(Money(text: "1,234,567.8")?.fen == 123_456_780)
        for bad in ["1,2,3", "1.", "12,34", ",123", "1.23456万", "0.001"] { #expect(Money(text: bad) == nil, "\(bad)") }
        #expect(Money(text: "0000000000000012")?.fen == 1_200, "leading zeros are not digits of the amount")
    }

    @Test func datesAndCodesAreCheckedForEveryWriterNotOnlyTheForms() throws {
        var h = try HubTests().hubStation()
        let ctx = testContext(actor: "dudao", day: "2026-11-21")
        func donation(_ extra: [JSONField]) -> Event {
            ctx.event("fund.donation", subject: "L-\(h.state.hub.ledgerEvents + 1)",
                      body: .object([JSONField("fund", .string("F-1")), JSONField("amount", .int(100_00)), JSONField("donor", .string("某人"))] + extra))
        }
        #expect(throws: DomainError.self, "after the day it was written") { try h.state.validate(donation([JSONField("date", .string("2099-12-01"))])) }
        #expect(throws: DomainError.self, "unreadable") { try h.state.validate(donation([JSONField("date", .string("garbage"))])) }
        #expect(throws: DomainError.self, "before the fund was opened") { try h.state.validate(donation([JSONField("date", .string("2020-01-01"))])) }
        #expect(throws: DomainError.self, "an unknown purpose is not free money") { try h.state.validate(donation([JSONField("purpose", .string("nonsense"))])) }
        try h.add("donation", as: "dudao", ["fund": "F-1", "amount": "5000", "donor": "某公司"])
        #expect(throws: DomainError.self, "a reversal is not dated before what it undoes") {
            try h.add("reversal", as: "dudao", ["entry": "L-1", "reason": "录错", "date": "2026-11-01"])
        }
        #expect(throws: DomainError.self, "a grant comes after the approval") {
            try h.add("grant", as: "dudao", ["fund": "F-1", "project": "PJ-1", "amount": "10", "date": "2025-12-29"])
        }
        #expect(throws: DomainError.self, "a project step is not dated before the one it follows") {
            try h.add("project-start", ["id": "PJ-1", "date": "2025-12-29"])
        }
        #expect(throws: DomainError.self, "one name, one fund") {
            try h.add("fund", as: "admin", ["name": "弹子石公益慈善基金库", "kind": "community-fund", "site": "S-1"])
        }
        try h.add("fund", as: "admin", ["name": "彩云社区基金", "kind": "community-fund", "site": "S-2"])
        try h.add("fund-transfer", as: "dudao", ["fund": "弹子石公益慈善基金库", "to": "彩云社区基金", "amount": "100"])
        #expect(h.state.hub.balance(of: 1) == Money(fen: 10_000), "funds named by name in a form")
    }
}
