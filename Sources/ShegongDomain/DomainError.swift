/// Why the domain refuses a change: codes and fields, never prose. `text(chinese:)` words each
/// one for a social worker, in their language; the console and the CLI both use it.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingField(String)
    case invalidValue(field: String, value: String, expected: Expected)
    case unknown(kind: String, id: String)
    /// The record changed since the author read it; `latest` is what it is now.
    case conflict(subject: String, expected: Int, actual: Int, latest: Latest)
    case notAllowed(Refusal)
    case invalidState(Problem)

    /// What a field accepts.
    public enum Expected: Equatable, Sendable {
        case date, time, wholeNumber, hours, yesNo, version, attendance, idNumber, phone
        /// What the ID number states (a birth date, a sex code).
        case matchesIDNumber(String)
        /// What the ID number on file says (not repeated: the caller may not see it).
        case matchesIDNumberOnFile
        case atMostCharacters(Int)
        case notAfter(String), notBefore(String)
        /// One of these codes (shown with their labels).
        case oneOf([String])
        /// Some of these codes, comma-separated.
        case itemsOf([String])
        /// A field of the form (the key given is not one).
        case fieldOf([String])
        /// An amount of money in yuan (at most two decimals), above zero; or within a bound.
        case money, moneyUpTo(String), moneyAtLeast(String)
        case anotherFund, anotherPerson
    }

    public enum Latest: Equatable, Sendable {
        case person(name: String)
        case caseStage(number: String, stage: CaseStage)
        case version(Int)
    }

    public enum Refusal: Equatable, Sendable {
        case storeExists
        case notOnRoster(account: String)
        case cannot(role: Role, account: String, Denied)
        case ownClosure
        case closureNeedsSupervisor
        case noReferralConsent(person: String)
        case demoStoreOnly(path: String)
        case demoAdminOnly
        /// A record carried from another store, written as `actor` there, brought here by someone
        /// else: nobody here has vouched that `actor` really wrote it.
        case notVouched(actor: String, origin: String)
        /// Records of an origin this store has not met through its station admin.
        case originNotIntroduced(String)
        /// A decision on a project by the account that entered its application.
        case ownProject
        /// A fund or project record carried from another store.
        case hubKeptAtStation(String)
    }

    /// What a role may not do (the rule is in Policy.swift).
    public enum Denied: Equatable, Sendable {
        case manageStaffOrSites, importEvents, registerOutsideCommunity, openCase, recordGroupWork, changeVolunteers
        case change(String), reassign(String), recordVisits(String), changeCase(String), linkVisit(case: String)
        case writeSupervisionNote(String), decideClosure(String), write(type: String)
        case leadTheHub, recordProjectWork, keepTalentPool, recordIncubation, postWish(String), changeWish(String), correctIncubation
    }

    public enum Problem: Equatable, Sendable {
        case alreadyExists(String)
        case caseClosed(number: String)
        case noClosureRequest(String)
        case closureAlreadyRequested
        /// A closure for goals met asked for before the case was evaluated (or after work resumed).
        case evaluationFirst(number: String)
        case visitWithdrawn(String)
        case timeBankShort(balance: Double, asked: Double)
        /// A carried record names a record by an id no store could have made.
        case badRecordID(String)
        /// A fund's pool holds less than an entry would take out of it.
        case fundShort(fund: String, pool: Pool, balance: Money, asked: Money)
        /// Restricted money granted to a project in another field.
        case restrictedPurpose(purpose: ProjectField, field: ProjectField)
        /// More granted to or spent by a project than was approved.
        case overApproved(project: String, approved: Money, already: Money, asked: Money)
        /// A step the project's stage does not allow.
        case projectStage(project: String, stage: ProjectStage)
        case alreadyReversed(String, by: String)
        case reversalOfReversal(String)
        /// An organisation moved back, or to the stage it is at.
        case incubationStage(org: String, stage: IncubationStage)
        case lowerCertificate(name: String, held: CertLevel)
        case wishStage(item: String, stage: WishStage)
        /// A wish a fund paid towards, withdrawn before the grant is reversed.
        case wishPaid(item: String)
        /// A wish's public words name or locate its person.
        case cardIdentifies(field: String)
        /// A wish's public words name a health, disability or justice category.
        case cardSensitive(field: String, word: String)
        /// A community fund pays only for what is in its community.
        case outsideFundArea(fund: String)
        case supervisorNotCertified(name: String)
        case wishNeedsConsent
    }

    public var description: String { text(chinese: false) }

    /// Worded for a person; `form` names fields as that form labels them (several forms share a
    /// key such as `summary`: 预估摘要 in one, 结案摘要 in another).
    public func text(chinese zh: Bool, form: String? = nil) -> String {
        func label(_ key: String) -> String { Forms.fieldLabel(key, chinese: true, preferring: form) }
        switch self {
        case .missingField(let f): return zh ? "缺少必填项: \(label(f))" : "missing field: \(f)"
        case .invalidValue(let f, let v, let e):
            return zh ? "\(label(f)) 「\(v)」 无效,应为\(e.text(chinese: true))" : "invalid \(f) \"\(v)\": expected \(e.text(chinese: false))"
        case .unknown(let k, let id): return zh ? "找不到\(Self.kindLabel(k)): \(id)" : "unknown \(k): \(id)"
        case .conflict(let s, let e, let a, let latest):
            return zh ? "\(s) 已被他人修改(你编辑的是第 \(e) 版,现为第 \(a) 版:\(latest.text(chinese: true))),你的输入已保留"
                : "\(s) was changed by someone else (you edited version \(e), it is now version \(a): \(latest.text(chinese: false))); "
                    + "your input was kept, review the newer version and save again"
        case .notAllowed(let r): return zh ? "不允许: \(r.text(chinese: true))" : "not allowed: \(r.text(chinese: false))"
        case .invalidState(let p): return p.text(chinese: zh)
        }
    }

    static func kindLabel(_ kind: String) -> String {
        ["person": "服务对象", "case": "个案", "group": "小组", "volunteer": "志愿者", "visit": "走访记录", "hours": "时长记录",
         "staff": "工作人员", "site": "站点", "fund": "基金", "project": "项目", "ledger entry": "账目", "record": "记录",
         "organisation": "社会组织", "talent": "人才库人员", "training": "培训", "wish": "微心愿"][kind] ?? kind
    }
}

