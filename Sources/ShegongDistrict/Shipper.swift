import Crypto
import ShegongDomain
import ShegongStore

public struct ShipSummary: Sendable {
    public var origin: String
    public var shipped = 0
    /// The number of the store's last record the district holds after this ship.
    public var upTo = 0
}

public enum ShipError: Error, Equatable, CustomStringConvertible {
    /// The district already holds records of this origin that the log does not (or no longer) has.
    case diverged(origin: String, number: Int, reason: String)
    case originTaken(origin: String, genesis: String)
    case wrongRole(origin: String, role: String)
    case busy(origin: String)

    public var description: String {
        switch self {
        case .diverged(let o, let n, let why): return "origin \(o), record \(n): \(why); the district refused it and nothing after it was shipped"
        case .originTaken(let o, let g):
            return "the district already has a store of origin \(o) (first event \(g)) that is not this one; nothing was shipped"
        case .wrongRole(let o, let r):
            return "origin \(o) is shipped to the district by database role \(r), not this one; nothing was shipped"
        case .busy(let o): return "another sync of origin \(o) to the district is running; nothing was done"
        }
    }
}

/// Ships a store's new records to the district: each batch is one transaction that adds the
/// records to the chain and events tables, replaces the facts of every record they touched, and
/// moves the origin's shipped position. A ship stopped anywhere resumes from the last commit.
public enum Shipper {
    /// `householdKey` keys the hash that stands for a household's text (`DistrictKey`).
    public static func ship(_ store: Store, to db: PostgreSQL, householdKey: [UInt8], batchSize: Int = 20_000) throws -> ShipSummary {
        try DistrictSchema.prepare(db)
        let home = store.state.origin
        guard store.position.count > 0 else { return ShipSummary(origin: home) }
        // One shipper per origin at a time (cron may start the next before this one ends).
        guard try db.value("SELECT pg_try_advisory_lock(hashtext('shegong ship ' || $1))", [home]) == "t" else {
            throw ShipError.busy(origin: home)
        }
        defer { _ = try? db.execute("SELECT pg_advisory_unlock(hashtext('shegong ship ' || $1))", [home]) }
        let genesis = try store.record(at: 0).event.id.description
        try db.execute("""
            INSERT INTO origins (origin, genesis, station, shipped_hash, hub_facts) VALUES ($1, $2, $3, $4, true) ON CONFLICT (origin) DO NOTHING
            """, [home, genesis, store.state.station, ChainHash.genesis.hex])
        guard let row = try db.execute("""
                SELECT genesis, shipped_number, shipped_hash, shipped_offset, db_role, db_role = current_user, hub_facts FROM origins WHERE origin = $1
                """, [home]).first,
              let theirGenesis = row[0], let number = row[1].flatMap({ Int($0) }), let hash = row[2].flatMap(ChainHash.init(hex:)),
              let offset = row[3].flatMap({ Int64($0) }) else { throw PostgreSQLError("the district's origins table is unreadable") }
        guard theirGenesis == genesis else { throw ShipError.originTaken(origin: home, genesis: theirGenesis) }
        // A copy of a station's log (a laptop holds one) could be rebuilt and shipped as the station:
        // with a database role per station, only the station's own role ships its origin.
        guard row[5] == "t" else { throw ShipError.wrongRole(origin: home, role: row[4] ?? "?") }
        var summary = ShipSummary(origin: home, upTo: number)
        if number > store.position.count {
            throw ShipError.diverged(origin: home, number: store.position.count + 1,
                                     reason: "the district holds \(number) records of this origin, this log only \(store.position.count)")
        }
        let hubShipped = row[6] == "t"
        // Built only when something is to be shipped: most cron runs find nothing new.
        var built: Facts?
        func facts() throws -> Facts {
            if let built { return built }
            // Records written by another station that ships for itself are that station's to report.
            let otherShippers = Set(try db.execute("SELECT origin FROM origins WHERE origin <> $1", [home]).compactMap { $0[0] })
            let made = Facts(state: store.state, householdKey: householdKey, otherShippers: otherShippers)
            built = made
            return made
        }
        if number == store.position.count {
            guard hash == store.position.head else { throw try rewritten(store, db, home: home, upTo: number) }
            if !hubShipped { try shipHubOnce(try facts(), to: db, home: home) }
            return summary
        }
        var pending: [(record: Record, offset: Int64)] = []
        func flush(upTo endHash: ChainHash, endOffset: Int64) throws {
            let batch = Batch(records: pending, endHash: endHash, endOffset: endOffset, home: home)
            try db.transaction {
                // The shipped position is moved only from where this ship found it.
                guard try db.value("SELECT shipped_number FROM origins WHERE origin = $1 FOR UPDATE", [home]) == String(summary.upTo) else {
                    throw ShipError.busy(origin: home)
                }
                try batch.write(to: db, facts: try facts())
            }
            summary.shipped += pending.count
            summary.upTo = pending.last!.record.number
            pending.removeAll(keepingCapacity: true)
        }
        // The scan continues the chain from the district's head: a record that does not follow it
        // (the log was rewritten after it was shipped) ends the scan as damage, named below.
        let (end, how) = try store.log.scan(from: ChainPosition(count: number, head: hash, endOffset: offset), checkChain: true) { record, at in
            if pending.count == batchSize { try flush(upTo: record.prev, endOffset: at) }
            pending.append((record, at))
        }
        if !pending.isEmpty { try flush(upTo: end.head, endOffset: end.endOffset) }
        if case .damaged(let damage) = how {
            // The first record past the district's head does not follow it: history was rewritten.
            if damage.recordNumber == number + 1 && number > 0 { throw try rewritten(store, db, home: home, upTo: number) }
            throw ShipError.diverged(origin: home, number: damage.recordNumber, reason: damage.reason)
        }
        if !hubShipped { try shipHubOnce(try facts(), to: db, home: home) }
        return summary
    }

