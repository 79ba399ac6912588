/// The projection of the log: everything the console shows and every report is computed from
/// this, and this is computed only from events, in log order.
public struct State: Sendable, Equatable {
    public var station = ""
    /// This store's origin (see `Origin`), from its first event.
    public var origin = ""
    /// The other origins whose records this store holds.
    public var origins: [String: OriginHead] = [:]
    public var sites: [Site] = []
    public var siteIndex: [String: Int] = [:]
    public var staff: [String: Staff] = [:]
    public internal(set) var people: [Person] = []
    /// Each person's last visit, beside `people` rather than in it: a replay writes it for every
    /// visit, at a person chosen at random, and in a column of a few hundred kilobytes that stays
    /// in cache, where each person's row (somewhere in megabytes) was a cache miss.
    public internal(set) var lastVisits: [Day?] = []
    /// Where each person is, by id (`personPosition`): a bit for an id at the place it names,
    /// a dictionary entry only for any other.
    var peopleByID = SequentialPlaces(prefix: "P")
    public internal(set) var visits: [VisitRow] = []
    public var visitIndex = SequentialIndex(prefix: "V")
    /// Which visits are each person's: kept from the first visit by a replayed state, built by a
    /// checkpoint's the first time an amendment needs it.
    var visitsByPerson = VisitsByPerson()
    public internal(set) var cases: [CaseFile] = []
    /// Where each case and volunteer is, as `peopleByID`.
    var casesByID = SequentialPlaces(prefix: "C")
    var volunteersByID = SequentialPlaces(prefix: "VOL")
    /// Case numbers in use: a new case's number is checked against it without a scan.
    var caseNumbers = Set<String>()
    public var groups: [Group] = []
    public var groupIndex: [String: Int32] = [:]
    public var activities: [Activity] = []
    public internal(set) var volunteers: [Volunteer] = []
    public internal(set) var hours: [HoursRecord] = []
    public var hoursIndex = SequentialIndex(prefix: "H")
    public internal(set) var timeBank: [TimeBankEntry] = []
    /// Each volunteer's hours and balance, summed as `hours` and `timeBank` grow.
    var volunteerTotals = VolunteerTotals()
    public var access: [AccessEntry] = []
    public var unknown: [UnknownEvent] = []
    /// Funds and projects: the station as a hub.
    public var hub = Hub()
    public var eventCount = 0
    /// Log offset of the last event applied (checkpoints name it).
    public var lastOffset: Int64 = 0

    public init() {}

    // MARK: Lookups

    public func person(_ id: String) -> Person? { personPosition(id).map { people[Int($0)] } }
    /// When the person at `index` in `people` was last visited, and when they are next due.
    public func lastVisit(of index: Int) -> Day? { lastVisits[index] }
    public func nextVisitDue(of index: Int) -> Day { people[index].nextVisitDue(lastVisit: lastVisits[index]) }
    /// The positions of the people due a visit by the day `due` was made for, found without
    /// working out when each is due (`nextVisitDue`): one comparison each, the rows read in place
    /// (a person read out of the list is a copy of every one of their texts).
    public func peopleDue(_ due: VisitsDue) -> [Int] {
        people.withUnsafeBufferPointer { people in
            lastVisits.withUnsafeBufferPointer { last in
                people.indices.filter { due.includes(tier: people[$0].tier, since: last[$0] ?? people[$0].registeredOn) }
            }
        }
    }
    /// Where a person is in `people`: "P-n" at n-1 (how ids are given out) needs neither the
    /// person's row nor a dictionary; other ids (imported, carried) go through one.
    public func personPosition(_ id: String) -> Int32? { peopleByID.position(of: id) }
    /// People a new registration may duplicate: the same ID number, or the same name and birth date.
    public func possibleDuplicates(name: String, birth: Day?, idNumber: String) -> [Person] {
        let id = ResidentID.normalized(idNumber)
        return people.filter { p in
            (!id.isEmpty && ResidentID.normalized(p.idNumber) == id) || (p.name == name && birth != nil && p.birth == birth)
        }
    }