extension DomainError.Expected {
    public func text(chinese zh: Bool) -> String {
        func labels(_ codes: [String]) -> String {
            codes.map { Vocabularies.label(of: $0, chinese: zh) }.joined(separator: zh ? "、" : ", ")
        }
        switch self {
        case .date: return zh ? "日期,如 2026-11-21、11-21、今天 或 昨天" : "a date such as 2026-11-21, 11-21, 今天 or 昨天"
        case .time: return zh ? "时间,如 09:30 或 14:05(时 0–23,分 00–59)" : "a time such as 09:30 or 14:05 (hours 0-23, minutes 00-59)"
        case .wholeNumber: return zh ? "整数" : "a whole number"
        case .hours: return zh ? "0 到 24 之间的小时数,如 2.5" : "hours between 0 and 24, e.g. 2.5"
        case .yesNo: return zh ? "是 或 否" : "yes or no (是/否)"
        case .version: return zh ? "版本号" : "a version number"
        case .idNumber: return zh ? "18 位身份证号(校验位不符,请核对)" : "an 18-character resident ID number (the check character does not match; check it)"
        case .phone: return zh ? "11 位手机号或带区号的固定电话,如 023-62345678" : "an 11-digit mobile or a landline with its area code, e.g. 023-62345678"
        case .notAfter(let day): return zh ? "不晚于 \(day) 的日期" : "a date no later than \(day)"
        case .notBefore(let day): return zh ? "不早于 \(day) 的日期" : "a date no earlier than \(day)"
        case .atMostCharacters(let n): return zh ? "不超过 \(n) 个字" : "at most \(n) characters"
        case .matchesIDNumberOnFile: return zh ? "与档案中的身份证号一致(出生日期和性别由身份证号决定)" : "what the ID number on file says (it fixes birth date and sex)"
        case .matchesIDNumber(let v):
            return zh ? "与身份证号一致: \(Vocabularies.label(of: v, chinese: true))" : "what the ID number says: \(Vocabularies.label(of: v, chinese: false))"
        case .attendance: return zh ? "服务对象:出席|缺席|请假,如 P-1:出席" : "PERSON:present|absent|leave, e.g. P-1:出席"
        case .oneOf(let codes): return zh ? "以下之一: \(labels(codes))" : "one of \(labels(codes))"
        case .itemsOf(let codes): return zh ? "以下几项(逗号分隔): \(labels(codes))" : "items from \(labels(codes))"
        case .money: return zh ? "大于 0 的金额(元,最多两位小数),如 1200、1,200.50 或 3.5万" : "an amount above zero in yuan (at most two decimals), e.g. 1200, 1,200.50 or 3.5万"
        case .moneyUpTo(let most): return zh ? "大于 0 且不超过 \(most) 元的金额" : "an amount above zero and at most \(most) yuan"
        case .moneyAtLeast(let least): return zh ? "不少于 \(least) 元(已支出或已拨付)的金额" : "an amount of at least \(least) yuan (already spent or granted)"
        case .anotherFund: return zh ? "另一个基金" : "another fund"
        case .anotherPerson: return zh ? "另一个人" : "someone else"
        case .fieldOf(let keys):
            return zh ? "以下栏目之一: " + keys.map { Forms.fieldLabel($0, chinese: true) }.joined(separator: "、")
                : "one of: " + keys.joined(separator: ", ")
        }
    }
}

