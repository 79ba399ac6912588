/// Applying the events of organisations, the talent pool, trainings and micro-wishes. As with
/// projects, each event adds a record or moves one a step; `validateCommunity` keeps the rules.
extension Hub {
    static func hours(_ b: JSON, _ key: String = "hours") -> Double { b[key]?.double ?? 0 }

    mutating func applyOrganisation(_ event: Event, type: EventType, day: Day, offset: Int64) {
        let b = event.body
        if type == .orgRegistered {
            guard organisationIndex[event.subject] == nil else { return }
            let stage = b["stage"]?.string.flatMap(IncubationStage.init(rawValue:)) ?? .cultivating
            organisationIndex[event.subject] = Int32(organisations.count)
            organisations.append(Organisation(id: event.subject, name: b["name"]?.string ?? "",
                                              kind: b["kind"]?.string.flatMap(OrgKind.init(rawValue:)) ?? .socialOrg,
                                              field: b["field"]?.string.flatMap(ProjectField.init(rawValue:)) ?? .governance,
                                              site: b["site"]?.string ?? "", leader: b["leader"]?.string ?? "",
                                              members: b["members"]?.int ?? 0, stage: stage,
                                              steps: [StageStep(stage: stage, day: day)], offsets: [offset]))
            return
        }
        guard let k = organisationIndex[event.subject] else { return }
        let i = Int(k)
        switch type {
        case .orgUpdated:
            if let v = b["name"]?.string { organisations[i].name = v }
            if let v = b["leader"]?.string { organisations[i].leader = v }
            if let v = b["members"]?.int { organisations[i].members = v }
            if let v = b["field"]?.string.flatMap(ProjectField.init(rawValue:)) { organisations[i].field = v }
        case .orgStage:
            guard let stage = b["stage"]?.string.flatMap(IncubationStage.init(rawValue:)), stage != organisations[i].stage else { return }
            // A correction back takes away the steps it undoes (the log and the timeline keep them);
            // the stage it returns to keeps the day it was first reached.
            organisations[i].steps.removeAll { $0.stage > stage }
            organisations[i].stage = stage
            if !organisations[i].steps.contains(where: { $0.stage == stage }) {
                organisations[i].steps.append(StageStep(stage: stage, day: day))
            }
        case .orgSupported:
            organisations[i].supports.append(Support(kind: b["support"]?.string.flatMap(SupportKind.init(rawValue:)) ?? .mentoring,
                                                     day: day, hours: Self.hours(b), value: Self.money(b, "value")))
        default: return
        }
        organisations[i].version += 1
        organisations[i].offsets.append(offset)
    }

    mutating func applyTalent(_ event: Event, type: EventType, day: Day, offset: Int64) {
        let b = event.body
        switch type {
        case .talentAdded:
            guard talentIndex[event.subject] == nil else { return }
            talentIndex[event.subject] = Int32(talents.count)
            talents.append(Talent(id: event.subject, name: b["name"]?.string ?? "",
                                  kind: b["kind"]?.string.flatMap(TalentKind.init(rawValue:)) ?? .localWorker,
                                  site: b["site"]?.string ?? "", account: b["account"]?.string ?? "", addedOn: day, offsets: [offset]))
        case .trainingHeld:
            guard trainingIndex[event.subject] == nil else { return }
            let position = Int32(trainings.count)
            // Each person once: one attendance is one person-time, however the list was written.
            var seen = Set<Int32>()
            let attendees = (b["attendees"]?.strings ?? []).compactMap { talentIndex[$0] }.filter { seen.insert($0).inserted }
            trainingIndex[event.subject] = position
            trainings.append(Training(id: event.subject, title: b["title"]?.string ?? "",
                                      programme: b["programme"]?.string.flatMap(TrainingProgramme.init(rawValue:)) ?? .other,
                                      site: b["site"]?.string ?? "", day: day, hours: Self.hours(b), attendees: attendees, offset: offset))
            for a in attendees where !talents[Int(a)].trainings.contains(position) {
                talents[Int(a)].trainings.append(position)
                talents[Int(a)].offsets.append(offset)
            }
        case .talentCertified, .talentSupervised:
            guard let k = talentIndex[event.subject] else { return }
            let i = Int(k)
            if type == .talentCertified {
                let level = b["level"]?.string.flatMap(CertLevel.init(rawValue:))
                // An upgrade changes the level and the certificate, not when they were first
                // certified; the same level recorded again corrects the certificate and its day.
                let upgrade = talents[i].level.map { held in level.map { $0 > held } ?? false } ?? false
                talents[i].certifiedOn = upgrade ? min(talents[i].certifiedOn ?? day, day) : day
                talents[i].level = level
                talents[i].certificate = b["certificate"]?.string ?? ""
            } else {
                talents[i].supervision.append(SupervisionHours(supervisor: b["supervisor"]?.string ?? "", day: day, hours: Self.hours(b),
                                                               form: b["form"]?.string.flatMap(SupervisionForm.init(rawValue:)) ?? .individual))
                // The supervisor's timeline shows the hours they gave.
                if let s = b["supervisor"]?.string.flatMap({ talentIndex[$0] }) { talents[Int(s)].offsets.append(offset) }
            }
            talents[i].version += 1
            talents[i].offsets.append(offset)
        default: return
        }
    }

