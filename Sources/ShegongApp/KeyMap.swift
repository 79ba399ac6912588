import ShegongDomain
import ShegongTerminal

/// What a user can ask for, whether by a key, the palette or help. A new command is a new case,
/// and the compiler then points at every place that has to handle it.
public enum Command: Hashable, Sendable {
    case goTo(Screen), nextScreen, previousScreen
    case up, down, pageUp, pageDown, top, bottom
    case filter, open, sort, back
    /// Marks or unmarks the selected row; a form then acts on every marked record at once.
    case mark
    /// Opens the form with this `Forms` name, about the selected record where the form needs one.
    case form(String)
    /// A new visit with the selected or opened person filled in.
    case visitForPerson
    case unmask, certificate, accessReview
    case reportPrevious, reportNext, reportExport, reportSite
    case palette, help, quit
    /// Back and forward through the screens and records the user opened.
    case historyBack, historyForward
    /// Takes back this session's last save, with a compensating event.
    case undo
    /// Names the list's filter and sort as a view; opens the view saved on F`n`.
    case saveView, openView(Int)
    /// Reads the district's figures again (the district view).
    case refresh
}

/// One entry of the key map: the command, its keys on a screen's list and inside a record
/// opened from that screen, its label in both languages, and whether it changes data (so it is
/// greyed out and refused while the log is read-only).
public struct Binding: Sendable {
    public var command: Command
    /// Keys on the screen itself (no overlay open).
    public var keys: [Key]
    /// Keys while a record opened from the screen is shown (empty: not available there).
    public var detailKeys: [Key]
    public var zh: String
    public var en: String
    /// nil: on every screen.
    public var screens: [Screen]?
    public var changesData: Bool
    /// The roles it is for (nil: everyone on the roster). Others do not see it in help or hints.
    public var roles: Set<Role>?

    public func label(_ t: Strings) -> String { t.chinese ? zh : en }
    public func keys(inDetail: Bool) -> [Key] { inDetail ? detailKeys : keys }
    public func keyLabel(inDetail: Bool) -> String { keys(inDetail: inDetail).map(\.label).joined(separator: "/") }
    public func applies(to screen: Screen, inDetail: Bool) -> Bool {
        (screens?.contains(screen) ?? true) && !keys(inDetail: inDetail).isEmpty
    }
    public func isFor(_ role: Role?) -> Bool { roles.map { r in role.map(r.contains) ?? false } ?? true }
    /// A stable name for the palette and tests.
    public var id: String {
        switch command {
        case .goTo(let s): "screen.\(s)"
        case .form(let f): "form.\(f)"
        default: "\(command)"
        }
    }
}

/// The one key map. Help, the palette, the key-hint line, read-only mode and the tests all read it.
public enum KeyMap {
    static let lists: [Screen] = [.visits, .people, .cases, .groups, .volunteers, .projects, .funds, .organisations, .talent, .wishes]
    static let tables: [Screen] = [.home] + lists + [.caseload, .reports]

    static func b(_ command: Command, _ keys: [Key], detail: [Key] = [], _ zh: String, _ en: String, _ screens: [Screen]? = nil,
                  changes: Bool = false, roles: Set<Role>? = nil) -> Binding {
        Binding(command: command, keys: keys, detailKeys: detail, zh: zh, en: en, screens: screens, changesData: changes, roles: roles)
    }

    static func form(_ name: String, _ keys: [Key], detail: Bool = true, _ zh: String, _ en: String, _ screens: [Screen],
                     roles: Set<Role>? = nil) -> Binding {
        b(.form(name), keys, detail: detail ? keys : [], zh, en, screens, changes: true, roles: roles ?? formRoles(name))
    }

    /// Who writes what a form records, from the event catalogue's writer rule (the admin writes all).
    static func formRoles(_ name: String) -> Set<Role>? {
        guard let type = Forms.spec(name).flatMap({ EventType(rawValue: $0.eventType) }) else { return nil }
        switch type.info.writer {
        case .newStore, .admin: return [.admin]
        case .anyStaff: return nil
        case .workerInOwnCommunity, .workerWithThePerson, .workerOfTheCase: return [.worker, .admin]
        case .supervisorOfTheCase: return [.supervisor, .admin]
        case .groupWork, .volunteerWork: return [.worker, .coordinator, .admin]
        case .stationLead: return [.supervisor, .admin]
        case .projectWork: return [.worker, .supervisor, .admin]
        case .incubation, .wishWork: return [.worker, .supervisor, .coordinator, .admin]
        }
    }

