/// The fixed values of the hub's people and groups: organisations it incubates, the talent pool
/// and micro-wishes. Codes are unique across every vocabulary (see `Vocabularies`).

public enum OrgKind: String, Vocabulary {
    case socialOrg = "social-org", volunteerTeam = "volunteer-team", residentGroup = "resident-group"
    public var zh: String { switch self { case .socialOrg: "社区社会组织"; case .volunteerTeam: "志愿服务队"; case .residentGroup: "居民自组织" } }
    public var en: String { switch self { case .socialOrg: "community social organisation"; case .volunteerTeam: "volunteer team"; case .residentGroup: "residents' group" } }
}

/// 培育中 → 孵化中 → 出壳, and 备案 once registered with civil affairs; only forward.
public enum IncubationStage: String, Vocabulary, Comparable {
    case cultivating, incubating, graduated, filed
    public var zh: String { switch self { case .cultivating: "培育中"; case .incubating: "孵化中"; case .graduated: "出壳"; case .filed: "备案" } }
    public var en: String { switch self { case .cultivating: "cultivating"; case .incubating: "incubating"; case .graduated: "graduated"; case .filed: "filed" } }
    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    /// Out of the incubator: what "organisations incubated" counts.
    public var isOut: Bool { self >= .graduated }
    public var next: IncubationStage? { Self.allCases.first { $0 > self } }
    /// Where an organisation may go from here: one step on, or to 备案 from 孵化中 (registered
    /// with civil affairs without a graduation of its own).
    public var onward: [IncubationStage] { [next].compactMap { $0 } + (self == .incubating ? [.filed] : []) }
}

public enum SupportKind: String, Vocabulary {
    case training, venue, funding, mentoring, resources
    public var zh: String { switch self { case .training: "培训"; case .venue: "场地"; case .funding: "资金"; case .mentoring: "陪伴指导"; case .resources: "资源链接" } }
    public var en: String { switch self { case .training: "training"; case .venue: "venue"; case .funding: "funding"; case .mentoring: "mentoring"; case .resources: "resource linking" } }
}

public enum TalentKind: String, Vocabulary {
    case stationWorker = "station-worker", localWorker = "local-worker", communityCadre = "community-cadre", residentLeader = "resident-leader"
    public var zh: String { switch self { case .stationWorker: "站点社工"; case .localWorker: "本土社工"; case .communityCadre: "社区两委"; case .residentLeader: "居民骨干" } }
    public var en: String { switch self { case .stationWorker: "station social worker"; case .localWorker: "local social worker"; case .communityCadre: "community committee member"; case .residentLeader: "resident leader" } }
}

/// The national certification levels (初级, 中级, 高级), in order.
public enum CertLevel: String, Vocabulary, Comparable {
    case assistant, social, senior
    public var zh: String { switch self { case .assistant: "助理社会工作师"; case .social: "社会工作师"; case .senior: "高级社会工作师" } }
    public var en: String { switch self { case .assistant: "assistant social worker"; case .social: "social worker"; case .senior: "senior social worker" } }
    public var short: (zh: String, en: String) {
        switch self { case .assistant: ("初级", "junior"); case .social: ("中级", "intermediate"); case .senior: ("高级", "senior") }
    }
    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

public enum TrainingProgramme: String, Vocabulary {
    case leaders, talents, everyone, continuing, other = "other-training"
    public var zh: String { switch self { case .leaders: "头雁计划"; case .talents: "优才计划"; case .everyone: "全员赋能"; case .continuing: "继续教育"; case .other: "其他培训" } }
    public var en: String { switch self { case .leaders: "lead-goose programme"; case .talents: "talent programme"; case .everyone: "training for all"; case .continuing: "continuing education"; case .other: "other training" } }
}

public enum SupervisionForm: String, Vocabulary {
    case individual, group = "group-supervision"
    public var zh: String { self == .individual ? "个别督导" : "团体督导" }
    public var en: String { self == .individual ? "individual" : "group" }
}

/// 待认领 → 已认领 → 已实现, or 已撤回 before it is fulfilled.
public enum WishStage: String, Vocabulary {
    case posted, claimed, fulfilled, withdrawn
    public var zh: String { switch self { case .posted: "待认领"; case .claimed: "已认领"; case .fulfilled: "已实现"; case .withdrawn: "已撤回" } }
    public var en: String { switch self { case .posted: "open"; case .claimed: "claimed"; case .fulfilled: "fulfilled"; case .withdrawn: "withdrawn" } }
}

public enum WishSource: String, Vocabulary {
    case visitNeed = "visit-need", casePlan = "case-plan", workerNoted = "worker-noted"
    public var zh: String { switch self { case .visitNeed: "走访需求"; case .casePlan: "个案计划"; case .workerNoted: "社工发现" } }
    public var en: String { switch self { case .visitNeed: "a visit's needs"; case .casePlan: "a case plan"; case .workerNoted: "noted by a worker" } }
}

public enum ClaimantKind: String, Vocabulary {
    case donor, volunteerClaim = "volunteer", organisationClaim = "organisation-claim"
    /// Set by a grant from one of the station's funds, never chosen in a claim: it says money moved.
    case stationFund = "station-fund"
    public var zh: String { switch self { case .donor: "爱心人士/企业"; case .volunteerClaim: "志愿者"; case .organisationClaim: "社会组织"; case .stationFund: "本站基金" } }
    public var en: String { switch self { case .donor: "donor"; case .volunteerClaim: "volunteer"; case .organisationClaim: "organisation"; case .stationFund: "the station's fund" } }
    /// What a person may say claimed a wish.
    public static let claimable: [ClaimantKind] = [.donor, .volunteerClaim, .organisationClaim]
}
