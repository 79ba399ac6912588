/// Every user-facing string of the console, in both languages, in one place.
public enum Text: String, CaseIterable, Sendable {
    case home, visits, people, cases, groups, volunteers, caseload, reports, projects, funds, organisations, talent, wishes
    case colOrganisation, colLeader, colSince, colLevel, colCertificate, colTraining, colSupervision, colDue, colWish, colClaimant, colWanted, colEstimate, colMemberCount
    case colProject, colApplicant, colField, colApproved, colSpent, colGranted, colFund, colIn, colOut, colPool, colCounterparty
    case filter, noRows, readOnly, saved, saveFailed, conflict, draftRestored, draftOffer, discardChanges, leaveForm
    case yes, no, ok, cancel, save, helpTitle, paletteTitle, helpFooter, tooSmall, localeNotUTF8, themeProblem
    case dueToday, overdue, followUps, myCases, approvalsWaiting, closureReturned, monthCounts, nothingDue
    case colDate, colPerson, colMode, colWorker, colName, colCommunity, colTier, colNextDue, colLastVisit
    case colCase, colStage, colRisk, colOpened, colContacts, colGroup, colKind, colSessions, colMembers
    case colTeam, colSkills, colHours, colStars, colBalance, colOpenCases, colHighRisk, colOverdue, colLastContact
    case colPending, colFollowUp, colFigure, colValue, colDefinition, colSite
    case timeline, profile, categories, idNumber, phone, address, nextVisit
    case exported, unknownEvent, newRecordsArrived, notPermitted, period, certificate, unmasked