    public static let bindings: [Binding] = Screen.allCases.map { s in
        let key = Key.char(s.key)
        return b(.goTo(s), [key], detail: [key], "切换到\(s.title.pair.zh)", "Go to \(s.title.pair.en)")
    } + [
        b(.nextScreen, [.tab], detail: [.tab], "下一个页面", "Next screen"),
        b(.previousScreen, [.backTab], detail: [.backTab], "上一个页面", "Previous screen"),
        b(.up, [.up, .char("k")], detail: [.up, .char("k")], "上移", "Up", tables),
        b(.down, [.down, .char("j")], detail: [.down, .char("j")], "下移", "Down", tables),
        b(.pageUp, [.pageUp], detail: [.pageUp], "上一页", "Page up", tables),
        b(.pageDown, [.pageDown], detail: [.pageDown, .char(" ")], "下一页", "Page down", tables),
        b(.mark, [.char(" ")], "标记/取消标记(批量:如一次批准多个结案)", "Mark or unmark (act on several at once, e.g. approve closures)",
          lists + [.home]),
        b(.top, [.home, .char("g")], detail: [.home, .char("g")], "到顶部", "To the top", tables),
        b(.bottom, [.end, .char("G")], detail: [.end, .char("G")], "到底部", "To the bottom", tables),
        b(.filter, [.char("/")], "筛选(边输入边过滤)", "Filter as you type", lists),
        b(.open, [.enter], "打开详情", "Open", tables),
        b(.sort, [.char("s")], "切换排序", "Change sort", lists),
        form("visit", [.char("n")], detail: false, "新建走访记录", "New visit", [.visits, .home]),
        b(.visitForPerson, [.char("v")], detail: [.char("v"), .char("n")], "为此服务对象记录走访", "Log a visit for this person",
          [.people], changes: true, roles: [.worker, .admin]),
        form("visit-amend", [.char("e")], "修改走访(新版本)", "Amend visit (new version)", [.visits]),
        form("person", [.char("n")], detail: false, "登记服务对象", "Register a person", [.people]),
        form("person-update", [.char("e")], "修改服务对象", "Edit person", [.people]),
        form("consent", [.char("i")], detail: false, "记录知情同意", "Record consent", [.people]),
        b(.unmask, [.char("u")], detail: [.char("u")], "显示完整身份证号/电话(留痕)", "Show ID and phone in full (logged)", [.people],
          changes: true, roles: [.worker, .supervisor, .admin]),
        form("case", [.char("n")], detail: false, "个案接案", "Open a case", [.cases]),
        form("assessment", [.char("a")], "预估", "Assessment", [.cases]),
        form("plan", [.char("p")], "服务计划", "Service plan", [.cases]),
        form("objective", [.char("m")], "目标进展", "Objective status", [.cases]),
        form("service", [.char("r")], "服务记录", "Service record", [.cases]),
        form("evaluation", [.char("v")], "评估", "Evaluation", [.cases]),
        form("closure-request", [.char("c")], "申请结案", "Request closure", [.cases]),
        form("approve", [.char("A")], "批准结案", "Approve closure", [.cases, .home]),
        form("reject", [.char("R")], "退回结案", "Reject closure", [.cases, .home]),
        form("transfer", [.char("t")], "转移个案", "Transfer case", [.cases]),
        form("referral", [.char("f")], "转介", "Referral", [.cases]),
        form("supervision-note", [.char("o")], "督导记录", "Supervision note", [.cases, .caseload]),
        form("group", [.char("n")], detail: false, "新建小组", "New group", [.groups]),
        form("session", [.char("S")], "记录小组节次(出勤)", "Record a session (attendance)", [.groups]),
        form("group-close", [.char("C")], "小组总结", "Close group", [.groups]),
        form("activity", [.char("a")], detail: false, "社区活动", "Community activity", [.groups]),
        form("volunteer", [.char("n")], detail: false, "志愿者登记", "Register a volunteer", [.volunteers]),
        form("hours", [.char("h")], "记录服务时长(可多人,逗号分隔)", "Log hours (several volunteers, comma-separated)", [.volunteers]),
        form("deposit", [.char("d")], "时间银行存入", "Time-bank deposit", [.volunteers]),
        form("withdraw", [.char("w")], "时间银行兑换", "Time-bank withdrawal", [.volunteers]),
        b(.certificate, [.char("c")], detail: [.char("c")], "导出志愿服务证明", "Export service certificate", [.volunteers],
          roles: [.coordinator, .admin]),
        form("project", [.char("n")], detail: false, "项目申报", "New project application", [.projects]),
        form("project-screen", [.char("i")], "项目初评", "Screen the project", [.projects]),
        form("project-approve", [.char("A")], "立项(确定立项金额)", "Approve (set the amount)", [.projects]),
        form("project-decline", [.char("D")], "不予立项", "Decline", [.projects]),
        form("project-start", [.char("x")], "开始执行", "Start", [.projects]),
        form("project-midterm", [.char("m")], "中期评估", "Mid-term review", [.projects]),
        form("project-complete", [.char("C")], "结项评估", "Close with an evaluation", [.projects]),
        form("project-budget", [.char("b")], "变更立项金额", "Change the approved amount", [.projects]),
        form("project-expense", [.char("$")], "记录项目支出", "Record an expense", [.projects]),
        form("milestone", [.char("M")], "项目节点", "Milestone", [.projects]),
        form("project-link", [.char("l")], "关联小组/活动/走访/个案", "Link groups, activities, visits, cases", [.projects]),
        form("donation", [.char("n")], detail: false, "记录捐赠收入", "Record a donation", [.funds]),
        form("grant", [.char("o")], detail: false, "资助项目(支出)", "Grant to a project", [.funds]),
        form("fund-transfer", [.char("t")], detail: false, "基金调拨", "Transfer between funds", [.funds]),
        form("wish-grant", [.char("$")], "基金资助此心愿", "Pay for it from a fund", [.wishes]),
        form("reversal", [.char("R")], "冲正所选账目", "Reverse the selected entry", [.funds]),
        form("fund", [.char("F")], detail: false, "设立基金", "Open a fund", [.funds]),
        form("organisation", [.char("n")], detail: false, "登记社会组织/志愿服务队", "Register an organisation or team", [.organisations]),
        form("org-update", [.char("e")], "修改组织信息", "Change its leader, members or field", [.organisations]),
        form("org-stage", [.char("p")], "推进孵化阶段", "Move to the next incubation stage", [.organisations]),
        form("org-support", [.char("h")], "记录培育支持", "Record support given", [.organisations]),
        form("talent", [.char("n")], detail: false, "加入人才库", "Add to the talent pool", [.talent]),
        form("certificate", [.char("c")], "登记职业资格证书", "Record a certificate", [.talent]),
        form("training", [.char("t")], "记录培训(可多人)", "Record a training (several attendees)", [.talent]),
        form("supervision-hours", [.char("o")], "记录督导时数", "Record supervision hours", [.talent]),
        form("wish", [.char("W")], "发布微心愿(为所选服务对象)", "Post a wish (for the selected person)", [.wishes, .people]),
        form("wish-claim", [.char("c")], "登记认领", "Record who claimed it", [.wishes]),
        form("wish-fulfil", [.char("f")], "心愿已实现", "Mark it fulfilled", [.wishes]),
        form("wish-withdraw", [.char("w")], "撤回心愿", "Withdraw it", [.wishes]),
        b(.reportPrevious, [.char("[")], "上个月", "Previous month", [.reports]),
        b(.reportNext, [.char("]")], "下个月", "Next month", [.reports]),
        b(.reportExport, [.char("x")], "导出 CSV", "Export CSV", [.reports]),
        b(.reportSite, [.char("t")], "切换站点(逐级汇总)", "Change site (rolled up)", [.reports]),
        b(.accessReview, [.char("L")], "查看访问记录(督导/站长)", "Review the access log (supervisors, admin)", [.caseload],
          roles: [.supervisor, .admin]),
        b(.historyBack, [.altLeft, .backspace], detail: [.altLeft, .backspace], "后退(上一个页面或记录)", "Back (the screen or record opened before)"),
        b(.historyForward, [.altRight], detail: [.altRight], "前进", "Forward"),
        b(.undo, [.char("z")], detail: [.char("z")], "撤销我刚才的保存(留痕,不删除)", "Undo my last save (recorded, not deleted)", changes: true),
        b(.saveView, [.char("V")], "保存视图(当前筛选和排序,放到 F1–F8)", "Save view (this filter and sort, on F1-F8)", lists),
    ] + SavedView.slots.map { n in
        b(.openView(n), [.function(n)], detail: [.function(n)], "打开视图 F\(n)", "Open view F\(n)")
    } + [
        b(.palette, [.char(":")], detail: [.char(":")], "命令面板", "Command palette"),
        b(.help, [.char("?")], detail: [.char("?")], "帮助", "Help"),
        b(.back, [.escape], detail: [.escape, .char("q")], "返回", "Back"),
        b(.quit, [.char("q"), .ctrl("c")], "退出", "Quit"),
    ]

