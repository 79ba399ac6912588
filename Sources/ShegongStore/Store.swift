#if canImport(Glibc)
import Glibc
#endif
import ShegongDomain

/// The log plus its projection. Writers lock, catch up with what others appended, check, write,
/// fsync, and only then report success. Readers follow the file without locking.
public final class Store: @unchecked Sendable {
    public let path: String
    public let log: LogFile
    public private(set) var state = State()
    public private(set) var position = ChainPosition.start
    /// Set when the log is damaged in the middle: the store is then read-only until repaired.
    public internal(set) var damage: Damage?
    /// Set once a write could not be confirmed; the store must be reopened (and so re-verified).
    private var writeFailed = false
    /// Whether the projection came from a checkpoint (for the bench and `--verbose`).
    public private(set) var loadedFromCheckpoint = false
    /// How many records the newest checkpoint this process loaded or wrote covers.
    private var checkpointCount = 0
    /// Records a start would replay on top of the checkpoint (about 140,000 a second).
    public var recordsPastCheckpoint: Int { position.count - checkpointCount }
    /// Every event id in the log, for idempotent appends; nil until first needed after a
    /// checkpoint start (reading it is the slowest part of a start and a reader never needs it).
    private var eventIDs: EventIDSet? = EventIDSet()
    private var checkpointIDs: Checkpoint.IDSection?
    private var idsSinceCheckpoint: [EventID] = []
    /// The check of the part the start did not fully check (a checkpoint's prefix, or the chain
    /// behind a full replay): writes wait for it.
    private var prefixCheck: PrefixCheck?
    /// The id set of a full replay, built on the second core after the start.
    private var idsBuilding: Background<EventIDSet>?

    init(path: String, log: LogFile) {
        self.path = path
        self.log = log
    }

    public var checkpointPath: String { path + ".checkpoint" }

    /// Why this store cannot be written, in plain words, or nil when it can.
    public var readOnlyReason: StoreError? {
        if damage == nil, let found = prefixCheck?.finished ?? nil { damage = found }
        if let damage { return .damaged(path: path, damage: damage) }
        if !log.writable { return .readOnly(path: path) }
        if writeFailed { return .failedEarlier(path: path) }
        return nil
    }

    /// Creates a store whose first events name the station and make `context.actor` its admin.
    /// `demo` marks a store the demo generator made: only such a store takes more generated records.
    /// `origin` names the store among those whose logs merge (see `Origin`); it defaults to the station's name.
    public static func create(path: String, station: String, origin: String? = nil, context: EventContext,
                              mode: mode_t = 0o600, group: gid_t? = nil, demo: Bool = false) throws -> Store {
        let store = try createEmpty(path: path, mode: mode, group: group)
        let siteID = "S-1"
        var created = [JSONField("station", .string(station)), JSONField("origin", .string(origin ?? Origin.defaultName(station: station))),
                       JSONField("format", .int(1))]
        if demo { created.append(JSONField("demo", .bool(true))) }
        _ = try store.append { _ in [
            context.event("store.created", body: .object(created)),
            context.event("site.added", subject: siteID, body: .object([
                JSONField("name", .string(station)), JSONField("tier", .string(SiteTier.street.rawValue))])),
            context.event("staff.added", subject: context.actor, body: .object([
                JSONField("account", .string(context.actor)), JSONField("name", .string(context.actor)),
                JSONField("role", .string(Role.admin.rawValue)), JSONField("site", .string(siteID))])),
        ] }
        return store
    }

    /// A store that starts with nothing but its origin: a worker's laptop or a new community room
    /// whose station, staff and people arrive by `shegong sync` from the station's store.
    public static func createForSync(path: String, origin: String, station: String, context: EventContext,
                                     mode: mode_t = 0o600, group: gid_t? = nil) throws -> Store {
        let store = try createEmpty(path: path, mode: mode, group: group)
        _ = try store.append { _ in [context.event("store.created", body: .object([
            JSONField("station", .string(station)), JSONField("origin", .string(origin)), JSONField("format", .int(1))]))] }
        return store
    }

    /// A store with no events yet (an import target, whose events bring the station with them).
    public static func createEmpty(path: String, mode: mode_t = 0o600, group: gid_t? = nil) throws -> Store {
        Store(path: path, log: try LogFile.create(path: path, mode: mode, group: group))
    }