    /// A staff member as people read them: their name, else (not on the roster) the account.
    public func staffName(_ account: String) -> String { staff[account]?.name ?? account }
    public func caseFile(_ id: String) -> CaseFile? { casePosition(id).map { cases[Int($0)] } }
    /// Where a case is in `cases`, and a volunteer in `volunteers`: as for people.
    public func casePosition(_ id: String) -> Int32? { casesByID.position(of: id) }
    public func volunteerPosition(_ id: String) -> Int32? { volunteersByID.position(of: id) }
    public func group(_ id: String) -> Group? { groupIndex[id].map { groups[Int($0)] } }
    public func volunteer(_ id: String) -> Volunteer? { volunteerPosition(id).map { volunteers[Int($0)] } }
    public func visit(_ id: String) -> VisitRow? { visitPosition(id).map { visits[Int($0)] } }
    public func visitPosition(_ id: String) -> Int32? { visitIndex.lookup(id, ids: { visits[$0].id }, count: visits.count) }
    public func hoursPosition(_ id: String) -> Int32? { hoursIndex.lookup(id, ids: { hours[$0].id }, count: hours.count) }
    public func site(_ id: String) -> Site? { siteIndex[id].map { sites[$0] } }

    /// The version a record is at: the number of events that changed it.
    public func version(of subject: String) -> Int? {
        if let i = personPosition(subject) { return people[Int(i)].version }
        if let i = casePosition(subject) { return cases[Int(i)].version }
        if let i = visitPosition(subject) { return Int(visits[Int(i)].version) }
        if let i = groupIndex[subject] { return groups[Int(i)].version }
        if let i = volunteerPosition(subject) { return volunteers[Int(i)].version }
        if let s = staff[subject] { return s.version }
        return hub.version(of: subject)
    }

    /// The log offset of the last event that changed a record, where the projection keeps it.
    public func lastChangeOffset(_ subject: String) -> Int64? {
        if let p = person(subject) { return p.offsets.last }
        if let v = visit(subject) { return v.offset }
        if let c = caseFile(subject) { return c.offsets.last }
        if let g = group(subject) { return g.offsets.last }
        return nil
    }

    /// A site and every site below it (roll-up for reports and access).
    public func siteAndDescendants(_ id: String) -> Set<String> {
        var result: Set<String> = [id]
        var changed = true
        while changed {
            changed = false
            for site in sites where !result.contains(site.id) {
                if let p = site.parent, result.contains(p) { result.insert(site.id); changed = true }
            }
        }
        return result
    }

    public func timeBankBalance(_ volunteer: Int32) -> Double { volunteerTotals.balance(volunteer) }
    public func certifiedHours(_ volunteer: Int32) -> Double { volunteerTotals.certifiedHours(volunteer) }

    // MARK: Applying events

    /// Applies one event. Total: an event referring to something unknown is counted and skipped,
    /// because the log is the truth and replay must never fail on what was once accepted.
    /// `facts`: what was read straight from the record's line (`BodyFacts`), when the event's
    /// body was not built for it; only for this store's own records of the current version.
    /// `known`: the type as the decoder found it (`EventType.named`), when it did.
    public mutating func apply(_ raw: Event, facts: BodyFacts? = nil, known: EventType.Named? = nil, offset: Int64) {
        assert(known == nil || known?.type.rawValue == raw.type, "the type found is the record's")
        guard let stamp = raw.origin, stamp.origin != origin else { return applyOwn(raw, facts: facts, known: known, offset: offset) }
        assert(facts == nil, "a carried record's body is localized before it is read")
        var head = origins[stamp.origin] ?? OriginHead()
        if stamp.number > head.number {
            head.number = stamp.number
            head.hash = stamp.hash ?? ""
        }
        head.records += 1
        if head.lastWritten.map({ $0 < raw.at }) ?? true { head.lastWritten = raw.at }
        if stamp.held != nil { head.held += 1 }
        if raw.type == EventType.storeCreated.rawValue, stamp.held == nil {
            head.station = raw.body["station"]?.string ?? head.station
            head.introduced = true
        }
        origins[stamp.origin] = head
        if stamp.held != nil || raw.type == EventType.storeCreated.rawValue {
            eventCount += 1
            lastOffset = offset
            return
        }
        applyOwn(raw.localized(home: origin), offset: offset)
    }

    mutating func applyOwn(_ raw: Event, facts: BodyFacts? = nil, known: EventType.Named? = nil, offset: Int64) {
        guard !Upcaster.isOld(raw, known: known) else { return applyCurrent(Upcaster.upcast(raw), facts: nil, known: nil, offset: offset) }
        applyCurrent(raw, facts: facts, known: known, offset: offset)
    }

