/// The fixed values of the hub's records (projects and funds). Codes are unique across every
/// vocabulary, since a code's label is looked up in the first list that has it.

public enum ProjectStage: String, Vocabulary {
    case applied, screened, approved, running, midterm, completed, declined
    public var zh: String {
        switch self {
        case .applied: "申报"; case .screened: "初评"; case .approved: "立项"; case .running: "执行"
        case .midterm: "中期"; case .completed: "结项"; case .declined: "不予立项"
        }
    }
    public var en: String {
        switch self {
        case .applied: "applied"; case .screened: "screened"; case .approved: "approved"; case .running: "running"
        case .midterm: "mid-term review"; case .completed: "completed"; case .declined: "declined"
        }
    }
}

public enum ApplicantKind: String, Vocabulary {
    case organisation, residents, ownStation = "own-station", agency
    public var zh: String {
        switch self { case .organisation: "社区社会组织"; case .residents: "居民自组织"; case .ownStation: "本站"; case .agency: "社工机构" }
    }
    public var en: String {
        switch self { case .organisation: "community organisation"; case .residents: "resident group"; case .ownStation: "the station itself"; case .agency: "agency" }
    }
}

public enum FundingSource: String, Vocabulary {
    case government, lottery, fundPool = "fund-pool", foundation
    public var zh: String {
        switch self { case .government: "政府购买"; case .lottery: "福彩公益金"; case .fundPool: "基金库"; case .foundation: "基金会" }
    }
    public var en: String {
        switch self { case .government: "government purchase"; case .lottery: "welfare lottery fund"; case .fundPool: "the fund pool"; case .foundation: "foundation" }
    }
}

/// What a project works on; a restricted donation names one of these as its purpose.
public enum ProjectField: String, Vocabulary {
    case elderly, children, disability, hardship, governance, renewal, wishes
    public var zh: String {
        switch self {
        case .elderly: "养老"; case .children: "儿童"; case .disability: "助残"; case .hardship: "困难帮扶"
        case .governance: "社区治理"; case .renewal: "微更新"; case .wishes: "微心愿"
        }
    }
    public var en: String {
        switch self {
        case .elderly: "elderly care"; case .children: "children"; case .disability: "disability"; case .hardship: "hardship relief"
        case .governance: "community governance"; case .renewal: "micro-renewal"; case .wishes: "micro-wishes"
        }
    }
}

public enum FundKind: String, Vocabulary {
    case charityPool = "charity-pool", communityFund = "community-fund"
    public var zh: String { self == .charityPool ? "公益慈善基金库" : "社区基金" }
    public var en: String { self == .charityPool ? "charity fund pool" : "community fund" }
}

/// What a ledger entry is. A transfer is one entry on each of its two funds.
public enum EntryKind: String, Vocabulary {
    case donation, grant, transferIn = "transfer-in", transferOut = "transfer-out", reversal
    public var zh: String {
        switch self { case .donation: "捐赠收入"; case .grant: "资助支出"; case .transferIn: "调入"; case .transferOut: "调出"; case .reversal: "冲正" }
    }
    public var en: String {
        switch self { case .donation: "donation"; case .grant: "grant"; case .transferIn: "transfer in"; case .transferOut: "transfer out"; case .reversal: "reversal" }
    }
}

public enum ProjectGrade: String, Vocabulary {
    case excellent, good, pass, fail
    public var zh: String { switch self { case .excellent: "优秀"; case .good: "良好"; case .pass: "合格"; case .fail: "不合格" } }
    public var en: String { switch self { case .excellent: "excellent"; case .good: "good"; case .pass: "pass"; case .fail: "fail" } }
}
