import Foundation
import Testing
@testable import ShegongApp
import ShegongDomain
import ShegongTerminal
import ShegongTestSupport

/// What a worker's day in the console tripped over, each pinned down.
@Suite(.serialized) struct DailyUseTests {
    /// A closure requested (moved away) on an open case of a worker who has a supervisor.
    func requestClosure(_ f: Fixture, summary: String, on day: String = "2026-11-21") throws -> (CaseFile, supervisor: String) {
        let store = f.store
        let c = try #require(store.state.cases.first { $0.isOpen && $0.stage != .closing && store.state.staff[$0.worker]?.supervisor != nil })
        try store.append { s in [try Forms.build(Forms.spec("closure-request")!, values: ["id": c.id, "type": "moved", "summary": summary],
                                                 state: s, context: testContext(actor: c.worker, day: day))] }
        return (c, try #require(store.state.staff[c.worker]?.supervisor))
    }

    @Test func typedTextThatFindsNoValueSaysSoAndChangesNothing() throws {
        var h = try Harness(try Fixture(events: 600))
        let mode = try h.openForm(on: .visits, key: "n", focus: "mode")
        let before = try #require(h.form).values["mode"]
        for c in "nan" { h.press(.char(c)) }
        h.press(.enter)
        let after = try #require(h.form)
        #expect(after.focus == mode && after.values["mode"] == before, "the value stays and so does the cursor")
        #expect(after.error?.contains("上门") == true && after.error?.contains("nan") == true, "\(after.error ?? "")")
    }

    @Test func spaceListsEveryValueOfAFieldThatTakesSeveral() throws {
        var h = try Harness(try Fixture(events: 600))
        let needs = try h.openForm(on: .visits, key: "n", focus: "needs")
        h.press(.char(" "))
        #expect(try #require(h.form).fields[needs].suggestions.count == Needs.all.count)
        h.press(.down, .enter)                               // Enter takes one and stays for the next
        #expect(try #require(h.form).focus == needs)
        for c in "shzl" { h.press(.char(c)) }                // pinyin initials of 生活照料
        #expect(try #require(h.form).fields[needs].suggestions.first?.label == "生活照料")
        h.press(.tab)
        #expect(try #require(h.form).values["needs"]?.contains("生活照料") == true)
    }

    @Test func aRequiredDateLeftEmptyMeansTodayAndIsNotTextToTypeAfter() throws {
        var h = try Harness(try Fixture(events: 600))
        let date = try h.openForm(on: .visits, key: "n", focus: "date")
        let f = try #require(h.form)
        #expect(f.fields[date].line.text.isEmpty && f.values["date"] == "today")
        #expect(h.screenText.contains("今天(可直接输入日期)"))
        for c in "11-02" { h.press(.char(c)) }
        #expect(try #require(h.form).values["date"] == "11-02")
    }

    @Test func hoursForMarkedVolunteersNameThemAll() throws {
        let f = try Fixture(events: 1500)
        var h = try Harness(f)
        h.send(.command(.goTo(.volunteers)))
        h.press(.char(" "), .char(" "))                   // marks the first two (Space moves down)
        let marked = try #require(h.state.marks[.volunteers])
        h.press(.char("h"))
        let opened = try #require(h.form)
        let names = marked.map { f.store.state.volunteer($0)!.name }
        #expect(opened.title.contains("2 人") && names.allSatisfy(opened.title.contains), "\(opened.title)")
        #expect(opened.values["volunteer"] == marked.joined(separator: ","))
        h.send(.saved(opened, subjects: []))
        #expect(h.state.marks[.volunteers] == nil, "saving clears the marks")
    }

    @Test func approvalIsRefusedBeforeTheFormWhenNothingAwaitsIt() throws {
        let f = try Fixture(events: 1500)
        let open = try #require(f.store.state.cases.first { $0.isOpen && $0.stage != .closing })
        var h = try Harness(f)
        h.send(.command(.goTo(.cases)))
        ConsoleReducer.select(&h.state, h.data, row: try #require(h.data.row(of: open.id, .cases, h.state)))
        h.press(.char("A"))
        #expect(h.form == nil)
        #expect(h.state.status == "\(open.number) 没有待审批的结案申请", "\(h.state.status)")
    }

    @Test func aClosureSentBackWaitsOnTheWorkersDayWithTheSupervisorsReason() throws {
        let f = try Fixture(events: 1500)
        let store = f.store
        let (c, supervisor) = try requestClosure(f, summary: "迁居外区", on: "2026-11-20")
        try store.append { s in [try Forms.build(Forms.spec("reject")!, values: ["id": c.id, "comment": "请先联系迁入地社工站转介"],
                                                 state: s, context: testContext(actor: supervisor, day: "2026-11-21"))] }
        let h = try Harness(f, as: c.worker)
        let line = try #require(h.screenText.split(separator: "\n").first { $0.contains(c.number) && $0.contains("结案被退回") }, "\(h.screenText)")
        #expect(line.contains("请先联系迁入地社工站转介"))
    }

    @Test func aPickedPersonIsShownByIdAndNameSoBothFitANarrowField() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f, width: 80, height: 24)
        let person = try h.openForm(on: .visits, key: "n", focus: "person")
        let p = try #require(f.store.state.people.first)
        for c in p.id { h.press(.char(c)) }
        h.press(.tab)
        let picked = try #require(h.form).fields[person]
        #expect(picked.line.text == "\(p.id) \(p.name)" && picked.value == p.id, "\(picked.line.text)")
    }