    /// Applies an event in its type's current shape.
    private mutating func applyCurrent(_ event: Event, facts: BodyFacts?, known: EventType.Named?, offset: Int64) {
        eventCount += 1
        lastOffset = offset
        // The catalogue's table, not `init(rawValue:)`, which compares the name with each case in turn.
        let type = known?.type ?? EventType.named(event.type)?.type
        assert(facts.map { BodyFacts.kind(of: type, version: event.version) == $0.kind } ?? true, "facts are read only for current types that have them, of their kind")
        if type == .visitLogged || type == .visitAmended {
            // Facts read from the line are applied where they are, not copied into a new optional.
            if case .visit(let facts)? = facts { return applyVisit(event, type: type!, facts, day: facts.date ?? event.at.day(), offset: offset) }
            let read = VisitFacts(body: event.body)
            return applyVisit(event, type: type!, read, day: read.date ?? event.at.day(), offset: offset)
        }
        let b = event.body
        var entry: EntryFacts?, profile: PersonFacts?
        switch facts {
        case .entry(let read)?: entry = read
        case .person(let read)?: profile = read
        default: break
        }
        // Facts read from the line have the date there; every other body has it in its tree.
        let written = if let entry { entry.date } else if let profile { profile.date } else { b["date"]?.string.flatMap { Day(iso: $0) } }
        let day = written ?? event.at.day()
        switch type {
        case .storeCreated:
            station = b["station"]?.string ?? station
            if origin.isEmpty { origin = b["origin"]?.string ?? Origin.legacy(firstEvent: event.id) }
        case .siteAdded:
            guard siteIndex[event.subject] == nil else { return }
            siteIndex[event.subject] = sites.count
            sites.append(Site(id: event.subject, name: b["name"]?.string ?? "",
                              tier: b["tier"]?.string.flatMap(SiteTier.init(rawValue:)) ?? .community,
                              parent: b["parent"]?.string))
        case .staffAdded, .staffUpdated:
            let account = event.subject
            let old = staff[account]
            staff[account] = Staff(account: account, name: b["name"]?.string ?? old?.name ?? account,
                                   role: b["role"]?.string.flatMap(Role.init(rawValue:)) ?? old?.role ?? .worker,
                                   site: b["site"]?.string ?? old?.site ?? "",
                                   supervisor: b["supervisor"]?.string ?? old?.supervisor,
                                   active: b["active"]?.bool ?? true, version: (old?.version ?? 0) + 1)
        case .personRegistered:
            guard personPosition(event.subject) == nil else { return }
            var p = Person(id: event.subject, name: "", sex: nil, birth: nil, idNumber: "", phone: "", address: "",
                           community: "", household: "", categories: [], tier: .general, worker: event.actor,
                           registeredOn: day, version: 0, consents: [], offsets: [])
            p.update(from: profile ?? PersonFacts(body: b))
            p.version = 1
            p.offsets = [offset]
            peopleByID.append(p.id)
            people.append(p)
            lastVisits.append(nil)
        case .personUpdated:
            guard let i = personPosition(event.subject) else { return }
            people[Int(i)].update(from: b)
            people[Int(i)].version += 1
            people[Int(i)].offsets.append(offset)
        case .personConsent:
            guard let i = personPosition(event.subject) else { return }
            let scope = b["scope"]?.string ?? "referral"
            if b["withdrawn"]?.bool == true {
                for k in people[Int(i)].consents.indices where people[Int(i)].consents[k].scope == scope
                    && people[Int(i)].consents[k].withdrawn == nil {
                    people[Int(i)].consents[k].withdrawn = day
                }
            } else {
                people[Int(i)].consents.append(Consent(scope: scope, on: day, recordedBy: event.actor, withdrawn: nil))
            }
            people[Int(i)].version += 1
            people[Int(i)].offsets.append(offset)
        case .visitLogged, .visitAmended:
            break  // applied above
        case .visitVoided:
            withdrawVisit(event, offset: offset)
        case .caseOpened, .caseAssessed, .casePlanned, .caseObjective, .caseService, .caseEvaluated, .closureRequested,
             .closureApproved, .closureRejected, .caseTransferred, .caseReferred, .supervisionNote, .caseFlagged:
            applyCase(event, type: type!, day: day, offset: offset)
        case .groupPlanned, .groupSession, .groupClosed:
            applyGroup(event, type: type!, day: day, offset: offset)
        case .activityHeld:
            activities.append(Activity(id: event.subject, name: b["name"]?.string ?? "", day: day,
                                       site: b["site"]?.string ?? "", venue: b["venue"]?.string ?? "",
                                       headcount: b["headcount"]?.int ?? 0, worker: event.actor))
        case .volunteerRegistered, .volunteerUpdated, .volunteerHours, .hoursCorrected, .timeBankDeposit, .timeBankWithdraw:
            applyVolunteer(event, type: type!, entry: entry, day: day, offset: offset)
        case .accessViewed:
            access.append(AccessEntry(actor: event.actor, at: event.at, what: b["what"]?.string ?? "",
                                      subject: event.subject))
        case .importBatch:
            // Who brought which file's events in is reviewed with the access log.
            access.append(AccessEntry(actor: event.actor, at: event.at, what: "import \(b["count"]?.int ?? 0)",
                                      subject: b["file_sha256"]?.string ?? ""))
        case .syncPulled:
            access.append(AccessEntry(actor: event.actor, at: event.at, what: "sync \(b["count"]?.int ?? 0)",
                                      subject: b["origin"]?.string ?? ""))
        case .fundOpened, .fundDonation, .fundGrant, .fundTransfer, .fundReversed, .projectApplied, .projectScreened,
             .projectApproved, .projectDeclined, .projectStarted, .projectMidterm, .projectCompleted, .projectBudgetChanged,
             .projectExpense, .projectMilestone, .projectLinked, .orgRegistered, .orgUpdated, .orgStage, .orgSupported,
             .talentAdded, .talentCertified, .talentSupervised, .trainingHeld:
            hub.apply(event, type: type!, day: day, offset: offset)
        case .wishPosted, .wishClaimed, .wishFulfilled, .wishWithdrawn:
            let person = b["person"]?.string.flatMap { personPosition($0) } ?? -1
            hub.applyWish(event, type: type!, day: day, offset: offset, person: person, site: person >= 0 ? people[Int(person)].community : "")
        case nil:
            unknown.append(UnknownEvent(type: event.type, version: event.version, offset: offset))
        }
    }

