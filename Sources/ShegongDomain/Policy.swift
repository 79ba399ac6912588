/// Who may see and change what: the one place access is decided. The console, every CLI command
/// and the store's write path all ask here; nothing decides access per screen.
///
/// Conventions (domain.md, Privacy): a worker sees their own caseload and their community's
/// people in full, other records of the station as need-to-know summaries; a supervisor sees
/// their supervisees' caseloads in full but changes only supervision notes and approvals; the
/// station admin sees and manages everything; a volunteer coordinator sees volunteers and
/// activities and, of people, a task card; district users see aggregate reports only. Cases
/// flagged child, 矫正 or 戒毒 exist only for their worker, that worker's supervisor and the admin.
public struct Viewer: Sendable, Equatable {
    public let account: String
    public let role: Role
    public let sites: Set<String>
    public let supervisees: Set<String>

    /// Someone with no access at all (an account removed from the roster while working).
    public static func nobody(_ account: String) -> Viewer { Viewer(account: account, role: .district, sites: [], supervisees: []) }
}

public enum Visibility: Int, Comparable, Sendable {
    /// Not shown at all, not even that it exists.
    case none
    /// Name, address and the task: what a volunteer coordinator needs to send someone.
    case taskCard
    /// Identity and status, no notes, no sensitive fields, no timeline.
    case summary
    /// Everything; sensitive fields still masked until explicitly shown (and logged).
    case full
    public static func < (a: Visibility, b: Visibility) -> Bool { a.rawValue < b.rawValue }
}

public enum Policy {
    /// The viewer an OS account is, or nil when it is not on the staff roster (it then sees nothing).
    public static func viewer(_ account: String, in state: State) -> Viewer? {
        guard let staff = state.staff[account], staff.active else { return nil }
        let supervisees = Set(state.staff.values.filter { $0.supervisor == account }.map(\.account))
        return Viewer(account: account, role: staff.role, sites: state.siteAndDescendants(staff.site), supervisees: supervisees)
    }

    // Inlinable, so a screen asking for each of 100,000 people reads the two fields it needs
    // instead of copying every person out of the list for the call (about 10 ms of a first frame).
    // What these two call must therefore be public or @usableFromInline.
    @inlinable
    public static func person(_ p: Person, for v: Viewer, in state: State) -> Visibility {
        switch v.role {
        case .admin: return .full
        case .district: return .none
        case .coordinator: return .taskCard
        case .worker: return p.worker == v.account || v.sites.contains(p.community) ? .full : .summary
        case .supervisor:
            // A supervisor's view follows their supervisees, not the sites they sit in.
            return p.worker == v.account || v.supervisees.contains(p.worker) ? .full : .summary
        }
    }

    @inlinable
    public static func caseFile(_ c: CaseFile, for v: Viewer, in state: State) -> Visibility {
        if v.role == .admin || c.worker == v.account { return .full }
        if v.role == .supervisor, state.staff[c.worker]?.supervisor == v.account { return .full }
        if c.isRestricted { return .none }
        switch v.role {
        case .worker, .supervisor: return .summary
        default: return .none
        }
    }

    /// Groups and activities (their members' names): station staff, not district users.
    public static func groups(for v: Viewer) -> Visibility { v.role == .district ? .none : .full }
    /// Funds (donors by name) and projects: station staff, not district users, who get the figures.
    public static func hub(for v: Viewer) -> Visibility { v.role == .district ? .none : .full }

    /// A micro-wish follows its person: who sees the person sees the wish as they see the person
    /// (a volunteer coordinator, who arranges the delivery, as a task card). A donor, who is on no
    /// roster, is given `donorCard` only.
    public static func wish(_ w: Wish, for v: Viewer, in state: State) -> Visibility {
        guard w.person >= 0 else { return v.role == .admin ? .full : .none }
        return person(state.people[Int(w.person)], for: v, in: state)
    }

    /// The wish's person, for who may be told whose it is: who sees the person in full, and a
    /// volunteer coordinator, who arranges the delivery. Others see the wish, not whose it is
    /// (what is wished can tell a condition a summary view hides). nil for them, and for a wish
    /// whose person is not in this store (the replay keeps such a wish, with nobody behind it).
    public static func wishPerson(_ w: Wish, for v: Viewer, in state: State) -> Person? {
        guard w.person >= 0, Int(w.person) < state.people.count, [.full, .taskCard].contains(wish(w, for: v, in: state)) else { return nil }
        return state.people[Int(w.person)]
    }

    /// What a wish shows to someone outside the station (a donor, a notice board, a donor
    /// platform): the wish, never its person. Nothing here is read from the person's record.
    public static func donorCard(_ w: Wish, in state: State) -> WishCard {
        WishCard(id: w.id, item: w.item, text: w.card, value: w.value, community: state.site(w.site)?.name ?? "", due: w.due, stage: w.stage)
    }

    public static func volunteers(for v: Viewer) -> Visibility {
        switch v.role {
        case .admin, .coordinator: return .full
        case .worker, .supervisor: return .summary
        case .district: return .none
        }
    }

