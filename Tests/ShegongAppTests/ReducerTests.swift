import Foundation
import Testing
@testable import ShegongApp
import ShegongDomain
@testable import ShegongStore
import ShegongTerminal
import ShegongTestSupport

/// The reducer alone: a state, an action, the exact new state and effects. No terminal, no
/// runner; the data is a real store opened read-only in spirit (nothing here writes to it).
struct Harness {
    let data: ConsoleData
    var state: ConsoleState

    init(_ f: Fixture, as actor: String = "root", lang: Language = .zh, width: Int = 120, height: Int = 40) throws {
        _ = localeReady
        data = ConsoleData(store: try Store.open(path: f.store.path), strings: Strings(lang), actor: actor, today: fixedDay)
        state = ConsoleState(today: fixedDay)
        _ = send(.resized(width: width, height: height))
    }

    @discardableResult
    mutating func send(_ action: Action) -> [Effect] { ConsoleReducer.reduce(&state, action, data) }
    mutating func press(_ keys: Key...) { for k in keys { send(.key(k)) } }
    var selected: String? { ConsoleReducer.selectedSubject(state, data) }
    var screenText: String { ConsoleView.render(state, data).text }
    /// The form on top, if one is open.
    var form: FormState? { if case .form(let f)? = state.overlays.last { return f }; return nil }

    struct NoSuchField: Error { var field: String }

    /// Opens a form with `key` on `screen` and puts the focus on `field`; returns the field's index.
    mutating func openForm(on screen: Screen, key: Character, focus field: String) throws -> Int {
        send(.command(.goTo(screen)))
        press(.char(key))
        guard var opened = form, let i = opened.fields.firstIndex(where: { $0.spec.key == field }) else { throw NoSuchField(field: field) }
        opened.focus = i
        ConsoleReducer.replaceForm(&state, with: opened)
        return i
    }
}

@Suite(.serialized) struct ReducerTests {
    @Test func everyBindingIsReachedByEachOfItsKeysAndNoKeyIsBoundTwiceInOnePlace() throws {
        let f = try Fixture(events: 600)
        for screen in Screen.allCases {
            for inDetail in [false, true] {
                let available = KeyMap.available(on: screen, inDetail: inDetail)
                let keys = available.flatMap { $0.keys(inDetail: inDetail) }
                #expect(Set(keys).count == keys.count, "\(screen) \(inDetail ? "detail" : "list"): a key bound twice: \(keys.map(\.label))")
                for binding in available {
                    #expect(!binding.zh.isEmpty && !binding.en.isEmpty && binding.en.allSatisfy(\.isASCII), "\(binding.id) labels")
                    if case .form(let name) = binding.command { #expect(Forms.spec(name) != nil, "\(binding.id) names a form") }
                    for key in binding.keys(inDetail: inDetail) {
                        // The key, through the whole key path, does exactly what the command does.
                        // (Inside a record the keys are those of the record's own screen.)
                        var byKey = try start(f, on: screen, detail: inDetail)
                        guard inDetail == (byKey.state.openDetail != nil), ConsoleReducer.keyPlace(byKey.state).screen == screen else { continue }
                        var byCommand = byKey
                        let keyEffects = byKey.send(.key(key))
                        let commandEffects = byCommand.send(.command(binding.command))
                        #expect(byKey.state == byCommand.state && keyEffects == commandEffects,
                                "\(screen) \(inDetail ? "detail" : "list"): \(key.label) must reach \(binding.id)")
                    }
                }
            }
        }
    }

    /// A console on `screen` with its first record selected (and opened, for `detail`).
    func start(_ f: Fixture, on screen: Screen, detail: Bool) throws -> Harness {
        var h = try Harness(f)
        h.send(.command(.goTo(screen)))
        if detail {
            // The first record that opens without an access record (restricted cases need one).
            for _ in 0..<20 where h.state.openDetail == nil {
                if h.send(.command(.open)).isEmpty, h.state.openDetail != nil { break }
                h.send(.command(.down))
            }
        }
        return h
    }

