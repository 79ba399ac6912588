/// The hub's rules, checked under the log lock for every writer (console, CLI, import, sync):
/// money never goes below zero in any pool of a fund, restricted money goes only to its purpose,
/// a project moves one stage at a time, is decided by someone other than who entered it, and
/// neither spends nor receives more than was approved.
extension State {
    func validateHub(_ event: Event, type: EventType) throws(DomainError) {
        let b = event.body
        let amount = Hub.money(b)
        func positive(_ key: String = "amount") throws(DomainError) {
            let m = Hub.money(b, key)
            guard m.fen > 0, m <= Money.limit else { throw .invalidValue(field: key, value: b[key]?.text ?? "", expected: .money) }
        }
        func fund(_ key: String) throws(DomainError) -> Int32 {
            guard let id = b[key]?.string, let f = hub.fundPosition(id) else { throw .unknown(kind: "fund", id: b[key]?.string ?? "") }
            let opened = hub.funds[Int(f)].openedOn
            if day < opened { throw .invalidValue(field: "date", value: day.iso, expected: .notBefore(opened.iso)) }
            return f
        }
        // The day an entry or step counts on: readable, and not after the day it was written.
        let day: Day
        if let text = b["date"] {
            guard let d = text.string.flatMap({ Day(iso: $0) }) else { throw .invalidValue(field: "date", value: text.text, expected: .date) }
            guard d <= event.at.day() else { throw .invalidValue(field: "date", value: d.iso, expected: .notAfter(event.at.day().iso)) }
            day = d
        } else {
            day = event.at.day()
        }
        // A code must be one of its list: an unknown purpose must not turn restricted money into free money.
        for (key, codes) in Self.codedFields(type) where b[key] != nil && !(b[key]?.string.map(codes.contains) ?? false) {
            throw .invalidValue(field: key, value: b[key]?.text ?? "", expected: .oneOf(codes))
        }
        func cover(_ f: Int32, _ pool: Pool, _ asked: Money) throws(DomainError) {
            let balance = hub.spendable(from: f, pool: pool, on: day)
            if asked > balance {
                throw .invalidState(.fundShort(fund: hub.funds[Int(f)].name, pool: pool, balance: balance, asked: asked))
            }
        }
        switch type {
        case .fundDonation, .fundGrant, .fundTransfer, .fundReversed:
            guard hub.sides(of: event.subject).isEmpty else { throw .invalidState(.alreadyExists(event.subject)) }
        default: break
        }
        switch type {
        case .fundOpened:
            let name = b["name"]?.string ?? ""
            if name.isEmpty { throw .missingField("name") }
            if hub.funds.contains(where: { $0.name == name }) { throw .invalidState(.alreadyExists(name)) }
        case .fundDonation:
            _ = try fund("fund")
            try positive()
        case .fundGrant where b["wish"] != nil:
            let f = try fund("fund")
            try positive()
            try validateWishGrant(b, amount: amount, day: day, fund: hub.funds[Int(f)])
            try cover(f, Hub.pool(b), amount)
        case .fundGrant:
            let f = try fund("fund")
            try positive()
            let pool = Hub.pool(b)
            guard let id = b["project"]?.string, let p = hub.project(id) else { throw .unknown(kind: "project", id: b["project"]?.string ?? "") }
            guard [.approved, .running, .midterm].contains(p.stage) else { throw .invalidState(.projectStage(project: p.name, stage: p.stage)) }
            if let approvedOn = p.approvedOn, day < approvedOn { throw .invalidValue(field: "date", value: day.iso, expected: .notBefore(approvedOn.iso)) }
            if let purpose = pool.purpose, purpose != p.field {
                throw .invalidState(.restrictedPurpose(purpose: purpose, field: p.field))
            }
            let approved = p.approved ?? .zero
            if p.granted + amount > approved {
                throw .invalidState(.overApproved(project: p.name, approved: approved, already: p.granted, asked: amount))
            }
            try cover(f, pool, amount)
        case .fundTransfer:
            let from = try fund("fund"), to = try fund("to")
            guard from != to else { throw .invalidValue(field: "to", value: b["to"]?.string ?? "", expected: .anotherFund) }
            try positive()
            try cover(from, Hub.pool(b), amount)
        case .fundReversed:
            guard let id = b["entry"]?.string, case let sides = hub.sides(of: id), let first = sides.first else {
                throw .unknown(kind: "ledger entry", id: b["entry"]?.string ?? "")
            }
            guard first.kind != .reversal else { throw .invalidState(.reversalOfReversal(id)) }
            guard first.reversedBy == nil else { throw .invalidState(.alreadyReversed(id, by: first.reversedBy ?? "")) }
            if day < first.day { throw .invalidValue(field: "date", value: day.iso, expected: .notBefore(first.day.iso)) }
            // A completed project's accounts are closed: its grants stay as they were evaluated.
            if first.kind == .grant, let p = hub.project(first.counterparty), p.stage == .completed {
                throw .invalidState(.projectStage(project: p.name, stage: p.stage))
            }
            if first.kind == .grant, let w = hub.wish(first.counterparty), w.stage == .fulfilled {
                throw .invalidState(.wishStage(item: w.item, stage: w.stage))
            }
            // Money that came in and has since gone out cannot be taken back: reverse the grant first.
            for side in sides where side.amount.fen > 0 { try cover(side.fund, side.pool, side.amount) }
        case .orgRegistered, .orgUpdated, .orgStage, .orgSupported, .talentAdded, .talentCertified, .talentSupervised, .trainingHeld,
             .wishPosted, .wishClaimed, .wishFulfilled, .wishWithdrawn:
            try validateCommunity(event, type: type, day: day)
        default:
            try validateProject(event, type: type, day: day)
        }
    }