    /// Whether this viewer may have sensitive fields of a person shown in full (on request, logged).
    public static func mayUnmask(_ p: Person, for v: Viewer, in state: State) -> Bool {
        v.role == .admin || p.worker == v.account || (v.role == .supervisor && v.supervisees.contains(p.worker))
    }

    /// The fields of a person shown masked until someone asks (and an access record is written):
    /// ID number and phone, sensitive categories, a child's birth date. The access record names them.
    public static func maskedFields(of p: Person, today: Day) -> [String] {
        var out: [String] = []
        if !p.idNumber.isEmpty { out.append("idno") }
        if !p.phone.isEmpty { out.append("phone") }
        if p.categories.contains(where: PersonCategories.sensitive.contains) { out.append("categories") }
        if p.isChild(on: today) { out.append("birth") }
        return out
    }

    /// Whether case notes (intake problem, service records) show in a person's timeline. A
    /// restricted case's notes show only to its own worker there; its supervisor and the admin
    /// read them by opening the case, which writes an access record.
    public static func caseNotesInTimeline(_ c: CaseFile, for v: Viewer, in state: State) -> Bool {
        caseFile(c, for: v, in: state) == .full && (!c.isRestricted || c.worker == v.account)
    }

    /// Whether a visit's notes may be shown (timeline, visit detail, visit export): the person in
    /// full, and the case it belongs to, if any, open to the viewer in the same way.
    public static func visitNotes(person p: Person, case c: CaseFile?, for v: Viewer, in state: State) -> Bool {
        person(p, for: v, in: state) == .full && (c.map { caseNotesInTimeline($0, for: v, in: state) } ?? true)
    }

    /// Whether an account may pull every record of one store into another (`shegong sync`): the
    /// reading store's station admin may; so may someone with the same role in both stores (a
    /// worker bringing their laptop back, a file they can read anyway), who gains nothing there they
    /// did not have. Pulling into a store where one has more rights (one's own new store) is for the
    /// station admin.
    /// A store behind the setgid boundary (`protected`) is pulled by its admin only: the receiving
    /// store could be one the puller wrote themselves, roster and all.
    public static func mayPull(reader: Viewer?, writer: Viewer?, protected: Bool) -> Bool {
        guard let reader else { return false }
        if mayHandleRawEvents(reader) { return true }
        return !protected && (writer.map { $0.role == reader.role } ?? false)
    }

    /// Whether two versions of a record may be shown side by side, field by field (a sync's held
    /// conflict): only to who may read every field of it. A person's record holds the ID number and
    /// phone in full, so it is compared by the station admin only.
    public static func mayCompareVersions(of subject: String, for v: Viewer, in state: State) -> Bool {
        if v.role == .admin { return true }
        if let visit = state.visit(subject), visit.person >= 0 {
            return visitNotes(person: state.people[Int(visit.person)], case: visit.caseIndex >= 0 ? state.cases[Int(visit.caseIndex)] : nil,
                              for: v, in: state)
        }
        if let c = state.caseFile(subject) { return caseNotesInTimeline(c, for: v, in: state) }
        return false
    }

    /// Whether a visit shows the case it is linked to (its number); a case the viewer may not
    /// know about is left blank, as if there were none.
    public static func linkedCaseShown(_ c: CaseFile, for v: Viewer, in state: State) -> Bool {
        caseFile(c, for: v, in: state) > .none
    }

    /// The name shown for the person of a case in case lists and exports: hidden for restricted
    /// cases unless the viewer works or supervises the case.
    public static func personNameShown(on c: CaseFile, for v: Viewer, in state: State) -> Bool {
        !c.isRestricted || caseFile(c, for: v, in: state) == .full
    }

    /// A child's birth date is masked like an ID number until shown on request.
    public static func birthShown(_ p: Person, today: Day, unmasked: Bool) -> Bool { unmasked || !p.isChild(on: today) }

    /// Certificates of volunteer service carry hours and identity: the coordinator or the admin.
    public static func mayIssueCertificate(_ v: Viewer) -> Bool { volunteers(for: v) == .full }

    /// `repair` cuts the log: the station admin only (root when the roster cannot be read).
    public static func mayRepair(_ v: Viewer) -> Bool { v.role == .admin }

    /// Raw event export and import carry every field of every record: station admin only.
    public static func mayHandleRawEvents(_ v: Viewer) -> Bool { v.role == .admin }

    /// Whether the viewer may review the access log.
    public static func mayReviewAccess(_ v: Viewer) -> Bool { v.role == .admin || v.role == .supervisor }

