/// Who may see and change what: the one place access is decided. The console, every CLI command
/// and the store's write path all ask here; nothing decides access per screen.
///
/// Conventions (domain.md, Privacy): a worker sees their own caseload and their community's
/// people in full, other records of the station as need-to-know summaries; a supervisor sees
/// their supervisees' caseloads in full but changes only supervision notes and approvals; the
/// station admin sees and manages everything; a volunteer coordinator sees volunteers and
/// activities and, of people, a task card; district users see aggregate reports only. Cases
/// flagged child, 矫正 or 戒毒 exist only for their worker, that worker's supervisor and the admin.
public struct Viewer: Sendable, Equatable {
    public let account: String
    public let role: Role
    public let sites: Set<String>
    public let supervisees: Set<String>

    /// Someone with no access at all (an account removed from the roster while working).
    public static func nobody(_ account: String) -> Viewer { Viewer(account: account, role: .district, sites: [], supervisees: []) }
}

public enum Visibility: Int, Comparable, Sendable {
    /// Not shown at all, not even that it exists.
    case none
    /// Name, address and the task: what a volunteer coordinator needs to send someone.
    case taskCard
    /// Identity and status, no notes, no sensitive fields, no timeline.
    case summary
    /// Everything; sensitive fields still masked until explicitly shown (and logged).
    case full
    public static func < (a: Visibility, b: Visibility) -> Bool { a.rawValue < b.rawValue }
}

public enum Policy {
    /// The viewer an OS account is, or nil when it is not on the staff roster (it then sees nothing).
    public static func viewer(_ account: String, in state: State) -> Viewer? {
        guard let staff = state.staff[account], staff.active else { return nil }
        let supervisees = Set(state.staff.values.filter { $0.supervisor == account }.map(\.account))
        return Viewer(account: account, role: staff.role, sites: state.siteAndDescendants(staff.site), supervisees: supervisees)
    }

    public static func person(_ p: Person, for v: Viewer, in state: State) -> Visibility {
        switch v.role {
        case .admin: return .full
        case .district: return .none
        case .coordinator: return .taskCard
        case .worker: return p.worker == v.account || v.sites.contains(p.community) ? .full : .summary
        case .supervisor:
            // A supervisor's view follows their supervisees, not the sites they sit in.
            return p.worker == v.account || v.supervisees.contains(p.worker) ? .full : .summary
        }
    }

    public static func caseFile(_ c: CaseFile, for v: Viewer, in state: State) -> Visibility {
        if v.role == .admin || c.worker == v.account { return .full }
        if v.role == .supervisor, state.staff[c.worker]?.supervisor == v.account { return .full }
        if c.isRestricted { return .none }
        switch v.role {
        case .worker, .supervisor: return .summary
        default: return .none
        }
    }

    public static func volunteers(for v: Viewer) -> Visibility {
        switch v.role {
        case .admin, .coordinator: return .full
        case .worker, .supervisor: return .summary
        case .district: return .none
        }
    }

    /// Whether this viewer may have sensitive fields of a person shown in full (on request, logged).
    public static func mayUnmask(_ p: Person, for v: Viewer, in state: State) -> Bool {
        v.role == .admin || p.worker == v.account || (v.role == .supervisor && v.supervisees.contains(p.worker))
    }

    /// Raw event export and import carry every field of every record: station admin only.
    public static func mayHandleRawEvents(_ v: Viewer) -> Bool { v.role == .admin }

    /// Whether the viewer may review the access log.
    public static func mayReviewAccess(_ v: Viewer) -> Bool { v.role == .admin || v.role == .supervisor }

    /// The write rule for one new event, checked under the log lock for every writer.
    public static func authorize(_ event: Event, in state: State) throws(DomainError) {
        if state.staff.isEmpty, ["store.created", "site.added", "staff.added"].contains(event.type) { return }  // a new store
        if event.type == "store.created" { throw .notAllowed("the store already exists") }
        guard let v = viewer(event.actor, in: state) else {
            throw .notAllowed("account \(event.actor) is not on the staff roster")
        }
        if v.role == .admin { return }
        let b = event.body
        func personVisibility(_ id: String?) -> Visibility {
            id.flatMap { state.person($0) }.map { person($0, for: v, in: state) } ?? .none
        }
        func deny(_ why: String) -> DomainError { .notAllowed("\(v.role.en) \(v.account) cannot \(why)") }
        switch event.type {
        case "site.added", "staff.added", "staff.updated":
            throw deny("manage sites or staff (station admin only)")
        case "access.viewed":
            return
        case "person.registered":
            guard v.role == .worker, let community = b["community"]?.string, v.sites.contains(community) else {
                throw deny("register people outside their own community")
            }
        case "person.updated", "person.consent":
            guard v.role == .worker, personVisibility(event.subject) == .full else { throw deny("change \(event.subject)") }
        case "visit.logged", "visit.amended":
            guard v.role == .worker, personVisibility(b["person"]?.string) == .full else {
                throw deny("record visits for \(b["person"]?.string ?? "?")")
            }
        case "case.opened":
            guard v.role == .worker, personVisibility(b["person"]?.string) == .full else { throw deny("open a case for this person") }
        case "case.supervision_note":
            guard let c = state.caseFile(event.subject), v.role == .supervisor,
                  state.staff[c.worker]?.supervisor == v.account else { throw deny("write supervision notes on \(event.subject)") }
        case "case.closure_approved", "case.closure_rejected":
            guard let c = state.caseFile(event.subject), v.role == .supervisor,
                  state.staff[c.worker]?.supervisor == v.account else { throw deny("decide on the closure of \(event.subject)") }
        case let t where t.hasPrefix("case."):
            guard let c = state.caseFile(event.subject), c.worker == v.account else { throw deny("change case \(event.subject)") }
        case "group.planned", "group.session", "group.closed", "activity.held":
            guard v.role == .worker || v.role == .coordinator else { throw deny("record group work") }
        case let t where t.hasPrefix("volunteer.") || t.hasPrefix("timebank."):
            guard v.role == .coordinator || v.role == .worker else { throw deny("change volunteer records") }
        default:
            throw deny("write \(event.type)")
        }
    }
}
