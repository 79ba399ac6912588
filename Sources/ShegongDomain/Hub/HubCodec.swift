/// The hub's part of a checkpoint (see `StateCodec`, whose version and fingerprint cover it).
enum HubCodec {
    static func encode(_ h: Hub, into w: inout BinaryWriter) {
        w.array(h.funds) { w, f in w.str(f.id); w.str(f.name); w.vocab(f.kind); w.shared(f.site); w.day(f.openedOn); w.int(f.version) }
        w.array(h.entries) { w, e in
            w.str(e.id); w.i32(e.fund); w.day(e.day); w.vocab(e.kind); w.int(e.amount.fen); pool(e.pool, &w)
            w.str(e.counterparty); w.str(e.receipt); w.optStr(e.reverses); w.optStr(e.reversedBy); w.shared(e.recorder); w.i64(e.offset)
        }
        w.int(h.ledgerEvents)
        w.array(h.projects) { w, p in
            w.str(p.id); w.str(p.name); w.vocab(p.applicantKind); w.str(p.applicant); w.shared(p.submittedBy); w.str(p.funder)
            w.vocab(p.source); w.vocab(p.field); w.shared(p.site); w.int(p.budget.fen); w.day(p.appliedOn); w.optDay(p.starts)
            w.optDay(p.ends); w.vocab(p.stage); w.bool(p.approved != nil); w.int(p.approved?.fen ?? 0); w.optStr(p.approvedBy)
            w.optDay(p.approvedOn); w.optStr(p.declineReason); w.optDay(p.closedOn); w.optStr(p.grade); w.int(p.spent.fen)
            w.int(p.granted.fen)
            w.array(p.milestones) { w, m in w.str(m.text); w.day(m.due); w.optDay(m.done) }
            w.strings(p.links); w.day(p.lastStep); w.int(p.version); w.i64s(p.offsets)
        }
        encodeCommunity(h, into: &w)
    }

    static func encodeCommunity(_ h: Hub, into w: inout BinaryWriter) {
        w.array(h.organisations) { w, o in
            w.str(o.id); w.str(o.name); w.vocab(o.kind); w.vocab(o.field); w.shared(o.site); w.str(o.leader); w.int(o.members)
            w.vocab(o.stage); w.array(o.steps) { w, s in w.vocab(s.stage); w.day(s.day) }
            w.array(o.supports) { w, s in w.vocab(s.kind); w.day(s.day); w.double(s.hours); w.int(s.value.fen) }
            w.int(o.version); w.i64s(o.offsets)
        }
        w.array(h.talents) { w, t in
            w.str(t.id); w.str(t.name); w.vocab(t.kind); w.shared(t.site); w.str(t.account); w.day(t.addedOn)
            w.optStr(t.level?.rawValue); w.str(t.certificate); w.optDay(t.certifiedOn); w.array(t.trainings) { w, i in w.i32(i) }
            w.array(t.supervision) { w, s in w.str(s.supervisor); w.day(s.day); w.double(s.hours); w.vocab(s.form) }
            w.int(t.version); w.i64s(t.offsets)
        }
        w.array(h.trainings) { w, t in
            w.str(t.id); w.str(t.title); w.vocab(t.programme); w.shared(t.site); w.day(t.day); w.double(t.hours)
            w.array(t.attendees) { w, i in w.i32(i) }; w.i64(t.offset)
        }
        w.array(h.wishes) { w, x in
            w.str(x.id); w.i32(x.person); w.str(x.item); w.str(x.card); w.int(x.value.fen); w.shared(x.site); w.vocab(x.source)
            w.str(x.from); w.optDay(x.due); w.day(x.postedOn); w.shared(x.postedBy); w.vocab(x.stage); w.optStr(x.claimantKind?.rawValue)
            w.str(x.claimant); w.optDay(x.claimedOn); w.optDay(x.fulfilledOn); w.str(x.withdrawReason); w.int(x.granted.fen); w.day(x.lastStep)
            w.int(x.version); w.i64s(x.offsets)
        }
    }

