extension State {
    /// Rules that hold for every new event, whoever sends it (console, CLI, import). Checked under
    /// the log lock against a state that includes every other process's writes.
    public func validate(_ event: Event) throws(DomainError) {
        guard let stamp = event.origin, stamp.origin != origin else { return try validateOwn(event) }
        // Another origin's record is held to this store's rules, read the way this store names records.
        if stamp.held != nil || event.type == EventType.storeCreated.rawValue { return }
        // Funds and projects are the station's own books: another store's ids there name nothing here.
        if EventType(rawValue: event.type)?.isHub == true { throw .notAllowed(.hubKeptAtStation(stamp.origin)) }
        guard origins[stamp.origin]?.introduced == true else { throw .notAllowed(.originNotIntroduced(stamp.origin)) }
        try Origin.checkIDs(of: event)
        try validateOwn(event.localized(home: origin))
    }

    func validateOwn(_ event: Event) throws(DomainError) {
        try Policy.authorize(event, in: self)
        let b = event.body
        if let base = event.base {
            let current = version(of: event.subject) ?? 0
            if current != base {
                throw .conflict(subject: event.subject, expected: base, actual: current, latest: latestChange(event.subject))
            }
        }
        if State.creatingTypes.contains(event.type),
           version(of: event.subject) != nil || visit(event.subject) != nil || hoursPosition(event.subject) != nil
            || (event.type == "site.added" && site(event.subject) != nil) {
            throw .invalidState(.alreadyExists(event.subject))
        }
        if let need = referenceKind(of: event.type) {
            let exists: Bool
            switch need {
            case "person": exists = person(event.subject) != nil
            case "case": exists = caseFile(event.subject) != nil
            case "group": exists = group(event.subject) != nil
            case "volunteer": exists = volunteer(event.subject) != nil
            case "visit": exists = visit(event.subject) != nil
            case "hours": exists = hoursPosition(event.subject) != nil
            case "fund": exists = hub.fund(event.subject) != nil
            case "project": exists = hub.project(event.subject) != nil
            case "organisation": exists = hub.organisation(event.subject) != nil
            case "talent": exists = hub.talent(event.subject) != nil
            case "wish": exists = hub.wish(event.subject) != nil
            default: exists = staff[event.subject] != nil
            }
            if !exists { throw .unknown(kind: need, id: event.subject) }
        }
        if event.type.hasPrefix("visit."), let p = b["person"]?.string, person(p) == nil { throw .unknown(kind: "person", id: p) }
        if event.type == "case.opened", let p = b["person"]?.string, person(p) == nil { throw .unknown(kind: "person", id: p) }
        if event.type == "case.opened", let number = b["number"]?.string, caseNumbers.contains(number) {
            throw .invalidState(.alreadyExists(number))  // a case number names one case, for good
        }
        if event.type == "volunteer.hours", let v = b["volunteer"]?.string, volunteer(v) == nil { throw .unknown(kind: "volunteer", id: v) }

        if let c = caseFile(event.subject), c.stage == .closed, event.type.hasPrefix("case."),
           !["case.supervision_note", "case.flagged"].contains(event.type) {
            throw .invalidState(.caseClosed(number: c.number))
        }
        // An edit that keeps the ID number on file must agree with it (checked after the policy,
        // and worded without what is on file, so it tells nothing to someone who may not see it).
        if event.type == "person.updated", b["idno"] == nil, let p = person(event.subject), let stated = ResidentID.parse(p.idNumber) {
            if let birth = b["birth"]?.string, !birth.isEmpty, birth != stated.birth.iso {
                throw .invalidValue(field: "birth", value: birth, expected: .matchesIDNumberOnFile)
            }
            if let sex = b["sex"]?.string, !sex.isEmpty, sex != stated.sex.rawValue {
                throw .invalidValue(field: "sex", value: sex, expected: .matchesIDNumberOnFile)
            }
        }
        // A withdrawn visit stays withdrawn: it is neither amended nor withdrawn again.
        if event.type == "visit.amended" || event.type == "visit.voided", let v = visit(event.subject), v.person < 0 {
            throw .invalidState(.visitWithdrawn(event.subject))
        }
        if let type = EventType(rawValue: event.type), type.isHub {
            // An imported record id is the kind's own: no text (a name, a phone) rides in on an id.
            if let prefix = Self.hubPrefixes[type], !Self.isNumbered(event.subject, prefix: prefix) {
                throw .invalidState(.badRecordID(event.subject))
            }
            try validateHub(event, type: type)
        }
        switch event.type {
        case "case.closure_approved", "case.closure_rejected":
            guard let c = caseFile(event.subject), c.stage == .closing, let request = c.closure else {
                throw .invalidState(.noClosureRequest(caseFile(event.subject)?.number ?? event.subject))
            }
            if request.requestedBy == event.actor || c.worker == event.actor {
                throw .notAllowed(.ownClosure)
            }
            let role = staff[event.actor]?.role
            guard role == .supervisor || role == .admin else {
                throw .notAllowed(.closureNeedsSupervisor)
            }
        case "case.closure_requested":
            if let c = caseFile(event.subject), c.stage == .closing { throw .invalidState(.closureAlreadyRequested) }
            // Goals are met only as an evaluation found them: after the last service, not before.
            if let c = caseFile(event.subject), b["type"]?.string == ClosureType.goalsMet.rawValue, c.stage != .evaluation {
                throw .invalidState(.evaluationFirst(number: c.number))
            }
        case "case.referred":
            guard let c = caseFile(event.subject) else { break }
            let p = people[Int(c.person)]
            guard p.consents.contains(where: { $0.scope == "referral" && $0.withdrawn == nil }) else {
                throw .notAllowed(.noReferralConsent(person: p.name))
            }
        case "timebank.withdraw":
            guard let v = volunteerPosition(event.subject) else { break }
            // More than none: a negative withdrawal would be a deposit that skipped the deposit's rules.
            guard let amount = b["hours"]?.double, amount > 0, amount.isFinite else {
                throw .invalidValue(field: "hours", value: b["hours"]?.text ?? "", expected: .hours)
            }
            // In the millionths the balance is kept in, so what was deposited can be taken out exactly.
            if !volunteerTotals.covers(amount, for: v) {
                throw .invalidState(.timeBankShort(balance: timeBankBalance(v), asked: amount))
            }
        case "volunteer.hours", "volunteer.hours_corrected", "timebank.deposit":
            guard let h = b["hours"]?.double, h > 0, h <= 24 else {
                throw .invalidValue(field: "hours", value: b["hours"]?.text ?? "", expected: .hours)
            }
        default: break
        }
    }