    mutating func applyVisit(_ event: Event, type: EventType, _ facts: VisitFacts, day: Day, offset: Int64) {
        let personIdx = facts.person.flatMap { personPosition($0) } ?? -1
        let row = VisitRow(id: event.subject, person: personIdx, day: day, mode: facts.mode ?? .home,
                           worker: facts.worker ?? event.actor, caseIndex: facts.caseID.flatMap { casePosition($0) } ?? -1,
                           followUp: facts.followUp, referral: facts.referral, version: 1, offset: offset)
        if let existing = visitPosition(event.subject) {
            guard type == .visitAmended else { return }
            var updated = row
            updated.version = visits[Int(existing)].version + 1
            let (oldPerson, oldDay) = (visits[Int(existing)].person, visits[Int(existing)].day)
            visits[Int(existing)] = updated
            visitsByPerson.move(existing, from: oldPerson, to: personIdx, day: day)
            // The last visit changes only if this one was it and moved earlier or to someone else
            // (then the person's own visits are looked at), or it is now later than the last.
            if personIdx >= 0, lastVisits[Int(personIdx)].map({ $0 < day }) ?? true { lastVisits[Int(personIdx)] = day }
            if oldPerson >= 0, lastVisits[Int(oldPerson)] == oldDay, personIdx != oldPerson || day < oldDay {
                refreshLastVisit(oldPerson)
            }
            return
        }
        guard type == .visitLogged else { return }
        let index = Int32(visits.count)
        visitIndex.add(event.subject, at: Int(index))
        visits.append(row)
        visitsByPerson.add(index, to: personIdx, day: day, lastVisit: personIdx >= 0 ? lastVisits[Int(personIdx)] : nil)
        if personIdx >= 0, lastVisits[Int(personIdx)].map({ $0 < day }) ?? true { lastVisits[Int(personIdx)] = day }
        if row.caseIndex >= 0 {
            cases[Int(row.caseIndex)].offsets.append(offset)
            cases[Int(row.caseIndex)].contactDays.append(day)
        }
    }

    /// A withdrawn visit belongs to nobody: no list, report or last visit counts it; the person's
    /// timeline (and the case's) shows the withdrawal instead.
    mutating func withdrawVisit(_ event: Event, offset: Int64) {
        guard let i = visitPosition(event.subject), visits[Int(i)].person >= 0 else { return }
        let old = visits[Int(i)]
        visits[Int(i)].person = -1
        visits[Int(i)].caseIndex = -1
        visits[Int(i)].followUp = nil
        visits[Int(i)].version += 1
        visitsByPerson.move(i, from: old.person, to: -1, day: old.day)
        people[Int(old.person)].offsets.append(offset)
        if lastVisits[Int(old.person)] == old.day { refreshLastVisit(old.person) }
        if old.caseIndex >= 0 {
            let c = Int(old.caseIndex)
            if let k = cases[c].contactDays.lastIndex(of: old.day) { cases[c].contactDays.remove(at: k) }
            cases[c].offsets.append(offset)
        }
    }