    @Test func theSelectionStaysOnItsRecordWhenTheListReSortsOrGrows() throws {
        let f = try Fixture(events: 1500)
        let store = f.store
        for p in store.state.people.prefix(6) {
            try store.append { s in [try Forms.build(Forms.spec("case")!, values: ["person": p.id, "source": "self", "problem": "独居"],
                                                     state: s, context: testContext(actor: "root"))] }
        }
        var h = try Harness(f, as: "root")
        h.send(.command(.goTo(.cases)))
        // The oldest open case (lowest in the list); the user picks one a few rows above it.
        let open = store.state.cases.filter { $0.isOpen && $0.stage != .closing }
        #expect(open.count > 3, "the fixture has open cases")
        let other = try #require(open.first)
        let otherRow = try #require(h.data.row(of: other.id, .cases, h.state))
        for _ in 0..<max(0, otherRow - 2) { h.send(.command(.down)) }
        let picked = try #require(h.selected)
        let pickedRow = h.state.selection.row
        #expect(pickedRow < otherRow)
        // A colleague requests closure of that oldest case: closing cases move to the top.
        try store.append { s in [try Forms.build(Forms.spec("closure-request")!, values: ["id": other.id, "type": "moved",
                                                                                           "summary": "目标达成"],
                                                   state: s, context: testContext(actor: other.worker))] }
        _ = try h.data.store.refresh()
        h.send(.followed(newRecords: 1, damaged: false))
        #expect(h.selected == picked, "still the record the user picked")
        #expect(h.state.selection.row == pickedRow + 1, "which moved down a row")
        // Sorting by any column keeps it too, and Enter opens that very record.
        h.send(.command(.sort))
        #expect(h.selected == picked)
        h.send(.command(.sort))
        h.send(.command(.sort))
        #expect(h.selected == picked)
        if !(store.state.caseFile(picked)?.isRestricted ?? true) {
            h.send(.command(.open))
            #expect(h.state.openDetail?.subject == picked)
        }
    }

