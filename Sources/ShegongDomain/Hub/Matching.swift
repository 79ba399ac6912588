/// From a person's recorded needs to who and what could meet them: volunteers with the skill,
/// organisations working in the field, and funds with money that may go there. A suggestion
/// list a worker acts on, never an action taken.
public enum Matching {
    /// What each recorded need (`Needs.all`) calls for: volunteer skills (matched as words within
    /// a skill, so 维修 finds 维修家电) and the project fields whose organisations and money serve it.
    static let calls: [String: (skills: [String], fields: [ProjectField])] = [
        "生活照料": (["照料", "助餐", "送餐", "助浴", "家政", "理发", "陪伴"], [.elderly]),
        "康复护理": (["康复", "护理", "医护", "按摩", "医疗"], [.disability, .elderly]),
        "精神慰藉": (["陪伴", "聊天", "探访", "心理", "文艺"], [.elderly]),
        "适老化改造": (["维修", "水电", "电工", "木工", "改造"], [.renewal, .elderly]),
        "医疗": (["医疗", "医护", "医生", "护士", "保健", "义诊"], [.elderly, .disability]),
        "经济援助": ([], [.hardship, .wishes]),
        "法律援助": (["法律", "律师", "调解"], [.governance, .hardship]),
        "就业": (["就业", "职业", "技能", "培训"], [.hardship, .disability]),
    ]

    public enum Kind: Sendable, Equatable { case volunteer, organisation, fund }

    public struct Suggestion: Sendable, Equatable {
        public var kind: Kind
        public var id: String
        public var name: String
        /// The need it answers, and what in the record matched (a skill, a field, money held).
        public var need: String
        public var because: String
    }

    /// Funds that could pay for an open wish now: serving its community, holding money free to use
    /// or restricted to micro-wishes, at least what is still to pay.
    public static func fundsFor(_ w: Wish, in state: State, on day: Day) -> [Suggestion] {
        let owed = w.value - w.granted
        guard w.isOpen, owed.fen > 0 else { return [] }
        return state.hub.funds.enumerated().compactMap { i, f in
            guard state.fundServes(f, site: w.site) else { return nil }
            let held = [Pool(), Pool(purpose: .wishes, inKind: false)].map { state.hub.spendable(from: Int32(i), pool: $0, on: day) }.sum()
            return held >= owed ? Suggestion(kind: .fund, id: f.id, name: f.name, need: ProjectField.wishes.zh, because: "¥" + held.yuan) : nil
        }
    }

    /// Up to `limit` of each kind for `needs`, those of `site` (the person's community) first.
    public static func suggestions(needs: [String], site: String, in state: State, on day: Day, limit: Int = 3) -> [Suggestion] {
        var volunteers: [Suggestion] = [], organisations: [Suggestion] = [], funds: [Suggestion] = []
        // The person's own community first, then its street (and the street's other communities).
        let parent = state.site(site)?.parent
        func local(_ s: String) -> Int { s == site ? 0 : s == parent || (parent != nil && state.site(s)?.parent == parent) ? 1 : 2 }
        for need in needs {
            guard let call = calls[need] else { continue }
            let skilled = state.volunteers.enumerated().compactMap { i, v -> (Int, Int, Suggestion)? in
                guard let skill = v.skills.first(where: { s in call.skills.contains { s.contains($0) } }) else { return nil }
                return (local(v.site), i, Suggestion(kind: .volunteer, id: v.id, name: v.name, need: need, because: skill))
            }
            volunteers += skilled.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
            let serving = state.hub.organisations.enumerated().compactMap { i, o -> (Int, Int, Suggestion)? in
                guard call.fields.contains(o.field) else { return nil }
                return (local(o.site), i, Suggestion(kind: .organisation, id: o.id, name: o.name, need: need, because: o.field.zh))
            }
            organisations += serving.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
            for (i, f) in state.hub.funds.enumerated() {
                // Money free to use, or restricted to a field that serves the need.
                let pools = [Pool()] + call.fields.map { Pool(purpose: $0, inKind: false) }
                let held = pools.map { state.hub.spendable(from: Int32(i), pool: $0, on: day) }.sum()
                if held.fen > 0 { funds.append(Suggestion(kind: .fund, id: f.id, name: f.name, need: need, because: "¥" + held.yuan)) }
            }
        }
        func firstOfEach(_ list: [Suggestion]) -> [Suggestion] {
            var seen = Set<String>()
            return Array(list.filter { seen.insert($0.id).inserted }.prefix(limit))
        }
        return firstOfEach(volunteers) + firstOfEach(organisations) + firstOfEach(funds)
    }
}
