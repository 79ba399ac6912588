/// The forms of organisations, the talent pool, trainings and micro-wishes, in the one forms
/// table the console, `shegong add` and the demo read. As in the other hub forms, the date comes last.
extension Forms {
    private static let date = FieldSpec("date", "日期", "date", .date, required: true)

    static func step(_ name: String, _ zh: String, _ en: String, _ type: EventType, _ kind: FieldKind, _ idLabel: (String, String),
                     _ fields: [FieldSpec], dated: FieldSpec? = date, versioned: Bool = false) -> FormSpec {
        FormSpec(name: name, zh: zh, en: en, eventType: type.rawValue, subject: .existing(kind),
                 fields: [id(kind, idLabel.0, idLabel.1)] + fields + (dated.map { [$0] } ?? []), versioned: versioned)
    }

    static let community: [FormSpec] = [
        FormSpec(name: "organisation", zh: "登记社会组织", en: "register an organisation", eventType: EventType.orgRegistered.rawValue,
                 subject: .new(prefix: "O"), fields: [
            FieldSpec("name", "组织名称", "name", required: true),
            FieldSpec("kind", "类型", "kind", .choice(codes(OrgKind.self)), required: true),
            FieldSpec("field", "服务领域", "field", .choice(codes(ProjectField.self)), required: true),
            FieldSpec("site", "站点", "site", .site, required: true),
            FieldSpec("leader", "负责人", "leader", required: true),
            FieldSpec("members", "成员人数", "members", .number),
            FieldSpec("stage", "孵化阶段", "incubation stage", .choice([IncubationStage.cultivating.rawValue, IncubationStage.incubating.rawValue])),
            FieldSpec("date", "登记日期", "registered on", .date, required: true),
        ], versioned: false),
        step("org-update", "修改社会组织", "change an organisation", .orgUpdated, .organisation, ("组织", "organisation"), [
            FieldSpec("leader", "负责人", "leader"),
            FieldSpec("members", "成员人数", "members", .number),
            FieldSpec("field", "服务领域", "field", .choice(codes(ProjectField.self))),
        ], dated: nil, versioned: true),
        step("org-stage", "孵化阶段", "incubation stage", .orgStage, .organisation, ("组织", "organisation"), [
            FieldSpec("stage", "新阶段", "new stage", .choice(codes(IncubationStage.self)), required: true),
            FieldSpec("note", "说明(改回时必填原因)", "note (the reason, when moving back)", .longText),
        ]),
        step("org-support", "培育支持", "support given", .orgSupported, .organisation, ("组织", "organisation"), [
            FieldSpec("support", "支持方式", "kind of support", .choice(codes(SupportKind.self)), required: true),
            FieldSpec("hours", "时长(小时)", "hours", .hours),
            FieldSpec("value", "折合金额(元)", "value (yuan)", .money),
            FieldSpec("note", "内容", "what", .longText),
        ]),
        FormSpec(name: "talent", zh: "加入人才库", en: "add to the talent pool", eventType: EventType.talentAdded.rawValue,
                 subject: .new(prefix: "T"), fields: [
            FieldSpec("name", "姓名", "name", required: true),
            FieldSpec("kind", "类别", "kind", .choice(codes(TalentKind.self)), required: true),
            FieldSpec("site", "站点", "site", .site, required: true),
            FieldSpec("account", "工作人员账号", "staff account", .staff),
            FieldSpec("date", "入库日期", "added on", .date, required: true),
        ], versioned: false),
        step("certificate", "登记职业资格", "record a certificate", .talentCertified, .talent, ("人员", "person"), [
            FieldSpec("level", "等级", "level", .choice(codes(CertLevel.self)), required: true),
            FieldSpec("certificate", "证书编号", "certificate number", required: true),
        ], dated: FieldSpec("date", "取得日期", "certified on", .date, required: true)),
        step("supervision-hours", "督导时数", "supervision hours", .talentSupervised, .talent, ("受督导人", "supervisee"), [
            FieldSpec("supervisor", "督导", "supervisor", .talent, required: true),
            FieldSpec("hours", "时长(小时)", "hours", .hours, required: true),
            FieldSpec("form", "形式", "form", .choice(codes(SupervisionForm.self)), required: true),
            FieldSpec("note", "要点", "notes", .longText),
        ]),
        FormSpec(name: "training", zh: "培训记录", en: "training", eventType: EventType.trainingHeld.rawValue, subject: .new(prefix: "TR"), fields: [
            FieldSpec("title", "培训主题", "title", required: true),
            FieldSpec("programme", "培训计划", "programme", .choice(codes(TrainingProgramme.self)), required: true),
            FieldSpec("site", "站点", "site", .site, required: true),
            FieldSpec("hours", "学时", "hours", .hours, required: true),
            FieldSpec("attendees", "参训人员", "attendees (comma-separated)", .talents, required: true),
            FieldSpec("note", "内容", "content", .longText),
            date,
        ], versioned: false),
        FormSpec(name: "wish", zh: "发布微心愿", en: "post a wish", eventType: EventType.wishPosted.rawValue, subject: .new(prefix: "W"), fields: [
            FieldSpec("person", "服务对象", "person", .person, required: true),
            FieldSpec("item", "心愿物品/事项", "what is wished", required: true),
            FieldSpec("card", "捐赠方可见描述", "words donors see", .longText, required: true),
            FieldSpec("value", "估值(元)", "value (yuan)", .money, required: true),
            FieldSpec("source", "来源", "from", .choice(codes(WishSource.self)), required: true),
            FieldSpec("from", "来源记录编号", "visit or case", .text),
            FieldSpec("due", "希望完成日期", "wanted by", .date),
            FieldSpec("consent", "本人或家属同意发布", "the person or family agrees", .bool, required: true),
            FieldSpec("note", "备注(内部)", "note (internal)", .longText),
            date,
        ], versioned: false),
        step("wish-claim", "认领微心愿", "claim a wish", .wishClaimed, .wish, ("心愿", "wish"), [
            FieldSpec("kind", "认领方类型", "claimed by (kind)", .choice(ClaimantKind.claimable.map(\.rawValue)), required: true),
            FieldSpec("claimant", "认领方", "claimed by", required: true),
        ]),
        step("wish-fulfil", "心愿实现", "fulfil a wish", .wishFulfilled, .wish, ("心愿", "wish"), [
            FieldSpec("note", "情况", "how it went", .longText),
        ]),
        step("wish-withdraw", "撤回心愿", "withdraw a wish", .wishWithdrawn, .wish, ("心愿", "wish"), [
            FieldSpec("reason", "原因", "reason", required: true),
        ]),
    ]
}