    var pair: (zh: String, en: String) {
        switch self {
        case .home: ("我的一天", "My day")
        case .visits: ("走访", "Visits")
        case .people: ("服务对象", "People")
        case .cases: ("个案", "Cases")
        case .groups: ("小组活动", "Groups")
        case .volunteers: ("志愿者", "Volunteers")
        case .caseload: ("督导审阅", "Caseload")
        case .reports: ("统计报表", "Reports")
        case .projects: ("项目", "Projects")
        case .funds: ("基金", "Funds")
        case .organisations: ("组织", "Organisations")
        case .talent: ("人才", "Talent")
        case .wishes: ("心愿", "Wishes")
        case .colOrganisation: ("组织名称", "Organisation")
        case .colLeader: ("负责人", "Leader")
        case .colSince: ("阶段日期", "Since")
        case .colMemberCount: ("成员", "Members")
        case .colLevel: ("职业资格", "Certified")
        case .colCertificate: ("证书编号", "Certificate")
        case .colTraining: ("近12月学时", "Training 12m")
        case .colSupervision: ("督导(受/授)", "Superv. in/out")
        case .colDue: ("继续教育", "Cont. education")
        case .colWish: ("心愿", "Wish")
        case .colClaimant: ("认领方", "Claimed by")
        case .colWanted: ("希望完成", "Wanted by")
        case .colEstimate: ("估值", "Value")
        case .colProject: ("项目名称", "Project")
        case .colApplicant: ("申报主体", "Applicant")
        case .colField: ("领域", "Field")
        case .colApproved: ("立项(元)", "Approved")
        case .colSpent: ("已支出", "Spent")
        case .colGranted: ("基金资助", "Granted")
        case .colFund: ("基金", "Fund")
        case .colIn: ("收入", "In")
        case .colOut: ("支出", "Out")
        case .colPool: ("用途", "Pool")
        case .colCounterparty: ("对方", "Counterparty")
        case .filter: ("筛选", "Filter")
        case .noRows: ("(没有记录)", "(nothing here)")
        case .readOnly: ("只读", "Read-only")
        case .saved: ("已保存", "Saved")
        case .saveFailed: ("保存失败", "Not saved")
        case .conflict: ("记录已被他人修改", "Changed by someone else")
        case .draftRestored: ("已恢复未保存的草稿", "Unsaved draft restored")
        case .draftOffer: ("发现上次未保存的草稿,是否恢复?", "An unsaved draft from last time was found. Restore it?")
        case .discardChanges: ("放弃未保存的修改?", "Discard unsaved changes?")
        case .leaveForm: ("离开表单", "Leave form")
        case .yes: ("是", "Yes")
        case .no: ("否", "No")
        case .ok: ("确定", "OK")
        case .cancel: ("取消", "Cancel")
        case .save: ("保存", "Save")
        case .helpTitle: ("帮助 · 按键", "Help · keys")
        case .paletteTitle: ("命令", "Commands")
        case .helpFooter: ("按 Esc 或 ? 关闭", "Esc or ? closes")
        case .tooSmall: ("终端太小:至少需要 80×24,请放大窗口", "Terminal too small: at least 80x24 is needed, please enlarge the window")
        case .localeNotUTF8: ("系统语言环境不是 UTF-8,已改用 C.UTF-8", "The locale is not UTF-8; using C.UTF-8")
        case .themeProblem: ("主题文件有误,已使用默认主题", "Theme file problem; using the default theme")
        case .dueToday: ("今日应访", "Due today")
        case .overdue: ("逾期未访", "Overdue")
        case .followUps: ("待跟进", "Follow-ups due")
        case .myCases: ("待我处理的个案", "Cases waiting for me")
        case .approvalsWaiting: ("待审批结案", "Closures to approve")
        case .closureReturned: ("结案被退回", "Closure returned")
        case .monthCounts: ("全站本月", "Station this month")
        case .nothingDue: ("今天没有到期事项", "Nothing due today")
        case .colDate: ("日期", "Date")
        case .colPerson: ("服务对象", "Person")
        case .colMode: ("方式", "Mode")
        case .colWorker: ("社工", "Worker")
        case .colName: ("姓名", "Name")
        case .colCommunity: ("社区", "Community")
        case .colTier: ("等级", "Tier")
        case .colNextDue: ("下次应访", "Next due")
        case .colFollowUp: ("跟进日期", "Follow-up")
        case .colLastVisit: ("上次走访", "Last visit")
        case .colCase: ("个案编号", "Case")
        case .colStage: ("阶段", "Stage")
        case .colRisk: ("风险", "Risk")
        case .colOpened: ("接案", "Opened")
        case .colContacts: ("服务次数", "Contacts")
        case .colGroup: ("小组", "Group")
        case .colKind: ("类型", "Kind")
        case .colSessions: ("节数", "Sessions")
        case .colMembers: ("组员", "Members")
        case .colTeam: ("队伍", "Team")
        case .colSkills: ("技能", "Skills")
        case .colHours: ("时长", "Hours")
        case .colStars: ("星级", "Stars")
        case .colBalance: ("时间银行", "Time bank")
        case .colOpenCases: ("在案", "Open")
        case .colHighRisk: ("高风险", "High risk")
        case .colOverdue: ("逾期", "Overdue")
        case .colLastContact: ("最近服务", "Last contact")
        case .colPending: ("待批", "Pending")
        case .colFigure: ("指标", "Figure")
        case .colValue: ("数值", "Value")
        case .colDefinition: ("口径", "Definition")
        case .colSite: ("站点", "Site")
        case .timeline: ("时间线", "Timeline")
        case .profile: ("档案", "Profile")
        case .categories: ("类别", "Categories")
        case .idNumber: ("身份证号", "ID number")
        case .phone: ("电话", "Phone")
        case .address: ("住址", "Address")
        case .nextVisit: ("下次应访", "Next visit due")
        case .exported: ("已导出", "Exported")
        case .unknownEvent: ("未知类型的记录(已保留)", "Record of an unknown type (kept)")
        case .newRecordsArrived: ("新记录", "new records")
        case .notPermitted: ("无权限", "Not permitted")
        case .period: ("期间", "Period")
        case .certificate: ("志愿服务证明", "Certificate of volunteer service")
        case .unmasked: ("已显示完整信息(已记录查看)", "Shown in full (the view was logged)")
        }
    }
}

/// The catalogue for one language.
public struct Strings: Sendable {
    public let language: Language
    public init(_ language: Language) { self.language = language }
    public subscript(_ t: Text) -> String { language == .zh ? t.pair.zh : t.pair.en }
    public var chinese: Bool { language == .zh }
}