    /// The write rule for one new event, checked under the log lock for every writer.
    public static func authorize(_ event: Event, in state: State) throws(DomainError) {
        let type = EventType(rawValue: event.type)
        let writer = type?.info.writer
        if state.staff.isEmpty, writer == .newStore || writer == .admin { return }  // the first events of a new store
        if writer == .newStore { throw .notAllowed(.storeExists) }
        guard let v = viewer(event.actor, in: state) else {
            throw .notAllowed(.notOnRoster(account: event.actor))
        }
        if v.role == .admin { return }
        let b = event.body
        func personVisibility(_ id: String?) -> Visibility {
            id.flatMap { state.person($0) }.map { person($0, for: v, in: state) } ?? .none
        }
        func deny(_ what: DomainError.Denied) -> DomainError { .notAllowed(.cannot(role: v.role, account: v.account, what)) }
        // A record the viewer may not see gets the answer a record that does not exist gets: no
        // message may tell the two apart.
        func visibleCase(_ id: String) throws(DomainError) -> CaseFile {
            guard let c = state.caseFile(id), caseFile(c, for: v, in: state) > .none else { throw .unknown(kind: "case", id: id) }
            return c
        }
        func visiblePerson(_ id: String?) throws(DomainError) -> Person {
            guard let id, let p = state.person(id), person(p, for: v, in: state) > .none else { throw .unknown(kind: "person", id: id ?? "") }
            return p
        }
        guard let type, let writer else { throw deny(.write(type: event.type)) }
        if let linked = b["case"]?.string, type == .visitLogged || type == .visitAmended {
            // Visits are linked only to the worker's own cases.
            guard try visibleCase(linked).worker == v.account else { throw deny(.linkVisit(case: linked)) }
        }
        switch writer {
        case .newStore, .admin:
            throw deny(type == .importBatch ? .importEvents : .manageStaffOrSites)
        case .anyStaff:
            return
        case .workerInOwnCommunity:
            guard v.role == .worker, let community = b["community"]?.string, v.sites.contains(community) else {
                throw deny(.registerOutsideCommunity)
            }
        case .workerWithThePerson:
            if type.info.subject == .changes(.person) {
                let p = try visiblePerson(event.subject)
                guard v.role == .worker, personVisibility(event.subject) == .full else { throw deny(.change(event.subject)) }
                // Who is responsible for a person is the admin's decision; a worker may only take on
                // someone nobody is responsible for yet.
                if let w = b["worker"]?.string, w != p.worker, !(p.worker.isEmpty && w == v.account) {
                    throw deny(.reassign(event.subject))
                }
            } else {
                if type.info.subject == .changes(.visit) {
                    // A visit is changed only by someone who may read it as it is now (its person
                    // and its case's notes); anyone else is told it does not exist. Withdrawing one
                    // is for the worker who logged it, for the person it names.
                    guard let existing = state.visit(event.subject), existing.person >= 0,
                          visitNotes(person: state.people[Int(existing.person)],
                                     case: existing.caseIndex >= 0 ? state.cases[Int(existing.caseIndex)] : nil, for: v, in: state)
                    else { throw .unknown(kind: "visit", id: event.subject) }
                    if type == .visitVoided, existing.worker != v.account || b["person"]?.string != state.people[Int(existing.person)].id {
                        throw deny(.change(event.subject))
                    }
                }
                _ = try visiblePerson(b["person"]?.string)
                guard v.role == .worker, personVisibility(b["person"]?.string) == .full else {
                    let p = b["person"]?.string ?? "?"
                    throw deny(type == .caseOpened ? .openCase : type == .wishPosted ? .postWish(p) : .recordVisits(p))
                }
            }
        case .workerOfTheCase:
            guard try visibleCase(event.subject).worker == v.account else { throw deny(.changeCase(event.subject)) }
        case .supervisorOfTheCase:
            let c = try visibleCase(event.subject)
            guard v.role == .supervisor, state.staff[c.worker]?.supervisor == v.account else {
                let number = state.caseFile(event.subject)?.number ?? event.subject
                throw deny(type == .supervisionNote ? .writeSupervisionNote(number) : .decideClosure(number))
            }
        case .groupWork:
            guard v.role == .worker || v.role == .coordinator else { throw deny(.recordGroupWork) }
        case .volunteerWork:
            guard v.role == .coordinator || v.role == .worker else { throw deny(.changeVolunteers) }
        case .stationLead:
            guard v.role == .supervisor else {
                throw deny([.talentAdded, .talentCertified, .talentSupervised].contains(type) ? .keepTalentPool : .leadTheHub)
            }
        case .projectWork:
            guard v.role == .worker || v.role == .supervisor else { throw deny(.recordProjectWork) }
        case .incubation:
            guard v.role == .worker || v.role == .supervisor || v.role == .coordinator else { throw deny(.recordIncubation) }
            // A step back corrects one recorded by mistake: for a station lead (the rules ask why).
            if type == .orgStage, let o = state.hub.organisation(event.subject),
               let stage = b["stage"]?.string.flatMap(IncubationStage.init(rawValue:)), stage < o.stage, v.role != .supervisor {
                throw deny(.correctIncubation)
            }
        case .wishWork:
            guard let w = state.hub.wish(event.subject), wish(w, for: v, in: state) > .none else { throw .unknown(kind: "wish", id: event.subject) }
            let coordinating = v.role == .coordinator && type != .wishWithdrawn
            guard wish(w, for: v, in: state) == .full || coordinating else { throw deny(.changeWish(event.subject)) }
        }
    }
}
