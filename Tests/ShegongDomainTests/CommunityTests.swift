import Testing
@testable import ShegongDomain
import ShegongTestSupport

/// Organisations, the talent pool and micro-wishes, as a station lead and a worker would rely on them.
@Suite struct CommunityTests {
    func station() throws -> Harness {
        var h = Harness()
        try h.station()
        try h.add("staff", as: "admin", ["account": "xt001", "name": "周协调", "role": "coordinator", "site": "S-1"])
        return h
    }

    @Test func anOrganisationMovesForwardOnlyAndIsCountedOnceWhenItLeavesTheIncubator() throws {
        var h = try station()
        try h.add("organisation", ["name": "彩云邻里互助会", "kind": "social-org", "field": "elderly", "site": "S-2", "leader": "黄阿姨",
                                   "members": "12", "date": "2026-01-10"])
        try h.add("organisation", ["name": "银发志愿服务队", "kind": "volunteer-team", "field": "elderly", "site": "S-2", "leader": "某",
                                   "date": "2026-01-10"])
        #expect(throws: DomainError.invalidState(.incubationStage(org: "彩云邻里互助会", stage: .cultivating)), "one stage at a time") {
            try h.add("org-stage", ["id": "O-1", "stage": "graduated", "date": "2026-03-01"])
        }
        #expect(throws: DomainError.self, "an organisation is counted as incubated when it leaves the incubator, not when it is entered") {
            try h.add("organisation", ["name": "已出壳的队", "kind": "volunteer-team", "field": "elderly", "site": "S-2", "leader": "某", "stage": "graduated"])
        }
        try h.add("org-stage", ["id": "O-1", "stage": "incubating", "date": "2026-03-01"])
        #expect(throws: DomainError.notAllowed(.cannot(role: .worker, account: "sg001", .correctIncubation)), "a worker does not move it back") {
            try h.add("org-stage", ["id": "O-1", "stage": "cultivating", "date": "2026-04-01", "note": "记错"])
        }
        #expect(throws: DomainError.missingField("note"), "moving back says why") {
            try h.add("org-stage", as: "dudao", ["id": "O-1", "stage": "cultivating", "date": "2026-04-01"])
        }
        #expect(throws: DomainError.self, "not dated before the stage it follows") {
            try h.add("org-stage", ["id": "O-1", "stage": "graduated", "date": "2026-02-01"])
        }
        try h.add("org-support", ["id": "O-1", "support": "training", "hours": "3", "date": "2026-04-02"])
        try h.add("org-stage", ["id": "O-1", "stage": "graduated", "date": "2026-06-30"])
        try h.add("org-stage", ["id": "O-1", "stage": "filed", "date": "2026-09-15"])
        // A supervisor corrects a step recorded by mistake; the figure follows, and it is recorded again later.
        try h.add("org-stage", ["id": "O-2", "stage": "incubating", "date": "2026-05-01"])
        try h.add("org-stage", ["id": "O-2", "stage": "graduated", "date": "2026-06-01"])
        try h.add("org-stage", as: "dudao", ["id": "O-2", "stage": "incubating", "date": "2026-06-02", "note": "误按,尚未出壳"])
        #expect(h.state.hub.organisation("O-2")?.steps.map(\.stage) == [.cultivating, .incubating])
        #expect(Report(state: h.state, from: Day(iso: "2026-06-01")!, to: Day(iso: "2026-06-30")!)["orgs_incubated"] == 1, "only O-1 in June")
        #expect(throws: DomainError.self, "one name per organisation") {
            try h.add("organisation", ["name": "彩云邻里互助会", "kind": "volunteer-team", "field": "elderly", "site": "S-2", "leader": "某"])
        }
        let o = try #require(h.state.hub.organisation("O-1"))
        #expect(o.steps.map(\.stage) == [.cultivating, .incubating, .graduated, .filed])
        #expect(o.supports.first?.hours == 3)
        let year = Report(state: h.state, from: Day(iso: "2026-01-01")!, to: Day(iso: "2026-11-21")!, drillDown: true)
        #expect(year["orgs_incubated"] == 1, "graduating and then being filed is one organisation incubated")
        #expect(year.items["orgs_incubated"]?.map(\.subject) == ["O-1"])
        let autumn = Report(state: h.state, from: Day(iso: "2026-09-01")!, to: Day(iso: "2026-09-30")!)
        #expect(autumn["orgs_incubated"] == 0, "it left the incubator in June")
    }

    @Test func theTalentPoolCountsCertificatesTrainingAndSupervisionAndShowsWhoIsDue() throws {
        var h = try station()
        try h.add("talent", as: "admin", ["name": "张晓芳", "kind": "station-worker", "site": "S-2", "account": "sg001", "date": "2024-01-01"])  // T-1
        try h.add("talent", as: "dudao", ["name": "李督导", "kind": "station-worker", "site": "S-1", "account": "dudao"])                 // T-2
        try h.add("talent", as: "dudao", ["name": "黄秀英", "kind": "resident-leader", "site": "S-2"])                                    // T-3
        #expect(throws: DomainError.self, "a worker does not keep the talent pool") {
            try h.add("talent", as: "sg001", ["name": "某人", "kind": "local-worker", "site": "S-2"])
        }
        #expect(throws: DomainError.self, "one entry per staff account") {
            try h.add("talent", as: "dudao", ["name": "张晓芳", "kind": "station-worker", "site": "S-2", "account": "sg001"])
        }
        try h.add("certificate", as: "dudao", ["id": "sg001", "level": "social", "certificate": "2019-SW-0042", "date": "2019-06-30"])
        #expect(throws: DomainError.invalidState(.lowerCertificate(name: "张晓芳", held: .social))) {
            try h.add("certificate", as: "dudao", ["id": "T-1", "level": "assistant", "certificate": "X", "date": "2020-01-01"])
        }
        #expect(h.state.hub.talent("T-1")?.level == .social, "the staff account names the talent")
        try h.add("training", ["title": "个案管理进阶", "programme": "talents", "site": "S-1", "hours": "6", "attendees": "T-1, 黄秀英, sg001",
                               "date": "2026-10-12"])
        #expect(h.state.hub.trainings.first?.attendees == [0, 2], "named twice, counted once")
        #expect(throws: DomainError.invalidState(.supervisorNotCertified(name: "李督导"))) {
            try h.add("supervision-hours", as: "dudao", ["id": "T-1", "supervisor": "T-2", "hours": "1.5", "form": "individual", "date": "2026-11-02"])
        }
        try h.add("certificate", as: "admin", ["id": "T-2", "level": "senior", "certificate": "2016-0001", "date": "2016-06-30"])
        try h.add("supervision-hours", as: "dudao", ["id": "T-1", "supervisor": "T-2", "hours": "1.5", "form": "individual", "date": "2026-11-02"])
        #expect(throws: DomainError.self) {
            try h.add("supervision-hours", as: "dudao", ["id": "T-2", "supervisor": "T-2", "hours": "1", "form": "individual"])
        }
        let today = Day(iso: "2026-11-21")!
        let t = try #require(h.state.hub.talent("T-1"))
        #expect(ContinuingEducation.hours(of: t, in: h.state.hub, to: today) == 6)
        #expect(ContinuingEducation.isDue(t, in: h.state.hub, on: today), "6 hours of 72 in the last twelve months")
        let nov = Report(state: h.state, from: Day(iso: "2026-11-01")!, to: today, drillDown: true)
        #expect(nov["certified_workers"] == 2 && nov["supervision_hours"] == 1.5 && nov["training_person_times"] == 0)
        let oct = Report(state: h.state, from: Day(iso: "2026-10-01")!, to: Day(iso: "2026-10-31")!)
        #expect(oct["training_person_times"] == 2)
        #expect(Report(state: h.state, from: Day(iso: "2018-01-01")!, to: Day(iso: "2018-12-31")!)["certified_workers"] == 1, "the 2016 certificate, not the 2019 one")
        #expect(nov.json["supervision_hours"]?.double == 1.5, "hours are not cut to whole numbers in JSON")
    }

    @Test func aWishGoesFromPostedToFulfilledAndOnlyFulfilledOnesCount() throws {
        var h = try station()
        try h.add("wish", ["person": "P-1", "item": "冬季棉被", "card": "一位八十多岁的独居老人,冬天怕冷,想要一床厚棉被", "value": "260",
                           "source": "visit-need", "consent": "是", "due": "2026-12-20", "date": "2026-11-10"])
        try h.add("wish", ["person": "P-2", "item": "助行器", "card": "行动不便的长者想要一个助行器", "value": "180", "source": "worker-noted", "consent": "是",
                           "date": "2026-11-10"])
        #expect(throws: DomainError.self, "fulfilled only once claimed") { try h.add("wish-fulfil", as: "xt001", ["id": "W-1"]) }
        try h.add("wish-claim", as: "xt001", ["id": "W-1", "kind": "donor", "claimant": "重庆某公司", "date": "2026-11-12"])
        #expect(throws: DomainError.self, "claimed once") {
            try h.add("wish-claim", as: "xt001", ["id": "W-1", "kind": "volunteer", "claimant": "VOL-1"])
        }
        try h.add("wish-fulfil", as: "xt001", ["id": "W-1", "note": "已送到", "date": "2026-11-15"])
        try h.add("wish-withdraw", ["id": "W-2", "reason": "家属已购买", "date": "2026-11-16"])
        #expect(throws: DomainError.self, "a withdrawn wish stays withdrawn") {
            try h.add("wish-claim", as: "xt001", ["id": "W-2", "kind": "donor", "claimant": "某人"])
        }
        let report = Report(state: h.state, from: Day(iso: "2026-11-01")!, to: Day(iso: "2026-11-21")!, drillDown: true)
        #expect(report["wishes_fulfilled"] == 1)
        #expect(report.items["wishes_fulfilled"]?.map(\.subject) == ["W-1"])
        #expect(h.state.hub.wish("W-1")?.site == "S-2", "counted in the person's community")
    }

    @Test func aWishsPublicWordsNeverNameOrLocateThePerson() throws {
        var h = try station()
        try h.add("person-update", ["id": "P-1", "phone": "13800138000"])
        let base = ["person": "P-1", "item": "收音机", "value": "120", "source": "worker-noted", "consent": "是"]
        for card in ["刘桂兰奶奶想要一台收音机", "桂兰奶奶想听戏", "住在彩云社区1栋101的老人", "联系电话 13800138000", "请打 138 0013 8000",
                     "彩云社区1 栋 101 的奶奶",
                     // The same, as a hostile or careless hand writes it (found by a review of this check):
                     "刘\u{200B}桂\u{200B}兰", "桂\u{2060}兰想听戏", "刘·桂·兰", "刘、桂、兰", "１３８００１３８０００", "一三八零零一三八零零零",
                     "138-0013-8000", "住一栋一零一", "1栋101", "陈德胜的邻居想听戏"] {
            #expect(throws: DomainError.invalidState(.cardIdentifies(field: "card")), "\(card)") {
                try h.add("wish", base.merging(["card": card]) { $1 })
            }
        }
        #expect(throws: DomainError.invalidState(.cardIdentifies(field: "item"))) {
            try h.add("wish", base.merging(["card": "想听戏", "item": "给刘桂兰的收音机"]) { $1 })
        }
        #expect(throws: DomainError.invalidState(.cardIdentifies(field: "card")), "a name split between the item and the words") {
            try h.add("wish", base.merging(["item": "刘桂", "card": "兰奶奶想听戏"]) { $1 })
        }
        #expect(throws: DomainError.invalidState(.cardIdentifies(field: "card")), "the surname with a form of address") {
            try h.add("wish", base.merging(["card": "刘奶奶想听戏"]) { $1 })
        }
        #expect(throws: DomainError.invalidState(.wishNeedsConsent), "not posted without the person's agreement") {
            try h.add("wish", base.merging(["card": "一位老人想听戏", "consent": "否"]) { $1 })
        }
        #expect(throws: DomainError.invalidState(.cardSensitive(field: "card", word: "精神残疾"))) {
            try h.add("wish", base.merging(["card": "一位精神残疾的老人想听戏"]) { $1 })
        }
        // A worker of another community sees this person as a summary only: they may not post for her.
        #expect(throws: DomainError.self) { try h.add("wish", as: "sg002", base.merging(["card": "一位老人想听戏"]) { $1 }) }
        try h.add("wish", base.merging(["card": "一位独居老人想在家听戏曲"]) { $1 })

        let wish = try #require(h.state.hub.wish("W-1"))
        let card = Policy.donorCard(wish, in: h.state)
        let person = h.state.people[Int(wish.person)]
        let shown = [card.id, card.item, card.text, card.value.yuan, card.community, card.due?.iso ?? "", card.stage.zh].joined(separator: "|")
        for secret in [person.name, person.address, person.phone, person.id, "桂兰"] { #expect(!shown.contains(secret), "\(secret) on a donor's card") }
        #expect(card.community == "彩云社区")

        let coordinator = try #require(Policy.viewer("xt001", in: h.state))
        let otherWorker = try #require(Policy.viewer("sg002", in: h.state))
        let ownWorker = try #require(Policy.viewer("sg001", in: h.state))
        #expect(Policy.wish(wish, for: coordinator, in: h.state) == .taskCard)
        #expect(Policy.wish(wish, for: otherWorker, in: h.state) == .summary)
        #expect(Policy.wish(wish, for: ownWorker, in: h.state) == .full)
    }

    @Test func aCheckpointKeepsOrganisationsTalentAndWishes() throws {
        var h = try station()
        try h.add("organisation", ["name": "新力志愿服务队", "kind": "volunteer-team", "field": "governance", "site": "S-3", "leader": "王队长"])
        try h.add("org-stage", ["id": "O-1", "stage": "incubating"])
        try h.add("org-support", ["id": "O-1", "support": "funding", "value": "2000"])
        try h.add("talent", as: "dudao", ["name": "黄秀英", "kind": "local-worker", "site": "S-2"])
        try h.add("talent", as: "dudao", ["name": "李督导", "kind": "station-worker", "site": "S-1", "account": "dudao"])
        try h.add("certificate", as: "dudao", ["id": "T-1", "level": "assistant", "certificate": "A-1"])
        try h.add("certificate", as: "admin", ["id": "T-2", "level": "senior", "certificate": "S-1"])
        try h.add("training", ["title": "入户探访技巧", "programme": "everyone", "site": "S-1", "hours": "2", "attendees": "T-1,T-2"])
        try h.add("supervision-hours", as: "dudao", ["id": "T-1", "supervisor": "dudao", "hours": "2", "form": "group-supervision"])
        try h.add("wish", ["person": "P-1", "item": "台灯", "card": "老人想要一盏台灯", "value": "80", "source": "worker-noted", "consent": "是"])
        try h.add("wish-claim", as: "xt001", ["id": "W-1", "kind": "organisation-claim", "claimant": "新力志愿服务队"])
        let decoded = try #require(StateCodec.decode(StateCodec.encode(h.state)))
        #expect(decoded.hub == h.state.hub)
        #expect(decoded.hub.talent("T-1")?.supervision.first?.supervisor == "T-2")
        #expect(decoded.hub.wish("W-1")?.claimantKind == .organisationClaim)
    }
}