    /// Room for `count` more visits, and storage of this state's own (not shared with a copy) for
    /// what a run of visits changes, so that a run timed after it (`shegong bench`) counts the
    /// visits' own cost, not the copy that the first change to a shared state makes.
    public mutating func reserveForVisits(_ count: Int) {
        visits.reserveCapacity(visits.count + count)
        lastVisits.reserveCapacity(lastVisits.count)
        visitsByPerson.reserve(visits: visits.count + count)
    }

    /// Room for the records a replay of `bytes` of log will add to the long lists, so that they
    /// are not moved as they grow: an array that doubles copies everything it holds into new
    /// memory, which a replay's thread first faults in; about a third of the applying thread's
    /// time went on that for a million events. The divisors are a little below the bytes each
    /// kind takes in a station's log (a visit about 570, with visits two in three records), so a
    /// log that is all visits needs at most one more move; room never written is never given
    /// memory, so a log with few visits costs address space only.
    public mutating func reserve(forLogBytes bytes: Int64) {
        let bytes = Int(clamping: max(0, bytes))
        visits.reserveCapacity(visits.count + bytes / 600)
        visitsByPerson.reserve(visits: visits.count + bytes / 600)
        hours.reserveCapacity(hours.count + bytes / 2400)
        people.reserveCapacity(people.count + bytes / 4000)
        lastVisits.reserveCapacity(people.count + bytes / 4000)
    }

    /// After an amendment moved a person's latest visit, their last visit is found again among
    /// their own visits: the index of visits by person is built once (one pass), so a run of N
    /// amendments costs O(N × visits per person), never O(N × all visits).
    mutating func refreshLastVisit(_ person: Int32) {
        visitsByPerson.build(from: visits, people: people.count)
        lastVisits[Int(person)] = visitsByPerson.lastDay(of: person)
    }

    /// The positions of a person's visits, oldest first.
    public func visitIndexes(of person: Int32) -> [Int32] {
        visits.indices.filter { visits[$0].person == person }.map { Int32($0) }
    }

    mutating func applyCase(_ event: Event, type: EventType, day: Day, offset: Int64) {
        let b = event.body
        if type == .caseOpened {
            guard casePosition(event.subject) == nil, let p = b["person"]?.string.flatMap({ personPosition($0) }) else { return }
            casesByID.append(event.subject)
            caseNumbers.insert(b["number"]?.string ?? event.subject)
            cases.append(CaseFile(id: event.subject, number: b["number"]?.string ?? event.subject, person: p,
                                  worker: b["worker"]?.string ?? event.actor, site: people[Int(p)].community,
                                  openedOn: day, source: b["source"]?.string.flatMap(CaseSource.init(rawValue:)) ?? .selfReferred,
                                  problem: b["problem"]?.string ?? "", stage: .intake, risk: nil,
                                  flags: b["flags"]?.strings.compactMap(CaseFlag.init(rawValue:)) ?? [],
                                  objectives: [], closure: nil, closedOn: nil, contactDays: [], version: 1, offsets: [offset]))
            return
        }
        guard let ci = casePosition(event.subject) else { return }
        let i = Int(ci)
        cases[i].version += 1
        cases[i].offsets.append(offset)
        func advance(to stage: CaseStage) {
            if cases[i].stage != .closed, cases[i].stage != .closing, stageRank(stage) > stageRank(cases[i].stage) {
                cases[i].stage = stage
            }
        }
        switch type {
        case .caseAssessed:
            cases[i].risk = b["risk"]?.string.flatMap(VisitTier.init(rawValue:)) ?? cases[i].risk
            advance(to: .assessment)
        case .casePlanned:
            let texts = b["objectives"]?.strings ?? []
            cases[i].objectives = texts.enumerated().map { Objective(id: "O\($0.offset + 1)", text: $0.element, status: .open) }
            advance(to: .plan)
        case .caseObjective:
            if let id = b["objective"]?.string, let status = b["status"]?.string.flatMap(ObjectiveStatus.init(rawValue:)),
               let k = cases[i].objectives.firstIndex(where: { $0.id == id }) {
                cases[i].objectives[k].status = status
            }
        case .caseService:
            cases[i].contactDays.append(day)
            advance(to: .intervention)
        case .caseEvaluated:
            advance(to: .evaluation)
        case .closureRequested:
            cases[i].closure = ClosureRequest(type: b["type"]?.string.flatMap(ClosureType.init(rawValue:)) ?? .goalsMet,
                                              summary: b["summary"]?.string ?? "", requestedBy: event.actor,
                                              requestedOn: day, rejections: cases[i].closure?.rejections ?? [])
            if cases[i].stage != .closed { cases[i].stage = .closing }
        case .closureApproved:
            cases[i].stage = .closed
            cases[i].closedOn = day
        case .closureRejected:
            cases[i].closure?.rejections.append(b["comment"]?.string ?? "")
            if cases[i].stage == .closing { cases[i].stage = cases[i].contactDays.isEmpty ? .plan : .intervention }
        case .caseTransferred:
            if let to = b["to"]?.string { cases[i].worker = to }
        case .caseFlagged:
            cases[i].flags = b["flags"]?.strings.compactMap(CaseFlag.init(rawValue:)) ?? cases[i].flags
        default:
            break  // referrals and supervision notes live in the timeline only
        }
    }

