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
            // Incubation is counted as it happens: an organisation enters the roster in cultivation or incubation.
            if let stage = b["stage"]?.string.flatMap(IncubationStage.init(rawValue:)), stage.isOut {
                throw .invalidValue(field: "stage", value: stage.zh, expected: .oneOf([IncubationStage.cultivating.rawValue, IncubationStage.incubating.rawValue]))
            }
        case .orgUpdated:
            if let name = b["name"]?.string, hub.organisations.contains(where: { $0.name == name && $0.id != event.subject }) {
                throw .invalidState(.alreadyExists(name))
            }
        case .orgStage:
            guard let o = hub.organisation(event.subject) else { throw .unknown(kind: "organisation", id: event.subject) }
            guard let stage = b["stage"]?.string.flatMap(IncubationStage.init(rawValue:)) else {
                // Said before any value is given (the console's probe has none): filed is as far as it goes.
                if o.stage.onward.isEmpty { throw .invalidState(.incubationStage(org: o.name, stage: o.stage)) }
                throw .missingField("stage")
            }
            if stage < o.stage {
                // A step recorded by mistake is corrected back, with the reason (who may: `Policy.authorize`).
                _ = try required("note")
            } else if !o.stage.onward.contains(stage) {
                throw .invalidState(.incubationStage(org: o.name, stage: o.stage))
            }
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
            guard let s = hub.talent(supervisor) else { throw .unknown(kind: "talent", id: supervisor) }
            guard supervisor != event.subject else { throw .invalidValue(field: "supervisor", value: supervisor, expected: .anotherPerson) }
            // Supervision is given by a certified social worker.
            guard s.isCertified(on: day) else { throw .invalidState(.supervisorNotCertified(name: s.name)) }
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
            // Money a fund put towards it would stay booked on a wish nobody fulfils.
            if type == .wishWithdrawn, w.granted != .zero { throw .invalidState(.wishPaid(item: w.item)) }
            if type == .wishClaimed {
                // "Paid by the station's fund" is what a grant says, with the money; a claim cannot say it.
                if b["kind"]?.string == ClaimantKind.stationFund.rawValue {
                    throw .invalidValue(field: "kind", value: ClaimantKind.stationFund.zh, expected: .oneOf(ClaimantKind.claimable.map(\.rawValue)))
                }
                _ = try required("kind"); _ = try required("claimant")
            }
            if type == .wishWithdrawn { _ = try required("reason") }
            try notBefore(w.lastStep)
        default:
            break
        }
        if let hours = b["hours"], type != .orgSupported || hours.double != 0 {
            guard let h = hours.double, h > 0, h <= 24 else { throw .invalidValue(field: "hours", value: hours.text, expected: .hours) }
        }
    }

    /// Whether a fund may pay for something in `site`: a community fund only in its community.
    public func fundServes(_ fund: Fund, site: String) -> Bool {
        fund.kind != .communityFund || siteAndDescendants(fund.site).contains(site)
    }

    /// A grant towards a wish: an open one, never more than its value, from money that may go to wishes.
    func validateWishGrant(_ b: JSON, amount: Money, day: Day, fund: Fund) throws(DomainError) {
        guard let id = b["wish"]?.string, let w = hub.wish(id) else { throw .unknown(kind: "wish", id: b["wish"]?.string ?? "") }
        if !fundServes(fund, site: w.site) { throw .invalidState(.outsideFundArea(fund: fund.name)) }
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
        // Posting a wish tells donors about someone: they (or their family) agree first.
        guard b["consent"]?.bool == true else { throw .invalidState(.wishNeedsConsent) }
        let value = Hub.money(b, "value")
        guard value.fen > 0, value <= Money.limit else { throw .invalidValue(field: "value", value: b["value"]?.text ?? "", expected: .money) }
        if let due = Hub.day(b, "due"), due < day { throw .invalidValue(field: "due", value: due.iso, expected: .notBefore(day.iso)) }
        if let from = b["from"]?.string, !from.isEmpty {
            let own = visit(from).map { $0.person >= 0 && people[Int($0.person)].id == id } ?? caseFile(from).map { people[Int($0.person)].id == id }
            guard own == true else { throw .unknown(kind: "record", id: from) }
        }
        // The card and the item go to donors: neither, nor the two read together, may carry what
        // identifies or locates the person or a neighbour, or a sensitive category.
        let privacy = WishPrivacy(person: p, neighbours: people.filter { $0.community == p.community && $0.id != p.id }.map(\.name),
                                  community: site(p.community)?.name ?? "")
        for key in ["item", "card", "item+card"] {
            let text = key == "item+card" ? (b["item"]?.string ?? "") + (b["card"]?.string ?? "") : b[key]?.string ?? ""
            switch privacy.finding(in: text) {
            case .identifies: throw .invalidState(.cardIdentifies(field: key == "item" ? "item" : "card"))
            case .sensitive(let word): throw .invalidState(.cardSensitive(field: key == "item" ? "item" : "card", word: word))
            case nil: break
            }
        }
    }
}