/// A fund paying for a wish: within its value, from money that may go to wishes, and taken back
/// only while the wish is still open.
@Suite struct WishGrantTests {
    @Test func aFundPaysForAWishWithinItsValueAndClaimsIt() throws {
        var h = Harness()
        try h.station()
        try h.add("fund", as: "admin", ["name": "彩云社区基金", "kind": "community-fund", "site": "S-2", "date": "2026-01-01"])
        try h.add("donation", as: "dudao", ["fund": "F-1", "amount": "500", "donor": "居民李阿姨", "date": "2026-11-01"])
        try h.add("donation", as: "dudao", ["fund": "F-1", "amount": "300", "donor": "某公司", "purpose": "children", "date": "2026-11-01"])
        try h.add("wish", ["person": "P-1", "item": "冬季棉被", "card": "独居老人冬天怕冷", "value": "260", "source": "worker-noted", "consent": "是",
                           "date": "2026-11-10"])
        #expect(throws: DomainError.self, "a worker keeps no accounts") {
            try h.add("wish-grant", ["fund": "F-1", "wish": "W-1", "amount": "260"])
        }
        #expect(throws: DomainError.invalidState(.restrictedPurpose(purpose: .children, field: .wishes))) {
            try h.add("wish-grant", as: "dudao", ["fund": "F-1", "wish": "W-1", "amount": "100", "purpose": "children"])
        }
        #expect(throws: DomainError.self, "never more than the wish is worth") {
            try h.add("wish-grant", as: "dudao", ["fund": "F-1", "wish": "W-1", "amount": "260.01"])
        }
        try h.add("wish-grant", as: "dudao", ["fund": "F-1", "wish": "W-1", "amount": "260", "date": "2026-11-12"])
        let w = try #require(h.state.hub.wish("W-1"))
        #expect(w.granted == Money(fen: 26_000) && w.stage == .claimed && w.claimantKind == .stationFund && w.claimant == "彩云社区基金")
        #expect(h.state.hub.balance(of: 0, pool: Pool()) == Money(fen: 24_000))
        let nov = Report(state: h.state, from: Day(iso: "2026-11-01")!, to: Day(iso: "2026-11-21")!, drillDown: true)
        #expect(nov["funds_granted"] == Money(fen: 26_000).inWan, "a wish's grant is a grant")
        let statement = h.state.hub.statement(of: 0, from: Day(iso: "2026-11-01")!, to: Day(iso: "2026-11-21")!)
        #expect(statement.outgo == Money(fen: 26_000) && statement.closing == h.state.hub.balance(of: 0, through: Day(iso: "2026-11-21")!))
        try h.add("wish-fulfil", as: "sg001", ["id": "W-1", "date": "2026-11-15"])
        #expect(throws: DomainError.invalidState(.wishStage(item: "冬季棉被", stage: .fulfilled)), "a fulfilled wish's grant stays") {
            try h.add("reversal", as: "dudao", ["entry": "L-3", "reason": "录错"])
        }
        let decoded = try #require(StateCodec.decode(StateCodec.encode(h.state)))
        #expect(decoded.hub.wish("W-1")?.granted == Money(fen: 26_000))
    }
}

