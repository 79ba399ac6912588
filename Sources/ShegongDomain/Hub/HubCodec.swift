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
        h.rebuildIndexes()
        return h
    }
}
