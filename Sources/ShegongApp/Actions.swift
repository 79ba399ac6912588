import ShegongTerminal

/// Everything a user can do, in one table: keys, labels in both languages, where it applies and
/// whether it changes data. Help, the palette, the status bar and read-only mode all read it.
public struct AppAction: Sendable {
    public var id: String
    public var keys: [Key]
    public var zh: String
    public var en: String
    /// nil: everywhere; else only on these screens.
    public var screens: [Screen]?
    public var changesData: Bool
    /// The form it opens, if any (a `Forms` name).
    public var form: String?

    public func label(_ t: Strings) -> String { t.chinese ? zh : en }
    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
    public func applies(to screen: Screen) -> Bool { screens?.contains(screen) ?? true }
}

public enum ActionRegistry {
    static func a(_ id: String, _ keys: [Key], _ zh: String, _ en: String, _ screens: [Screen]? = nil, changes: Bool = false,
                  form: String? = nil) -> AppAction {
        AppAction(id: id, keys: keys, zh: zh, en: en, screens: screens, changesData: changes, form: form)
    }

    public static let all: [AppAction] = Screen.allCases.map { s in
        a("screen.\(s)", [.char(Character(String(s.rawValue + 1)))], "切换到\(s.title.pair.zh)", "Go to \(s.title.pair.en)")
    } + [
        a("screen.next", [.tab], "下一个页面", "Next screen"),
        a("screen.previous", [.backTab], "上一个页面", "Previous screen"),
        a("filter", [.char("/")], "筛选(边输入边过滤)", "Filter as you type", [.visits, .people, .cases, .groups, .volunteers]),
        a("open", [.enter], "打开详情", "Open", [.visits, .people, .cases, .groups, .volunteers, .caseload]),
        a("sort", [.char("s")], "切换排序", "Change sort", [.visits, .people, .cases, .groups, .volunteers]),
        a("visit.new", [.char("n")], "新建走访记录", "New visit", [.visits, .home], changes: true, form: "visit"),
        a("visit.for-person", [.char("v")], "为此服务对象记录走访", "Log a visit for this person", [.people], changes: true, form: "visit"),
        a("visit.amend", [.char("e")], "修改走访(新版本)", "Amend visit (new version)", [.visits], changes: true, form: "visit-amend"),
        a("person.new", [.char("n")], "登记服务对象", "Register a person", [.people], changes: true, form: "person"),
        a("person.edit", [.char("e")], "修改服务对象", "Edit person", [.people], changes: true, form: "person-update"),
        a("person.consent", [.char("k")], "记录知情同意", "Record consent", [.people], changes: true, form: "consent"),
        a("person.unmask", [.char("u")], "显示完整身份证号/电话(留痕)", "Show ID and phone in full (logged)", [.people], changes: true),
        a("case.new", [.char("n")], "个案接案", "Open a case", [.cases], changes: true, form: "case"),
        a("case.assess", [.char("a")], "预估", "Assessment", [.cases], changes: true, form: "assessment"),
        a("case.plan", [.char("p")], "服务计划", "Service plan", [.cases], changes: true, form: "plan"),
        a("case.objective", [.char("g")], "目标进展", "Objective status", [.cases], changes: true, form: "objective"),
        a("case.service", [.char("r")], "服务记录", "Service record", [.cases], changes: true, form: "service"),
        a("case.evaluate", [.char("v")], "评估", "Evaluation", [.cases], changes: true, form: "evaluation"),
        a("case.close", [.char("c")], "申请结案", "Request closure", [.cases], changes: true, form: "closure-request"),
        a("case.approve", [.char("A")], "批准结案", "Approve closure", [.cases, .home], changes: true, form: "approve"),
        a("case.reject", [.char("R")], "退回结案", "Reject closure", [.cases, .home], changes: true, form: "reject"),
        a("case.transfer", [.char("t")], "转移个案", "Transfer case", [.cases], changes: true, form: "transfer"),
        a("case.refer", [.char("f")], "转介", "Referral", [.cases], changes: true, form: "referral"),
        a("case.note", [.char("o")], "督导记录", "Supervision note", [.cases, .caseload], changes: true, form: "supervision-note"),
        a("group.new", [.char("n")], "新建小组", "New group", [.groups], changes: true, form: "group"),
        a("group.session", [.char("S")], "记录小组节次(出勤)", "Record a session (attendance)", [.groups], changes: true, form: "session"),
        a("group.close", [.char("C")], "小组总结", "Close group", [.groups], changes: true, form: "group-close"),
        a("activity.new", [.char("a")], "社区活动", "Community activity", [.groups], changes: true, form: "activity"),
        a("volunteer.new", [.char("n")], "志愿者登记", "Register a volunteer", [.volunteers], changes: true, form: "volunteer"),
        a("volunteer.hours", [.char("h")], "记录服务时长(可多人)", "Log hours (several volunteers)", [.volunteers], changes: true, form: "hours"),
        a("volunteer.deposit", [.char("d")], "时间银行存入", "Time-bank deposit", [.volunteers], changes: true, form: "deposit"),
        a("volunteer.withdraw", [.char("w")], "时间银行兑换", "Time-bank withdrawal", [.volunteers], changes: true, form: "withdraw"),
        a("volunteer.certificate", [.char("c")], "导出志愿服务证明", "Export service certificate", [.volunteers]),
        a("report.previous", [.char("[")], "上个月", "Previous month", [.reports]),
        a("report.next", [.char("]")], "下个月", "Next month", [.reports]),
        a("report.export", [.char("x")], "导出 CSV", "Export CSV", [.reports]),
        a("report.site", [.char("t")], "切换站点(逐级汇总)", "Change site (rolled up)", [.reports]),
        a("access.review", [.char("L")], "查看访问记录(督导/站长)", "Review the access log (supervisors, admin)", [.caseload]),
        a("palette", [.char(":")], "命令面板", "Command palette"),
        a("help", [.char("?")], "帮助", "Help"),
        a("back", [.escape], "返回", "Back"),
        a("quit", [.char("q")], "退出", "Quit"),
    ]

    /// The action bound to `key` on `screen` (screen-specific bindings win over global ones).
    public static func action(for key: Key, on screen: Screen) -> AppAction? {
        all.first { $0.keys.contains(key) && $0.screens != nil && $0.applies(to: screen) }
            ?? all.first { $0.keys.contains(key) && $0.screens == nil }
    }

    public static func named(_ id: String) -> AppAction? { all.first { $0.id == id } }

    public static func available(on screen: Screen) -> [AppAction] { all.filter { $0.applies(to: screen) } }
}