/// What a donor's card must not say. Both sides are compared in a normal form, so a name split
/// by invisible characters or punctuation, a phone in full-width or Chinese digits, or an address
/// with its numbers written out is still found. Traditional characters and pinyin are not.
public struct WishPrivacy: Sendable {
    public enum Finding: Equatable, Sendable {
        /// The person's (or a neighbour's) name, ID number, phone, address, or a phone-length run of digits.
        case identifies
        /// A health, disability or justice category (`PersonCategories.sensitive`).
        case sensitive(String)
    }

    /// What identifies `p`, normalised once: their name, given name, surname with a form of
    /// address, ID number, phone, address and its part after `community` (the community's name,
    /// which a card may say), and the names of `neighbours` (others in their community).
    let identifying: [String]

    public init(person p: Person, neighbours: [String] = [], community: String = "") {
        let name = Self.normalised(p.name)
        let address = Self.normalised(p.address)
        var parts = [name, Self.normalised(p.idNumber), Self.normalised(p.phone), address]
        // A given name alone (桂兰 of 刘桂兰), or the surname with a form of address (刘奶奶), names
        // someone in a small community just as well.
        if name.count >= 3 { parts.append(String(name.dropFirst())) }
        if let surname = name.first, !surname.isASCII { parts += Self.honorifics.map { String(surname) + $0 } }
        // The address after the community's name, four characters at a time (9栋1单, 1单元101 …).
        let place = Self.normalised(community)
        let tail = Array(place.isEmpty ? address : address.components(after: place))
        if tail.count >= 4 {
            for i in 0...(tail.count - 4) where tail[i..<(i + 4)].contains(where: \.isASCII) { parts.append(String(tail[i..<(i + 4)])) }
        }
        parts += neighbours.map(Self.normalised).filter { $0.count >= 3 }
        identifying = parts.filter { $0.count >= 2 }
    }

    /// What in `text` a donor must not read, if anything.
    public func finding(in text: String) -> Finding? {
        let t = Self.normalised(text)
        if identifying.contains(where: t.contains) { return .identifies }
        var run = 0
        for ch in t {
            run = ch.isASCII && ch.isNumber ? run + 1 : 0
            if run >= 7 { return .identifies }
        }
        if let word = Self.sensitiveWords.first(where: { t.contains($0.normalised) }) { return .sensitive(word.word) }
        return nil
    }

    static let sensitiveWords = PersonCategories.sensitive.sorted().map { (word: $0, normalised: normalised($0)) }

    static let honorifics = ["爷爷", "奶奶", "婆婆", "大爷", "大妈", "大娘", "阿姨", "叔叔", "伯伯", "阿婆", "阿公", "老人", "老师", "先生",
                             "女士", "小朋友", "同学", "师傅", "姐", "哥", "嬢嬢", "孃孃"]

    /// Letters and digits only: invisible, combining, punctuation, symbol and space characters
    /// dropped; full-width letters and every kind of digit (Arabic-Indic, circled, 一二三, 〇) as ASCII.
    static func normalised(_ s: String) -> String {
        var out = ""
        for ch in s {
            guard let u = ch.unicodeScalars.first else { continue }
            switch u.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber, .letterNumber, .otherNumber:
                break
            default:
                continue
            }
            if let digit = ch.wholeNumberValue, (0...9).contains(digit) { out.append(Character(String(digit))); continue }
            if (0xFF21...0xFF5A).contains(u.value), let ascii = Unicode.Scalar(u.value - 0xFEE0) { out.append(Character(ascii).lowercased()); continue }
            out.append(contentsOf: ch.lowercased())
        }
        return out
    }
}

extension String {
    /// What follows the first `marker`, or the whole string when it has none.
    func components(after marker: String) -> String {
        guard let r = firstRange(of: marker) else { return self }
        return String(self[r.upperBound...])
    }
}