    @Test func aSaveClosesTheFormSelectsWhatItChangedAndClearsTheDraft() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f)
        h.send(.command(.goTo(.people)))
        h.send(.command(.form("person")))
        guard case .form(let form)? = h.state.overlays.last else { Issue.record("the form opens"); return }
        #expect(h.send(.key(.ctrl("s"))) == [.save(form)], "Ctrl-S asks the runner to save exactly this form")
        #expect(h.state.overlays.last == .form(form), "the form stays until the save is acknowledged")
        let last = try #require(h.data.state.people.last)
        #expect(h.send(.saved(form, subjects: [last.id])) == [.clearDraft])
        #expect(h.state.overlays.isEmpty)
        #expect(h.selected == last.id, "the list shows the record just saved")
        #expect(h.state.status.contains("已保存") && h.state.statusRole == .ok)
    }

    @Test func formsAndOpenedRecordsNameTheirSubject() throws {
        let f = try Fixture(events: 1500)
        var h = try Harness(f)
        let open = try #require(f.store.state.cases.first { $0.isOpen && $0.stage != .closing && !$0.isRestricted })
        try f.store.append { s in [try Forms.build(Forms.spec("closure-request")!, values: ["id": open.id, "type": "moved",
                                                                                             "summary": "目标达成"],
                                                   state: s, context: testContext(actor: open.worker))] }
        _ = try h.data.store.refresh()
        let closing = f.store.state.caseFile(open.id)!
        let name = f.store.state.people[Int(closing.person)].name
        h.send(.command(.goTo(.cases)))
        h.send(.command(.filter))
        for c in closing.number { h.send(.key(.char(c))) }
        h.send(.key(.enter))
        #expect(h.selected == closing.id)
        h.send(.key(.char("A")))
        guard case .form(let form)? = h.state.overlays.last else { Issue.record("the approval form opens"); return }
        #expect(form.title == "批准结案 · \(name) · \(closing.number)")
        h.send(.key(.escape))
        h.send(.key(.enter))
        #expect(h.state.openDetail?.title == "个案 · \(name) · \(closing.number)")
        #expect(h.screenText.contains("个案 · \(name) · \(closing.number)"))
    }

    @Test func helpScrollsToItsLastKeyAtEightyByTwentyFourAndWorksInAnOpenedRecord() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f, width: 80, height: 24)
        h.send(.command(.goTo(.cases)))
        h.send(.key(.char("?")))
        let last = try #require(KeyMap.available(on: .cases, inDetail: false).last)
        #expect(!h.screenText.contains(last.zh), "at 80×24 the last keys are below the fold")
        for _ in 0..<60 { h.send(.key(.down)) }
        #expect(h.screenText.contains(last.zh), "\(h.screenText)")
        h.send(.key(.escape))
        #expect(h.state.overlays.isEmpty)
        // Inside a record, help lists the keys that work there.
        h.send(.command(.goTo(.people)))
        h.send(.key(.enter))
        #expect(h.state.openDetail != nil)
        h.send(.key(.char("?")))
        let entries = ConsoleReducer.helpEntries(h.state, h.data)
        #expect(entries.contains { $0.keys == "v/n" && $0.label == "为此服务对象记录走访" }, "\(entries.map(\.keys))")
        #expect(!entries.contains { $0.id == "form.person" }, "registering a new person is not offered inside one")
    }

    @Test func nInsideAPersonLogsAVisitForThatPerson() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f)
        h.send(.command(.goTo(.people)))
        let person = try #require(h.selected)
        h.press(.enter, .char("n"))
        guard case .form(let form)? = h.state.overlays.last else { Issue.record("a form opens"); return }
        #expect(form.name == "visit" && form.values["person"] == person, "\(form.values)")
        #expect(form.title.contains(f.store.state.person(person)!.name))
    }

    @Test func numberKeysAndTabLeaveAnOpenedRecordForAnotherScreen() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f)
        h.send(.command(.goTo(.people)))
        h.press(.enter)
        #expect(h.state.openDetail != nil)
        h.press(.char("4"))
        #expect(h.state.screen == .cases && h.state.openDetail == nil)
        h.press(.enter)
        h.press(.tab)
        #expect(h.state.screen == .groups && h.state.overlays.isEmpty)
    }

    @Test func theTooSmallScreenTakesNoKeysButCtrlCStillQuits() throws {
        let f = try Fixture(events: 300)
        var h = try Harness(f)
        h.send(.resized(width: 60, height: 20))
        let before = h.state
        for key in [Key.char("2"), .char("n"), .char("/"), .enter, .char("q")] { #expect(h.send(.key(key)).isEmpty) }
        #expect(h.state == before, "nothing happened behind the notice")
        h.send(.resized(width: 120, height: 40))
        #expect(h.state.overlays.isEmpty && h.state.screen == .home)
        h.send(.resized(width: 60, height: 20))
        h.press(.ctrl("c"))
        #expect(h.state.quitRequested)
    }

    @Test func escClosesAnOpenPickerNotTheFormAndCtrlCAsksBeforeQuitting() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f)
        h.send(.command(.goTo(.visits)))
        h.press(.char("n"))
        for c in "P-1" { h.send(.key(.char(c))) }
        guard case .form(let typed)? = h.state.overlays.last, !typed.fields[typed.focus].suggestions.isEmpty else {
            Issue.record("typing a person offers matches"); return
        }
        h.press(.escape)
        guard case .form(let form)? = h.state.overlays.last else { Issue.record("Esc closed the picker only"); return }
        #expect(form.fields[form.focus].suggestions.isEmpty && form.values["person"] == "P-1")
        h.press(.ctrl("c"))
        #expect(h.state.overlays.last == .confirmQuit && !h.state.quitRequested)
        #expect(h.screenText.contains("草稿"), "the question says the input is kept")
        h.press(.char("n"))
        #expect(h.state.overlays.last == .form(form))
        h.press(.ctrl("c"), .char("y"))
        #expect(h.state.quitRequested)
    }

    @Test func everyPlaceShowsAKeyHintLine() throws {
        let f = try Fixture(events: 600)
        for screen in Screen.allCases {
            for detail in [false, true] {
                let h = try start(f, on: screen, detail: detail)
                let bottom = ConsoleView.render(h.state, h.data).line(39)
                #expect(bottom.contains("? 帮助") || bottom.contains("Esc"), "\(screen) \(detail): \(bottom)")
            }
        }
    }

    @Test func peopleAreNamedNotTheirAccounts() throws {
        let f = try Fixture(events: 600)
        let store = f.store
        let c = try #require(store.state.cases.first { $0.isOpen && $0.stage != .closing && !$0.isRestricted })
        let colleague = try #require(store.state.staff.values.first { $0.role == .worker && $0.account != c.worker && $0.site == store.state.staff[c.worker]!.site }
            ?? store.state.staff.values.first { $0.role == .worker && $0.account != c.worker })
        try store.append { s in [try Forms.build(Forms.spec("service")!, values: ["id": c.id, "mode": "home", "service": "人文关怀", "content": "陪伴"],
                                                 state: s, context: testContext(actor: c.worker))] }
        try store.append { s in [try Forms.build(Forms.spec("closure-request")!, values: ["id": c.id, "type": "moved", "summary": "目标达成"],
                                                 state: s, context: testContext(actor: c.worker))] }
        try store.append { s in [try Forms.build(Forms.spec("transfer")!, values: ["id": c.id, "to": colleague.account, "reason": "调岗"],
                                                 state: s, context: testContext(actor: "root"))] }
        var h = try Harness(f)
        h.send(.command(.goTo(.cases)))
        h.send(.command(.filter))
        for ch in c.number { h.send(.key(.char(ch))) }
        h.press(.enter, .enter)
        let text = try #require(h.state.openDetail).lines.map(\.text).joined(separator: "\n")
        #expect(text.contains(store.state.staffName(c.worker)) && text.contains("→ \(colleague.name)"), "\(text)")
        for account in [c.worker, colleague.account] { #expect(!text.contains(account), "\(account) shown instead of a name: \(text)") }
    }

    @Test func registeringSomeoneAlreadyRegisteredAsksFirst() throws {
        let f = try Fixture(events: 600)
        let existing = try #require(f.store.state.people.first { $0.birth != nil })
        var h = try Harness(f)
        h.send(.command(.goTo(.people)))
        h.send(.command(.form("person")))
        guard case .form(var form)? = h.state.overlays.last else { Issue.record("the form opens"); return }
        form.restore(values: ["name": existing.name, "birth": existing.birth!.iso])
        ConsoleReducer.replaceForm(&h.state, with: form)
        #expect(h.send(.key(.ctrl("s"))).isEmpty, "nothing is saved yet")
        guard case .confirmDuplicate(_, let matches)? = h.state.overlays.last else { Issue.record("a warning first"); return }
        #expect(matches.first?.hasPrefix("\(existing.id)  \(existing.name)") == true, "\(matches)")
        #expect(h.screenText.contains("可能重复登记"))
        #expect(h.send(.key(.char("y"))) == [.save(form)], "saved only when the user says so")
    }

    @Test func anEditFormStartsFromTheRecordAndKeepsMaskedFieldsMasked() throws {
        let f = try Fixture(events: 600)
        let person = try #require(f.store.state.people.first { !$0.phone.isEmpty && $0.sex != nil && $0.birth != nil })
        var h = try Harness(f)
        h.send(.command(.goTo(.people)))
        h.send(.command(.filter))
        for c in person.id { h.send(.key(.char(c))) }
        h.press(.enter)
        #expect(h.selected == person.id)
        h.press(.char("e"))
        guard case .form(let masked)? = h.state.overlays.last else { Issue.record("the edit form opens"); return }
        #expect(masked.values["sex"] == person.sex?.rawValue && masked.values["worker"] == person.worker)
        #expect(masked.values["phone"] == nil && masked.placeholders["phone"] != nil, "the phone is not shown without asking")
        #expect(!h.screenText.contains(person.phone))
        h.press(.escape)
        // u asks for every masked field at once, and the access record names them all.
        let fields = Policy.maskedFields(of: person, today: fixedDay).joined(separator: ",")
        #expect(h.send(.key(.char("u"))) == [.recordAccess(subject: person.id, what: fields)])
        #expect(fields.contains("idno") && fields.contains("phone"))
        h.send(.accessRecorded(subject: person.id, what: fields))
        h.press(.char("e"))
        guard case .form(let shown)? = h.state.overlays.last else { Issue.record("the edit form opens"); return }
        #expect(shown.values["phone"] == person.phone)
    }

    @Test func thePersonPickerRanksTheExactNameFirstAndOffersOnlyWhomTheUserMaySee() throws {
        let f = try Fixture(events: 600)
        let store = f.store
        let community = try #require(store.state.staff["sg001"]).site
        for name in ["张李明", "李明华", "李明"] {
            try store.append { s in [try Forms.build(Forms.spec("person")!, values: ["name": name, "community": community],
                                                     state: s, context: testContext(actor: "root"))] }
        }
        var h = try Harness(f)
        h.send(.command(.goTo(.visits)))
        h.press(.char("n"))
        for c in "李明" { h.send(.key(.char(c))) }
        guard case .form(let form)? = h.state.overlays.last else { Issue.record("the form opens"); return }
        let names = form.fields[form.focus].suggestions.map { store.state.person($0.id)!.name }
        #expect(Array(names.prefix(3)) == ["李明", "李明华", "张李明"], "exact, then prefix, then contains: \(names)")
        // Pinyin initials find a name without switching input method: zlm is 张李明, lmh 李明华.
        for (typed, name) in [("zlm", "张李明"), ("LMH", "李明华")] {
            var p = try Harness(f)
            p.send(.command(.goTo(.visits)))
            p.press(.char("n"))
            for c in typed { p.send(.key(.char(c))) }
            guard case .form(let byInitials)? = p.state.overlays.last else { Issue.record("the form opens"); return }
            #expect(byInitials.fields[byInitials.focus].suggestions.first.map { store.state.person($0.id)!.name } == name, "\(typed)")
        }
        // The people list filters by initials too.
        var list = try Harness(f)
        list.send(.command(.goTo(.people)))
        list.press(.char("/"))
        for c in "zlm" { list.send(.key(.char(c))) }
        list.press(.enter)
        #expect(list.selected.flatMap { store.state.person($0)?.name } == "张李明")
        // A worker is offered only people they may see: never someone from a community they do not serve.
        let elsewhere = try #require(store.state.people.first { p in
            Policy.person(p, for: Policy.viewer("sg001", in: store.state)!, in: store.state) < .full })
        var w = try Harness(f, as: "sg001")
        w.send(.command(.goTo(.visits)))
        w.press(.char("n"))
        for c in elsewhere.name { w.send(.key(.char(c))) }
        guard case .form(let workerForm)? = w.state.overlays.last else { Issue.record("the form opens"); return }
        #expect(!workerForm.fields[workerForm.focus].suggestions.contains { $0.id == elsewhere.id })
    }

    @Test func newRecordsStartFromWhatIsSelectedAndKeysFollowTheRecordAndTheRole() throws {
        let f = try Fixture(events: 1500)
        let worker = "sg001"
        var h = try Harness(f, as: worker)
        // 我的一天 → n: a visit for the person on the selected line.
        let first = try #require(h.selected)
        let person = f.store.state.person(first) ?? f.store.state.caseFile(first).map { f.store.state.people[Int($0.person)] }
        h.press(.char("n"))
        guard case .form(let form)? = h.state.overlays.last else { Issue.record("a visit form"); return }
        #expect(form.values["person"] == person?.id, "\(form.values)")
        h.press(.escape, .char("y"), .escape)
        // A person opened from 我的一天 takes the keys of 服务对象, and help says so.
        if f.store.state.person(first) != nil {
            h.press(.enter, .char("?"))
            let entries = ConsoleReducer.helpEntries(h.state, h.data)
            #expect(entries.contains { $0.id == "form.person-update" } && entries.contains { $0.id == "visitForPerson" })
            #expect(h.screenText.contains("帮助 · 按键 · 服务对象 · "), "titled by the record")
            h.press(.escape, .escape)
        }
        // A worker is not offered a supervisor's keys, and a key for another role says why.
        #expect(!ConsoleView.hints(h.state, h.data).contains { $0.key == "A" })
        h.send(.command(.goTo(.cases)))
        h.press(.char("A"))
        #expect(h.state.overlays.isEmpty && h.state.status.contains("不是你的角色"))
        // The next command clears that message instead of leaving it on the next screen.
        h.press(.char("2"))
        #expect(h.state.status.isEmpty)
        // A closed case takes no more service records.
        let closed = try #require(f.store.state.cases.first { $0.stage == .closed && $0.worker == worker })
        h.send(.command(.goTo(.cases)))
        h.send(.command(.filter))
        for c in closed.number { h.send(.key(.char(c))) }
        h.press(.enter, .char("r"))
        #expect(h.state.overlays.isEmpty && h.state.status.contains("已结案"), "\(h.state.status)")
    }

    @Test func theAccessLogAndHoursReadInTheUsersLanguage() throws {
        let f = try Fixture(events: 1500)
        let person = try #require(f.store.state.people.first { !$0.phone.isEmpty && !$0.idNumber.isEmpty })
        try f.store.append { _ in [testContext(actor: "root").event("access.viewed", subject: person.id,
                                                                     body: .object([JSONField("what", .string("idno,phone"))]))] }
        var h = try Harness(f)
        h.send(.command(.goTo(.caseload)))
        h.press(.char("L"))
        let log = try #require(h.state.openDetail).lines.map(\.text).joined(separator: "\n")
        #expect(log.contains("显示 身份证号、电话  \(person.name) · \(person.id)") && !log.contains("idno"), "\(log.prefix(300))")
        let volunteer = try #require(f.store.state.volunteers.indices.first { i in f.store.state.hours.contains { $0.volunteer == Int32(i) } })
        let id = f.store.state.volunteers[volunteer].id
        h.send(.command(.goTo(.volunteers)))
        h.send(.command(.filter))
        for c in id { h.send(.key(.char(c))) }
        h.press(.enter, .enter)
        let detail = try #require(h.state.openDetail).lines.map(\.text).joined(separator: "\n")
        #expect(detail.contains(" 小时  ") && !detail.contains(" h  "), "\(detail.prefix(300))")
    }

    @Test func aFixedValueIsPickedFromItsListByLabelOrInitialsNeverTyped() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f, width: 80, height: 24)
        let mode = try h.openForm(on: .visits, key: "n", focus: "mode")
        // Space lists every value by its label, the current one highlighted; ↓ and Enter take the next.
        h.press(.char(" "))
        guard case .form(let listed)? = h.state.overlays.last else { return }
        #expect(listed.fields[mode].suggestions.map(\.label) == ["上门", "电话视频", "到站", "志愿者结对"])
        #expect(h.screenText.contains("电话视频") && !h.screenText.contains("paired"), "labels, not codes")
        h.press(.down, .enter)
        guard case .form(let taken)? = h.state.overlays.last else { return }
        #expect(taken.values["mode"] == "phone" && taken.focus == mode + 1 && taken.fields[mode].suggestions.isEmpty)
        // Typing finds a value by Chinese, by pinyin initials or by English; what was typed is never the value.
        for (typed, code) in [("到", "station"), ("zyz", "paired"), ("ph", "phone")] {
            var g = h
            guard case .form(var back)? = g.state.overlays.last else { return }
            back.focus = mode
            ConsoleReducer.replaceForm(&g.state, with: back)
            for c in typed { g.press(.char(c)) }
            guard case .form(let finding)? = g.state.overlays.last else { return }
            #expect(finding.values["mode"] == "phone", "typing alone changes nothing (\(typed))")
            g.press(.tab)
            guard case .form(let found)? = g.state.overlays.last else { return }
            #expect(found.values["mode"] == code, "\(typed) → \(code)")
        }
        // Esc closes the list and keeps the value; a second Esc leaves the form.
        h.press(.backTab, .char(" "), .down, .escape)
        guard case .form(let kept)? = h.state.overlays.last else { Issue.record("Esc closed only the list"); return }
        #expect(kept.values["mode"] == "phone" && kept.fields[mode].suggestions.isEmpty)
    }

    @Test func aListOfFixedValuesIsOfferedAsTheUserTypesAndAnErrorIsReadWhole() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f, width: 80, height: 24)
        let needs = try h.openForm(on: .visits, key: "n", focus: "needs")
        h.press(.char("康"))
        guard case .form(let typed)? = h.state.overlays.last else { return }
        #expect(typed.fields[needs].suggestions.map(\.label) == ["康复护理"])
        h.press(.tab)
        guard case .form(var accepted)? = h.state.overlays.last else { return }
        #expect(accepted.values["needs"] == "康复护理")
        // A refusal that lists every allowed value shows all of it, over two lines if need be.
        accepted.error = "保存失败: " + DomainError.invalidValue(field: "needs", value: "吃饭", expected: .itemsOf(Needs.all)).text(chinese: true)
        ConsoleReducer.replaceForm(&h.state, with: accepted)
        let text = h.screenText
        #expect(text.contains("法律援助") && text.contains("就业"), "\(text)")
    }

    @Test func aClosedCaseKeepsItsClosureAndIntakeAndASupervisorSeesWhosePeopleAreDue() throws {
        let f = try Fixture(events: 1500)
        let closed = try #require(f.store.state.cases.first { $0.stage == .closed && !$0.isRestricted })
        var h = try Harness(f)
        h.send(.command(.goTo(.cases)))
        h.send(.command(.filter))
        for c in closed.number { h.send(.key(.char(c))) }
        h.press(.enter, .enter)
        let text = try #require(h.state.openDetail).lines.map(\.text)
        #expect(text.contains { $0.hasPrefix("结案: ") && $0.hasSuffix(closed.closedOn!.iso) }, "\(text.prefix(8))")
        #expect(text.contains("自愿: 是"), "\(text.prefix(8))")
        let supervisor = try #require(f.store.state.staff.values.first { $0.role == .supervisor }).account
        let s = try Harness(f, as: supervisor)
        let rows = s.data.homeRows.filter { !$0.isCase }
        if let row = rows.first {
            let worker = f.store.state.people[Int(row.record)].worker
            #expect(s.data.cells(of: row)[4].hasPrefix(f.store.state.staffName(worker) + " · "))
        }
    }

    @Test func aValueIsCheckedWhenTheUserLeavesItsFieldAndPlacesShowByName() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f, as: "sg001")
        let site = try #require(f.store.state.site(f.store.state.staff["sg001"]!.site))
        h.send(.command(.goTo(.people)))
        h.press(.char("n"))
        #expect(h.screenText.contains("\(site.id) \(site.name)"), "the community by name")
        guard case .form(var form)? = h.state.overlays.last, let phone = form.fields.firstIndex(where: { $0.spec.key == "phone" }) else { return }
        form.focus = phone
        ConsoleReducer.replaceForm(&h.state, with: form)
        for c in "1234" { h.send(.key(.char(c))) }
        h.press(.tab)
        guard case .form(let left)? = h.state.overlays.last else { return }
        #expect(left.error?.contains("11 位手机号") == true && left.focus == phone + 1, "\(String(describing: left.error))")
        h.press(.backTab)
        for _ in 0..<4 { h.press(.backspace) }
        for c in "13812345678" { h.send(.key(.char(c))) }
        h.press(.tab)
        guard case .form(let fixed)? = h.state.overlays.last else { return }
        #expect(fixed.error == nil, "the message goes once the value is right")
    }

    @Test func aReportFigureOpensTheRecordsBehindItAndTheyAddUpToIt() throws {
        let f = try Fixture(events: 1500)
        var h = try Harness(f)
        h.send(.command(.goTo(.reports)))
        h.send(.command(.reportPrevious))                    // October: a whole month of records
        h.send(.command(.down))                              // 服务人次
        #expect(h.selected == "report:service_person_times")
        h.press(.enter)
        let detail = try #require(h.state.openDetail)
        let report = h.data.report(h.state)
        #expect(detail.title == "统计报表 · 服务人次")
        #expect(detail.lines[0].text.hasPrefix("服务人次 = \(report.formatted("service_person_times"))"))
        // Each line adds 1 unless it says +N; together they make the figure.
        let records = detail.lines.dropFirst(3).map(\.text)
        let total = records.reduce(0.0) { sum, line in
            sum + (line.range(of: "  +").map { Double(line[$0.upperBound...]) ?? 0 } ?? 1)
        }
        #expect(total == report["service_person_times"], "\(total) vs \(report["service_person_times"])")
        h.press(.escape)
        #expect(h.state.openDetail == nil && h.selected == "report:service_person_times")
    }

    @Test func aSupervisorMarksSeveralClosuresAndApprovesThemWithOneComment() throws {
        let f = try Fixture(events: 1500)
        let store = f.store
        let worker = try #require(store.state.staff.values.first { $0.role == .worker && $0.supervisor != nil })
        let supervisor = worker.supervisor!
        for p in store.state.people.filter({ $0.worker == worker.account }).prefix(2) {
            try store.append { s in [try Forms.build(Forms.spec("case")!, values: ["person": p.id, "source": "self", "problem": "独居"],
                                                     state: s, context: testContext(actor: worker.account))] }
        }
        let theirs = store.state.cases.suffix(2)
        for c in theirs {
            try store.append { s in [try Forms.build(Forms.spec("closure-request")!, values: ["id": c.id, "type": "moved", "summary": "目标达成"],
                                                     state: s, context: testContext(actor: c.worker))] }
        }
        var h = try Harness(f, as: supervisor)
        let approvals = h.data.homeRows.enumerated().filter { $0.element.section == .approvalsWaiting }.map(\.offset)
        #expect(approvals.count >= 2)
        for row in approvals.prefix(2) {
            ConsoleReducer.select(&h.state, h.data, row: row)
            h.press(.char(" "))
        }
        #expect(h.state.marks[.home]?.count == 2)
        #expect(ConsoleView.render(h.state, h.data).cells.contains { $0.role == .highlight }, "marked rows stand out")
        h.press(.char("A"))
        guard case .form(var form)? = h.state.overlays.last else { Issue.record("one approval form"); return }
        #expect(form.title.hasPrefix("批准结案 · 2 条"))
        form.restore(values: ["comment": "同意结案"])
        ConsoleReducer.replaceForm(&h.state, with: form)
        guard case .save(let toSave)? = h.send(.key(.ctrl("s"))).first else { Issue.record("one save"); return }
        let events = try Forms.buildAll(Forms.spec("approve")!, values: toSave.values, state: store.state, context: testContext(actor: supervisor))
        #expect(events.map(\.subject) == h.state.marks[.home], "one approval for each marked case")
        try store.append { _ in events }
        #expect(events.allSatisfy { store.state.caseFile($0.subject)?.stage == .closed })
        h.send(.saved(toSave, subjects: events.map(\.subject)))
        #expect(h.state.marks[.home] == nil, "the marks are used up")
    }
}