    /// An origin first shipped by a release without the hub's tables has hub records the
    /// district never got (records ship as they are written, and those were written before):
    /// once everything is shipped, every hub record's facts go in one transaction, and never again.
    /// Called when the origin's row, read at the start of the run, said they are not in yet; the
    /// rows are replaced, so a run that raced this one to it leaves the same rows.
    static func shipHubOnce(_ facts: Facts, to db: PostgreSQL, home: String) throws {
        let hub = facts.state.hub
        let all: [RecordKind: Set<String>] = [
            .ledgerEntry: Set(hub.entries.map(\.id)), .project: Set(hub.projects.map(\.id)),
            .organisation: Set(hub.organisations.map(\.id)), .talent: Set(hub.talents.map(\.id)),
            .training: Set(hub.trainings.map(\.id)), .wish: Set(hub.wishes.map(\.id)),
        ]
        try db.transaction {
            for (table, keys, rows) in facts.rows(for: all) { try Batch.replace(table, keys: keys, rows: rows, home: home, in: db) }
            try db.execute("UPDATE origins SET hub_facts = true WHERE origin = $1", [home])
        }
    }

    /// Names the first record the district holds that the log now has otherwise (a log rewritten,
    /// chain and all, after it was shipped, or replaced by another copy).
    static func rewritten(_ store: Store, _ db: PostgreSQL, home: String, upTo number: Int) throws -> ShipError {
        var local: [ChainHash] = []  // the hash of record n is at n - 1
        local.reserveCapacity(number)
        let (end, _) = try store.log.scan(from: .start, checkChain: true) { record, _ in
            if record.number >= 2, record.number - 1 <= number { local.append(record.prev) }
        }
        if local.count < number, end.count >= number { local.append(end.head) }
        var from = 1
        while from <= number {
            let to = min(number, from + 49_999)
            for row in try db.execute("SELECT number, hash FROM chain WHERE origin = $1 AND number BETWEEN $2 AND $3 ORDER BY number",
                                      [home, String(from), String(to)]) {
                guard let n = row[0].flatMap({ Int($0) }), n >= 1 else { continue }
                if n > local.count || local[n - 1].hex != row[1] {
                    return .diverged(origin: home, number: n, reason: "differs from the record the district holds under that number")
                }
            }
            from = to + 1
        }
        return .diverged(origin: home, number: number + 1, reason: "does not follow record \(number) as the district holds it")
    }
}

/// One transaction's worth of records, as rows for the district's tables.
struct Batch {
    var records: [(record: Record, offset: Int64)]
    var endHash: ChainHash
    var endOffset: Int64
    var home: String