    func stageRank(_ s: CaseStage) -> Int { CaseStage.allCases.firstIndex(of: s) ?? 0 }

    mutating func applyGroup(_ event: Event, type: EventType, day: Day, offset: Int64) {
        let b = event.body
        if type == .groupPlanned {
            guard groupIndex[event.subject] == nil else { return }
            groupIndex[event.subject] = Int32(groups.count)
            groups.append(Group(id: event.subject, name: b["name"]?.string ?? "",
                                kind: b["kind"]?.string.flatMap(GroupKind.init(rawValue:)) ?? .support,
                                site: b["site"]?.string ?? "", worker: b["worker"]?.string ?? event.actor,
                                goals: b["goals"]?.string ?? "", plannedSessions: b["sessions"]?.int ?? 0,
                                venue: b["venue"]?.string ?? "",
                                members: b["members"]?.strings.compactMap { personPosition($0) } ?? [],
                                sessions: [], closedOn: nil, version: 1, offsets: [offset]))
            return
        }
        guard let gi = groupIndex[event.subject] else { return }
        let i = Int(gi)
        groups[i].version += 1
        groups[i].offsets.append(offset)
        if type == .groupClosed { groups[i].closedOn = day; return }
        var attendance: [Int32: Attendance] = [:]
        for field in b["attendance"]?.fields ?? [] {
            if let p = personPosition(field.key), let a = field.value.string.flatMap(Attendance.init(rawValue:)) {
                attendance[p] = a
            }
        }
        groups[i].sessions.append(GroupSession(number: b["number"]?.int ?? groups[i].sessions.count + 1, day: day,
                                               attendance: attendance, stage: b["stage"]?.string ?? "", offset: offset))
    }

    /// `entry`: the facts read from the line, for hours and time-bank entries.
    mutating func applyVolunteer(_ event: Event, type: EventType, entry: EntryFacts?, day: Day, offset: Int64) {
        let b = event.body
        switch type {
        case .volunteerRegistered:
            guard volunteerPosition(event.subject) == nil else { return }
            var v = Volunteer(id: event.subject, name: "", sex: nil, birth: nil, idNumber: "", phone: "", skills: [],
                              availability: "", team: "", site: "", backbone: false, registeredOn: day, pairedWith: [], version: 1)
            v.update(from: b, people: peopleByID)
            volunteersByID.append(event.subject)
            volunteers.append(v)
            volunteerTotals.addVolunteer()
        case .volunteerUpdated:
            guard let i = volunteerPosition(event.subject) else { return }
            volunteers[Int(i)].update(from: b, people: peopleByID)
            volunteers[Int(i)].version += 1
        case .volunteerHours:
            let facts = entry ?? EntryFacts(body: b)
            guard hoursPosition(event.subject) == nil, let v = facts.volunteer.flatMap({ volunteerPosition($0) }) else { return }
            hoursIndex.add(event.subject, at: hours.count)
            hours.append(HoursRecord(id: event.subject, volunteer: v, day: day, hours: facts.hours ?? 0,
                                     activity: facts.activity ?? "", recorder: event.actor, offset: offset))
            volunteerTotals.certify(facts.hours ?? 0, for: v)
        case .hoursCorrected:
            guard let i = hoursPosition(event.subject) else { return }
            let old = hours[Int(i)].hours
            hours[Int(i)].hours = b["hours"]?.double ?? old
            volunteerTotals.correct(old, to: hours[Int(i)].hours, for: hours[Int(i)].volunteer)
        case .timeBankDeposit, .timeBankWithdraw:
            guard let v = volunteerPosition(event.subject) else { return }
            let facts = entry ?? EntryFacts(body: b)
            let amount = (facts.hours ?? 0) * (type == .timeBankDeposit ? 1 : -1)
            timeBank.append(TimeBankEntry(volunteer: v, day: day, hours: amount, note: facts.note ?? ""))
            volunteerTotals.bank(amount, for: v)
            volunteers[Int(v)].version += 1
        default: break
        }
    }
}

