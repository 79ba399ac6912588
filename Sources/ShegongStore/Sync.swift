import ShegongDomain

/// What one sync found and did, for the person who ran it.
public struct SyncSummary: Sendable {
    public var sourceOrigin = ""
    public var sourceStation = ""
    public var read = 0
    public var added = 0
    public var alreadyHere = 0
    /// Records stored but not applied: another origin's change this store's rules refuse, or one
    /// written as someone nobody here vouched for.
    public var held: [Event] = []
    /// This store's own records that the source has and this store does not (restored from an
    /// older copy?): never brought back by a sync, only named.
    public var ownMissing = 0
}

public enum SyncError: Error, Equatable, CustomStringConvertible {
    /// A record whose chain from its origin does not verify: nothing of that sync was written.
    case chainBroken(origin: String, number: Int, reason: String)
    /// Two different records under one origin's number, one here and one in the source.
    case twoVersions(origin: String, number: Int)
    case sameOrigin(String)
    case notAStore(String)

    public var description: String {
        switch self {
        case .chainBroken(let o, let n, let why): return "origin \(o), record \(n): \(why); nothing was synced"
        case .twoVersions(let o, let n):
            return "origin \(o), record \(n): this store and the source hold different records under that number (one of them "
                + "was altered on the way); nothing was synced"
        case .sameOrigin(let o):
            return "both stores have origin \(o): a store cannot sync with itself or a copy of itself"
        case .notAStore(let p): return "\(p): its first record is not a store's creation with a valid origin; nothing was synced"
        }
    }
}

/// Whose carried records a sync applies: a record's actor must be the account that runs the sync
/// (who brings their own work back), or one a station admin vouched for. A chain proves which
/// store wrote a record, not which person: anyone can write any actor into a log of their own.
public enum Vouch: Sendable, Equatable {
    case all
    case accounts(Set<String>)

    public func covers(_ actor: String) -> Bool {
        switch self {
        case .all: return true
        case .accounts(let set): return set.contains(actor)
        }
    }

    var json: JSON {
        switch self {
        case .all: return .string("all")
        case .accounts(let set): return .array(set.sorted().map(JSON.string))
        }
    }
}

/// Log to log: brings every record of another store that this one lacks, each carried with its
/// origin's number and chain hash (docs/log-format.md, "Origins and sync").
public enum Sync {
    /// Reads the whole source log, checking every record's checksum, the source's own chain, the
    /// chain of each origin it carries, and that every record re-encodes to the bytes its origin
    /// hashed. Throws on the first record that fails, naming its origin and number. What the
    /// source says of a record (`held`, `hash`) is its own finding and is dropped here.
    static func read(_ source: LogFile) throws -> (origin: String, station: String, records: [Event]) {
        var origin = "", station = ""
        var records: [Event] = []
        var lastByOrigin: [String: (number: Int, hash: ChainHash)] = [:]
        var previousNative: ChainHash?
        let (position, end) = try source.scan(from: .start, checkChain: true, forProjection: false) { record, _ in
            var event = record.event
            if record.number == 1 {
                origin = event.body["origin"]?.string ?? Origin.legacy(firstEvent: event.id)
                guard event.type == EventType.storeCreated.rawValue, event.origin == nil, Origin.isValidName(origin) else {
                    throw SyncError.notAStore(source.path)
                }
                station = event.body["station"]?.string ?? ""
            }
            // The source's own records must rebuild the very line it hashed.
            if let expected = previousNative, record.prev != expected {
                throw SyncError.chainBroken(origin: origin, number: record.number - 1, reason: "cannot be carried byte for byte")
            }
            let native = event.origin == nil
            if native {
                event.origin = OriginStamp(origin: origin, number: record.number, prev: record.prev.hex)
            } else if let last = lastByOrigin[event.origin!.origin], event.origin!.number == last.number + 1, last.hash.hex != event.origin!.prev {
                throw SyncError.chainBroken(origin: event.origin!.origin, number: event.origin!.number,
                                            reason: "does not follow record \(last.number) of its origin")
            }
            guard let line = RecordCodec.originLine(of: event) else { throw SyncError.notAStore(source.path) }
            let hash = line.withUnsafeBytes { ChainHash.of($0) }
            event.origin!.hash = hash.hex
            event.origin!.held = nil
            lastByOrigin[event.origin!.origin] = (event.origin!.number, hash)
            previousNative = native ? hash : nil
            records.append(event)
        }
        if case .damaged(let damage) = end {
            throw SyncError.chainBroken(origin: origin.isEmpty ? source.path : origin, number: damage.recordNumber, reason: damage.reason)
        }
        if let last = previousNative, last != position.head {
            throw SyncError.chainBroken(origin: origin, number: position.count, reason: "cannot be carried byte for byte")
        }
        return (origin, station, records)
    }

