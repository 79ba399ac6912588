/// Where a record was first written: a station, a community room, a worker's laptop. Every store
/// has one origin, fixed when it is created; logs from different origins merge because a record id
/// is read in the light of the origin that wrote it (docs/log-format.md, "Origins").
///
/// Ids are kept short for a store's own records (`P-12`) and qualified for another origin's
/// (`弹子石/P-12`): the same record has one canonical id everywhere, `origin/id`, and each store
/// drops its own origin from the front.
public enum Origin {
    public static let separator: Character = "/"

    /// Whether `name` can be an origin: a short name without the separator or control characters.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 40 && !name.contains(separator)
            && name.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !SafeText.isUnsafe($0.value) }
    }

    /// A station's name as an origin: the separator and anything unprintable left out.
    public static func defaultName(station: String) -> String {
        let kept = String(station.filter { $0 != separator && $0.unicodeScalars.allSatisfy { $0.value > 0x20 && !SafeText.isUnsafe($0.value) } }.prefix(40))
        return kept.isEmpty ? "station" : kept
    }

    /// The origin of a log written before origins existed: the first 8 hex digits of its first
    /// event's id (unique enough to tell a district's stations apart, and the same on every read).
    public static func legacy(firstEvent id: EventID) -> String { String(id.description.prefix(8)) }

    /// An id written by `origin`, as a store whose own origin is `home` names it.
    public static func local(_ id: String, writtenBy origin: String, home: String) -> String {
        guard !id.isEmpty else { return id }
        if let cut = id.firstIndex(of: separator) {
            return id[..<cut] == home ? String(id[id.index(after: cut)...]) : id
        }
        return origin == home ? id : "\(origin)\(separator)\(id)"
    }

    /// The id every store and the district agree on: `origin/id`.
    public static func canonical(_ id: String, home: String) -> String {
        id.isEmpty || id.contains(separator) ? id : "\(home)\(separator)\(id)"
    }

    /// Whether `id` can name a record: a short id, or one qualified by an origin name (`弹子石/P-12`).
    public static func isWellFormed(_ id: String) -> Bool {
        let parts = id.split(separator: separator, omittingEmptySubsequences: false)
        func short(_ s: Substring) -> Bool {
            !s.isEmpty && s.count <= 64 && s.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !SafeText.isUnsafe($0.value) }
        }
        switch parts.count {
        case 1: return short(parts[0])
        case 2: return isValidName(String(parts[0])) && short(parts[1])
        default: return false
        }
    }

    /// The ids a record carried from another origin names must be ones a store could have made, and
    /// a record it creates must be that origin's own (so no origin can take another's id, this
    /// store's included).
    static func checkIDs(of event: Event) throws(DomainError) {
        var ids: [String] = []
        if Event.subjectIsRecord(event.type) {
            if case .creates = EventType(rawValue: event.type)?.info.subject, event.subject.contains(separator) || event.subject.isEmpty {
                throw .invalidState(.badRecordID(event.subject))
            }
            ids.append(event.subject)
        }
        for field in event.body.fields ?? [] {
            if referenceKeys.contains(field.key), let id = field.value.string, !id.isEmpty { ids.append(id) }
            if referenceListKeys.contains(field.key) { ids += field.value.strings }
            if field.key == "attendance" { ids += (field.value.fields ?? []).map(\.key) }
        }
        if let bad = ids.first(where: { !isWellFormed($0) }) { throw .invalidState(.badRecordID(bad)) }
    }

    /// Body keys whose values name records (never accounts, never free text).
    static let referenceKeys: Set<String> = ["person", "case", "site", "community", "parent", "volunteer", "group"]
    static let referenceListKeys: Set<String> = ["members", "paired"]
}

/// How a record of another origin is carried in this log: its origin, its number and the hash it
/// chained to there, so that origin's chain can still be checked here. `held` says why this store
/// keeps the record without applying it (a conflict or a refusal by this store's policy).
public struct OriginStamp: Sendable, Equatable {
    public var origin: String
    public var number: Int
    /// The hex SHA-256 the record named as its predecessor in its origin's log.
    public var prev: String
    /// The hex SHA-256 of the record's line in its origin's log, as the sync that carried it here
    /// rebuilt it (this store's own finding, like `held`, not the source's word).
    public var hash: String?
    public var held: String?

    public init(origin: String, number: Int, prev: String, hash: String? = nil, held: String? = nil) {
        self.origin = origin; self.number = number; self.prev = prev; self.hash = hash; self.held = held
    }
}

/// An `OriginStamp` held by reference in an `Event` (see `Event.origin`).
@usableFromInline
final class CarriedStamp: Sendable, Equatable {
    let stamp: OriginStamp
    @usableFromInline init(_ stamp: OriginStamp) { self.stamp = stamp }
    @usableFromInline static func == (a: CarriedStamp, b: CarriedStamp) -> Bool { a.stamp == b.stamp }
}

/// What a store knows of each other origin whose records it holds.
public struct OriginHead: Sendable, Equatable {
    public var station: String
    /// The highest record number of that origin held here, its hash, and how many of its records are held.
    public var number: Int
    public var hash: String
    public var records: Int
    public var held: Int
    /// When its newest record held here was written (people read it; order comes from numbers).
    public var lastWritten: Timestamp?
    /// Whether its creation record was taken here unheld: a station admin met this origin (or this
    /// store was made from it). Until then its records are held, whoever brings them.
    public var introduced: Bool

    public init(station: String = "", number: Int = 0, hash: String = "", records: Int = 0, held: Int = 0,
                lastWritten: Timestamp? = nil, introduced: Bool = false) {
        self.station = station; self.number = number; self.hash = hash; self.records = records; self.held = held
        self.lastWritten = lastWritten; self.introduced = introduced
    }
}

extension Event {
    /// This event as a store whose origin is `home` reads it: every record id in its subject and
    /// body named the way that store names it. The event as stored (and hashed) is unchanged.
    public func localized(home: String) -> Event {
        let writer = origin?.origin ?? home
        func local(_ id: String) -> String { Origin.local(id, writtenBy: writer, home: home) }
        var copy = self
        copy.origin = nil
        if Event.subjectIsRecord(type) { copy.subject = local(subject) }
        guard case .object(let fields) = body else { return copy }
        copy.body = .object(fields.map { field in
            if Origin.referenceKeys.contains(field.key), let id = field.value.string { return JSONField(field.key, .string(local(id))) }
            if Origin.referenceListKeys.contains(field.key), let ids = field.value.array {
                return JSONField(field.key, .array(ids.map { $0.string.map { .string(local($0)) } ?? $0 }))
            }
            if field.key == "attendance", let marks = field.value.fields {
                return JSONField(field.key, .object(marks.map { JSONField(local($0.key), $0.value) }))
            }
            return field
        })
        return copy
    }

    /// Whether the subject names a record (and so is qualified by origin); staff subjects are
    /// accounts, which a district shares, and some events have no record as subject.
    public static func subjectIsRecord(_ type: String) -> Bool {
        guard let known = EventType(rawValue: type) else { return false }
        switch known.info.subject {
        case .creates(let kind), .changes(let kind): return kind != .staff
        case .free: return known == .accessViewed
        }
    }
}
