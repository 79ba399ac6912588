import Foundation
import Testing
import ShegongDomain
import ShegongStore
import ShegongTestSupport

/// A demo station that is also a hub (1,500 events, seed 3), and its hub as the demo wrote it.
func demoHubStation(_ dir: TempDir) throws -> (store: String, hub: Hub) {
    let store = dir.file("s.log")
    let demo = try run(["demo", "--store", store, "--events", "1500", "--seed", "3", "--hub"])
    #expect(demo.status == 0, "\(demo.stderr)")
    return (store, try Store.open(path: store, wantWrite: false).state.hub)
}

/// The station's console in tmux at 120×40, on 我的一天.
func hubConsole(_ store: String, _ dir: TempDir) throws -> Tmux {
    let tmux = try Tmux(command: "\(shegongBinary) --store \(store) --lang zh", width: 120, height: 40,
                        environment: ["XDG_STATE_HOME": dir.path])
    #expect(tmux.waitFor("我的一天").found)
    return tmux
}

/// The hub's screens in a real terminal: a donation entered on 0 基金 lands in the ledger and the
/// fund's statement; a supervisor's approval on 9 项目 moves the project and is refused above what was asked.
@Suite(.serialized) struct HubConsoleTests {
    @Test(Tmux.required) func aDonationAndAnApprovalMadeInTheConsoleAreInTheLedgerAndTheProject() throws {
        let dir = TempDir()
        let (store, before) = try demoHubStation(dir)
        let screened = try #require(before.projects.first { $0.stage == .screened && $0.submittedBy != "root" }, "the demo has a project to decide on")
        let tmux = try hubConsole(store, dir)

        try tmux.type("0")
        #expect(tmux.waitFor("捐赠收入").found, "\(tmux.screen())")
        try tmux.type("n")
        #expect(tmux.waitFor("金额(元)*").found, "\(tmux.screen())")
        try tmux.press("Tab")                             // the fund of the selected row; the date (today) is last
        try tmux.type("8,000.50")
        try tmux.press("Tab")
        try tmux.type("弹子石爱心超市")
        try tmux.press("C-s")
        #expect(tmux.waitFor("已保存").found, "\(tmux.screen())")
        let (listed, ledger) = tmux.waitFor("8,000.50")
        #expect(listed && ledger.contains("弹子石爱心超市"), "\(ledger)")
        try tmux.press("Enter")
        let (opened, statement) = tmux.waitFor("期末余额")
        #expect(opened && statement.contains("8,000.50"), "the fund's statement shows it: \(statement)")
        try tmux.press("Escape")

        try tmux.type("9")
        try tmux.type("/")
        try tmux.type(screened.id)
        try tmux.press("Enter")
        #expect(tmux.waitFor(screened.name).found, "\(tmux.screen())")
        try tmux.type("A")
        let (asked, approval) = tmux.waitFor("立项金额(元)*")
        #expect(asked && approval.contains("申请 ¥\(screened.budget.yuan)"), "what was asked is shown, and filled in: \(approval)")
        try tmux.press("C-u")
        try tmux.type(String(screened.budget.fen / 100 + 1))
        try tmux.press("C-s")
        let (refused, why) = tmux.waitFor("不超过")
        #expect(refused, "more than was asked is refused, the form stays open: \(why)")
        try tmux.press("C-u")
        try tmux.type("1000")
        try tmux.press("C-s")
        #expect(tmux.waitFor("已保存").found, "\(tmux.screen())")
        let (moved, row) = tmux.waitFor { $0.contains("立项") && $0.contains("1,000.00") }
        #expect(moved, "\(row)")
        try tmux.type("q")
        #expect(tmux.waitFor("[exit 0]").found, "\(tmux.screen())")

        let after = try Store.open(path: store, wantWrite: false).state.hub
        #expect(after.project(screened.id)?.stage == .approved && after.project(screened.id)?.approved == Money(fen: 100_000))
        #expect(after.project(screened.id)?.approvedBy == "root")
        #expect(after.entries.contains { $0.counterparty == "弹子石爱心超市" && $0.amount == Money(fen: 800_050) })
    }
}

/// The hub's forms as a station lead fills them in, without a terminal.
@Suite struct HubFormTests {
    @Test func aGrantFromTheLedgerHasItsFundFilledInAndFindsTheProjectByName() throws {
        let f = try Fixture()
        let c = try f.console()
        c.handle(.char("0"))
        c.handle(.char("o"))
        let form = c.render(width: 120, height: 40).text
        #expect(f.store.state.hub.funds.contains { form.contains("\($0.id) \($0.name)") }, "the selected row's fund is filled in: \(form)")
        c.handle(.tab)                                     // past the fund (the date is last)
        type(c, "长者")
        let project = try #require(f.store.state.hub.projects.first { $0.name.hasPrefix("长者") })
        #expect(c.render(width: 120, height: 40).text.contains("\(project.name)  \(project.stage.zh)"), "the picker offers the project by name")
    }

    @Test func aProjectsPageOffersTheStepsItsStageAllows() throws {
        let f = try Fixture()
        let c = try f.console()
        let running = try #require(f.store.state.hub.projects.first { $0.stage == .running && $0.submittedBy != "root" })
        c.handle(.char("9"))
        c.handle(.char("/"))
        type(c, running.id)
        c.handle(.enter)
        c.handle(.enter)
        let hints = c.render(width: 120, height: 40).line(39)
        #expect(hints.contains("m 中期评估") && !hints.contains("项目初评") && !hints.contains("立项(确定"), "\(c.render(width: 120, height: 40).text)")
        c.handle(.char("i"))
        #expect(c.status.contains("执行"), "a step its stage does not allow is refused at once, saying where it stands: \(c.status)")
    }
}
