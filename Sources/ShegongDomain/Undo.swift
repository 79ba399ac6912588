/// How one change is taken back on an append-only log: a new event that restores what was there
/// before (or withdraws a new visit), carrying `undoes` with the id of the event it takes back.
/// Nothing is ever deleted; the timeline shows both.
public struct Compensation: Equatable, Sendable {
    public var type: String
    public var subject: String
    public var body: JSON
    /// The record's version right after the change: if anyone changed it since, undo is refused.
    public var versionAfter: Int
    public var undoes: String
}

extension State {
    /// What would take `event` back, worked out on the state before `event` (self). `previous` is
    /// the body of the record's current event where the change replaces it whole (a visit's
    /// amendment). nil: that kind of change is not undone this way (correct it instead).
    public func compensation(for event: Event, previous: JSON?) -> Compensation? {
        let id = event.id.description
        func undo(_ type: String, _ fields: [JSONField], version: Int) -> Compensation {
            Compensation(type: type, subject: event.subject, body: .object(fields + [JSONField("undoes", .string(id))]),
                         versionAfter: version, undoes: id)
        }
        // The fields this change touched, as they were before it.
        func before(_ values: [String: JSON]) -> [JSONField] {
            (event.body.fields ?? []).compactMap { f in values[f.key].map { JSONField(f.key, $0) } }
        }
        switch event.type {
        case "visit.logged":
            return undo("visit.voided", [JSONField("person", event.body["person"] ?? .string("")),
                                         JSONField("date", event.body["date"] ?? .string(""))], version: 1)
        case "visit.amended":
            guard let v = visit(event.subject), let fields = previous?.fields else { return nil }
            return undo("visit.amended", fields.filter { $0.key != "undoes" }, version: Int(v.version) + 1)
        case "person.updated":
            guard let p = person(event.subject) else { return nil }
            return undo("person.updated", before([
                "name": .string(p.name), "sex": .string(p.sex?.rawValue ?? ""), "birth": .string(p.birth?.iso ?? ""),
                "idno": .string(p.idNumber), "phone": .string(p.phone), "address": .string(p.address),
                "community": .string(p.community), "household": .string(p.household), "categories": .array(p.categories.map(JSON.string)),
                "tier": .string(p.tier.rawValue), "worker": .string(p.worker),
            ]), version: p.version + 1)
        case "volunteer.updated":
            guard let v = volunteer(event.subject) else { return nil }
            return undo("volunteer.updated", before([
                "name": .string(v.name), "sex": .string(v.sex?.rawValue ?? ""), "birth": .string(v.birth?.iso ?? ""),
                "idno": .string(v.idNumber), "phone": .string(v.phone), "skills": .array(v.skills.map(JSON.string)),
                "availability": .string(v.availability), "team": .string(v.team), "site": .string(v.site), "backbone": .bool(v.backbone),
                "paired": .array(v.pairedWith.map { .string(people[Int($0)].id) }),
            ]), version: v.version + 1)
        default:
            return nil
        }
    }
}