extension Volunteer {
    mutating func update(from b: JSON, people: SequentialPlaces) {
        if let v = b["name"]?.string { name = v }
        if let v = b["sex"]?.string { sex = Sex(rawValue: v) }
        if let v = b["birth"]?.string { birth = Day(iso: v) }
        if let v = b["idno"]?.string { idNumber = v }
        if let v = b["phone"]?.string { phone = v }
        if let v = b["skills"]?.array { skills = v.compactMap(\.string) }
        if let v = b["availability"]?.string { availability = v }
        if let v = b["team"]?.string { team = v }
        if let v = b["site"]?.string { site = v }
        if let v = b["backbone"]?.bool { backbone = v }
        if let v = b["paired"]?.array { pairedWith = v.compactMap { $0.string.flatMap { people.position(of: $0) } } }
    }
}

/// Old event versions are rewritten on read into the current shape; the log is never rewritten.
public enum Upcaster {
    /// The version new events of each type are written with.
    public static let current: [String: Int] = Dictionary(uniqueKeysWithValues: EventType.allCases.map { ($0.rawValue, $0.info.version) })

    /// Whether the event is in an older shape than its type's current one. `known`: its type as
    /// the decoder found it, which already says so without a look at the name.
    public static func isOld(_ event: Event, known: EventType.Named? = nil) -> Bool {
        event.version == 1 && (known?.upcastsFirstVersion ?? upcastsFirstVersion(of: event.type))
    }

    /// Every type starts at version 1, and only visits have a later one, so the table is
    /// consulted only for visit types.
    public static func upcastsFirstVersion(of type: String) -> Bool {
        type.hasPrefix("visit.") && 1 < (current[type] ?? 1)
    }

    public static func upcast(_ event: Event) -> Event {
        guard isOld(event) else { return event }
        var e = event
        if case .object(var fields) = e.body {
            // v1 stored the mode as its Chinese label and all observations in one "note".
            for k in fields.indices where fields[k].key == "mode" {
                if let label = fields[k].value.string, let mode = VisitMode(text: label) { fields[k].value = .string(mode.rawValue) }
            }
            e.body = .object(fields)
            e.version = 2
        }
        return e
    }
}

extension State {
    /// Body keys `apply` never reads for an event type: long free text and detail lists. A replay
    /// skips them instead of building strings it would throw away (a test checks that skipping
    /// them gives the same state as reading everything).
    public static func unreadBodyKeys(type: String) -> [[UInt8]] { EventType.named(type)?.unreadBodyKeys ?? [] }
}

/// Which visits are each person's. Kept as visits are logged by a state replayed from the first
/// event; a checkpoint does not store it, so a state from one builds it at the first amendment
/// that needs it (`unbuilt`), once. Two states are equal whatever it holds. Each person's visits
/// are a chain through flat arrays (the newest first), so building it is one pass with two
/// allocations, not one array per person. Each link holds its visit's day and the latest day of
/// it and every older visit in the chain, so a person's last visit is read at the head: an
/// amendment that moves it earlier (a correction of the visit just logged) reads two links, not
/// every visit of the person scattered over the log.
struct VisitsByPerson: Equatable, Sendable {
    struct Link: Sendable {
        /// The same person's visit before this one, or -1.
        var next: Int32
        var day: Day
        /// The latest day of this visit and those the chain goes on to.
        var latest: Day
    }
    /// A person's newest visit, or -1; empty until built.
    private var head: [Int32] = []
    private var links: [Link] = []
    /// The links from a head to a changed one, kept between changes so as not to allocate each time.
    private var path: [Int32] = []
    /// An index of no visits is whole: a new state keeps it from its first visit on.
    private var built = true

    /// The index of a state whose visits came from elsewhere (a checkpoint), to be built when needed.
    static var unbuilt: VisitsByPerson {
        var index = VisitsByPerson()
        index.built = false
        return index
    }