extension DomainError.Latest {
    public func text(chinese zh: Bool) -> String {
        switch self {
        case .person(let name): return zh ? "档案现为 \(name)" : "last changed, record now \(name)"
        case .caseStage(let number, let stage): return zh ? "个案 \(number) 现处于\(stage.zh)" : "case \(number) now at stage \(stage.en)"
        case .version(let n): return zh ? "第 \(n) 版" : "version \(n)"
        }
    }
}

extension DomainError.Refusal {
    public func text(chinese zh: Bool) -> String {
        switch self {
        case .storeExists: return zh ? "数据库已存在" : "the store already exists"
        case .notOnRoster(let a): return zh ? "账号 \(a) 不在本站工作人员名单中" : "account \(a) is not on the staff roster"
        case .cannot(let role, let account, let what):
            return zh ? "\(role.zh) \(account) 不能\(what.text(chinese: true))" : "\(role.en) \(account) cannot \(what.text(chinese: false))"
        case .ownClosure: return zh ? "社工不能批准或退回自己的结案申请" : "a worker cannot approve or reject their own closure request"
        case .closureNeedsSupervisor: return zh ? "只有督导或站长可以审批结案" : "only a supervisor or the station admin can decide on a closure"
        case .noReferralConsent(let p):
            return zh ? "\(p) 尚未同意转介;请先记录知情同意(范围:转介)" : "\(p) has not consented to a referral; record consent (scope referral) first"
        case .demoStoreOnly(let path):
            return zh ? "演示数据只能加入由 demo 建立的数据库;\(path) 是社工站的数据库" : "demo adds generated records only to a store it created; \(path) is a station's store"
        case .demoAdminOnly: return zh ? "只有演示库的站长或 root 可以加入演示数据" : "only the demo store's admin or root may add demo records"
        case .originNotIntroduced(let origin):
            return zh ? "来源 \(origin) 尚未由站长引入:请站长先运行一次同步" : "origin \(origin) has not been introduced here: a station admin must run a sync of it first"
        case .hubKeptAtStation(let origin):
            return zh ? "基金和项目只在社工站本库记账,不从 \(origin) 同步" : "funds and projects are kept in the station's own store, not carried from \(origin)"
        case .ownProject: return zh ? "录入项目申报的人不能初评、审批或结项该项目:请站长或另一位督导处理"
                : "whoever entered a project's application cannot screen, decide on or close it: the station admin or another supervisor does"
        case .notVouched(let actor, let origin):
            return zh ? "该记录在 \(origin) 由 \(actor) 写入,但同步它的人不是 \(actor),也没有站长为其担保 (sync --vouch)"
                : "written as \(actor) at \(origin) and brought here by someone else, and no station admin vouched for it (sync --vouch)"
        }
    }
}

