import ShegongDomain

/// An event the log holds that the rules would refuse today, checked against the state as it
/// stood just before it (who was on the roster, which records existed, what role the author had).
public struct AuditFinding: Sendable, Equatable {
    public var recordNumber: Int
    public var actor: String
    public var type: String
    public var subject: String
    public var rule: DomainError
}

extension Store {
    /// Replays the whole log from its first record, ignoring any checkpoint, and re-checks every
    /// event with `State.validate`, the check every writer passes under the lock. A log written
    /// only through this program has no findings; an event written around it (a hand-edited or
    /// forged file, an import of forged events) is named here.
    public static func audit(path: String, visit: (AuditFinding) -> Void) throws -> (ChainPosition, ScanEnd) {
        let log = try LogFile.open(path: path, wantWrite: false)
        var state = State()
        return try log.scan(from: .start) { record, offset in
            do throws(DomainError) { try state.validate(record.event) } catch {
                visit(AuditFinding(recordNumber: record.number, actor: record.event.actor, type: record.event.type,
                                   subject: record.event.subject, rule: error))
            }
            state.apply(record, offset: offset)
        }
    }
}