    /// Opens a store: loads the checkpoint when it matches the log, then replays the rest.
    /// A damaged log opens read-only with `damage` set; a torn tail is left for the next writer.
    public static func open(path: String, wantWrite: Bool = true, useCheckpoint: Bool = true) throws -> Store {
        let log = try LogFile.open(path: path, wantWrite: wantWrite)
        let store = Store(path: path, log: log)
        if useCheckpoint, let (state, position, ids) = Checkpoint.load(path: store.checkpointPath, log: log) {
            store.state = state
            store.position = position
            store.loadedFromCheckpoint = true
            store.checkpointCount = position.count
            store.eventIDs = nil
            store.checkpointIDs = ids
            // Writes must not be acknowledged past damage in the part the checkpoint stands in
            // for; a reader (report, export, verify, which checks everything itself) need not wait.
            if wantWrite { store.prefixCheck = PrefixCheck { IntegrityScan.firstDamage(in: log, upTo: position.endOffset) } }
            _ = try store.refresh()
        } else {
            try store.replayWithoutChain()
            let end = store.position.endOffset
            if wantWrite, end > 0 { store.prefixCheck = PrefixCheck { IntegrityScan.firstChainBreak(in: log, upTo: end) } }
        }
        return store
    }

    /// A start with no checkpoint: every record's CRC and number are checked as it is read, the
    /// SHA-256 chain afterwards on the second core (see `PrefixCheck`), so the start costs about
    /// what parsing costs. The event ids go into their set in the background too.
    private func replayWithoutChain() throws {
        eventIDs = nil
        // The replay works on locals, moved out and back: each access to a property of this class
        // is checked for exclusivity at run time, twice per record.
        let logBytes = try log.size() - position.endOffset
        var replayed = state, ids = idsSinceCheckpoint
        (state, idsSinceCheckpoint) = (State(), [])
        // The lists reserved from the log's size, so they are not moved as they grow
        // (`State.reserve(forLogBytes:)`); no record is shorter than about 250 bytes.
        replayed.reserve(forLogBytes: logBytes)
        ids.reserveCapacity(ids.count + Int(clamping: logBytes / 250))
        let scanned: (ChainPosition, ScanEnd)
        do {
            scanned = try log.scan(from: position, checkChain: false, forProjection: true) { record, offset in
                replayed.apply(record, offset: offset)
                ids.append(record.event.id)
            }
        } catch {
            (state, idsSinceCheckpoint) = (replayed, ids)
            throw error
        }
        state = replayed
        let (pos, end) = scanned
        position = pos
        if case .damaged(let d) = end { damage = d }
        let read = ids
        idsBuilding = Background { EventIDSet(read) }
    }

    /// Reads what other processes appended since the last look. An incomplete tail is simply not
    /// visible yet. Returns the number of new events.
    @discardableResult
    public func refresh() throws -> Int {
        if damage == nil, let found = prefixCheck?.finished ?? nil { damage = found }
        guard damage == nil else { return 0 }
        let before = position.count
        let (pos, end) = try log.scan(from: position, forProjection: true) { record, offset in
            state.apply(record, offset: offset)
            track(record.event.id)
        }
        position = pos
        if case .damaged(let d) = end { damage = d }
        return pos.count - before
    }