extension DomainError.Denied {
    public func text(chinese zh: Bool) -> String {
        switch self {
        case .manageStaffOrSites: return zh ? "管理站点或工作人员(仅站长)" : "manage sites or staff (station admin only)"
        case .importEvents: return zh ? "导入数据(仅站长)" : "import events (station admin only)"
        case .registerOutsideCommunity: return zh ? "在自己社区以外登记服务对象" : "register people outside their own community"
        case .openCase: return zh ? "为此服务对象接案" : "open a case for this person"
        case .recordGroupWork: return zh ? "记录小组工作" : "record group work"
        case .changeVolunteers: return zh ? "修改志愿者记录" : "change volunteer records"
        case .change(let s): return zh ? "修改 \(s)" : "change \(s)"
        case .reassign(let s): return zh ? "把 \(s) 改派给其他社工(仅站长)" : "reassign \(s) to another worker (station admin only)"
        case .recordVisits(let p): return zh ? "为 \(p) 记录走访" : "record visits for \(p)"
        case .changeCase(let c): return zh ? "修改个案 \(c)" : "change case \(c)"
        case .linkVisit(let c): return zh ? "把走访关联到个案 \(c)" : "link a visit to case \(c)"
        case .writeSupervisionNote(let c): return zh ? "为 \(c) 写督导记录" : "write supervision notes on \(c)"
        case .decideClosure(let c): return zh ? "审批 \(c) 的结案" : "decide on the closure of \(c)"
        case .write(let type): return zh ? "写入 \(type)" : "write \(type)"
        case .leadTheHub: return zh ? "记账或审批项目(仅站长或督导)" : "keep fund accounts or decide on projects (station admin or supervisor only)"
        case .recordProjectWork: return zh ? "记录项目工作(社工或督导)" : "record project work (workers and supervisors)"
        case .keepTalentPool: return zh ? "维护人才库(仅站长或督导)" : "keep the talent pool (station admin or supervisor only)"
        case .recordIncubation: return zh ? "记录社会组织培育(社工、督导或志愿者协调员)" : "record incubation work (workers, supervisors, volunteer coordinators)"
        case .postWish(let p): return zh ? "为 \(p) 发布微心愿(仅其负责社工)" : "post a wish for \(p) (their own worker only)"
        case .correctIncubation: return zh ? "把孵化阶段改回(仅站长或督导,需写明原因)" : "move an incubation stage back (station admin or supervisor, with the reason)"
        case .changeWish(let w): return zh ? "处理心愿 \(w)(其服务对象的负责社工、督导,或志愿者协调员登记认领和实现)"
            : "change wish \(w) (the person's own worker or supervisor; a volunteer coordinator records claims and fulfilment)"
        }
    }
}