    static func == (a: VisitsByPerson, b: VisitsByPerson) -> Bool { true }

    mutating func reserve(visits: Int) {
        guard built else { return }
        links.reserveCapacity(visits)
        head.reserveCapacity(head.count)
    }

    mutating func build(from visits: [VisitRow], people: Int) {
        if !built {
            // One pass over the visits, read in place: this runs once, on the first amendment that
            // moves a person's latest visit, and then is most of that amendment's cost. Each
            // person's latest day so far is kept beside their head (small, so it stays in cache)
            // rather than read back from the head's link.
            head = [Int32](repeating: -1, count: people)
            var latest = [Day](repeating: Day(number: .min), count: people)
            links = []
            links.reserveCapacity(visits.count)
            visits.withUnsafeBufferPointer { rows in
                for i in rows.indices {
                    let p = Int(rows[i].person), day = rows[i].day
                    if p >= 0, p < people {
                        if latest[p] < day { latest[p] = day }
                        links.append(Link(next: head[p], day: day, latest: latest[p]))
                        head[p] = Int32(i)
                    } else {
                        links.append(Link(next: -1, day: day, latest: day))
                    }
                }
            }
            built = true
        }
        if head.count < people { head.append(contentsOf: repeatElement(-1, count: people - head.count)) }
    }

    /// The latest day among the person's visits.
    func lastDay(of person: Int32) -> Day? {
        guard built, person >= 0, Int(person) < head.count else { return nil }
        let v = head[Int(person)]
        return v >= 0 ? links[Int(v)].latest : nil
    }

    /// Records a new visit (the next position) as the person's, or nobody's. A replay does this
    /// for every visit, so the usual case (the next position, a person already seen) is one
    /// append; `lastVisit` is the person's latest day before it (`State.lastVisits`, always the
    /// old head's `latest`), which the state holds anyway: reading it from the old head's link
    /// would be a cache miss per visit.
    @inline(__always)
    mutating func add(_ visit: Int32, to person: Int32, day: Day, lastVisit: Day?) {
        guard built else { return }
        if Int(visit) == links.count, person >= 0, Int(person) < head.count {
            links.append(Link(next: head[Int(person)], day: day, latest: lastVisit.map { max($0, day) } ?? day))
            head[Int(person)] = visit
            return
        }
        while links.count <= Int(visit) { links.append(Link(next: -1, day: day, latest: day)) }
        links[Int(visit)].day = day
        link(visit, to: person)
    }

    /// Records that a visit now belongs to `new` (or nobody, -1) on `day`.
    mutating func move(_ visit: Int32, from old: Int32, to new: Int32, day: Day) {
        guard built else { return }
        links[Int(visit)].day = day
        guard old != new else {
            if old >= 0, Int(old) < head.count { refreshLatest(of: old, through: visit) } else { settleLatest(visit) }
            return
        }
        if old >= 0, Int(old) < head.count {
            if head[Int(old)] == visit {
                head[Int(old)] = links[Int(visit)].next
            } else {
                var v = head[Int(old)]
                while v >= 0, links[Int(v)].next != visit { v = links[Int(v)].next }
                if v >= 0 {
                    links[Int(v)].next = links[Int(visit)].next
                    refreshLatest(of: old, through: v)
                }
            }
        }
        links[Int(visit)].next = -1
        link(visit, to: new)
    }

    private mutating func link(_ visit: Int32, to person: Int32) {
        guard person >= 0 else { return settleLatest(visit) }
        if head.count <= Int(person) { head.append(contentsOf: repeatElement(-1, count: Int(person) + 1 - head.count)) }
        links[Int(visit)].next = head[Int(person)]
        settleLatest(visit)
        head[Int(person)] = visit
    }

    /// A link's latest day from its own and the next link's (which must already hold).
    private mutating func settleLatest(_ v: Int32) {
        let next = links[Int(v)].next
        links[Int(v)].latest = next >= 0 ? max(links[Int(next)].latest, links[Int(v)].day) : links[Int(v)].day
    }

    /// After `changed` (a link in the person's chain) changed its day or what follows it, the
    /// latest days from the head down to it are worked out again, from it upwards. The links past
    /// it are untouched, so theirs still hold.
    private mutating func refreshLatest(of person: Int32, through changed: Int32) {
        path.removeAll(keepingCapacity: true)
        var v = head[Int(person)]
        while v >= 0 {
            path.append(v)
            if v == changed { break }
            v = links[Int(v)].next
        }
        for v in path.reversed() { settleLatest(v) }
    }
}