    static let creatingTypes: Set<String> = Set(EventType.allCases.filter {
        if case .creates = $0.info.subject { return true }
        return false
    }.map(\.rawValue))

    /// The id prefix each creating hub type's form numbers its records with (F-3, L-12, W-7 …).
    static let hubPrefixes: [EventType: String] = Dictionary(Forms.all.compactMap { form -> (EventType, String)? in
        guard case .new(let prefix) = form.subject, let type = EventType(rawValue: form.eventType), type.isHub else { return nil }
        return (type, prefix)
    }, uniquingKeysWith: { a, _ in a })

    static func isNumbered(_ id: String, prefix: String) -> Bool {
        id.hasPrefix(prefix + "-") && id.count > prefix.count + 1 && id.dropFirst(prefix.count + 1).allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The kind of existing record an event of `type` changes (its subject must exist).
    func referenceKind(of type: String) -> String? {
        guard case .changes(let kind)? = EventType(rawValue: type)?.info.subject else { return nil }
        return kind.rawValue
    }

    func latestChange(_ subject: String) -> DomainError.Latest {
        if let p = person(subject) { return .person(name: p.name) }
        if let c = caseFile(subject) { return .caseStage(number: c.number, stage: c.stage) }
        return .version(version(of: subject) ?? 0)
    }
}

public func formatHours(_ h: Double) -> String {
    // A hand-made line may hold any number; one too large for an integer is shown as it is.
    guard h.isFinite, abs(h) < 1e15 else { return "\(h)" }
    return h == h.rounded() ? String(Int(h)) : String((h * 10).rounded() / 10)
}