    @Test func aSecondOpenCaseForThePersonAsksFirst() throws {
        let f = try Fixture(events: 1500)
        let open = try #require(f.store.state.cases.first { $0.isOpen && f.store.state.staff[$0.worker]?.role == .worker })
        let person = f.store.state.people[Int(open.person)]
        var h = try Harness(f, as: open.worker)
        h.send(.command(.goTo(.cases)))
        h.press(.char("n"))
        guard case .form(var form)? = h.state.overlays.last else { Issue.record("the case form"); return }
        form.restore(values: ["person": person.id, "source": "self", "problem": "独居"])
        ConsoleReducer.replaceForm(&h.state, with: form)
        #expect(h.send(.key(.ctrl("s"))) == [], "nothing is saved before the user answers")
        #expect(h.screenText.contains("已有在案个案") && h.screenText.contains(open.number), "\(h.screenText)")
        h.press(.char("n"))
        guard case .form? = h.state.overlays.last else { Issue.record("n goes back to the form"); return }
        h.press(.ctrl("s"))
        #expect(h.send(.key(.char("y"))).count == 1, "y saves anyway")
    }

    @Test func theSupervisorSeesTheRequestTheyDecideOn() throws {
        let f = try Fixture(events: 1500)
        let (c, supervisor) = try requestClosure(f, summary: "已迁往江北区,已联系当地社工站")
        var h = try Harness(f, as: supervisor)
        h.send(.command(.goTo(.cases)))
        ConsoleReducer.select(&h.state, h.data, row: try #require(h.data.row(of: c.id, .cases, h.state)))
        h.press(.char("A"))
        let text = h.screenText
        #expect(text.contains("结案申请: 迁居") && text.contains("已迁往江北区,已联系当地社工站"), "\(text)")
    }

    @Test func aRestoredDraftShowsNamesAndLabelsNotCodes() throws {
        let f = try Fixture(events: 600)
        let person = try #require(f.store.state.people.first)
        var h = try Harness(f)
        h.state.overlays = [.restoreDraft(DraftStore.Draft(form: "visit", values: ["person": person.id, "mode": "phone"], hidden: [:]))]
        #expect(h.screenText.contains("电话视频") && h.screenText.contains("\(person.id) \(person.name)"), "\(h.screenText)")
        h.press(.char("y"))
        #expect(try #require(h.form).fields.first { $0.spec.key == "person" }?.line.text == "\(person.id) \(person.name)")
    }

    // MARK: A second pass over the new keys

    @Test func errorsNameTheFieldAsTheFormLabelsIt() throws {
        let f = try Fixture(events: 1500)
        let open = try #require(f.store.state.cases.first { $0.isOpen && $0.stage != .closing && f.store.state.staff[$0.worker]?.role == .worker })
        let c = try f.console(as: open.worker)
        c.handle(.char("4"))
        c.send(.command(.goTo(.cases)))
        let row = try #require(c.data.row(of: open.id, .cases, c.ui))
        for _ in 0..<row { c.handle(.down) }
        c.handle(.char("c"))
        c.handle(.ctrl("s"))
        guard case .form(let form)? = c.overlays.last else { Issue.record("the closure form stays"); return }
        #expect(form.error?.contains("结案摘要") == true && form.error?.contains("预估摘要") == false, "\(form.error ?? "")")
    }

    @Test func yesOrNoIsPickedToo() throws {
        var h = try Harness(try Fixture(events: 1500))
        h.send(.command(.goTo(.cases)))
        let open = try #require(h.data.state.cases.first { $0.isOpen && $0.stage != .closing })
        ConsoleReducer.select(&h.state, h.data, row: try #require(h.data.row(of: open.id, .cases, h.state)))
        h.press(.char("v"))
        guard case .form(var form)? = h.state.overlays.last, let i = form.fields.firstIndex(where: { $0.spec.key == "satisfaction" }) else {
            Issue.record("the evaluation form"); return
        }
        form.focus = i
        ConsoleReducer.replaceForm(&h.state, with: form)
        h.press(.char(" "))
        #expect(try #require(h.form).fields[i].suggestions.map(\.label) == ["是", "否"])
        h.press(.enter)
        #expect(try #require(h.form).values["satisfaction"] == "yes")
    }

    @Test func savingAnEditOverARecordMakesNoNewPlaceInTheHistory() throws {
        let f = try Fixture(events: 600)
        var h = try Harness(f)
        h.send(.command(.goTo(.people)))
        h.press(.enter)
        let person = try #require(h.state.openDetail?.subject)
        h.press(.char("e"))
        for c in "x" { h.press(.char(c)) }                   // typing in the form over the record
        guard case .form(let form)? = h.state.overlays.last else { Issue.record("the edit form"); return }
        h.send(.saved(form, subjects: [person]))
        #expect(h.state.history.suffix(2).map(\.record) == [nil, person], "\(h.state.history)")
        h.press(.backspace)
        #expect(h.state.openDetail == nil && h.state.screen == .people, "one Backspace leaves the record")
    }

    @Test func idsSortAsNumbersAndSortingCyclesBackToTheListsOrder() throws {
        var h = try Harness(try Fixture(events: 1500))
        h.send(.command(.goTo(.people)))
        h.press(.char("s"))
        let ids = h.data.listRows(.people, h.state).indices.prefix(12).map { h.data.state.people[Int($0)].id }
        #expect(Array(ids.prefix(3)) == ["P-1", "P-2", "P-3"], "\(ids)")
        let columns = Screen.people.list(today: fixedDay)!.columns(h.data.strings).count
        for _ in 0..<(columns * 2 - 1) { h.press(.char("s")) }
        #expect(h.state.sorts[.people] == SortOrder(column: columns - 1, ascending: false))
        h.press(.char("s"))
        #expect(h.state.sorts[.people] == nil, "after the last column, the list's own order")
    }

    @Test func aNewFilterReplacesTheOldOneAndCasesAreFoundByTheWorkersInitials() throws {
        let f = try Fixture(events: 1500)
        var h = try Harness(f)
        h.send(.command(.goTo(.cases)))
        h.press(.char("/"), .char("z"), .char("z"), .enter)
        h.press(.char("/"))
        #expect(h.state.status.contains("替换「zz」"))
        let c = try #require(f.store.state.cases.first)
        let initials = Pinyin.initials(f.store.state.staffName(c.worker))
        for ch in initials { h.press(.char(ch)) }
        h.press(.enter)
        #expect(h.state.filters[.cases]?.text == initials)
        #expect(h.data.listRows(.cases, h.state).indices.contains { f.store.state.cases[Int($0)].worker == c.worker })
    }

    @Test func spaceAfterAWholeValueListsEveryValueAndFixingAPickClearsItsError() throws {
        var h = try Harness(try Fixture(events: 600))
        let needs = try h.openForm(on: .visits, key: "n", focus: "needs")
        for ch in "医疗" { h.press(.char(ch)) }
        h.press(.char(" "))
        let listed = try #require(h.form)
        #expect(listed.fields[needs].suggestions.count == Needs.all.count && listed.fields[needs].line.text == "医疗, ")
        var g = try Harness(try Fixture(events: 600))
        _ = try g.openForm(on: .visits, key: "n", focus: "mode")
        for ch in "xyz" { g.press(.char(ch)) }
        g.press(.enter)
        #expect(try #require(g.form).error != nil)
        g.press(.right)
        #expect(try #require(g.form).error == nil, "the value is fixed, so the message goes")
    }

    @Test func aStatusMessageIsReadWholeBeforeKeyHints() throws {
        var h = try Harness(try Fixture(events: 600))
        h.state.setStatus("未能撤销: 记录在你保存之后已被修改,请直接修改它", .error)
        let bottom = ConsoleView.render(h.state, h.data).line(39)
        #expect(bottom.contains("请直接修改它"), "\(bottom)")
    }
}
