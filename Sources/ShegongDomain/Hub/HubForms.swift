/// The hub's forms: the same table the console and `shegong add` read for every other record.
extension Forms {
    /// The date comes last: the cursor starts on what the person came to write (it defaults to today).
    static func project(_ name: String, _ zh: String, _ en: String, _ type: EventType, _ fields: [FieldSpec]) -> FormSpec {
        FormSpec(name: name, zh: zh, en: en, eventType: type.rawValue, subject: .existing(.project),
                 fields: [id(.project, "项目", "project")] + fields + [FieldSpec("date", "日期", "date", .date, required: true)], versioned: false)
    }

    static func ledger(_ name: String, _ zh: String, _ en: String, _ type: EventType, _ fields: [FieldSpec]) -> FormSpec {
        FormSpec(name: name, zh: zh, en: en, eventType: type.rawValue, subject: .new(prefix: "L"),
                 fields: fields + [FieldSpec("date", "日期", "date", .date, required: true)], versioned: false)
    }

    static let pool: [FieldSpec] = [
        FieldSpec("purpose", "限定用途", "restricted to", .choice(codes(ProjectField.self))),
        FieldSpec("inkind", "实物", "in kind", .bool),
    ]
    /// The same pool named from the paying side: which restricted money (or goods) an entry spends.
    static let spentPool: [FieldSpec] = [
        FieldSpec("purpose", "动用限定资金", "spend money restricted to", .choice(codes(ProjectField.self))),
        FieldSpec("inkind", "动用实物", "spend goods in kind", .bool),
    ]

    static let hub: [FormSpec] = [
        FormSpec(name: "fund", zh: "设立基金", en: "open a fund", eventType: EventType.fundOpened.rawValue, subject: .new(prefix: "F"), fields: [
            FieldSpec("name", "基金名称", "name", required: true),
            FieldSpec("kind", "类型", "kind", .choice(codes(FundKind.self)), required: true),
            FieldSpec("site", "站点", "site", .site, required: true),
            FieldSpec("date", "设立日期", "opened on", .date, required: true),
        ], versioned: false),
        ledger("donation", "捐赠收入", "donation", .fundDonation, [
            FieldSpec("fund", "基金", "fund", .fund, required: true),
            FieldSpec("amount", "金额(元)", "amount (yuan)", .money, required: true),
            FieldSpec("donor", "捐赠方", "donor", required: true),
        ] + pool + [
            FieldSpec("receipt", "收据号", "receipt number"),
            FieldSpec("note", "备注", "note", .longText),
        ]),
        ledger("grant", "资助支出", "grant", .fundGrant, [
            FieldSpec("fund", "基金", "fund", .fund, required: true),
            FieldSpec("project", "资助项目", "project", .project, required: true),
            FieldSpec("amount", "金额(元)", "amount (yuan)", .money, required: true),
        ] + spentPool + [FieldSpec("note", "备注", "note", .longText)]),
        ledger("wish-grant", "资助微心愿", "grant to a wish", .fundGrant, [
            FieldSpec("fund", "基金", "fund", .fund, required: true),
            FieldSpec("wish", "微心愿", "wish", .wish, required: true),
            FieldSpec("amount", "金额(元)", "amount (yuan)", .money, required: true),
        ] + spentPool + [FieldSpec("note", "备注", "note", .longText)]),
        ledger("fund-transfer", "基金调拨", "transfer", .fundTransfer, [
            FieldSpec("fund", "调出基金", "from fund", .fund, required: true),
            FieldSpec("to", "调入基金", "to fund", .fund, required: true),
            FieldSpec("amount", "金额(元)", "amount (yuan)", .money, required: true),
        ] + spentPool + [FieldSpec("note", "说明", "note", .longText)]),
        ledger("reversal", "冲正", "reversal", .fundReversed, [
            FieldSpec("entry", "冲正的账目", "entry reversed", .ledgerEntry, required: true),
            FieldSpec("reason", "原因", "reason", required: true),
        ]),
        FormSpec(name: "project", zh: "项目申报", en: "project application", eventType: EventType.projectApplied.rawValue,
                 subject: .new(prefix: "PJ"), fields: [
            FieldSpec("name", "项目名称", "name", required: true),
            FieldSpec("kind", "申报主体类型", "applicant kind", .choice(codes(ApplicantKind.self)), required: true),
            FieldSpec("applicant", "申报主体", "applicant", required: true),
            FieldSpec("funder", "购买方/资助方", "purchaser or funder"),
            FieldSpec("source", "资金来源", "funding source", .choice(codes(FundingSource.self)), required: true),
            FieldSpec("field", "服务领域", "field", .choice(codes(ProjectField.self)), required: true),
            FieldSpec("site", "站点", "site", .site, required: true),
            FieldSpec("budget", "申请金额(元)", "budget (yuan)", .money, required: true),
            FieldSpec("starts", "计划开始", "starts", .date),
            FieldSpec("ends", "计划结束", "ends", .date),
            FieldSpec("date", "申报日期", "applied on", .date, required: true),
            FieldSpec("summary", "项目概述", "summary", .longText),
        ], versioned: false),
        project("project-screen", "项目初评", "screen a project", .projectScreened, [FieldSpec("opinion", "初评意见", "opinion", .longText, required: true)]),
        project("project-approve", "立项", "approve a project", .projectApproved, [
            FieldSpec("amount", "立项金额(元)", "approved amount (yuan)", .money, required: true),
            FieldSpec("conditions", "立项要求", "conditions", .longText),
        ]),
        project("project-decline", "不予立项", "decline a project", .projectDeclined, [FieldSpec("reason", "原因", "reason", .longText, required: true)]),
        project("project-start", "项目执行", "start a project", .projectStarted, []),
        project("project-midterm", "中期评估", "mid-term review", .projectMidterm, [FieldSpec("finding", "评估意见", "finding", .longText, required: true)]),
        project("project-complete", "结项评估", "close a project", .projectCompleted, [
            FieldSpec("grade", "评估等级", "grade", .choice(codes(ProjectGrade.self)), required: true),
            FieldSpec("evaluation", "评估报告", "evaluation", .longText, required: true),
        ]),
        project("project-budget", "变更立项金额", "change the approved amount", .projectBudgetChanged, [
            FieldSpec("amount", "变更后金额(元)", "new approved amount (yuan)", .money, required: true),
            FieldSpec("reason", "变更原因", "reason", required: true),
        ]),
        project("project-expense", "项目支出", "project expense", .projectExpense, [
            FieldSpec("amount", "金额(元)", "amount (yuan)", .money, required: true),
            FieldSpec("item", "支出事项", "item", required: true),
            FieldSpec("note", "备注", "note", .longText),
        ]),
        project("milestone", "项目节点", "milestone", .projectMilestone, [
            FieldSpec("text", "节点", "milestone", required: true),
            FieldSpec("due", "计划完成", "due", .date, required: true),
            FieldSpec("done", "实际完成", "done on", .date),
        ]),
        project("project-link", "关联服务", "link services", .projectLinked, [FieldSpec("records", "小组/活动/走访/个案编号", "groups, activities, visits, cases", .list, required: true)]),
    ]
}