    static func decodeCommunity(_ r: inout BinaryReader, into h: inout Hub) throws {
        h.organisations = try r.array { r in
            var o = Organisation(id: try r.str(), name: try r.str(), kind: try r.vocab(OrgKind.self), field: try r.vocab(ProjectField.self),
                                 site: try r.shared(), leader: try r.str(), members: try r.int(), stage: try r.vocab(IncubationStage.self),
                                 steps: try r.array { r in StageStep(stage: try r.vocab(IncubationStage.self), day: try r.day()) })
            o.supports = try r.array { r in
                Support(kind: try r.vocab(SupportKind.self), day: try r.day(), hours: try r.double(), value: Money(fen: try r.int()))
            }
            o.version = try r.int(); o.offsets = try r.i64s()
            return o
        }
        h.talents = try r.array { r in
            var t = Talent(id: try r.str(), name: try r.str(), kind: try r.vocab(TalentKind.self), site: try r.shared(),
                           account: try r.str(), addedOn: try r.day())
            t.level = try r.optStr().flatMap(CertLevel.init(rawValue:)); t.certificate = try r.str(); t.certifiedOn = try r.optDay()
            t.trainings = try r.array { r in try r.i32() }
            t.supervision = try r.array { r in
                SupervisionHours(supervisor: try r.str(), day: try r.day(), hours: try r.double(), form: try r.vocab(SupervisionForm.self))
            }
            t.version = try r.int(); t.offsets = try r.i64s()
            return t
        }
        h.trainings = try r.array { r in
            Training(id: try r.str(), title: try r.str(), programme: try r.vocab(TrainingProgramme.self), site: try r.shared(),
                     day: try r.day(), hours: try r.double(), attendees: try r.array { r in try r.i32() }, offset: try r.i64())
        }
        h.wishes = try r.array { r in
            var x = Wish(id: try r.str(), person: try r.i32(), item: try r.str(), card: try r.str(), value: Money(fen: try r.int()),
                         site: try r.shared(), source: try r.vocab(WishSource.self), from: try r.str(), due: try r.optDay(),
                         postedOn: try r.day(), postedBy: try r.shared(), lastStep: Day(number: 0))
            x.stage = try r.vocab(WishStage.self); x.claimantKind = try r.optStr().flatMap(ClaimantKind.init(rawValue:))
            x.claimant = try r.str(); x.claimedOn = try r.optDay(); x.fulfilledOn = try r.optDay(); x.withdrawReason = try r.str()
            x.granted = Money(fen: try r.int()); x.lastStep = try r.day(); x.version = try r.int(); x.offsets = try r.i64s()
            return x
        }
    }

    static func pool(_ p: Pool, _ w: inout BinaryWriter) {
        w.optStr(p.purpose?.rawValue); w.bool(p.inKind)
    }

    static func decode(_ r: inout BinaryReader) throws -> Hub {
        var h = Hub()
        h.funds = try r.array { r in
            var f = Fund(id: try r.str(), name: try r.str(), kind: try r.vocab(FundKind.self), site: try r.shared(), openedOn: try r.day())
            f.version = try r.int()
            return f
        }
        h.entries = try r.array { r in
            LedgerEntry(id: try r.str(), fund: try r.i32(), day: try r.day(), kind: try r.vocab(EntryKind.self), amount: Money(fen: try r.int()),
                        pool: Pool(purpose: try r.optStr().flatMap(ProjectField.init(rawValue:)), inKind: try r.bool()),
                        counterparty: try r.str(), receipt: try r.str(), reverses: try r.optStr(), reversedBy: try r.optStr(),
                        recorder: try r.shared(), offset: try r.i64())
        }
        h.ledgerEvents = try r.int()
        h.projects = try r.array { r in
            var p = Project(id: try r.str(), name: try r.str(), applicantKind: try r.vocab(ApplicantKind.self), applicant: try r.str(),
                            submittedBy: try r.shared(), funder: try r.str(), source: try r.vocab(FundingSource.self),
                            field: try r.vocab(ProjectField.self), site: try r.shared(), budget: Money(fen: try r.int()),
                            appliedOn: try r.day(), starts: try r.optDay(), ends: try r.optDay(), stage: try r.vocab(ProjectStage.self),
                            lastStep: Day(number: 0))
            let hasApproved = try r.bool()
            let approved = try r.int()
            p.approved = hasApproved ? Money(fen: approved) : nil
            p.approvedBy = try r.optStr(); p.approvedOn = try r.optDay(); p.declineReason = try r.optStr()
            p.closedOn = try r.optDay(); p.grade = try r.optStr()
            p.spent = Money(fen: try r.int()); p.granted = Money(fen: try r.int())
            p.milestones = try r.array { r in Milestone(text: try r.str(), due: try r.day(), done: try r.optDay()) }
            p.links = try r.strings(); p.lastStep = try r.day(); p.version = try r.int(); p.offsets = try r.i64s()
            return p
        }
        try decodeCommunity(&r, into: &h)
        guard h.rebuildIndexes() else { throw BinaryReader.RepeatedID() }
        return h
    }
}
