import ShegongDomain
import ShegongStore

/// What `shegong export` prints. Events stream straight from the log; record tables come from
/// the projection with sensitive fields masked.
public struct Exporter {
    public let store: Store
    public let viewer: Viewer
    public let today: Day
    public init(store: Store, viewer: Viewer, today: Day) {
        self.store = store
        self.viewer = viewer
        self.today = today
    }

    /// Every event as one JSON object per line, in log order, written in large chunks.
    public func events(_ write: (String) -> Void) throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        let (_, end) = try store.log.scan(from: .start) { record, _ in
            var fields = [JSONField("n", .int(record.number))]
            fields.append(contentsOf: record.event.json.fields ?? [])
            JSON.object(fields).write(to: &buffer)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                write(String(decoding: buffer, as: UTF8.self))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        write(String(decoding: buffer, as: UTF8.self))
        if case .damaged(let d) = end { throw StoreError.damaged(path: store.path, damage: d) }
    }

    /// The log's records as they are on disk, up to its last whole record: what `shegong sync`
    /// reads from another host (every record keeps the bytes its hash chain was made of).
    public func rawLog(_ write: ([UInt8]) -> Void) throws {
        let end = store.position.endOffset
        var offset: Int64 = 0
        while offset < end {
            let count = Int(min(Int64(1 << 20), end - offset))
            write(try store.log.readBytes(from: offset, count: count))
            offset += Int64(count)
        }
    }

    public struct Table {
        public var columns: [String]
        public var rows: [[String]]

        /// Cells escaped for a terminal and neutralised for a spreadsheet (`SafeText.csvCell`).
        public var csv: String {
            var out = SafeText.csvLine(columns)
            for row in rows { out += SafeText.csvLine(row) }
            return out
        }

        public var jsonl: String {
            rows.map { row in
                JSON.object(zip(columns, row).map { JSONField($0, .string($1)) }).text
            }.joined(separator: "\n") + (rows.isEmpty ? "" : "\n")
        }
    }

    public func table(_ kind: String) -> Table? {
        let s = store.state
        func siteName(_ id: String) -> String { s.site(id)?.name ?? id }
        switch kind {
        case "people":
            return Table(columns: ["id", "name", "sex", "birth", "id_number", "phone", "address", "community", "categories",
                                   "tier", "worker", "last_visit", "next_due"],
                         rows: s.people.indices.compactMap { i -> [String]? in
                             let p = s.people[i]
                             let visibility = Policy.person(p, for: viewer, in: s)
                             if visibility == .none { return nil }
                             if visibility < .full {
                                 // A task card or a need-to-know summary: who and where, nothing sensitive.
                                 return [p.id, p.name, "", "", "", "", p.address, siteName(p.community), "",
                                         visibility == .summary ? p.tier.zh : "", visibility == .summary ? p.worker : "", "", ""]
                             }
                             let birth = Policy.birthShown(p, today: today, unmasked: false) ? p.birth?.iso ?? "" : Mask.hidden
                             return [p.id, p.name, p.sex?.zh ?? "", birth, Mask.idNumber(p.idNumber), Mask.phone(p.phone),
                                     p.address, siteName(p.community),
                                     p.categories.map { PersonCategories.sensitive.contains($0) ? Mask.hidden : $0 }.joined(separator: "、"),
                                     p.tier.zh, p.worker, s.lastVisits[i]?.iso ?? "", s.nextVisitDue(of: i).iso]
                         })
        case "visits":
            return Table(columns: ["id", "person", "name", "date", "mode", "worker", "case", "follow_up", "note"],
                         rows: s.visits.compactMap { v -> [String]? in
                             let p = v.person >= 0 ? s.people[Int(v.person)] : nil
                             let visibility = p.map { Policy.person($0, for: viewer, in: s) } ?? .none
                             guard visibility >= .summary else { return nil }
                             let linked = v.caseIndex >= 0 ? s.cases[Int(v.caseIndex)] : nil
                             let caseShown = linked.map { Policy.linkedCaseShown($0, for: viewer, in: s) } ?? false
                             let notesShown = p.map { Policy.visitNotes(person: $0, case: linked, for: viewer, in: s) } ?? false
                             let note = notesShown ? (try? store.record(at: v.offset))?.event.body["note"]?.string ?? "" : ""
                             return [v.id, p?.id ?? "", p?.name ?? "", v.day.iso, v.mode.zh, v.worker,
                                     caseShown ? linked!.number : "", v.followUp?.iso ?? "", note]
                         })
        case "cases":
            return Table(columns: ["id", "number", "person", "worker", "opened", "stage", "risk", "contacts", "closed"],
                         rows: s.cases.filter { Policy.caseFile($0, for: viewer, in: s) >= .summary }.map { c in
                             [c.id, c.number, Policy.personNameShown(on: c, for: viewer, in: s) ? s.people[Int(c.person)].name : Mask.hidden, c.worker,
                              c.openedOn.iso, c.stage.zh, c.risk?.zh ?? "", String(c.contactDays.count), c.closedOn?.iso ?? ""]
                         })
        case "groups":
            guard Policy.groups(for: viewer) > .none else { return Table(columns: [], rows: []) }
            return Table(columns: ["id", "name", "kind", "site", "worker", "members", "sessions", "attendances", "closed"],
                         rows: s.groups.map { g in
                             [g.id, g.name, g.kind.zh, siteName(g.site), g.worker, String(g.members.count), String(g.sessions.count),
                              String(g.sessions.reduce(0) { $0 + $1.present }), g.closedOn?.iso ?? ""]
                         })
        case "access":
            guard Policy.mayReviewAccess(viewer) else { return Table(columns: [], rows: []) }
            return Table(columns: ["at", "actor", "what", "subject"],
                         rows: s.access.map { [$0.at.iso, $0.actor, $0.what, $0.subject] })
        case "staff":
            return Table(columns: ["account", "name", "role", "site", "supervisor"],
                         rows: s.staff.values.sorted { $0.account < $1.account }.map { [$0.account, $0.name, $0.role.rawValue, siteName($0.site), $0.supervisor ?? ""] })
        case "volunteers":
            guard Policy.volunteers(for: viewer) >= .summary else { return Table(columns: [], rows: []) }
            return Table(columns: ["id", "name", "id_number", "phone", "team", "skills", "backbone", "hours", "stars", "time_bank"],
                         rows: s.volunteers.enumerated().map { i, v in
                             let hours = s.certifiedHours(Int32(i))
                             return [v.id, v.name, Mask.idNumber(v.idNumber), Mask.phone(v.phone), v.team,
                                     v.skills.joined(separator: "、"), v.backbone ? "是" : "否", formatHours(hours),
                                     String(Volunteer.stars(hours: hours)), formatHours(s.timeBankBalance(Int32(i)))]
                         })
        default:
            return hubTable(kind)
        }
    }
}