    func write(to db: PostgreSQL, facts: Facts) throws {
        var chain: [[String?]] = [], events: [[String?]] = []
        var touched: [RecordKind: Set<String>] = [:]
        for (i, item) in records.enumerated() {
            let record = item.record
            let hash = i + 1 < records.count ? records[i + 1].record.prev : endHash
            chain.append([home, String(record.number), hash.hex, record.prev.hex, record.event.id.description])
            let stamp = record.event.origin
            let originHash = stamp.map { _ in RecordCodec.originLine(of: record.event).map { $0.withUnsafeBytes { ChainHash.of($0).hex } } } ?? hash.hex
            let local = record.event.localized(home: home)
            // A subject that is not a record (an account, a file's hash) stays at the station.
            let subject = Event.subjectIsRecord(record.event.type) ? Origin.canonical(local.subject, home: home) : ""
            events.append([record.event.id.description, stamp?.origin ?? home, String(stamp?.number ?? record.number), originHash,
                           home, record.event.type, record.event.at.iso, subject, stamp?.held == nil ? "f" : "t"])
            guard stamp?.held == nil, let type = EventType(rawValue: record.event.type) else { continue }
            switch type.info.subject {
            case .creates(let kind), .changes(let kind): touched[kind, default: []].insert(local.subject)
            case .free: break
            }
        }
        try db.copy(into: "chain", columns: ["origin", "number", "hash", "prev", "event_id"], rows: chain)
        try db.execute("CREATE TEMP TABLE IF NOT EXISTS stage_events (LIKE events) ON COMMIT DELETE ROWS")
        try db.copy(into: "stage_events", columns: ["event_id", "origin", "origin_number", "chain_hash", "shipped_by", "type", "at", "subject", "held"],
                    rows: events)
        try db.execute("INSERT INTO events SELECT * FROM stage_events ON CONFLICT (event_id) DO NOTHING")
        // The district checks the links itself: each new record names the hash of the one before.
        // One range scan over the batch and the record before it (a self-join can go quadratic).
        if let broken = try db.value("""
            SELECT number FROM (
                SELECT number, prev, coalesce(lag(hash) OVER (ORDER BY number), repeat('0', 64)) AS before
                FROM chain WHERE origin = $1 AND number >= $2::bigint - 1) linked
            WHERE number >= $2::bigint AND prev <> before ORDER BY number LIMIT 1
            """, [home, String(records[0].record.number)]) {
            throw ShipError.diverged(origin: home, number: Int(broken) ?? 0, reason: "does not name the hash of the record before it")
        }
        for (table, keys, rows) in facts.rows(for: touched) {
            try Self.replace(table, keys: keys, rows: rows, home: home, in: db)
        }
        let newest = records.map(\.record.event.at).max()!
        try db.execute("""
            UPDATE origins SET shipped_number = $2, shipped_hash = $3, shipped_offset = $4, shipped_at = now(),
                newest_record_at = greatest(newest_record_at, $5::timestamptz), station = $6 WHERE origin = $1
            """, [home, String(records.last!.record.number), endHash.hex, String(endOffset), newest.iso, facts.state.station])
    }

    /// Replaces the rows of the records named by `keys` (deleted first, so a withdrawn visit or a
    /// corrected session list leaves nothing behind), except records another station's rows hold:
    /// a record's facts belong to the station that first shipped them.
    static func replace(_ table: DistrictSchema.Table, keys: [String], rows: [[String?]], home: String, in db: PostgreSQL) throws {
        guard !keys.isEmpty else { return }
        let stage = "stage_" + table.name
        try db.execute("CREATE TEMP TABLE IF NOT EXISTS stage_keys (id text) ON COMMIT DELETE ROWS")
        try db.execute("CREATE TEMP TABLE IF NOT EXISTS \(stage) (LIKE \(table.name)) ON COMMIT DELETE ROWS")
        try db.execute("TRUNCATE stage_keys, \(stage)")
        try db.copy(into: "stage_keys", columns: ["id"], rows: keys.map { [$0] })
        try db.copy(into: stage, columns: table.columns, rows: rows)
        try db.execute("DELETE FROM stage_keys k USING \(table.name) t WHERE t.\(table.key) = k.id AND t.station <> $1", [home])
        try db.execute("DELETE FROM \(table.name) WHERE \(table.key) IN (SELECT id FROM stage_keys)")
        try db.execute("INSERT INTO \(table.name) SELECT * FROM \(stage) WHERE \(table.key) IN (SELECT id FROM stage_keys)")
    }
}

/// The district's facts about a record, from the station's projection (at the log's head, so a
/// record touched again later is simply replaced again). Ids are canonical (`origin/id`).
struct Facts {
    let state: State
    let householdKey: SymmetricKey
    let otherShippers: Set<String>
    private let activityIndex: [String: Int]

    init(state: State, householdKey: [UInt8], otherShippers: Set<String>) {
        self.state = state
        self.householdKey = SymmetricKey(data: householdKey)
        self.otherShippers = otherShippers
        var index: [String: Int] = [:]
        for (i, a) in state.activities.enumerated() { index[a.id] = i }
        activityIndex = index
    }

    func id(_ local: String) -> String { Origin.canonical(local, home: state.origin) }