    /// The body keys of a hub event that hold a code, and the codes each may hold.
    static func codedFields(_ type: EventType) -> [(String, [String])] {
        let field = ("field", codes(ProjectField.self))
        switch type {
        case .fundOpened: return [("kind", codes(FundKind.self))]
        case .fundDonation, .fundGrant, .fundTransfer: return [("purpose", codes(ProjectField.self))]
        case .projectApplied: return [("kind", codes(ApplicantKind.self)), ("source", codes(FundingSource.self)), field]
        case .projectCompleted: return [("grade", codes(ProjectGrade.self))]
        case .orgRegistered: return [("kind", codes(OrgKind.self)), field, ("stage", codes(IncubationStage.self))]
        case .orgUpdated: return [field]
        case .orgStage: return [("stage", codes(IncubationStage.self))]
        case .orgSupported: return [("support", codes(SupportKind.self))]
        case .talentAdded: return [("kind", codes(TalentKind.self))]
        case .talentCertified: return [("level", codes(CertLevel.self))]
        case .talentSupervised: return [("form", codes(SupervisionForm.self))]
        case .trainingHeld: return [("programme", codes(TrainingProgramme.self))]
        case .wishPosted: return [("source", codes(WishSource.self))]
        case .wishClaimed: return [("kind", codes(ClaimantKind.self))]
        default: return []
        }
    }

    private func validateProject(_ event: Event, type: EventType, day: Day) throws(DomainError) {
        let b = event.body
        if type == .projectApplied {
            let budget = Hub.money(b, "budget")
            guard budget.fen > 0, budget <= Money.limit else { throw .invalidValue(field: "budget", value: b["budget"]?.text ?? "", expected: .money) }
            if let s = b["starts"]?.string, let e = b["ends"]?.string, e < s { throw .invalidValue(field: "ends", value: e, expected: .notBefore(s)) }
            return
        }
        guard let p = hub.project(event.subject) else { throw .unknown(kind: "project", id: event.subject) }
        let stage = p.stage
        func at(_ stages: ProjectStage...) throws(DomainError) {
            guard stages.contains(stage) else { throw .invalidState(.projectStage(project: p.name, stage: stage)) }
        }
        // Whoever entered an application does not decide on it, whatever their role.
        func notTheSubmitter() throws(DomainError) {
            if p.submittedBy == event.actor { throw .notAllowed(.ownProject) }
        }
        let amount = Hub.money(b)
        let approved = p.approved ?? .zero
        // (Stage and who may act are checked before values, so a probe without values learns them.)
        switch type {
        case .projectScreened:
            try at(.applied); try notTheSubmitter()
        case .projectApproved:
            try at(.screened); try notTheSubmitter()
            guard amount.fen > 0, amount <= p.budget else {
                throw .invalidValue(field: "amount", value: amount.yuan, expected: .moneyUpTo(p.budget.yuan))
            }
        case .projectDeclined:
            try at(.applied, .screened); try notTheSubmitter()
        case .projectStarted:
            try at(.approved)
        case .projectMidterm:
            try at(.running)
        case .projectCompleted:
            try at(.running, .midterm); try notTheSubmitter()
        case .projectBudgetChanged:
            try at(.approved, .running, .midterm); try notTheSubmitter()
            let floor = max(p.spent, p.granted)
            guard amount.fen > 0, amount <= Money.limit, amount >= floor else {
                throw .invalidValue(field: "amount", value: amount.yuan, expected: .moneyAtLeast(floor.yuan))
            }
        case .projectExpense:
            try at(.running, .midterm)
            if let approvedOn = p.approvedOn, day < approvedOn { throw .invalidValue(field: "date", value: day.iso, expected: .notBefore(approvedOn.iso)) }
            guard amount.fen > 0, amount <= Money.limit else { throw .invalidValue(field: "amount", value: amount.yuan, expected: .money) }
            if p.spent + amount > approved {
                throw .invalidState(.overApproved(project: p.name, approved: approved, already: p.spent, asked: amount))
            }
        case .projectMilestone:
            try at(.applied, .screened, .approved, .running, .midterm)
        case .projectLinked:
            try at(.approved, .running, .midterm, .completed)
            for r in b["records"]?.strings ?? [] where group(r) == nil && caseFile(r) == nil && visit(r) == nil
                && !activities.contains(where: { $0.id == r }) {
                throw .unknown(kind: "record", id: r)
            }
        default: break
        }
        // Steps happen in order in time too: none is dated before the step it follows.
        if ![.projectMilestone, .projectLinked, .projectExpense].contains(type), day < p.lastStep {
            throw .invalidValue(field: "date", value: day.iso, expected: .notBefore(p.lastStep.iso))
        }
    }
}
