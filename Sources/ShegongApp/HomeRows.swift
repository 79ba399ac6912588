import ShegongDomain
import ShegongStore
import ShegongTerminal

/// "My day" and the supervisor's caseload: rows derived from the state, cached until the log grows.
extension ConsoleData {
    /// One line of "my day": a person (due, overdue, follow-up) or a case (approval, my case).
    /// Only the lines on screen are turned into text, so a station admin's thousands of overdue
    /// people cost one pass over the records, not thousands of strings.
    struct HomeRow {
        var section: Text
        var record: Int32
        /// The date the line shows: visit due, follow-up, closure requested, last contact.
        var day: Day?
        var role: StyleRole
        var isCase: Bool { [.approvalsWaiting, .closureReturned, .myCases].contains(section) }
    }

    func subject(of row: HomeRow) -> String {
        row.isCase ? state.cases[Int(row.record)].id : state.people[Int(row.record)].id
    }

    func cells(of row: HomeRow) -> [String] {
        let t = strings
        if row.isCase {
            let c = state.cases[Int(row.record)]
            let name = Policy.personNameShown(on: c, for: viewer, in: state) ? state.people[Int(c.person)].name : "***"
            if row.section == .approvalsWaiting {
                return [t[.approvalsWaiting], name, c.number, row.day?.iso ?? "", c.closure?.summary ?? ""]
            }
            if row.section == .closureReturned {
                // The supervisor's reason, so the worker knows what to do before asking again.
                return [t[.closureReturned], name, c.number, row.day?.iso ?? "", (t.chinese ? "督导意见: " : "Supervisor: ") + (c.closure?.rejections.last ?? "")]
            }
            return [t[.myCases], name, c.number, c.stage.label(chinese: t.chinese), row.day?.iso ?? "-"]
        }
        let p = state.people[Int(row.record)]
        // A supervisor's or the admin's day mixes workers' people: say whose each one is.
        let whose = viewer.role == .worker ? "" : "\(state.staffName(p.worker)) · "
        return [t[row.section], p.name, p.tier.label(chinese: t.chinese), row.day?.iso ?? "", whose + p.address]
    }

    /// People this account is responsible for on "my day": their own, their supervisees', or
    /// (station admin) everyone's.
    static func isMine(_ worker: String, for viewer: Viewer) -> Bool {
        switch viewer.role {
        case .admin: return true
        case .supervisor: return worker == viewer.account || viewer.supervisees.contains(worker)
        default: return worker == viewer.account
        }
    }

    var homeRows: [HomeRow] {
        // The state once: each `state` is a copy out of the store, a retain of its every array.
        let state = self.state
        if let c = homeCache, c.count == state.eventCount { return c.rows }
        var out: [HomeRow] = []
        var due: [HomeRow] = [], overdue: [(Int, HomeRow)] = []
        let viewer = self.viewer
        let isMine = { Self.isMine($0, for: viewer) }
        state.people.withUnsafeBufferPointer { people in
            for i in state.peopleDue(VisitsDue(by: today)) {
                guard isMine(people[i].worker), Policy.person(people[i], for: viewer, in: state) == .full else { continue }
                let next = people[i].nextVisitDue(lastVisit: state.lastVisits[i])
                let tier = people[i].tier
                if next == today {
                    due.append(HomeRow(section: .dueToday, record: Int32(i), day: next, role: .normal))
                } else {
                    let rank = tier == .high ? 0 : tier == .priority ? 1 : 2
                    overdue.append((rank * 100_000 + Int(next.number),
                                    HomeRow(section: .overdue, record: Int32(i), day: next, role: tier == .high ? .danger : .warning)))
                }
            }
        }
        var waiting: [HomeRow] = []
        // Read in place, field by field: a copy of each case out of the list cost more than the rest.
        state.cases.withUnsafeBufferPointer { cases in
            for i in cases.indices where cases[i].isOpen && Policy.caseFile(cases[i], for: viewer, in: state) == .full {
                let (stage, worker) = (cases[i].stage, cases[i].worker)
                if stage == .closing, viewer.role == .supervisor || viewer.role == .admin, isMine(worker), worker != actor {
                    out.append(HomeRow(section: .approvalsWaiting, record: Int32(i), day: cases[i].closure?.requestedOn, role: .accent))
                } else if worker == actor, stage != .closing, let closure = cases[i].closure, !closure.rejections.isEmpty {
                    // A closure the supervisor sent back stays on the worker's day until asked for again.
                    out.append(HomeRow(section: .closureReturned, record: Int32(i), day: closure.requestedOn, role: .warning))
                } else if worker == actor, stage != .closing,
                          stage == .intake || (cases[i].lastContact.map { today - $0 > 14 } ?? true) {
                    waiting.append(HomeRow(section: .myCases, record: Int32(i), day: cases[i].lastContact, role: .normal))
                }
            }
        }
        // What needs a decision comes first, then today's visits, then what is late.
        out += due
        out += overdue.sorted { $0.0 < $1.0 }.map(\.1)
        for v in state.visits.suffix(5000) where v.person >= 0 && isMine(v.worker) {
            guard let f = v.followUp, f <= today, f >= today.adding(days: -14) else { continue }
            if let last = state.lastVisits[Int(v.person)], last >= f { continue }
            out.append(HomeRow(section: .followUps, record: v.person, day: f, role: .normal))
        }
        out += waiting
        homeCache = (state.eventCount, out)
        return out
    }

    struct WorkerLoad {
        var account: String
        var name: String
        var open: Int
        var highRisk: Int
        var overdue: Int
        var lastContact: Day?
        var pending: Int
    }

    var caseloadRows: [WorkerLoad] {
        let state = self.state
        if let c = caseloadCache, c.count == state.eventCount { return c.rows }
        let workers = state.staff.values.filter { $0.role == .worker && (role == .admin || $0.supervisor == actor) }
            .sorted { $0.account < $1.account }
        var loads = Dictionary(uniqueKeysWithValues: workers.map { ($0.account, WorkerLoad(account: $0.account, name: $0.name, open: 0,
                                                                                             highRisk: 0, overdue: 0, lastContact: nil, pending: 0)) })
        for c in state.cases where c.isOpen {
            guard var l = loads[c.worker] else { continue }
            l.open += 1
            if c.risk == .high { l.highRisk += 1 }
            if c.stage == .closing { l.pending += 1 }
            if let d = c.lastContact, l.lastContact.map({ d > $0 }) ?? true { l.lastContact = d }
            loads[c.worker] = l
        }
        state.people.withUnsafeBufferPointer { people in
            for i in state.peopleDue(VisitsDue(by: today.adding(days: -1))) { loads[people[i].worker]?.overdue += 1 }
        }
        let rows = workers.compactMap { loads[$0.account] }
        caseloadCache = (state.eventCount, rows)
        return rows
    }
}
