/// The station as a hub: its charity funds and the community projects it funds, projected from
/// the same log as everything else. Entries and projects are never edited in place: each event
/// adds an entry or moves a project one step, and `validate` keeps the money rules.
public struct Hub: Equatable, Sendable {
    public var funds: [Fund] = []
    var fundIndex: [String: Int32] = [:]
    public var entries: [LedgerEntry] = []
    var entryIndex: [EntryKey: Int32] = [:]
    /// Ledger events so far: each makes one entry id (a transfer's two sides share theirs).
    public var ledgerEvents = 0
    public var projects: [Project] = []
    var projectIndex: [String: Int32] = [:]
    public var organisations: [Organisation] = []
    var organisationIndex: [String: Int32] = [:]
    public var talents: [Talent] = []
    var talentIndex: [String: Int32] = [:]
    public var trainings: [Training] = []
    var trainingIndex: [String: Int32] = [:]
    public var wishes: [Wish] = []
    var wishIndex: [String: Int32] = [:]

    public init() {}

    public func fund(_ id: String) -> Fund? { fundIndex[id].map { funds[Int($0)] } }
    public func fundPosition(_ id: String) -> Int32? { fundIndex[id] }
    public func project(_ id: String) -> Project? { projectIndex[id].map { projects[Int($0)] } }
    public func projectPosition(_ id: String) -> Int32? { projectIndex[id] }

    public func organisation(_ id: String) -> Organisation? { organisationIndex[id].map { organisations[Int($0)] } }
    public func organisationPosition(_ id: String) -> Int32? { organisationIndex[id] }
    public func talent(_ id: String) -> Talent? { talentIndex[id].map { talents[Int($0)] } }
    public func talentPosition(_ id: String) -> Int32? { talentIndex[id] }
    public func training(_ id: String) -> Training? { trainingIndex[id].map { trainings[Int($0)] } }
    public func wish(_ id: String) -> Wish? { wishIndex[id].map { wishes[Int($0)] } }
    public func wishPosition(_ id: String) -> Int32? { wishIndex[id] }

    public func version(of id: String) -> Int? {
        fund(id)?.version ?? project(id)?.version ?? organisation(id)?.version ?? talent(id)?.version ?? wish(id)?.version
            ?? training(id).map { _ in 1 }
    }

    /// False when an id repeats (see `positionsByID`).
    mutating func rebuildIndexes() -> Bool {
        guard let funds = positionsByID(funds.lazy.map(\.id)), let projects = positionsByID(projects.lazy.map(\.id)),
              let organisations = positionsByID(organisations.lazy.map(\.id)), let talents = positionsByID(talents.lazy.map(\.id)),
              let trainings = positionsByID(trainings.lazy.map(\.id)), let wishes = positionsByID(wishes.lazy.map(\.id)) else { return false }
        (fundIndex, projectIndex, organisationIndex) = (funds, projects, organisations)
        (talentIndex, trainingIndex, wishIndex) = (talents, trainings, wishes)
        entryIndex = Dictionary(entries.enumerated().map { (EntryKey(fund: $0.element.fund, id: $0.element.id), Int32($0.offset)) }) { a, _ in a }
        return true
    }
}

// MARK: - Applying

extension Hub {
    /// The pool a body names: `purpose` (a project field) and `inkind`.
    static func pool(_ b: JSON) -> Pool {
        Pool(purpose: b["purpose"]?.string.flatMap(ProjectField.init(rawValue:)), inKind: b["inkind"]?.bool ?? false)
    }

    static func money(_ b: JSON, _ key: String = "amount") -> Money { Money(fen: b[key]?.int ?? 0) }
    static func day(_ b: JSON, _ key: String) -> Day? { b[key]?.string.flatMap { Day(iso: $0) } }