    /// Pulls the records of `source` that `store` lacks, under the store's append lock, in the
    /// source's order. A record this store's rules refuse, or whose actor is not vouched for, is
    /// held: stored, never applied, and listed. A `sync.pulled` event by `context.actor` follows
    /// them in the same append, so an account this store's roster does not know brings nothing.
    /// `introducing`: the sync may meet origins this store does not know (its station admin runs it,
    /// or it makes the store); otherwise their records are held.
    public static func pull(from source: LogFile, into store: Store, context: EventContext, vouch: Vouch,
                            introducing: Bool) throws -> SyncSummary {
        let (origin, station, records) = try read(source)
        var summary = SyncSummary(sourceOrigin: origin, sourceStation: station, read: records.count)
        let accepted = try store.append(holdingRefused: true) { state in
            if state.origin == origin { throw SyncError.sameOrigin(origin) }
            var heads = state.origins.mapValues { (number: $0.number, hash: $0.hash) }
            var new: [Event] = []
            summary.ownMissing = 0
            for var event in records {
                let stamp = event.origin!
                if stamp.origin == state.origin {
                    if !store.holds(event.id) { summary.ownMissing += 1 }
                    continue
                }
                let head = heads[stamp.origin]
                if store.holds(event.id) {
                    if let head, head.number == stamp.number, head.hash != stamp.hash { throw SyncError.twoVersions(origin: stamp.origin, number: stamp.number) }
                    continue
                }
                // Every record of an origin this store knows, and does not hold, comes after the newest
                // it holds: another under an older number is a second version of one.
                if let head, stamp.number <= head.number { throw SyncError.twoVersions(origin: stamp.origin, number: stamp.number) }
                if let head, stamp.number == head.number + 1, stamp.prev != head.hash {
                    throw SyncError.twoVersions(origin: stamp.origin, number: head.number)
                }
                heads[stamp.origin] = (stamp.number, stamp.hash ?? "")
                if event.type == EventType.storeCreated.rawValue {
                    // Meeting an origin is the station admin's: anyone can write a log that calls itself 南坪.
                    if !introducing || stamp.number != 1 || head != nil {
                        event.origin!.held = DomainError.notAllowed(.originNotIntroduced(stamp.origin)).text(chinese: false)
                    }
                } else if !vouch.covers(event.actor) {
                    event.origin!.held = DomainError.notAllowed(.notVouched(actor: event.actor, origin: stamp.origin)).text(chinese: false)
                }
                new.append(event)
            }
            guard !new.isEmpty else { return [] }
            return new + [context.event(EventType.syncPulled.rawValue, subject: origin, body: .object([
                JSONField("origin", .string(origin)), JSONField("station", .string(station)), JSONField("count", .int(new.count)),
                JSONField("vouched", vouch.json),
            ]))]
        }
        let carried = accepted.filter { $0.origin != nil }
        summary.added = carried.count
        summary.alreadyHere = records.count - carried.count - summary.ownMissing
        summary.held = carried.filter { $0.origin?.held != nil }
        return summary
    }
}