/// From recorded needs to who could help: the right skill, the right field, money that may go there.
@Suite struct MatchingTests {
    @Test func aNeedFindsSkilledVolunteersNearbyOrganisationsInItsFieldAndFundsThatMaySpendOnIt() throws {
        var h = Harness()
        try h.station()
        try h.add("staff", as: "admin", ["account": "xt001", "name": "周协调", "role": "coordinator", "site": "S-1"])
        try h.add("volunteer", as: "xt001", ["name": "远处的王师傅", "site": "S-3", "skills": "维修家电"])
        try h.add("volunteer", as: "xt001", ["name": "近处的李师傅", "site": "S-2", "skills": "水电维修"])
        try h.add("volunteer", as: "xt001", ["name": "唱歌的赵阿姨", "site": "S-2", "skills": "文艺表演"])
        try h.add("organisation", ["name": "楼道微改造队", "kind": "volunteer-team", "field": "renewal", "site": "S-2", "leader": "某"])
        try h.add("organisation", ["name": "四点半课堂", "kind": "social-org", "field": "children", "site": "S-2", "leader": "某"])
        try h.add("fund", as: "admin", ["name": "儿童专项", "kind": "community-fund", "site": "S-2", "date": "2026-01-01"])
        try h.add("fund", as: "admin", ["name": "彩云社区基金", "kind": "community-fund", "site": "S-2", "date": "2026-01-01"])
        try h.add("donation", as: "dudao", ["fund": "F-1", "amount": "5000", "donor": "某", "purpose": "children", "date": "2026-02-01"])
        try h.add("donation", as: "dudao", ["fund": "F-2", "amount": "800", "donor": "某", "date": "2026-02-01"])
        let found = Matching.suggestions(needs: ["适老化改造"], site: "S-2", in: h.state, on: Day(iso: "2026-11-21")!)
        #expect(found.filter { $0.kind == .volunteer }.map(\.name) == ["近处的李师傅", "远处的王师傅"], "the skill, the person's own community first")
        #expect(found.filter { $0.kind == .organisation }.map(\.name) == ["楼道微改造队"])
        #expect(found.filter { $0.kind == .fund }.map(\.name) == ["彩云社区基金"], "children's money is not for a home adaptation")
        #expect(found.first { $0.kind == .fund }?.because == "¥800.00")
        #expect(Matching.suggestions(needs: ["不在表里的需求"], site: "S-2", in: h.state, on: Day(iso: "2026-11-21")!).isEmpty)
    }
}