    mutating func apply(_ event: Event, type: EventType, day: Day, offset: Int64) {
        let b = event.body
        switch type {
        case .fundOpened:
            guard fundIndex[event.subject] == nil else { return }
            fundIndex[event.subject] = Int32(funds.count)
            funds.append(Fund(id: event.subject, name: b["name"]?.string ?? "", kind: b["kind"]?.string.flatMap(FundKind.init(rawValue:)) ?? .charityPool,
                              site: b["site"]?.string ?? "", openedOn: day))
        case .fundDonation, .fundGrant, .fundTransfer:
            guard let f = b["fund"]?.string.flatMap({ fundIndex[$0] }) else { return }
            ledgerEvents += 1
            let amount = Self.money(b)
            let kind: EntryKind = type == .fundDonation ? .donation : type == .fundGrant ? .grant : .transferOut
            let counterparty = b[type == .fundDonation ? "donor" : type == .fundGrant ? (b["wish"] != nil ? "wish" : "project") : "to"]?.string ?? ""
            add(LedgerEntry(id: event.subject, fund: f, day: day, kind: kind, amount: kind == .donation ? amount : -amount,
                            pool: Self.pool(b), counterparty: counterparty, receipt: b["receipt"]?.string ?? "",
                            reverses: nil, reversedBy: nil, recorder: event.actor, offset: offset))
            if type == .fundTransfer, let to = fundIndex[counterparty] {
                add(LedgerEntry(id: event.subject, fund: to, day: day, kind: .transferIn, amount: amount, pool: Self.pool(b),
                                counterparty: funds[Int(f)].id, receipt: "", reverses: nil, reversedBy: nil, recorder: event.actor, offset: offset))
            }
            if type == .fundGrant, let p = projectIndex[counterparty] {
                projects[Int(p)].granted += amount
                projects[Int(p)].offsets.append(offset)
            }
            if type == .fundGrant, let w = wishIndex[counterparty] { grantToWish(Int(w), amount, fund: funds[Int(f)].name, day: day, offset: offset) }
        case .fundReversed:
            guard let undone = b["entry"]?.string else { return }
            let sides = sides(of: undone).filter { $0.reversedBy == nil && $0.kind != .reversal }
            guard !sides.isEmpty else { return }
            ledgerEvents += 1
            for side in sides {
                add(LedgerEntry(id: event.subject, fund: side.fund, day: day, kind: .reversal, amount: -side.amount, pool: side.pool,
                                counterparty: side.counterparty, receipt: side.receipt, reverses: side.id, reversedBy: nil,
                                recorder: event.actor, offset: offset))
                if let k = entryIndex[EntryKey(fund: side.fund, id: side.id)] { entries[Int(k)].reversedBy = event.subject }
                if side.kind == .grant, let p = projectIndex[side.counterparty] {
                    projects[Int(p)].granted += side.amount   // the grant's amount is negative: this takes it back
                    projects[Int(p)].offsets.append(offset)
                }
                if side.kind == .grant, let w = wishIndex[side.counterparty] { ungrantWish(Int(w), side.amount, offset: offset) }
            }
        case .orgRegistered, .orgUpdated, .orgStage, .orgSupported:
            applyOrganisation(event, type: type, day: day, offset: offset)
        case .talentAdded, .talentCertified, .talentSupervised, .trainingHeld:
            applyTalent(event, type: type, day: day, offset: offset)
        default:
            applyProject(event, type: type, day: day, offset: offset)
        }
    }

    private mutating func add(_ entry: LedgerEntry) {
        entryIndex[EntryKey(fund: entry.fund, id: entry.id)] = Int32(entries.count)
        entries.append(entry)
    }

    private mutating func applyProject(_ event: Event, type: EventType, day: Day, offset: Int64) {
        let b = event.body
        if type == .projectApplied {
            guard projectIndex[event.subject] == nil else { return }
            projectIndex[event.subject] = Int32(projects.count)
            projects.append(Project(id: event.subject, name: b["name"]?.string ?? "",
                                    applicantKind: b["kind"]?.string.flatMap(ApplicantKind.init(rawValue:)) ?? .organisation,
                                    applicant: b["applicant"]?.string ?? "", submittedBy: event.actor, funder: b["funder"]?.string ?? "",
                                    source: b["source"]?.string.flatMap(FundingSource.init(rawValue:)) ?? .fundPool,
                                    field: b["field"]?.string.flatMap(ProjectField.init(rawValue:)) ?? .governance,
                                    site: b["site"]?.string ?? "", budget: Self.money(b, "budget"), appliedOn: day,
                                    starts: Self.day(b, "starts"), ends: Self.day(b, "ends"),
                                    stage: .applied, lastStep: day, offsets: [offset]))
            return
        }
        guard let k = projectIndex[event.subject] else { return }
        let i = Int(k)
        switch type {
        case .projectScreened: projects[i].stage = .screened
        case .projectApproved:
            projects[i].stage = .approved
            projects[i].approved = Self.money(b)
            projects[i].approvedBy = event.actor
            projects[i].approvedOn = day
        case .projectDeclined:
            projects[i].stage = .declined
            projects[i].declineReason = b["reason"]?.string ?? ""
        case .projectStarted: projects[i].stage = .running
        case .projectMidterm: projects[i].stage = .midterm
        case .projectCompleted:
            projects[i].stage = .completed
            projects[i].closedOn = day
            projects[i].grade = b["grade"]?.string
        case .projectBudgetChanged: projects[i].approved = Self.money(b)
        case .projectExpense: projects[i].spent += Self.money(b)
        case .projectMilestone:
            let text = b["text"]?.string ?? ""
            let due = Self.day(b, "due") ?? day
            let done = Self.day(b, "done")
            if let m = projects[i].milestones.firstIndex(where: { $0.text == text }) {
                projects[i].milestones[m].due = due
                projects[i].milestones[m].done = done ?? projects[i].milestones[m].done
            } else {
                projects[i].milestones.append(Milestone(text: text, due: due, done: done))
            }
        case .projectLinked:
            for r in b["records"]?.strings ?? [] where !projects[i].links.contains(r) { projects[i].links.append(r) }
        default: return
        }
        if ![.projectMilestone, .projectLinked, .projectExpense].contains(type) { projects[i].lastStep = max(projects[i].lastStep, day) }
        projects[i].version += 1
        projects[i].offsets.append(offset)
    }
}