    /// A household is named by a keyed hash, never by the text people wrote; the key stays at the
    /// station, so the district cannot find an address by hashing the addresses it can guess.
    /// 128 bits of the HMAC, as a uuid: compact to group by in the district's figures.
    func household(_ text: String) -> String {
        let hex = HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: householdKey).prefix(16).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { r in
            String(hex.dropFirst(r.lowerBound).prefix(r.count))
        }.joined(separator: "-")
    }

    /// Whether this store ships a record's facts: not when another shipping station wrote it.
    func ships(_ local: String) -> Bool {
        guard let cut = local.firstIndex(of: Origin.separator) else { return true }
        return !otherShippers.contains(String(local[..<cut]))
    }

    func rows(for touched: [RecordKind: Set<String>]) -> [(DistrictSchema.Table, [String], [[String?]])] {
        let station = state.origin
        var out: [(DistrictSchema.Table, [String], [[String?]])] = []
        func add(_ table: DistrictSchema.Table, _ kind: RecordKind, _ row: (String) -> [[String?]]) {
            guard let ids = touched[kind]?.filter(ships), !ids.isEmpty else { return }
            let sorted = ids.sorted()
            out.append((table, sorted.map(id), sorted.flatMap(row)))
        }
        add(DistrictSchema.sites, .site) { local in
            state.site(local).map { [[id($0.id), station, $0.name, $0.tier.rawValue, $0.parent.map(id)]] } ?? []
        }
        add(DistrictSchema.people, .person) { local in
            state.person(local).map { [[id($0.id), station, id($0.community), household($0.household), $0.tier.rawValue, $0.registeredOn.iso]] } ?? []
        }
        add(DistrictSchema.visits, .visit) { local in
            guard let v = state.visit(local), v.person >= 0 else { return [] }  // a withdrawn visit is nobody's
            return [[id(v.id), station, id(state.people[Int(v.person)].id), v.day.iso, v.mode == .home ? "t" : "f"]]
        }
        add(DistrictSchema.cases, .caseFile) { local in
            state.caseFile(local).map { [[id($0.id), station, id(state.people[Int($0.person)].id), id($0.site), $0.openedOn.iso, $0.closedOn?.iso]] } ?? []
        }
        add(DistrictSchema.caseContacts, .caseFile) { local in
            state.caseFile(local).map { c in c.contactDays.map { [id(c.id), station, $0.iso] } } ?? []
        }
        add(DistrictSchema.groupSessions, .group) { local in
            state.group(local).map { g in g.sessions.map { [id(g.id), station, id(g.site), $0.day.iso, String($0.present)] } } ?? []
        }
        add(DistrictSchema.activities, .activity) { local in
            activityIndex[local].map { state.activities[$0] }.map { [[id($0.id), station, id($0.site), $0.day.iso, String($0.headcount)]] } ?? []
        }
        add(DistrictSchema.volunteers, .volunteer) { local in
            state.volunteer(local).map { [[id($0.id), station, id($0.site), $0.registeredOn.iso, $0.backbone ? "t" : "f"]] } ?? []
        }
        add(DistrictSchema.hours, .hours) { local in
            state.hoursPosition(local).map { state.hours[Int($0)] }.map {
                [[id($0.id), station, id(state.volunteers[Int($0.volunteer)].id), $0.day.iso, String($0.hours)]]
            } ?? []
        }
        // The hub's facts, row for row what `HubReport` adds up.
        let hub = state.hub
        add(DistrictSchema.ledger, .ledgerEntry) { local in
            hub.sides(of: local).compactMap { e in
                HubReport.ledgerFigure(e, in: hub).map { [id(e.id), station, id(hub.funds[Int(e.fund)].site), e.day.iso, $0.key, String($0.amount.fen)] }
            }
        }
        add(DistrictSchema.projects, .project) { local in
            hub.project(local).map { [[id($0.id), station, id($0.site), $0.approvedOn?.iso, $0.approved.map { String($0.fen) }, $0.closedOn?.iso]] } ?? []
        }
        add(DistrictSchema.organisations, .organisation) { local in
            hub.organisation(local).map { [[id($0.id), station, id($0.site), $0.outOn?.iso]] } ?? []
        }
        add(DistrictSchema.talents, .talent) { local in
            hub.talent(local).map { [[id($0.id), station, id($0.site), $0.certifiedOn?.iso]] } ?? []
        }
        add(DistrictSchema.supervision, .talent) { local in
            hub.talent(local).map { t in t.supervision.map { [id(t.id), station, id(t.site), $0.day.iso, String($0.hours)] } } ?? []
        }
        add(DistrictSchema.trainings, .training) { local in
            hub.training(local).map { [[id($0.id), station, id($0.site), $0.day.iso, String($0.attendees.count)]] } ?? []
        }
        add(DistrictSchema.wishes, .wish) { local in
            hub.wish(local).map { [[id($0.id), station, id($0.site), $0.fulfilledDay?.iso]] } ?? []
        }
        return out
    }
}