/// Who may move a wish on, and what rides on an id: found by a hostile review of the first version.
@Suite struct WishBoundaryTests {
    @Test func onlyWhoSeesThePersonInFullOrACoordinatorMovesAWishOn() throws {
        var h = Harness()
        try h.station()
        try h.add("staff", as: "admin", ["account": "xt001", "name": "周协调", "role": "coordinator", "site": "S-1"])
        try h.add("wish", ["person": "P-1", "item": "收音机", "card": "老人想听戏", "value": "120", "source": "worker-noted", "consent": "是"])
        try h.add("wish", ["person": "P-2", "item": "台灯", "card": "老人想看报", "value": "80", "source": "worker-noted", "consent": "是"])
        #expect(throws: DomainError.self, "a worker of another community") { try h.add("wish-withdraw", as: "sg002", ["id": "W-1", "reason": "x"]) }
        #expect(throws: DomainError.self, "a worker of another community") {
            try h.add("wish-claim", as: "sg002", ["id": "W-1", "kind": "donor", "claimant": "某人"])
        }
        #expect(throws: DomainError.self, "a coordinator records claims, not withdrawals") {
            try h.add("wish-withdraw", as: "xt001", ["id": "W-1", "reason": "x"])
        }
        try h.add("wish-claim", as: "xt001", ["id": "W-1", "kind": "donor", "claimant": "某公司"])
        try h.add("wish-fulfil", as: "xt001", ["id": "W-1"])
        try h.add("wish-withdraw", as: "dudao", ["id": "W-2", "reason": "家属已购买"])   // sg001's supervisor sees P-2 in full

        let wish = try #require(h.state.hub.wish("W-1"))
        #expect(Policy.wishPerson(wish, for: try #require(Policy.viewer("xt001", in: h.state)), in: h.state) != nil, "the coordinator delivers")
        #expect(Policy.wishPerson(wish, for: try #require(Policy.viewer("sg002", in: h.state)), in: h.state) == nil,
                "another community's worker sees the wish, not whose it is")

        // An id is the kind's own: a name or a phone cannot ride in on one through an import.
        var forged = try Forms.build(Forms.spec("wish")!, values: ["person": "P-1", "item": "被子", "card": "老人怕冷", "value": "100",
                                                                    "source": "worker-noted", "consent": "是"], state: h.state, context: testContext(actor: "sg001"))
        forged.subject = "W-刘桂兰13800138000"
        #expect(throws: DomainError.invalidState(.badRecordID("W-刘桂兰13800138000"))) { try h.state.validate(forged) }
    }

    @Test func aCommunityFundPaysOnlyInItsCommunityAndATakenBackGrantReopensTheWish() throws {
        var h = Harness()
        try h.station()
        try h.add("fund", as: "admin", ["name": "彩云社区基金", "kind": "community-fund", "site": "S-2", "date": "2026-01-01"])
        try h.add("donation", as: "dudao", ["fund": "F-1", "amount": "1000", "donor": "某", "date": "2026-11-01"])
        try h.add("wish", ["person": "P-1", "item": "收音机", "card": "老人想听戏", "value": "120", "source": "worker-noted", "consent": "是", "date": "2026-11-02"])
        try h.add("wish", as: "sg002", ["person": "P-3", "item": "书包", "card": "孩子想要新书包", "value": "90", "source": "worker-noted", "consent": "是",
                                        "date": "2026-11-02"])
        #expect(throws: DomainError.invalidState(.outsideFundArea(fund: "彩云社区基金"))) {
            try h.add("wish-grant", as: "dudao", ["fund": "F-1", "wish": "W-2", "amount": "90"])
        }
        try h.add("wish-grant", as: "dudao", ["fund": "F-1", "wish": "W-1", "amount": "120"])
        #expect(h.state.hub.wish("W-1")?.stage == .claimed)
        #expect(throws: DomainError.invalidState(.wishPaid(item: "收音机")), "the fund's money would stay booked on a wish nobody fulfils") {
            try h.add("wish-withdraw", ["id": "W-1", "reason": "家属已购买"])
        }
        try h.add("reversal", as: "dudao", ["entry": "L-2", "reason": "改由爱心企业认领"])
        let w = try #require(h.state.hub.wish("W-1"))
        #expect(w.stage == .posted && w.claimant.isEmpty && w.granted == .zero, "open again for someone else to claim")
        try h.add("wish-withdraw", ["id": "W-1", "reason": "家属已购买"])
        #expect(h.state.hub.wish("W-1")?.stage == .withdrawn, "once the grant is reversed it may be withdrawn")
    }
}

