import Foundation
import Testing
import ShegongApp
import ShegongDomain
import ShegongStore
import ShegongTestSupport

/// The hub's people and groups in the console: a worker posts a wish from a person's page and
/// finds it on # 心愿; what could meet a person's recorded needs is on their page.
@Suite struct CommunityConsoleTests {
    @Test func aWishPostedFromAPersonsPageIsOnTheWishesScreenAndTheirPage() throws {
        let f = try Fixture()
        let state = f.store.state
        let p = try #require(state.people.first { p in
            state.staff[p.worker]?.role == .worker && !state.hub.wishes.contains { $0.person >= 0 && state.people[Int($0.person)].id == p.id }
        })
        let c = try f.console(as: p.worker)
        findPerson(c, p.id)
        #expect(c.render(width: 120, height: 40).text.contains(p.name))
        c.handle(.char("W"))
        let form = c.render(width: 120, height: 40).text
        #expect(form.contains("\(p.id) \(p.name)"), "the person is filled in: \(form)")
        c.handle(.tab)
        type(c, "电暖器")
        c.handle(.tab)
        type(c, "\(p.name)想要电暖器")
        c.handle(.tab)
        type(c, "300")
        c.handle(.tab)
        type(c, "社工发现")
        c.handle(.tab); c.handle(.tab); c.handle(.tab)     // past where it came from and the wanted-by date
        type(c, "是")                                       // the person agrees
        c.handle(.ctrl("s"))
        let refused = c.render(width: 120, height: 40).text
        #expect(refused.contains("会给捐赠方看"), "a card naming the person is refused: \(refused)")
        #expect(refused.contains("\(p.name)想要电暖器") && refused.contains("电暖器"), "and the form keeps what was typed: \(refused)")
        #expect(try Store.open(path: f.store.path, wantWrite: false).state.hub.wishes.count == state.hub.wishes.count)
        for _ in 0..<5 { c.handle(.backTab) }
        for _ in 0..<(p.name.count + 5) { c.handle(.backspace) }
        type(c, "一位老人冬天怕冷,想要一台电暖器")
        c.handle(.ctrl("s"))
        #expect(c.status.contains("已保存"), "\(c.status) \(c.render(width: 120, height: 40).text)")
        let wish = try #require(try Store.open(path: f.store.path, wantWrite: false).state.hub.wishes.last)
        #expect(wish.item == "电暖器" && wish.value == Money(fen: 30_000) && wish.site == p.community, "\(wish)")
        c.handle(.escape)
        c.handle(.char("#"))
        let list = c.render(width: 120, height: 40).text
        #expect(list.contains("\(wish.id)") && list.contains("电暖器") && list.contains("待认领"), "\(list)")
    }

    /// A wish whose person is not in this store (written by an older release, or around the
    /// rules): the replay keeps it, and the admin's list, page and export show it with nobody behind it.
    @Test func aWishWhosePersonIsNotInTheStoreIsShownWithoutAPerson() throws {
        let f = try Fixture()
        let id = "W-\(f.store.state.hub.wishes.count + 1)"
        appendRecord(f.store.path, testContext(actor: "root").event("wish.posted", subject: id, body: .object([
            JSONField("person", .string("P-999999")), JSONField("item", .string("老花镜")), JSONField("card", .string("一位长者想要一副老花镜")),
            JSONField("value", .int(8_000)), JSONField("source", .string("worker-noted")), JSONField("date", .string("2026-11-20")),
        ])))
        let c = try f.console(as: "root")
        c.handle(.char("#"))
        c.handle(.char("/"))
        type(c, id)
        c.handle(.enter)
        let list = c.render(width: 120, height: 40).text
        #expect(list.contains(id) && list.contains("老花镜"), "\(list)")
        c.handle(.enter)
        let page = c.render(width: 120, height: 40).text
        #expect(page.contains("一位长者想要一副老花镜") && !page.contains("住址:"), "no person, no address: \(page)")
        let viewer = try #require(Policy.viewer("root", in: c.store.state))
        let row = try #require(Exporter(store: c.store, viewer: viewer, today: fixedDay).table("wishes")?.rows.first { $0[0] == id })
        #expect(row[1] == "" && row[2] == "老花镜", "nobody, not a hidden somebody: \(row)")
        #expect(!list.contains(Mask.hidden), "the list says nobody is hidden: \(list)")
    }

    /// The needs behind 可对接资源 come only from what the viewer may read: a restricted case's
    /// assessment is its worker's, not the admin's who sees the person.
    @Test func needsRecordedInARestrictedCaseAreNotToldOnThePersonsPage() throws {
        let f = try Fixture()
        let restricted = try #require(f.store.state.cases.first { $0.isRestricted }, "the fixture has a restricted case")
        let person = f.store.state.people[Int(restricted.person)]
        appendRecord(f.store.path, testContext(actor: restricted.worker).event("case.assessed", subject: restricted.id, body: .object([
            JSONField("risk", .string("high")), JSONField("needs", .array([.string("戒断随访")])),
        ])))
        for (actor, told) in [(restricted.worker, true), ("root", false)] {
            let c = try f.console(as: actor)
            findPerson(c, person.id)
            let page = c.render(width: 120, height: 60).text
            #expect(page.contains(person.name) && page.contains("时间线"), "\(actor) opens the person's full page: \(page)")
            #expect(page.contains("戒断随访") == told, "\(actor): \(page)")
            if !told { #expect(page.contains("受限个案"), "the case is a line to open instead: \(page)") }
        }
    }

    @Test func eachStepKeyOpensItsFormForTheSelectedRecord() throws {
        let f = try Fixture()
        let c = try f.console()
        // A field of the form itself: a refusal or a hint could name the step too.
        for (screen, key, field) in [("!", "p", "新阶段*"), ("!", "h", "支持方式*"), ("@", "c", "证书编号*"), ("@", "o", "时长(小时)*"),
                                     ("#", "w", "原因*"), ("#", "c", "认领方*")] {
            c.handle(.char(Character(screen)))
            c.handle(.char(Character(key)))
            let shown = c.render(width: 120, height: 40).text
            #expect(shown.contains(field), "\(screen) \(key): \(c.status) \(shown)")
            c.handle(.escape)
        }
    }

    @Test func aPersonsPageSuggestsWhoCouldMeetTheNeedsRecordedInTheirVisits() throws {
        let f = try Fixture()
        let state = f.store.state
        // Someone whose visits recorded a need the station's volunteers, organisations or funds answer.
        let c = try f.console()
        var found = false
        for p in state.people.prefix(400) {
            findPerson(c, p.id)
            let page = c.render(width: 120, height: 200).text
            c.handle(.escape)
            c.handle(.escape)
            guard page.contains("可对接资源") else { continue }
            // Under the heading, a line per suggestion: its kind, a real record by name and id, and why.
            let lines = page.split(separator: "\n").map(String.init)
            let heading = try #require(lines.firstIndex { $0.contains("可对接资源") })
            let first = lines[heading + 1]
            let named = state.volunteers.contains { first.contains("\($0.name) (\($0.id))") }
                || state.hub.organisations.contains { first.contains("\($0.name) (\($0.id))") }
                || state.hub.funds.contains { first.contains("\($0.name) (\($0.id))") }
            #expect(named && Needs.all.contains { first.contains($0) }, "\(first)")
            found = true
            break
        }
        #expect(found, "some person's page suggests help for their recorded needs")
    }

    @Test func attendeesTypedWithAFullWidthCommaAreAllRecorded() throws {
        let f = try Fixture()
        let c = try f.console()
        let talents = f.store.state.hub.talents
        c.handle(.char("@"))
        c.handle(.char("t"))                               // a training, the selected person as its first attendee
        type(c, "入户探访技巧")
        c.handle(.tab)                                     // the programme: the first is fine
        c.handle(.tab)
        type(c, "S-1")
        c.handle(.tab)
        type(c, "2")
        c.handle(.tab)
        #expect(c.render(width: 120, height: 40).text.contains("\(talents[0].id) \(talents[0].name)"), "the selected person is filled in")
        c.handle(.end)
        type(c, "，\(talents[1].id)、\(talents[2].id)")     // as a Chinese input method types them
        c.handle(.ctrl("s"))
        #expect(c.status.contains("已保存"), "\(c.status) \(c.render(width: 120, height: 40).text)")
        let saved = try #require(try Store.open(path: f.store.path, wantWrite: false).state.hub.trainings.last)
        #expect(saved.title == "入户探访技巧" && saved.attendees == [0, 1, 2], "every attendee, none dropped: \(saved.attendees)")
    }
}