    /// Money from a fund towards a wish; an unclaimed wish is then claimed by the fund.
    mutating func grantToWish(_ i: Int, _ amount: Money, fund: String, day: Day, offset: Int64) {
        wishes[i].granted += amount
        wishes[i].offsets.append(offset)
        guard wishes[i].stage == .posted else { return }
        wishes[i].stage = .claimed
        wishes[i].claimantKind = .stationFund
        wishes[i].claimant = fund
        wishes[i].claimedOn = day
        wishes[i].lastStep = max(wishes[i].lastStep, day)
        wishes[i].version += 1
    }

    /// A grant towards a wish taken back (`amount` is the grant's, negative); a wish the fund had
    /// claimed and no longer pays for is open again.
    mutating func ungrantWish(_ i: Int, _ amount: Money, offset: Int64) {
        wishes[i].granted += amount
        wishes[i].offsets.append(offset)
        guard wishes[i].granted == .zero, wishes[i].stage == .claimed, wishes[i].claimantKind == .stationFund else { return }
        wishes[i].stage = .posted
        wishes[i].claimantKind = nil
        wishes[i].claimant = ""
        wishes[i].claimedOn = nil
        wishes[i].version += 1
    }

    /// `person` is the wish's person as a position in the state's people (-1 when unknown), and
    /// `site` their community, where the wish is counted.
    mutating func applyWish(_ event: Event, type: EventType, day: Day, offset: Int64, person: Int32, site: String) {
        let b = event.body
        if type == .wishPosted {
            guard wishIndex[event.subject] == nil else { return }
            wishIndex[event.subject] = Int32(wishes.count)
            wishes.append(Wish(id: event.subject, person: person, item: b["item"]?.string ?? "", card: b["card"]?.string ?? "",
                               value: Self.money(b, "value"), site: site,
                               source: b["source"]?.string.flatMap(WishSource.init(rawValue:)) ?? .workerNoted,
                               from: b["from"]?.string ?? "", due: Self.day(b, "due"), postedOn: day, postedBy: event.actor,
                               lastStep: day, offsets: [offset]))
            return
        }
        guard let k = wishIndex[event.subject] else { return }
        let i = Int(k)
        switch type {
        case .wishClaimed:
            wishes[i].stage = .claimed
            wishes[i].claimantKind = b["kind"]?.string.flatMap(ClaimantKind.init(rawValue:))
            wishes[i].claimant = b["claimant"]?.string ?? ""
            wishes[i].claimedOn = day
        case .wishFulfilled:
            wishes[i].stage = .fulfilled
            wishes[i].fulfilledOn = day
        case .wishWithdrawn:
            wishes[i].stage = .withdrawn
            wishes[i].withdrawReason = b["reason"]?.string ?? ""
        default: return
        }
        wishes[i].lastStep = max(wishes[i].lastStep, day)
        wishes[i].version += 1
        wishes[i].offsets.append(offset)
    }
}