/// What a record went through stays true after later steps: an upgrade, a correction, a list
/// written with a name twice.
@Suite struct HubHistoryTests {
    @Test func anUpgradedCertificateCountsFromTheFirstCertification() throws {
        var h = Harness()
        try h.station()
        try h.add("talent", as: "dudao", ["name": "王社工", "kind": "local-worker", "site": "S-2", "date": "2019-01-01"])   // T-1
        try h.add("talent", as: "dudao", ["name": "黄秀英", "kind": "resident-leader", "site": "S-2", "date": "2019-01-01"])  // T-2
        try h.add("certificate", as: "dudao", ["id": "T-1", "level": "assistant", "certificate": "2020-A-7", "date": "2020-06-30"])
        try h.add("certificate", as: "dudao", ["id": "T-1", "level": "social", "certificate": "2026-S-3", "date": "2026-05-01"])
        let t = try #require(h.state.hub.talent("T-1"))
        #expect(t.level == .social && t.certificate == "2026-S-3" && t.certifiedOn == Day(iso: "2020-06-30"))
        let y2021 = Report(state: h.state, from: Day(iso: "2021-01-01")!, to: Day(iso: "2021-12-31")!)
        #expect(y2021["certified_workers"] == 1, "certified in 2021 as an assistant: the upgrade does not take that back")
        let today = Day(iso: "2026-11-21")!
        #expect(!ContinuingEducation.inFirstYear(t, on: today) && ContinuingEducation.isDue(t, in: h.state.hub, on: today),
                "an upgrade is not a first certificate: continuing education is still due")
        try h.add("supervision-hours", as: "dudao", ["id": "T-2", "supervisor": "T-1", "hours": "2", "form": "group", "date": "2025-03-01"])
        #expect(h.state.hub.talent("T-2")?.supervision.count == 1, "they supervised as a certified worker before the upgrade")
        // A first certificate recorded with a day typed wrong (2016 for 2026) is put right by
        // recording it again at the same level: the day it gives is the day kept.
        try h.add("talent", as: "dudao", ["name": "李社工", "kind": "local-worker", "site": "S-2", "date": "2019-01-01"])    // T-3
        try h.add("certificate", as: "dudao", ["id": "T-3", "level": "assistant", "certificate": "2026-A-9", "date": "2016-06-30"])
        try h.add("certificate", as: "dudao", ["id": "T-3", "level": "assistant", "certificate": "2026-A-9", "date": "2026-06-30"])
        let corrected = try #require(h.state.hub.talent("T-3"))
        #expect(corrected.certifiedOn == Day(iso: "2026-06-30") && ContinuingEducation.inFirstYear(corrected, on: today),
                "a corrected first certificate is in its first year")
    }

    @Test func aStageCorrectedBackKeepsTheDayItWasFirstReached() throws {
        var h = Harness()
        try h.station()
        try h.add("organisation", ["name": "彩云邻里互助会", "kind": "social-org", "field": "elderly", "site": "S-2", "leader": "黄阿姨",
                                   "date": "2026-01-10"])
        try h.add("org-stage", ["id": "O-1", "stage": "incubating", "date": "2026-03-01"])
        try h.add("org-stage", ["id": "O-1", "stage": "graduated", "date": "2026-06-01"])
        try h.add("org-stage", as: "dudao", ["id": "O-1", "stage": "incubating", "date": "2026-06-02", "note": "误按,尚未出壳"])
        try h.add("org-stage", as: "dudao", ["id": "O-1", "stage": "cultivating", "date": "2026-06-03", "note": "孵化协议尚未签"])
        let o = try #require(h.state.hub.organisation("O-1"))
        #expect(o.steps == [StageStep(stage: .cultivating, day: Day(iso: "2026-01-10")!)], "entered the roster in January, not in June")
        try h.add("org-support", ["id": "O-1", "support": "venue", "date": "2026-02-01"])
        #expect(h.state.hub.organisation("O-1")?.supports.count == 1, "support from February is still after it entered the roster")
    }

    @Test func aTrainingListingSomeoneTwiceCountsThemOnce() throws {
        var h = Harness()
        try h.station()
        try h.add("talent", as: "dudao", ["name": "黄秀英", "kind": "resident-leader", "site": "S-2"])
        // As an import or an older release could have written it: the form removes repeats, the log need not.
        h.state.apply(testContext(actor: "sg001").event("training.held", subject: "TR-1", body: .object([
            JSONField("title", .string("入户探访技巧")), JSONField("hours", .int(3)), JSONField("date", .string("2026-11-02")),
            JSONField("attendees", .array([.string("T-1"), .string("T-1")]))])), offset: 0)
        #expect(h.state.hub.trainings.first?.attendees == [0])
        #expect(Report(state: h.state, from: Day(iso: "2026-11-01")!, to: Day(iso: "2026-11-21")!)["training_person_times"] == 1)
    }
}