extension DomainError.Problem {
    public func text(chinese zh: Bool) -> String {
        switch self {
        case .alreadyExists(let id): return zh ? "\(id) 已存在" : "\(id) already exists"
        case .caseClosed(let n): return zh ? "个案 \(n) 已结案" : "case \(n) is closed"
        case .noClosureRequest(let id): return zh ? "\(id) 没有待审批的结案申请" : "there is no closure request waiting on \(id)"
        case .closureAlreadyRequested: return zh ? "已申请结案" : "closure already requested"
        case .visitWithdrawn(let id): return zh ? "走访 \(id) 已撤销" : "visit \(id) was withdrawn"
        case .badRecordID(let id): return zh ? "记录编号不合法: \(id)" : "not a record id any store makes: \(id)"
        case .evaluationFirst(let n):
            return zh ? "\(n) 还没有在最近的服务之后做评估:以「目标实现」结案前请先评估(v),或选择其他结案类型"
                      : "\(n) has no evaluation since its last service: evaluate it (v) before closing with goals met, or choose another closure type"
        case .fundShort(let fund, let pool, let balance, let asked):
            return zh ? "\(fund)(\(pool.label(chinese: true)))余额 \(balance.yuan) 元,不足 \(asked.yuan) 元"
                : "\(fund) (\(pool.label(chinese: false))) holds \(balance.yuan) yuan, less than \(asked.yuan)"
        case .restrictedPurpose(let purpose, let field):
            return zh ? "这笔钱限定用于「\(purpose.zh)」,不能拨给「\(field.zh)」项目" : "this money is restricted to \(purpose.en) and cannot go to a project in \(field.en)"
        case .overApproved(let project, let approved, let already, let asked):
            return zh ? "\(project) 立项金额 \(approved.yuan) 元,已有 \(already.yuan) 元,再加 \(asked.yuan) 元将超出;请先记录立项金额变更"
                : "\(project) was approved for \(approved.yuan) yuan and has \(already.yuan); \(asked.yuan) more would exceed it: record a change of the approved amount first"
        case .projectStage(let project, let stage):
            return zh ? "\(project) 处于「\(stage.zh)」阶段,不能进行这一步" : "\(project) is at stage \(stage.en): this step does not apply"
        case .alreadyReversed(let id, let by): return zh ? "\(id) 已由 \(by) 冲正" : "\(id) was already reversed by \(by)"
        case .reversalOfReversal(let id): return zh ? "\(id) 是冲正记录,不能再冲正;请重新记一笔" : "\(id) is a reversal: record the entry again instead"
        case .incubationStage(let org, let stage):
            return zh ? "\(org) 处于「\(stage.zh)」:孵化阶段一次推进一步(孵化中可直接备案);记错了请站长或督导写明原因改回"
                : "\(org) is \(stage.en): incubation moves one stage at a time (filed may follow incubating); a mistake is moved back by a station lead, with the reason"
        case .lowerCertificate(let name, let held):
            return zh ? "\(name) 已持有\(held.zh)证书,不能登记更低的等级" : "\(name) already holds \(held.en) certification: a lower level cannot be recorded"
        case .wishStage(let item, let stage):
            return zh ? "心愿「\(item)」\(stage.zh),不能进行这一步" : "the wish \"\(item)\" is \(stage.en): this step does not apply"
        case .wishPaid(let item):
            return zh ? "心愿「\(item)」已有基金资助,请先在基金台账冲正这笔资助再撤回"
                : "the wish \"\(item)\" has money from a fund: reverse the grant in the fund's ledger before withdrawing it"
        case .cardIdentifies(let field):
            return zh ? "\(Forms.fieldLabel(field, chinese: true))会给捐赠方看,不能写服务对象或邻居的姓名、身份证号、电话或住址(门牌)"
                : "the \(field) is shown to donors: it must not hold the person's or a neighbour's name, ID number, phone or address"
        case .cardSensitive(let field, let word):
            return zh ? "\(Forms.fieldLabel(field, chinese: true))会给捐赠方看,不能写健康、残疾或司法类别(「\(word)」),可写「行动不便」「有困难」等"
                : "the \(field) is shown to donors: it must not name a health, disability or justice category (\(word)); say what is needed instead"
        case .supervisorNotCertified(let name):
            return zh ? "\(name) 没有登记社会工作者职业资格,督导由持证社工担任" : "\(name) holds no social work certificate: supervision is given by a certified social worker"
        case .wishNeedsConsent:
            return zh ? "发布前须征得本人或家属同意(知情同意选「是」)" : "the person (or their family) must agree before a wish is posted: answer yes to consent"
        case .outsideFundArea(let fund):
            return zh ? "\(fund) 是社区基金,只资助本社区的心愿" : "\(fund) is a community fund: it pays only for wishes in its community"
        case .timeBankShort(let balance, let asked):
            return zh ? "时间银行余额 \(formatHours(balance)) 小时,不能兑换 \(formatHours(asked)) 小时"
                : "time-bank balance is \(formatHours(balance)) h, cannot withdraw \(formatHours(asked)) h"
        }
    }
}