/// The hub's people and groups in a real terminal: on # 心愿 who claimed an open wish is recorded,
/// then that it was fulfilled; on ! 组织 an organisation moves to its next stage; @ 人才 lists the pool.
@Suite(.serialized) struct CommunityTerminalTests {
    @Test(Tmux.required) func aWishIsClaimedAndFulfilledInTheConsole() throws {
        let dir = TempDir()
        let (store, before) = try demoHubStation(dir)
        let open = try #require(before.wishes.first { $0.stage == .posted }, "the demo has an open wish")
        let tmux = try hubConsole(store, dir)
        try tmux.type("#")
        #expect(tmux.waitFor("待认领").found, "\(tmux.screen())")
        try tmux.type("/")
        try tmux.type(open.id)
        try tmux.press("Enter")
        try tmux.press("Enter")
        let (opened, page) = tmux.waitFor("捐赠方看到的")
        #expect(opened && page.contains(open.card), "the wish's page shows what a donor sees: \(page)")
        try tmux.press("Escape")
        try tmux.type("c")
        #expect(tmux.waitFor("认领方*").found, "\(tmux.screen())")
        try tmux.press("Tab")                          // the wish is the selected one; its kind: a donor, the first
        try tmux.type("弹子石爱心超市")
        try tmux.press("C-s")
        #expect(tmux.waitFor("已保存").found, "\(tmux.screen())")
        let (claimed, row) = tmux.waitFor { $0.contains("已认领") && $0.contains("弹子石爱心超市") }
        #expect(claimed, "\(row)")
        try tmux.type("f")
        #expect(tmux.waitFor("心愿实现").found, "\(tmux.screen())")
        try tmux.press("C-s")
        #expect(tmux.waitFor("已保存").found, "\(tmux.screen())")
        // An organisation in cultivation moves on to incubation.
        let cultivating = try #require(before.organisations.first { $0.stage == .cultivating })
        try tmux.type("!")
        try tmux.type("/")
        try tmux.type(cultivating.id)
        try tmux.press("Enter")
        #expect(tmux.waitFor(cultivating.name).found, "\(tmux.screen())")
        try tmux.type("p")
        #expect(tmux.waitFor("新阶段*").found, "\(tmux.screen())")
        try tmux.type("孵化中")
        try tmux.press("Enter")
        try tmux.press("C-s")
        #expect(tmux.waitFor("已保存").found, "\(tmux.screen())")
        let (moved, orgs) = tmux.waitFor { $0.contains(cultivating.name) && $0.contains("孵化中") }
        #expect(moved, "\(orgs)")
        // The talent pool says who is certified at which level.
        try tmux.type("@")
        let (pool, talent) = tmux.waitFor("高级社会工作师")
        #expect(pool && talent.contains("继续教育"), "\(talent)")
        try tmux.type("q")
        #expect(tmux.waitFor("[exit 0]").found, "\(tmux.screen())")
        let org = try Store.open(path: store, wantWrite: false).state.hub.organisation(cultivating.id)
        #expect(org?.stage == .incubating)
        let after = try Store.open(path: store, wantWrite: false).state.hub.wish(open.id)
        #expect(after?.stage == .fulfilled && after?.claimant == "弹子石爱心超市" && after?.claimantKind == .donor)
    }
}