    /// Appends the events `make` returns, atomically and durably. `make` runs under the lock with
    /// the caught-up state, so its checks and new ids account for every other writer. Events whose
    /// id is already in the log are skipped (idempotent retries and imports). If anything fails,
    /// nothing is written and the state is as before.
    /// With `holdingRefused`, a record carried from another origin that this store's rules refuse
    /// (a conflict, the policy) is still stored, held and not applied, so that origin's records stay
    /// whole here and a person can see what was refused and why (`shegong sync`).
    @discardableResult
    public func append(holdingRefused: Bool = false, _ make: (State) throws -> [Event]) throws -> [Event] {
        // Nothing is acknowledged until the part of the log the checkpoint stood in for was checked.
        if let check = prefixCheck, damage == nil, let found = check.result() { damage = found }
        if let reason = readOnlyReason { throw reason }
        return try log.withExclusiveLock {
            let (caughtUp, end) = try log.scan(from: position, forProjection: true) { record, offset in
                state.apply(record, offset: offset)
                track(record.event.id)
            }
            position = caughtUp
            switch end {
            case .clean: break
            case .tornTail: try log.truncate(to: position.endOffset)
            case .damaged(let d):
                damage = d
                throw StoreError.damaged(path: path, damage: d)
            }
            var next = position
            var bytes: [UInt8] = []
            var accepted: [Event] = []
            var lineOffsets: [Int64] = []
            // Events are checked one after another against the state as it would be after the ones
            // before them. A batch needs a scratch copy of the state for that; a single event (every
            // console save) is checked against the state as it is, which costs no copy.
            try ensureEventIDs()
            let events = try make(state)
            var scratch: State? = events.count > 1 ? state : nil
            var seen = Set<EventID>()
            for var event in events {
                if eventIDs?.contains(event.id) == true || !seen.insert(event.id).inserted { continue }
                do {
                    try (scratch ?? state).validate(event)  // the one check every writer passes, under the lock
                } catch where holdingRefused && event.origin != nil && event.origin?.held == nil {
                    event.origin?.held = (error as? DomainError)?.text(chinese: false) ?? "\(error)"
                }
                let line = RecordCodec.encode(event, number: next.count + 1, prev: next.head)
                // A carried record was within the limit in its origin; its `from` stamp may add a little.
                let limit = RecordCodec.maxRecordBytes + (event.origin == nil ? 0 : RecordCodec.stampAllowance)
                if line.count > limit { throw StoreError.recordTooLarge(bytes: line.count, limit: limit) }
                scratch?.apply(event, offset: next.endOffset)
                lineOffsets.append(next.endOffset)
                next.head = line.withUnsafeBytes { ChainHash.of(UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
                next.count += 1
                next.endOffset += Int64(line.count)
                bytes.append(contentsOf: line)
                accepted.append(event)
            }
            if !bytes.isEmpty {
                do { try log.appendDurably(bytes, at: position.endOffset) } catch {
                    if case StoreError.fsyncFailed = error { writeFailed = true }
                    throw error
                }
            }
            if let scratch { state = scratch } else { for (e, o) in zip(accepted, lineOffsets) { state.apply(e, offset: o) } }
            for e in accepted { track(e.id) }
            position = next
            return accepted
        }
    }

    public func record(at offset: Int64) throws -> Record { try log.record(at: offset) }

    /// Whether the log holds an event with this id; for the `make` of an `append`, which runs
    /// with every id loaded.
    public func holds(_ id: EventID) -> Bool { eventIDs?.contains(id) == true }

    /// Whether `shegong demo` created this store (its first record says so).
    public var isDemo: Bool { position.count > 0 && (try? log.record(at: 0))?.event.body["demo"]?.bool == true }

    /// How long the check behind the start took (a checkpoint's CRC scan, a full replay's
    /// chain), waiting for it to finish; nil when a read-only start left none (for the bench).
    public func prefixCheckSeconds() -> Double? {
        guard let check = prefixCheck else { return nil }
        _ = check.result()
        return check.seconds
    }

    /// Writes the projection to the checkpoint file (atomically). Never required for correctness.
    public func writeCheckpoint() throws {
        try ensureEventIDs()
        try Checkpoint.write(path: checkpointPath, state: state, ids: eventIDs ?? EventIDSet(), position: position,
                             lastRecordOffset: lastRecordOffset, mode: log.mode, group: log.group)
        checkpointCount = position.count
    }

    private func track(_ id: EventID) {
        if eventIDs != nil { eventIDs!.insert(id) } else { idsSinceCheckpoint.append(id) }
    }

    /// Loads the id set the checkpoint holds, or (if that file changed or broke since) rebuilds it
    /// from the log, then adds the ids read since the start.
    private func ensureEventIDs() throws {
        guard eventIDs == nil else { return }
        if let building = idsBuilding {
            var ids = building.result()
            for id in idsSinceCheckpoint { ids.insert(id) }
            (eventIDs, idsBuilding, idsSinceCheckpoint) = (ids, nil, [])
            return
        }
        var ids = checkpointIDs.flatMap { Checkpoint.loadIDs(path: checkpointPath, section: $0) }
        if ids == nil {
            var rebuilt = EventIDSet()
            _ = try log.scan(from: .start, checkChain: false, forProjection: true) { record, offset in
                if offset < position.endOffset { rebuilt.insert(record.event.id) }
            }
            ids = rebuilt
        } else {
            for id in idsSinceCheckpoint { ids!.insert(id) }
        }
        eventIDs = ids
        idsSinceCheckpoint = []
    }

    var lastRecordOffset: Int64 {
        // The checkpoint names the last record it covers by offset so a later open can re-hash it.
        guard position.count > 0 else { return 0 }
        return state.lastOffset
    }
}
