/// The rules of organisations, the talent pool, trainings and micro-wishes, checked under the log
/// lock with the hub's other rules: stages only move forward and in time order, every record
/// named exists, and a wish's public words never name or locate the person it is for.
extension State {
    func validateCommunity(_ event: Event, type: EventType, day: Day) throws(DomainError) {
        let b = event.body
        func required(_ key: String) throws(DomainError) -> String {
            guard let v = b[key]?.string?.trimmingSpaces, !v.isEmpty else { throw .missingField(key) }
            return v
        }
        func notBefore(_ earliest: Day) throws(DomainError) {
            if day < earliest { throw .invalidValue(field: "date", value: day.iso, expected: .notBefore(earliest.iso)) }
        }
        switch type {
        case .orgRegistered:
            let name = try required("name")
            if hub.organisations.contains(where: { $0.name == name }) { throw .invalidState(.alreadyExists(name)) }
        case .orgUpdated:
            if let name = b["name"]?.string, hub.organisations.contains(where: { $0.name == name && $0.id != event.subject }) {
                throw .invalidState(.alreadyExists(name))
            }
        case .orgStage:
            guard let o = hub.organisation(event.subject) else { throw .unknown(kind: "organisation", id: event.subject) }
            // Said before any value is given (the console's probe has none): filed is as far as it goes.
            if o.stage == IncubationStage.allCases.last { throw .invalidState(.incubationStage(org: o.name, stage: o.stage)) }
            guard let stage = b["stage"]?.string.flatMap(IncubationStage.init(rawValue:)) else { throw .missingField("stage") }
            guard stage > o.stage else { throw .invalidState(.incubationStage(org: o.name, stage: o.stage)) }
            try notBefore(o.lastStep)
        case .orgSupported:
            guard let o = hub.organisation(event.subject) else { throw .unknown(kind: "organisation", id: event.subject) }
            _ = try required("support")
            try notBefore(o.steps.first?.day ?? day)
        case .talentAdded:
            _ = try required("name")
            if let account = b["account"]?.string, !account.isEmpty {
                guard staff[account] != nil else { throw .unknown(kind: "staff", id: account) }
                if hub.talents.contains(where: { $0.account == account }) { throw .invalidState(.alreadyExists(account)) }
            }
        case .talentCertified:
            guard let t = hub.talent(event.subject) else { throw .unknown(kind: "talent", id: event.subject) }
            guard let level = b["level"]?.string.flatMap(CertLevel.init(rawValue:)) else { throw .missingField("level") }
            _ = try required("certificate")
            if let held = t.level, level < held { throw .invalidState(.lowerCertificate(name: t.name, held: held)) }
        case .talentSupervised:
            guard hub.talent(event.subject) != nil else { throw .unknown(kind: "talent", id: event.subject) }
            let supervisor = try required("supervisor")
            guard hub.talent(supervisor) != nil else { throw .unknown(kind: "talent", id: supervisor) }
            guard supervisor != event.subject else { throw .invalidValue(field: "supervisor", value: supervisor, expected: .anotherPerson) }
        case .trainingHeld:
            _ = try required("title")
            let attendees = b["attendees"]?.strings ?? []
            if attendees.isEmpty { throw .missingField("attendees") }
            for a in attendees where hub.talent(a) == nil { throw .unknown(kind: "talent", id: a) }
        case .wishPosted:
            try validateWishPosting(event, day: day)
        case .wishClaimed, .wishFulfilled, .wishWithdrawn:
            guard let w = hub.wish(event.subject) else { throw .unknown(kind: "wish", id: event.subject) }
            let allowed: [WishStage] = type == .wishFulfilled ? [.claimed] : type == .wishClaimed ? [.posted] : [.posted, .claimed]
            guard allowed.contains(w.stage) else { throw .invalidState(.wishStage(item: w.item, stage: w.stage)) }
            if type == .wishClaimed { _ = try required("kind"); _ = try required("claimant") }
            if type == .wishWithdrawn { _ = try required("reason") }
            try notBefore(w.lastStep)
        default:
            break
        }
        if let hours = b["hours"], type != .orgSupported || hours.double != 0 {
            guard let h = hours.double, h > 0, h <= 24 else { throw .invalidValue(field: "hours", value: hours.text, expected: .hours) }
        }
    }

    /// A grant towards a wish: an open one, never more than its value, from money that may go to wishes.
    func validateWishGrant(_ b: JSON, amount: Money, day: Day) throws(DomainError) {
        guard let id = b["wish"]?.string, let w = hub.wish(id) else { throw .unknown(kind: "wish", id: b["wish"]?.string ?? "") }
        guard w.isOpen else { throw .invalidState(.wishStage(item: w.item, stage: w.stage)) }
        if day < w.postedOn { throw .invalidValue(field: "date", value: day.iso, expected: .notBefore(w.postedOn.iso)) }
        if let purpose = Hub.pool(b).purpose, purpose != .wishes {
            throw .invalidState(.restrictedPurpose(purpose: purpose, field: .wishes))
        }
        if w.granted + amount > w.value {
            throw .invalidValue(field: "amount", value: amount.yuan, expected: .moneyUpTo((w.value - w.granted).yuan))
        }
    }

    private func validateWishPosting(_ event: Event, day: Day) throws(DomainError) {
        let b = event.body
        guard let id = b["person"]?.string, let p = person(id) else { throw .unknown(kind: "person", id: b["person"]?.string ?? "") }
        for key in ["item", "card"] where (b[key]?.string?.trimmingSpaces ?? "").isEmpty { throw .missingField(key) }
        let value = Hub.money(b, "value")
        guard value.fen > 0, value <= Money.limit else { throw .invalidValue(field: "value", value: b["value"]?.text ?? "", expected: .money) }
        if let due = Hub.day(b, "due"), due < day { throw .invalidValue(field: "due", value: due.iso, expected: .notBefore(day.iso)) }
        if let from = b["from"]?.string, !from.isEmpty {
            let own = visit(from).map { $0.person >= 0 && people[Int($0.person)].id == id } ?? caseFile(from).map { people[Int($0.person)].id == id }
            guard own == true else { throw .unknown(kind: "record", id: from) }
        }
        // The card and the item go to donors: neither may carry what identifies or locates the person.
        for key in ["card", "item"] {
            if WishPrivacy.namesThePerson(b[key]?.string ?? "", p) { throw .invalidState(.cardIdentifies(field: key)) }
        }
    }
}

/// What a donor's card must not say about the person it is for.
public enum WishPrivacy {
    /// Whether `text` holds the person's name, ID number, phone or address, or a run of digits
    /// long enough to be a phone or ID number.
    public static func namesThePerson(_ text: String, _ p: Person) -> Bool {
        let squeezed = String(text.filter { !$0.isWhitespace })
        for part in [p.name, p.idNumber, p.phone, p.address] where part.count >= 2 && squeezed.contains(part) { return true }
        // A given name alone (桂兰 of 刘桂兰) names someone in a small community just as well.
        if p.name.count >= 3, squeezed.contains(String(p.name.dropFirst())) { return true }
        var run = 0
        for ch in squeezed {
            run = ch.isASCII && ch.isNumber ? run + 1 : 0
            if run >= 7 { return true }
        }
        return false
    }
}