    /// The district view's keys (`DistrictConsole`): figures only, so nothing opens a record.
    public static let district: [Binding] = [
        b(.up, [.up, .char("k")], "上一站", "Previous station"),
        b(.down, [.down, .char("j")], "下一站", "Next station"),
        b(.open, [.enter], "该站全部指标及口径", "All of this station's figures"),
        b(.reportPrevious, [.left, .char("[")], "上个月", "Previous month"),
        b(.reportNext, [.right, .char("]")], "下个月", "Next month"),
        b(.refresh, [.char("r")], "刷新", "Refresh"),
        b(.help, [.char("?")], "帮助", "Help"),
        b(.back, [.escape], "返回", "Back"),
        b(.quit, [.char("q"), .ctrl("c")], "退出", "Quit"),
    ]

    /// The binding `key` reaches on `screen` (inside a record opened from it when `inDetail`).
    public static func binding(for key: Key, on screen: Screen, inDetail: Bool) -> Binding? {
        bindings.first { $0.applies(to: screen, inDetail: inDetail) && $0.keys(inDetail: inDetail).contains(key) }
    }

    /// What a role can do on a screen (everything when `role` is not given, as tests ask).
    public static func available(on screen: Screen, inDetail: Bool, for role: Role? = nil, everyone: Bool = true) -> [Binding] {
        bindings.filter { $0.applies(to: screen, inDetail: inDetail) && (everyone || $0.isFor(role)) }
    }

    public static func binding(for command: Command) -> Binding? { bindings.first { $0.command == command } }
}
