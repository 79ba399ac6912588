import ShegongDomain

/// What one sync found and did, for the person who ran it.
public struct SyncSummary: Sendable {
    public var sourceOrigin = ""
    public var sourceStation = ""
    public var read = 0
    public var added = 0
    public var alreadyHere = 0
    /// Records stored but not applied: another origin's change this store's rules refuse.
    public var held: [Event] = []
}

public enum SyncError: Error, Equatable, CustomStringConvertible {
    /// A record whose chain from its origin does not verify: nothing of that sync was written.
    case chainBroken(origin: String, number: Int, reason: String)
    case sameOrigin(String)
    case notAStore(String)

    public var description: String {
        switch self {
        case .chainBroken(let o, let n, let why): return "origin \(o), record \(n): \(why); nothing was synced"
        case .sameOrigin(let o):
            return "both stores have origin \(o): a store cannot sync with itself or a copy of itself"
        case .notAStore(let p): return "\(p): its first record is not a store's creation; nothing was synced"
        }
    }
}

/// Log to log: brings every record of another store that this one lacks, each carried with its
/// origin's number and chain hash (docs/log-format.md, "Origins and sync").
public enum Sync {
    /// One record of the source as it will be carried here, and the hash of its origin line.
    struct Carried {
        var event: Event
        var hash: ChainHash
    }

    /// Reads the whole source log, checking every record's checksum, the source's own chain, the
    /// chain of each origin it carries, and that every record re-encodes to the bytes its origin
    /// hashed. Throws on the first record that fails, naming its origin and number.
    static func read(_ source: LogFile) throws -> (origin: String, station: String, records: [Carried]) {
        var origin = "", station = ""
        var records: [Carried] = []
        var lastByOrigin: [String: (number: Int, hash: ChainHash)] = [:]
        var previousLine: Carried?
        let (position, end) = try source.scan(from: .start, checkChain: true, forProjection: false) { record, _ in
            var event = record.event
            if record.number == 1 {
                guard event.type == EventType.storeCreated.rawValue, event.origin == nil else { throw SyncError.notAStore(source.path) }
                origin = event.body["origin"]?.string ?? Origin.legacy(firstEvent: event.id)
                station = event.body["station"]?.string ?? ""
            }
            if let stamp = event.origin {
                if let last = lastByOrigin[stamp.origin], stamp.number == last.number + 1, last.hash.hex != stamp.prev {
                    throw SyncError.chainBroken(origin: stamp.origin, number: stamp.number,
                                                reason: "does not follow record \(last.number) of its origin")
                }
            } else {
                event.origin = OriginStamp(origin: origin, number: record.number, prev: record.prev.hex)
            }
            // The carried form must rebuild the very line its origin hashed: checked for the source's
            // own records against the next record's link, and by the origin's next record for others.
            if let line = RecordCodec.originLine(of: event) {
                let hash = line.withUnsafeBytes { ChainHash.of($0) }
                if let previous = previousLine, previous.event.origin?.origin == origin, record.prev != previous.hash {
                    throw SyncError.chainBroken(origin: origin, number: record.number - 1, reason: "cannot be carried byte for byte")
                }
                let stamp = event.origin!
                lastByOrigin[stamp.origin] = (stamp.number, hash)
                let carried = Carried(event: event, hash: hash)
                previousLine = record.event.origin == nil ? carried : nil
                records.append(carried)
            }
        }
        if case .damaged(let damage) = end {
            throw SyncError.chainBroken(origin: origin.isEmpty ? source.path : origin, number: damage.recordNumber, reason: damage.reason)
        }
        if let last = previousLine, last.hash != position.head {
            throw SyncError.chainBroken(origin: origin, number: position.count, reason: "cannot be carried byte for byte")
        }
        return (origin, station, records)
    }

    /// Pulls the records of `source` that `store` lacks, under the store's append lock, in the
    /// source's order. Another origin's change that this store's rules refuse is held, not lost.
    /// A `sync.pulled` event by `context.actor` follows the records it brought, in the same
    /// append: an account this store's roster does not know brings nothing.
    public static func pull(from source: LogFile, into store: Store, context: EventContext) throws -> SyncSummary {
        let (origin, station, records) = try read(source)
        var summary = SyncSummary(sourceOrigin: origin, sourceStation: station, read: records.count)
        let accepted = try store.append(holdingRefused: true) { state in
            if state.origin == origin { throw SyncError.sameOrigin(origin) }
            // The store's own records come back from a store that synced from it: already here.
            let new = records.map(\.event).filter { $0.origin?.origin != state.origin && !store.holds($0.id) }
            guard !new.isEmpty else { return [] }
            return new + [context.event(EventType.syncPulled.rawValue, subject: origin, body: .object([
                JSONField("origin", .string(origin)), JSONField("station", .string(station)), JSONField("count", .int(new.count)),
            ]))]
        }
        let carried = accepted.filter { $0.origin != nil }
        summary.added = carried.count
        summary.alreadyHere = records.count - carried.count
        summary.held = carried.filter { $0.origin?.held != nil }
        return summary
    }
}
